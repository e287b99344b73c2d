// The benchmark workloads: one definition each, the same trivial task functions for every engine,
// and a handwritten plain-JS version of the same data flow (the practical limit).
import type { Json, MachineDefinition } from '../lib/asl';
import { TASKS } from './tasks';

export { TASKS, probe } from './tasks';

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** The order workflow shape: Task, Pass, Choice, Parallel of two Tasks, Map of 20 Tasks, Retry/Catch, Succeed. */
export const orderDefinition: MachineDefinition = {
  StartAt: 'Validate',
  States: {
    Validate: { Type: 'Task', Resource: fn('validate'), Next: 'Normalize' },
    Normalize: { Type: 'Pass', Parameters: { 'order.$': '$', 'id.$': '$.id' }, Next: 'Route' },
    Route: { Type: 'Choice', Choices: [{ Variable: '$.order.total', NumericGreaterThan: 100000, Next: 'Rejected' }], Default: 'Checks' },
    Checks: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Credit', States: { Credit: { Type: 'Task', Resource: fn('credit'), End: true } } },
        { StartAt: 'Inventory', States: { Inventory: { Type: 'Task', Resource: fn('inventory'), End: true } } },
      ],
      ResultPath: '$.checks',
      Next: 'Pay',
    },
    Pay: {
      Type: 'Task',
      Resource: fn('pay'),
      Parameters: { 'id.$': '$.id' },
      ResultPath: '$.payment',
      Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Rejected' }],
      Next: 'Reserve',
    },
    Reserve: {
      Type: 'Map',
      ItemsPath: '$.order.items',
      ItemProcessor: { StartAt: 'ReserveItem', States: { ReserveItem: { Type: 'Task', Resource: fn('reserve'), End: true } } },
      ResultPath: '$.reservations',
      Next: 'Ship',
    },
    Ship: { Type: 'Task', Resource: fn('ship'), ResultPath: '$.shipment', Next: 'Done' },
    Done: { Type: 'Succeed' },
    Rejected: { Type: 'Fail', Error: 'Rejected' },
  },
};

