// Map: runs its ItemProcessor once per item, in item order, with MaxConcurrency, tolerated
// failures and ItemBatcher. Distributed mode runs the same way locally when its items are inline.
import { ExecutionStop, StatesError, StatesErrors } from '../errors';
import { EventKind } from '../history';
import type { StateRunner, StateScope, StepResult } from '../runtime';
import type { Json, JsonObject } from '../types';
import { dataFlow, isPromise, numberOrExpression, quoteValue, then, type Maybe, type StateCompiler } from './common';

type Outcome = { ok: true; value: Json } | { ok: false; error: StatesError };

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
    let failures = 0;
    const exceeded = () => (count !== undefined && failures > count) || (pct !== undefined && (failures / work.length) * 100 > pct) || (!tolerant && failures > 0);

    // Shared by every iteration (no closure per item).
    const settle = (i: number, o: Outcome): Outcome => {
      if (!o.ok) failures += 1;
      if (!distributed) scope.recordEvent(o.ok ? iterationSucceeded : iterationFailed, i);
      return o;
    };
    const settleLater = async (i: number, pending: Promise<Json>): Promise<Outcome> => {
      let value: Json;
      try {
        value = await pending;
      } catch (e) {
        return settle(i, { ok: false, error: asStatesError(e) });
      }
      return settle(i, { ok: true, value });
    };
    const runOne = (i: number): Outcome | Promise<Outcome> => {
      if (!distributed) scope.recordEvent(iterationStarted, i);
      let r: Json | Promise<Json>;
      try {
        r = scope.runtime.runMachine(processor, work[i] as Json, scope, distributed);
      } catch (e) {
        return settle(i, { ok: false, error: asStatesError(e) });
      }
      return isPromise(r) ? settleLater(i, r) : settle(i, { ok: true, value: r });
    };

    const finish = (outcomes: Outcome[]) => {
      const firstFailure = outcomes.find((o): o is { ok: false; error: StatesError } => !o.ok);
      if (firstFailure && (exceeded() || firstFailure.error.error === StatesErrors.Runtime)) {
        if (distributed) scope.record('MapRunFailed');
        if (firstFailure.error.error !== StatesErrors.Runtime) scope.failWith('MapStateFailed');
        if (tolerant && firstFailure.error.error !== StatesErrors.Runtime) {
          throw new StatesError(StatesErrors.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded');
        }
        throw firstFailure.error;
      }
      if (distributed) scope.record('MapRunSucceeded');
      scope.record('MapStateSucceeded');
      const results = outcomes.map((o) => (o.ok ? o.value : errorOutput(o.error)));
      return flow.finish(input, results, scope, next);
    };

    if (concurrency === 0 || concurrency >= work.length) {
      // Unbounded: start every iteration now (synchronous ones finish on the spot), then wait for all.
      const started: (Outcome | Promise<Outcome>)[] = new Array(work.length);
      let pending = false;
      for (let i = 0; i < work.length; i++) {
        const o = runOne(i);
        started[i] = o;
        if (o instanceof Promise) pending = true;
        else if (exceeded()) return finish(started.slice(0, i + 1) as Outcome[]);
      }
      return pending ? Promise.all(started).then(finish) : finish(started as Outcome[]);
    }
    // Bounded: run synchronously while iterations are synchronous; switch to a pool on the first promise.
    const outcomes: Outcome[] = new Array(work.length);
    for (let i = 0; i < work.length; i++) {
      if (exceeded()) return finish(outcomes.slice(0, i));
      const o = runOne(i);
      if (isPromise(o)) {
        return runPool(work.length, i, o, outcomes, runOne, concurrency, exceeded).then(finish);
      }
      outcomes[i] = o;
    }
    return finish(outcomes);
  }
}

function asStatesError(e: unknown): StatesError {
  if (e instanceof ExecutionStop) throw e;
  return e instanceof StatesError ? e : new StatesError(StatesErrors.Runtime, e instanceof Error ? e.message : String(e));
}

function errorOutput(e: StatesError): JsonObject {
  const out: JsonObject = {};
  if (e.error !== undefined) out.Error = e.error;
  if (e.cause !== undefined) out.Cause = e.cause;
  return out;
}

async function runPool(
  total: number,
  first: number,
  pending: Promise<Outcome>,
  outcomes: Outcome[],
  runOne: (i: number) => Outcome | Promise<Outcome>,
  concurrency: number,
  stop: () => boolean,
): Promise<Outcome[]> {
  let nextIndex = first + 1;
  const limit = concurrency > 0 ? concurrency : total;
  const worker = async (start: number | undefined, startPromise?: Promise<Outcome>): Promise<void> => {
    if (start !== undefined && startPromise) outcomes[start] = await startPromise;
    while (nextIndex < total && !stop()) {
      const i = nextIndex++;
      const o = runOne(i);
      outcomes[i] = isPromise(o) ? await o : o;
    }
  };
  const workers = [worker(first, pending)];
  for (let w = 1; w < limit && w < total - first; w++) workers.push(worker(undefined));
  await Promise.all(workers);
  return outcomes.slice(0, nextIndex).filter((o) => o !== undefined);
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
