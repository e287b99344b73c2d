// The handwritten order workflow plus the bookkeeping Stepwise does for every execution: the same
// 181 history events (recorded with Stepwise's own HistoryRecorder, kinds built once), AWS's
// payload-size check on the input and on every state output (with Stepwise's estimate, sizes of
// merged outputs derived from their parts rather than walked), and the payload isolation AWS's
// serialization implies (issue #13): the caller's input copied once, each task function given a
// copy of its input, its result copied, and the caller given a copy of the output at the end (with
// Stepwise's own walks, which also measure what they copy). No interpreter: this is what any
// engine that keeps the history, the limits and the isolation has to spend at the least, so it
// bounds how close to the plain handwritten code such an engine can get. (Before the isolation
// was required, this bound passed payloads by reference; README, Performance, gives both.)
import { compileResultPath } from '../lib/asl/data/paths';
import { payloadSize, sizeBound } from '../lib/asl/data/size';
import { EventKind, HistoryRecorder } from '../lib/asl/history';
import { copiedSizeBound, CopySite, copyPlainJson, copyPlainJsonMeasured, NOT_PLAIN, ownCopy } from '../lib/asl/scheduler';
import type { Json } from '../lib/asl';
import { TASKS } from './tasks';

const LIMIT = 256 * 1024;
type Obj = Record<string, Json>;

const kind = (type: string, name: string, key?: string) => new EventKind(type, { name }, key);
const taskKinds = (name: string) => ({
  entered: kind('TaskStateEntered', name, 'input'),
  scheduled: new EventKind('LambdaFunctionScheduled', { resource: name, input: undefined }, 'input'),
  started: new EventKind('LambdaFunctionStarted'),
  succeeded: new EventKind('LambdaFunctionSucceeded', { output: undefined }, 'output'),
  exited: kind('TaskStateExited', name, 'output'),
  // Where the Task's events and results are copied, as Stepwise keeps one pair per Task state.
  copies: { event: new CopySite(), result: new CopySite() },
});
const K = {
  started: new EventKind('ExecutionStarted', { input: undefined }, 'input'),
  validate: taskKinds('Validate'),
  credit: taskKinds('Credit'),
  inventory: taskKinds('Inventory'),
  pay: taskKinds('Pay'),
  reserve: taskKinds('ReserveItem'),
  ship: taskKinds('Ship'),
  normalizeIn: kind('PassStateEntered', 'Normalize', 'input'),
  normalizeOut: kind('PassStateExited', 'Normalize', 'output'),
  routeIn: kind('ChoiceStateEntered', 'Route', 'input'),
  routeOut: kind('ChoiceStateExited', 'Route', 'output'),
  checksIn: kind('ParallelStateEntered', 'Checks', 'input'),
  checksStarted: new EventKind('ParallelStateStarted'),
  checksSucceeded: new EventKind('ParallelStateSucceeded'),
  checksOut: kind('ParallelStateExited', 'Checks', 'output'),
  reserveIn: kind('MapStateEntered', 'Reserve', 'input'),
  reserveStarted: new EventKind('MapStateStarted', { length: undefined }, 'length'),
  iterationStarted: new EventKind('MapIterationStarted', { name: 'Reserve', index: undefined }, 'index'),
  iterationSucceeded: new EventKind('MapIterationSucceeded', { name: 'Reserve', index: undefined }, 'index'),
  reserveSucceeded: new EventKind('MapStateSucceeded'),
  reserveOut: kind('MapStateExited', 'Reserve', 'output'),
  doneIn: kind('SucceedStateEntered', 'Done', 'input'),
  doneOut: kind('SucceedStateExited', 'Done', 'output'),
  succeeded: new EventKind('ExecutionSucceeded', { output: undefined }, 'output'),
};

// Where the execution's input and output are copied, as Stepwise keeps one pair per machine.
const EXECUTION = { input: new CopySite(), output: new CopySite() };

/** The benchmark's payloads are plain JSON data: a copy is never refused. */
function plain(v: Json | typeof NOT_PLAIN): Json {
  if (v === NOT_PLAIN) throw new Error('bookkeeping: a payload is not plain JSON data');
  return v;
}

/** Throws, as the interpreter fails the state, when a payload is over the limit; returns its size. */
function checked(size: number): number {
  if (size > LIMIT) throw new Error('States.DataLimitExceeded');
  return size;
}

/** One execution's log and clock, as the interpreter keeps them. */
class Log {
  readonly events = new HistoryRecorder();
  readonly time = Date.now();
  add(k: EventKind, prev: number, value?: Json): number {
    return this.events.add(k, this.time, prev, value);
  }
}

