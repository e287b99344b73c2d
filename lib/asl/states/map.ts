// Map: runs its ItemProcessor once per item, in item order, with MaxConcurrency, tolerated
// failures and ItemBatcher. Distributed mode runs the same way locally when its items are inline.
import { ExecutionStop, StatesError, StatesErrors, errorOutput } from '../errors';
import { EventKind } from '../history';
import type { ThreadSink, StateRunner, StateScope, StepResult } from '../runtime';
import type { Json, JsonObject } from '../types';
import { dataFlow, numberOrExpression, quoteValue, then, type Maybe, type StateCompiler } from './common';

function readNumber(
  c: StateCompiler,
  field: 'MaxConcurrency' | 'ToleratedFailureCount' | 'ToleratedFailurePercentage',
  kind: 'integer' | 'float',
) {
  const fixed = numberOrExpression(c, field);
  const path = c.dynamic(`${field}Path`, false);
  return (raw: Json, effective: Json, scope: StateScope): Maybe<number | undefined> => {
    if (fixed) {
      return then(fixed(raw, scope), (v) => {
        if (v !== undefined && (typeof v !== 'number' || (kind === 'integer' && !Number.isInteger(v)))) {
          throw scope.evaluationError(`The ${field} field must be ${kind === 'integer' ? 'an integer' : 'a number'}, got ${quoteValue(v)}`);
        }
        return v as number | undefined;
      });
    }
    if (!path) return undefined;
    const v = path(effective, scope);
    if (typeof v !== 'number' || (kind === 'integer' && !Number.isInteger(v))) {
      throw scope.runtimeError(`The ${field}Path field refers to value "${quoteValue(v)}" which is not a valid ${kind}: ${c.def[`${field}Path`]}`);
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
  const next = c.next;
  // The MapIteration* events carry the state's name and the iteration's index.
  const iterationDetails = { name: c.name, index: undefined };
  const iterationStarted = new EventKind('MapIterationStarted', iterationDetails, 'index');
  const iterationSucceeded = new EventKind('MapIterationSucceeded', iterationDetails, 'index');
  const iterationFailed = new EventKind('MapIterationFailed', iterationDetails, 'index');

  const readItems = (input: Json, effective: Json, scope: StateScope): Maybe<Json[]> =>
    then(itemsExpr ? itemsExpr({ input }, scope) : itemsPath ? itemsPath(effective, scope) : effective, (items) => {
      if (!Array.isArray(items)) {
        throw (jsonata ? scope.evaluationError : scope.runtimeError).call(scope, `Map state input must be an array but was: ${JSON.stringify(items)}`);
      }
      return items;
    });

  const selectItems = (input: Json, effective: Json, items: Json[], scope: StateScope): Maybe<Json[]> => {
    if (selectorExpr) {
      const base = scope.context() as JsonObject;
      return (async () => {
        const out: Json[] = [];
        for (let i = 0; i < items.length; i++) {
          out.push(await selectorExpr({ input, context: { ...base, Map: { Item: { Index: i, Value: items[i] as Json } } } }, scope));
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
          if (concurrency < 0) throw scope.runtimeError('MaxConcurrency cannot be negative.');
          const work = batcher ? batch(inputs, batcher) : inputs;
          // AWS records MapStateStarted before it reads the tolerated-failure settings (conformance:
          // test_map_state_tolerated_failure_count_path_-1_), and MapRunStarted after them.
          scope.record('MapStateStarted', { length: work.length });
          return then(toleratedCount(input, effective, scope), (count) =>
            then(toleratedPercentage(input, effective, scope), (pct) => {
              if (count !== undefined && count < 0) throw scope.runtimeError('ToleratedFailureCount cannot be negative.');
              if (pct !== undefined && (pct < 0 || pct > 100)) throw scope.runtimeError('ToleratedFailurePercentage must be between 0 and 100.');
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
    const limit = concurrency > 0 ? concurrency : total;
    const values: Json[] = new Array<Json>(total);
    let errors: (StatesError | undefined)[] | undefined;
    let failures = 0;
    // The results' JSON size bound, summed from the iterations' own (see DataFlow.finish).
    let resultsSize = 2;
    let sizesKnown = true;
    const exceeded = () => (count !== undefined && failures > count) || (pct !== undefined && (failures / total) * 100 > pct) || (!tolerant && failures > 0);

    const finish = (): StepResult | Promise<StepResult> => {
      const firstFailure = errors?.find((e) => e !== undefined);
      if (firstFailure && (exceeded() || firstFailure.error === StatesErrors.Runtime)) {
        if (distributed) scope.record('MapRunFailed');
        if (firstFailure.error !== StatesErrors.Runtime) scope.failWith('MapStateFailed');
        if (tolerant && firstFailure.error !== StatesErrors.Runtime) {
          throw new StatesError(StatesErrors.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded');
        }
        throw firstFailure;
      }
      if (distributed) scope.record('MapRunSucceeded');
      scope.record('MapStateSucceeded');
      const results = launched === total ? values : values.slice(0, launched);
      if (errors) for (let i = 0; i < launched; i++) if (errors[i]) results[i] = errorOutput(errors[i] as StatesError);
      return flow.finish(input, results, scope, next, sizesKnown ? resultsSize : undefined);
    };

    // Iterations start while fewer than `limit` run and the failures are tolerated; each one that
    // ends (at once or later) reports to the sink, which starts the next. Once something waited,
    // the Map's own promise settles when the last running iteration ends.
    let launched = 0;
    let active = 0;
    let pumping = false;
    let closed = false;
    let resolveMap: ((r: StepResult | Promise<StepResult>) => void) | undefined;
    let rejectMap: ((e: unknown) => void) | undefined;
    const pump = (): void => {
      pumping = true;
      try {
        while (active < limit && launched < total && !exceeded()) {
          const i = launched++;
          active += 1;
          if (!distributed) scope.recordEvent(iterationStarted, i);
          scope.runtime.runThread(processor, work[i] as Json, scope, distributed, i, sink);
        }
      } finally {
        pumping = false;
      }
    };
    const ended = (): void => {
      active -= 1;
      if (pumping || !resolveMap || closed) return;
      try {
        pump();
        if (active === 0) {
          closed = true;
          resolveMap(finish());
        }
      } catch (e) {
        closed = true;
        (rejectMap as (e: unknown) => void)(e);
      }
    };
    // Before the Map waits, a problem is thrown to the state; after, it rejects the Map's promise.
    const abort = (e: unknown): void => {
      if (!resolveMap) throw e;
      if (!closed) (rejectMap as (e: unknown) => void)(e);
      closed = true;
    };
    const sink: ThreadSink = {
      settled(i, value, size) {
        try {
          values[i] = value;
          if (size === undefined) sizesKnown = false;
          else resultsSize += size + 1;
          if (!distributed) scope.recordEvent(iterationSucceeded, i);
        } catch (e) {
          return abort(e);
        }
        ended();
      },
      failed(i, e) {
        // Stopping the execution ends the Map at once, whatever still runs.
        if (e instanceof ExecutionStop) return abort(e);
        try {
          sizesKnown = false;
          (errors ??= [])[i] = e instanceof StatesError ? e : new StatesError(StatesErrors.Runtime, e instanceof Error ? e.message : String(e));
          failures += 1;
          if (!distributed) scope.recordEvent(iterationFailed, i);
        } catch (err) {
          return abort(err);
        }
        ended();
      },
    };
    pump();
    if (active === 0) return finish();
    return new Promise<StepResult>((resolve, reject) => {
      resolveMap = resolve;
      rejectMap = reject;
    });
  }
}

function batch(inputs: Json[], batcher: JsonObject): Json[] {
  const maxItems = typeof batcher.MaxItemsPerBatch === 'number' ? batcher.MaxItemsPerBatch : Infinity;
  const maxBytes = typeof batcher.MaxInputBytesPerBatch === 'number' ? batcher.MaxInputBytesPerBatch : 256 * 1024;
  const batchInput = batcher.BatchInput;
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