export const orderInput: Json = { id: 'o-1', total: 7200, items: Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${i}`, qty: 1 })) };

/** The same data flow as orderDefinition, written by hand. */
export async function orderHandwritten(input: Json): Promise<Json> {
  const validated = (await TASKS.validate!(input)) as Record<string, Json>;
  const state: Record<string, Json> = { order: validated, id: validated.id as Json };
  if (((state.order as Record<string, Json>).total as number) > 100000) throw new Error('Rejected');
  const checks = await Promise.all([TASKS.credit!(state), TASKS.inventory!(state)]);
  state.checks = checks;
  try {
    state.payment = await TASKS.pay!({ id: state.id as Json });
  } catch (_e) {
    throw new Error('Rejected');
  }
  const items = (state.order as Record<string, Json[]>).items as Json[];
  state.reservations = await Promise.all(items.map((it) => TASKS.reserve!(it)));
  state.shipment = await TASKS.ship!(state);
  return state;
}

/** 1,000 Pass states with Parameters and ResultPath. */
export const chainDefinition = {
  StartAt: 'S0',
  States: Object.fromEntries(
    Array.from({ length: 1000 }, (_, i) => [
      `S${i}`,
      { Type: 'Pass', Parameters: { 'n.$': '$.counter.n', step: i }, ResultPath: '$.counter', ...(i === 999 ? { End: true } : { Next: `S${i + 1}` }) },
    ]),
  ),
} as unknown as MachineDefinition;
export const chainInput: Json = { counter: { n: 0 }, payload: { name: 'bench', tags: ['a', 'b', 'c'] } };

export async function chainHandwritten(input: Json): Promise<Json> {
  let state = input as Record<string, Json>;
  for (let i = 0; i < 1000; i++) {
    const counter = state.counter as Record<string, Json>;
    state = { ...state, counter: { n: counter.n as Json, step: i } };
  }
  return state;
}

/** 50 Pass states using intrinsic functions. */
const INTRINSIC_PARAMS = [
  { 'greeting.$': "States.Format('Hello {}, you have {} items', $.name, $.count)" },
  { 'parsed.$': 'States.StringToJson($.json)' },
  { 'text.$': 'States.JsonToString($.obj)' },
  { 'list.$': 'States.Array($.name, $.count, 3)' },
  { 'sum.$': 'States.MathAdd($.count, 7)' },
  { 'len.$': 'States.ArrayLength($.arr)' },
  { 'id.$': 'States.UUID()' },
];
export const intrinsicsDefinition = {
  StartAt: 'I0',
  States: Object.fromEntries(
    Array.from({ length: 50 }, (_, i) => [
      `I${i}`,
      {
        Type: 'Pass',
        Parameters: INTRINSIC_PARAMS[i % INTRINSIC_PARAMS.length],
        ResultPath: `$.r${i % 7}`,
        ...(i === 49 ? { End: true } : { Next: `I${i + 1}` }),
      },
    ]),
  ),
} as unknown as MachineDefinition;
export const intrinsicsInput: Json = { name: 'Ada', count: 3, json: '{"a":[1,2,3],"b":{"c":true}}', obj: { x: 1, y: [true, null] }, arr: [1, 2, 3, 4, 5] };

export async function intrinsicsHandwritten(input: Json): Promise<Json> {
  let s = input as Record<string, Json>;
  for (let i = 0; i < 50; i++) {
    let r: Json;
    switch (i % 7) {
      case 0:
        r = { greeting: `Hello ${s.name}, you have ${s.count} items` };
        break;
      case 1:
        r = { parsed: JSON.parse(s.json as string) as Json };
        break;
      case 2:
        r = { text: JSON.stringify(s.obj) };
        break;
      case 3:
        r = { list: [s.name as Json, s.count as Json, 3] };
        break;
      case 4:
        r = { sum: Math.round(s.count as number) + 7 };
        break;
      case 5:
        r = { len: (s.arr as Json[]).length };
        break;
      default:
        r = { id: crypto.randomUUID() };
    }
    s = { ...s, [`r${i % 7}`]: r };
  }
  return s;
}

/** Map over 10,000 items with a Pass/Choice/Pass iterator. */
export const wideMapDefinition: MachineDefinition = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Tag',
        States: {
          Tag: { Type: 'Pass', Parameters: { 'v.$': '$.v' }, Next: 'Even' },
          Even: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericGreaterThan: 5000, Next: 'High' }], Default: 'Low' },
          High: { Type: 'Pass', Result: 'high', End: true },
          Low: { Type: 'Pass', Result: 'low', End: true },
        },
      },
      End: true,
    },
  },
};
export const wideMapInput: Json = { items: Array.from({ length: 10_000 }, (_, v) => ({ v })) };

export async function wideMapHandwritten(input: Json): Promise<Json> {
  return (input as { items: { v: number }[] }).items.map((item) => {
    const tagged = { v: item.v };
    return tagged.v > 5000 ? 'high' : 'low';
  });
}

export interface Workload {
  readonly name: 'order' | 'chain' | 'intrinsics' | 'wide map';
  readonly definition: MachineDefinition;
  readonly input: Json;
  /** State transitions in one execution (for transitions/s). */
  readonly transitions: number;
  readonly handwritten: (input: Json) => Promise<Json>;
}

/** Stepwise's load-test mode (`history: false`) on the order workload, measured besides the engines. */
export const HISTORY_OFF = 'order, history off';
/** The handwritten order workflow plus Stepwise's history and payload checks (bench/bookkeeping.ts). */
export const BOOKKEEPING = 'order, handwritten with bookkeeping';

export const WORKLOADS: Workload[] = [
  { name: 'order', definition: orderDefinition, input: orderInput, transitions: 1 + 1 + 1 + 1 + 2 + 1 + 1 + 20 + 1 + 1, handwritten: orderHandwritten },
  { name: 'chain', definition: chainDefinition, input: chainInput, transitions: 1000, handwritten: chainHandwritten },
  { name: 'intrinsics', definition: intrinsicsDefinition, input: intrinsicsInput, transitions: 50, handwritten: intrinsicsHandwritten },
  { name: 'wide map', definition: wideMapDefinition, input: wideMapInput, transitions: 1 + 10_000 * 3, handwritten: wideMapHandwritten },
];