// A Lambda Task on its own line of events: entered, scheduled, started, succeeded, exited (inside
// MapIterationStarted/Succeeded when it is Map iteration `index`). Chained with `then` rather than
// an async function: the cheapest way to continue after the call.
function task(
  log: Log,
  k: ReturnType<typeof taskKinds>,
  fn: string,
  input: Json,
  prev: number,
  index?: number,
): Promise<{ value: Json; size: number; last: number }> {
  if (index !== undefined) prev = log.add(K.iterationStarted, prev, index);
  prev = log.add(k.entered, prev, input);
  prev = log.add(k.scheduled, prev, input);
  prev = log.add(k.started, prev);
  return (TASKS[fn] as (i: Json) => Promise<Json>)(plain(copyPlainJson(input, k.copies.event))).then((returned) => {
    const value = plain(copyPlainJsonMeasured(returned, k.copies.result));
    const p = log.add(k.succeeded, prev, value);
    const size = checked(payloadSize(value, LIMIT, copiedSizeBound()));
    const exited = log.add(k.exited, p, value);
    return { value, size, last: index === undefined ? exited : log.add(K.iterationSucceeded, exited, index) };
  });
}

// ResultPath `$.key` on an object: the input's size plus the result's and what the key adds, as the
// interpreter bounds it (the path's `growth`).
const growth = (key: string) => compileResultPath(`$.${key}`).growth as number;
const GROWTH = { checks: growth('checks'), payment: growth('payment'), reservations: growth('reservations'), shipment: growth('shipment') };
const merged = (inputSize: number, key: keyof typeof GROWTH, resultSize: number) => checked(inputSize + GROWTH[key] + resultSize);

/** The same data flow as orderHandwritten, with Stepwise's history and payload checks. */
export async function orderWithBookkeeping(callerInput: Json): Promise<Json> {
  const input = plain(copyPlainJsonMeasured(callerInput, EXECUTION.input));
  const inputBound = copiedSizeBound();
  const log = new Log();
  let last = log.add(K.started, 0, input);
  checked(payloadSize(input, LIMIT, inputBound));
  const v = await task(log, K.validate, 'validate', input, last);
  const validated = v.value as Obj;
  last = log.add(K.normalizeIn, v.last, validated);
  const state: Obj = { order: validated, id: validated.id as Json };
  let size = checked(2 + 'order'.length * 3 + 4 + v.size + 'id'.length * 3 + 4 + sizeBound(state.id as Json));
  last = log.add(K.normalizeOut, last, state);
  last = log.add(K.routeIn, last, state);
  if (((state.order as Obj).total as number) > 100000) throw new Error('Rejected');
  last = log.add(K.routeOut, last, state);
  last = log.add(K.checksIn, last, state);
  last = log.add(K.checksStarted, last);
  const [credit, inventory] = await Promise.all([task(log, K.credit, 'credit', state, last), task(log, K.inventory, 'inventory', state, last)]);
  state.checks = [credit.value, inventory.value];
  last = log.add(K.checksSucceeded, Math.max(credit.last, inventory.last));
  size = merged(size, 'checks', 2 + credit.size + 1 + inventory.size + 1);
  last = log.add(K.checksOut, last, state);
  let pay: Awaited<ReturnType<typeof task>>;
  try {
    pay = await task(log, K.pay, 'pay', { id: state.id as Json }, last);
  } catch {
    throw new Error('Rejected');
  }
  state.payment = pay.value;
  size = merged(size, 'payment', pay.size);
  last = log.add(K.reserveIn, pay.last, state);
  const items = (state.order as Record<string, Json[]>).items as Json[];
  last = log.add(K.reserveStarted, last, items.length);
  const from = last;
  const reserved = await Promise.all(items.map((item, i) => task(log, K.reserve, 'reserve', item, from, i)));
  state.reservations = reserved.map((r) => r.value);
  let resultsSize = 2;
  for (const r of reserved) resultsSize += r.size + 1;
  last = log.add(K.reserveSucceeded, last);
  size = merged(size, 'reservations', resultsSize);
  last = log.add(K.reserveOut, last, state);
  const ship = await task(log, K.ship, 'ship', state, last);
  state.shipment = ship.value;
  merged(size, 'shipment', ship.size);
  last = log.add(K.doneIn, ship.last, state);
  last = log.add(K.doneOut, last, state);
  // The caller gets a copy of the output, as from Stepwise.
  const output = ownCopy(state, EXECUTION.output, 'execution output');
  log.add(K.succeeded, last, state);
  // Stepwise records 41 events around the Map and 7 for each of its iterations (181 for 20 items).
  const expected = 41 + 7 * items.length;
  if (log.events.size !== expected) throw new Error(`bookkeeping recorded ${log.events.size} events, Stepwise ${expected}`);
  return output;
}
