// Map: runs its ItemProcessor once per item, in item order, with MaxConcurrency, tolerated
// failures and ItemBatcher. Distributed mode runs the same way locally when its items are inline.
import { causes } from '../causes';
import { StatesError, StatesErrors, errorOutput } from '../errors';
import { EventKind } from '../history';
import { cloneJson, freezeDeep } from '../data/isolate';
import type { StateRunner, StateScope, StepResult } from '../runtime';
import type { Json, JsonObject, WorkflowType } from '../types';
import { dataFlow, numberOrExpression, then, type Maybe, type StateCompiler } from './common';

function readNumber(c: StateCompiler, field: 'MaxConcurrency' | 'ToleratedFailureCount' | 'ToleratedFailurePercentage', kind: 'integer' | 'float') {
  const fixed = numberOrExpression(c, field);
  const path = c.dynamic(`${field}Path`, false);
  return (raw: Json, effective: Json, scope: StateScope): Maybe<number | undefined> => {
    if (fixed) {
      return then(fixed(raw, scope), (v) => {
        if (v !== undefined && (typeof v !== 'number' || (kind === 'integer' && !Number.isInteger(v)))) {
          throw scope.evaluationError(causes.fieldMustBe(field, kind === 'integer' ? 'an integer' : 'a number', v));
        }
        return v as number | undefined;
      });
    }
    if (!path) return undefined;
    const v = path(effective, scope);
    if (typeof v !== 'number' || (kind === 'integer' && !Number.isInteger(v))) {
      throw scope.runtimeError(causes.pathValueNotValid(field, v, kind, String(c.def[`${field}Path`])));
    }
    return v;
  };
}

