// Property: over random definitions with Parallel, Map, Retry and Catch, an execution always ends
// with a final status, records nothing after its terminal event, ends every thread, and the same
// seed gives the same history.
import fc from 'fast-check';
import { compile, startExecution, VirtualClock, type Json, type LambdaHandler, type MachineDefinition, type StateDefinition } from '../../lib/asl';
import { threadsRunning } from '../../lib/asl/execution';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const TERMINAL = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/** What a Task does on an attempt: succeed, fail with E1 (retried) or E2, now or after some microtasks. */
type Behaviour = { outcome: 'ok' | 'E1' | 'E2'; ticks: number };

type Step =
  | { kind: 'pass' }
  | { kind: 'task'; b: Behaviour[]; retry: boolean; catchAll: boolean }
  | { kind: 'parallel'; branches: Step[][]; catchAll: boolean }
  | { kind: 'map'; items: number; concurrency: number; tolerated: number | undefined; body: Step[]; catchAll: boolean };

const behaviour = fc.record({ outcome: fc.constantFrom<'ok' | 'E1' | 'E2'>('ok', 'ok', 'E1', 'E2'), ticks: fc.integer({ min: 0, max: 3 }) });
const { steps } = fc.letrec<{ steps: Step[]; step: Step }>((tie) => ({
  steps: fc.array(tie('step'), { minLength: 1, maxLength: 3 }),
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<Step>({ kind: 'pass' }),
    fc.record({ kind: fc.constant('task' as const), b: fc.array(behaviour, { minLength: 1, maxLength: 3 }), retry: fc.boolean(), catchAll: fc.boolean() }),
    fc.record({
      kind: fc.constant('parallel' as const),
      branches: fc.array(tie('steps') as fc.Arbitrary<Step[]>, { minLength: 1, maxLength: 3 }),
      catchAll: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant('map' as const),
      items: fc.integer({ min: 0, max: 4 }),
      concurrency: fc.integer({ min: 0, max: 2 }),
      tolerated: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      body: tie('steps') as fc.Arbitrary<Step[]>,
      catchAll: fc.boolean(),
    }),
  ),
}));

/** Builds a machine from steps; each Task's behaviours are looked up by its name. */
function build(list: Step[], prefix: string, behaviours: Map<string, Behaviour[]>): MachineDefinition {
  const states: Record<string, StateDefinition> = {};
  list.forEach((s, i) => {
    const name = `${prefix}${i}`;
    const next = i === list.length - 1 ? { End: true } : { Next: `${prefix}${i + 1}` };
    const recover = `${name}_caught`;
    const catcher = (on: boolean) => (on ? { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: recover }] } : {});
    if (s.kind === 'pass') states[name] = { Type: 'Pass', ...next };
    else if (s.kind === 'task') {
      behaviours.set(name, s.b);
      states[name] = {
        Type: 'Task',
        Resource: FN,
        Parameters: { state: name, 'item.$': '$.item' },
        ResultPath: '$.r',
        ...(s.retry ? { Retry: [{ ErrorEquals: ['E1'], MaxAttempts: 2, IntervalSeconds: 1 }] } : {}),
        ...catcher(s.catchAll),
        ...next,
      } as StateDefinition;
    } else if (s.kind === 'parallel') {
      states[name] = {
        Type: 'Parallel',
        Branches: s.branches.map((b, j) => build(b, `${name}b${j}_`, behaviours)),
        ResultPath: '$.p',
        ...catcher(s.catchAll),
        ...next,
      } as StateDefinition;
    } else {
      states[name] = {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'item.$': '$$.Map.Item.Value', 'items.$': '$.items' },
        MaxConcurrency: s.concurrency,
        ...(s.tolerated !== undefined ? { ToleratedFailureCount: s.tolerated } : {}),
        ItemProcessor: build(s.body, `${name}m_`, behaviours),
        ResultPath: '$.m',
        ...catcher(s.catchAll),
        ...next,
      } as StateDefinition;
    }
    if (s.kind !== 'pass' && s.catchAll) states[recover] = { Type: 'Pass', ...next };
  });
  return { StartAt: `${prefix}0`, States: states };
}

async function runOnce(def: MachineDefinition, behaviours: Map<string, Behaviour[]>, items: number) {
  const lambda: LambdaHandler = async (_fn, payload, request) => {
    const p = payload as { state: string; item?: number };
    const list = behaviours.get(p.state) as Behaviour[];
    const b = list[(request.retryCount + (p.item ?? 0)) % list.length] as Behaviour;
    for (let i = 0; i < b.ticks; i++) await Promise.resolve();
    // The cause carries the error's stack (as the Node.js runtime's trace). Its async frames are V8's,
    // not the interpreter's: whether `processTicksAndRejections` shows depends on the process (it
    // differs between two runs in a Jest worker), so the error gets a fixed stack for the replay check.
    if (b.outcome !== 'ok') throw Object.assign(new Error(b.outcome), { name: b.outcome, stack: `${b.outcome}: ${b.outcome}\n    at lambda (${p.state})` });
    return { ok: p.state };
  };
  const heard: string[] = [];
  const exec = startExecution(
    compile(def),
    { items: Array.from({ length: items }, (_, i) => i) },
    { seed: 42, clock: new VirtualClock(0), lambda, onEvent: (e) => heard.push(e.type) },
  );
  const r = await exec.result;
  // Late results of abandoned tasks would arrive within these turns.
  for (let i = 0; i < 5; i++) await new Promise((res) => setImmediate(res));
  return { r, heard, running: threadsRunning(exec) };
}

describe('scheduler properties', () => {
  it('ends every execution once, with every thread ended, and repeats itself for a seed', async () => {
    await fc.assert(
      fc.asyncProperty(steps, fc.integer({ min: 0, max: 4 }), async (list, items) => {
        const behaviours = new Map<string, Behaviour[]>();
        const def = build(list, 'S', behaviours);
        const a = await runOnce(def, behaviours, items);
        expect(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']).toContain(a.r.status);
        const types = a.r.history.map((e) => e.type);
        expect(types.filter((t) => TERMINAL.has(t))).toHaveLength(1);
        expect(TERMINAL.has(types.at(-1) as string)).toBe(true);
        expect(a.heard).toEqual(types);
        expect(a.running).toBe(0);
        expect(a.r.history.map((e) => e.id)).toEqual(a.r.history.map((_, i) => i + 1));
        const b = await runOnce(def, behaviours, items);
        expect(b.r.history).toEqual(a.r.history);
        expect(b.r.output as Json).toEqual(a.r.output as Json);
      }),
      { numRuns: 150, seed: 1313 },
    );
  });
});