export function compileMap(c: StateCompiler): StateRunner {
  const def = c.def;
  const jsonata = c.queryLanguage === 'JSONata';
  const flow = dataFlow(c, { resultSelector: true, resultPath: true });
  const itemsPath = jsonata ? undefined : c.selector('ItemsPath');
  const itemsExpr = jsonata ? c.jsonata(def.Items, 'Items') : undefined;
  const selector = jsonata ? undefined : c.template(def.ItemSelector !== undefined ? 'ItemSelector' : 'Parameters');
  const selectorExpr = jsonata ? c.jsonata(def.ItemSelector, 'ItemSelector') : undefined;
  const processorDef = def.ItemProcessor ?? def.Iterator;
  if (def.ItemProcessor && def.Iterator) c.problem('Iterator', 'Use ItemProcessor or the older Iterator, not both');
  if (!processorDef) c.problem('ItemProcessor', 'A Map state needs an ItemProcessor (or the older Iterator)');
  if (def.ItemSelector !== undefined && def.Parameters !== undefined) c.problem('Parameters', 'Use ItemSelector or the older Parameters, not both');
  const processor = c.machine(processorDef, `${c.pointer}/${def.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`);
  const processorConfig = processorDef as { ProcessorConfig?: { Mode?: string } } | undefined;
  const distributed = processorConfig?.ProcessorConfig?.Mode === 'DISTRIBUTED';
  const maxConcurrency = readNumber(c, 'MaxConcurrency', 'integer');
  const toleratedCount = readNumber(c, 'ToleratedFailureCount', 'integer');
  const toleratedPercentage = readNumber(c, 'ToleratedFailurePercentage', 'float');
  const batcher = def.ItemBatcher;
  // The definition's BatchInput, copied and frozen once (as a Pass state's Result): every batch of
  // every execution shares it, and the caller's definition object stays the caller's.
  const batchInput = batcher?.BatchInput === undefined ? undefined : freezeDeep(cloneJson(batcher.BatchInput));
  const next = c.next;
  // The MapIteration* events carry the state's name and the iteration's index.
  const iterationDetails = { name: c.name, index: undefined };
  const iterationStarted = new EventKind('MapIterationStarted', iterationDetails, 'index');
  const iterationSucceeded = new EventKind('MapIterationSucceeded', iterationDetails, 'index');
  const iterationFailed = new EventKind('MapIterationFailed', iterationDetails, 'index');
  const iterationAborted = new EventKind('MapIterationAborted', iterationDetails, 'index');
  // Each Distributed Map child is an execution of its own, with its own limits.
  const childType: WorkflowType =
    (processorDef as { ProcessorConfig?: { ExecutionType?: string } } | undefined)?.ProcessorConfig?.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';

  const readItems = (input: Json, effective: Json, scope: StateScope): Maybe<Json[]> =>
    then(itemsExpr ? itemsExpr({ input }, scope) : itemsPath ? itemsPath(effective, scope) : effective, (items) => {
      if (!Array.isArray(items)) {
        throw (jsonata ? scope.evaluationError : scope.runtimeError).call(scope, causes.mapInputNotArray(items));
      }
      return items;
    });

  const selectItems = (input: Json, effective: Json, items: Json[], scope: StateScope): Maybe<Json[]> => {
    if (selectorExpr) {
      const base = scope.context() as JsonObject;
      return (async () => {
        const out: Json[] = [];
        let index = 0;
        for (const value of items) {
          out.push(await selectorExpr({ input, context: { ...base, Map: { Item: { Index: index, Value: value } } } }, scope));
          index += 1;
        }
        return out;
      })();
    }
    if (!selector) return items;
    return items.map((value, index) => selector(effective, scope.withMapItem({ index, value })));
  };

  return (input, scope) => {
    const effective = flow.effective(input, scope);
    return then(readItems(input, effective, scope), (items) =>
      then(maxConcurrency(input, effective, scope), (mc) =>
        then(selectItems(input, effective, items, scope), (inputs) => {
          const concurrency = mc ?? 0;
          if (concurrency < 0) throw scope.runtimeError(causes.maxConcurrencyNegative());
          const work = batcher ? batch(inputs, batcher, batchInput) : inputs;
          // AWS records MapStateStarted before it reads the tolerated-failure settings (conformance:
          // test_map_state_tolerated_failure_count_path_-1_), and MapRunStarted after them.
          scope.record('MapStateStarted', { length: work.length });
          return then(toleratedCount(input, effective, scope), (count) =>
            then(toleratedPercentage(input, effective, scope), (pct) => {
              if (count !== undefined && count < 0) throw scope.runtimeError(causes.toleratedFailureCountNegative());
              if (pct !== undefined && (pct < 0 || pct > 100)) throw scope.runtimeError(causes.toleratedFailurePercentageOutOfRange());
              if (distributed) scope.record('MapRunStarted');
              return iterate(work, concurrency, count, pct, input, scope);
            }),
          );
        }),
      ),
    );
  };

  function iterate(work: Json[], concurrency: number, count: number | undefined, pct: number | undefined, input: Json, scope: StateScope): Maybe<StepResult> {
    const tolerant = count !== undefined || pct !== undefined;
    const total = work.length;
    const exceeded = (failures: number) =>
      (count !== undefined && failures > count) || (pct !== undefined && (failures / total) * 100 > pct) || (!tolerant && failures > 0);
    const run = scope.runChildren({
      count: total,
      concurrency,
      machine: () => processor,
      input: (i) => {
        const item = work[i];
        if (item === undefined) throw new Error(`Map state '${c.name}' has no item ${i} (of ${total})`);
        return item;
      },
      // A States.Runtime error fails the Map whatever its tolerance.
      stopsOn: (e, failures) => e.error === StatesErrors.Runtime || exceeded(failures),
      childType: distributed ? childType : undefined,
      started: distributed ? undefined : (i) => scope.recordEvent(iterationStarted, i),
      succeeded: distributed ? undefined : (i) => scope.recordEvent(iterationSucceeded, i),
      failed: distributed ? undefined : (i) => scope.recordEvent(iterationFailed, i),
      aborted: distributed ? undefined : (i) => scope.recordEvent(iterationAborted, i),
    });
    return then(run, (done) => {
      const firstFailure = done.errors?.find((e) => e !== undefined);
      if (firstFailure && (done.stopped || exceeded(done.errors?.filter((e) => e).length ?? 0))) {
        if (distributed) scope.record('MapRunFailed');
        if (firstFailure.error !== StatesErrors.Runtime) scope.failWith('MapStateFailed');
        if (tolerant && firstFailure.error !== StatesErrors.Runtime) {
          throw new StatesError(StatesErrors.ExceedToleratedFailureThreshold, causes.toleratedFailureThresholdExceeded());
        }
        throw firstFailure;
      }
      if (distributed) scope.record('MapRunSucceeded');
      scope.record('MapStateSucceeded');
      const results = done.launched === total ? done.outputs : done.outputs.slice(0, done.launched);
      const errors = done.errors;
      if (errors)
        for (let i = 0; i < done.launched; i++) {
          const e = errors[i];
          if (e) results[i] = errorOutput(e);
        }
      return flow.finish(input, results, scope, next, done.size);
    });
  }
}

function batch(inputs: Json[], batcher: JsonObject, batchInput: Json | undefined): Json[] {
  const maxItems = typeof batcher.MaxItemsPerBatch === 'number' ? batcher.MaxItemsPerBatch : Infinity;
  const maxBytes = typeof batcher.MaxInputBytesPerBatch === 'number' ? batcher.MaxInputBytesPerBatch : 256 * 1024;
  const out: Json[] = [];
  let current: Json[] = [];
  let bytes = 0;
  for (const item of inputs) {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out.map((items): Json => (batchInput === undefined ? { Items: items } : { BatchInput: batchInput, Items: items }));
}
