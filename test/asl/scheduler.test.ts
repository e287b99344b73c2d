// The scheduler's guarantees: a failure stops its siblings, nothing is recorded after the
// execution's end, limits hold while threads wait, and setup errors abort the run.
import { compile, execute, RealClock, SetupError, startExecution, VirtualClock, type Json, type LambdaHandler, type MachineDefinition } from '../../lib/asl';
import { eventTypes } from '../helpers/asl';

const FN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const later = <T>(ms: number, v: T): Promise<T> => new Promise((r) => setTimeout(() => r(v), ms));
const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

describe('ending', () => {
  it('stops the other branches of a Parallel when one fails: no call, no event after ExecutionFailed', async () => {
    const calls: string[] = [];
    const lambda: LambdaHandler = async (fn) => {
      calls.push(fn);
      if (fn.endsWith(':bad')) throw Object.assign(new Error('boom'), { name: 'Boom' });
      return later(5, { ok: true });
    };
    const steps = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`A${i}`, { Type: 'Task', Resource: FN('slow'), ...(i === 4 ? { End: true } : { Next: `A${i + 1}` }) }]),
    );
    const machine = compile({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'A0', States: steps },
            { StartAt: 'B', States: { B: { Type: 'Task', Resource: FN('bad'), End: true } } },
          ],
        },
      },
    } as MachineDefinition);
    const heard: string[] = [];
    const r = await execute(machine, {}, { lambda, onEvent: (e) => heard.push(e.type) });
    await later(60, null);
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Boom');
    expect(eventTypes(r).at(-1)).toBe('ExecutionFailed');
    expect(heard.at(-1)).toBe('ExecutionFailed');
    expect(heard).toHaveLength(r.history.length);
    // Branch A's first task was in flight: it is abandoned, and nothing after it runs.
    expect(calls.filter((c) => c.endsWith(':slow'))).toHaveLength(1);
    expect(eventTypes(r)).toContain('TaskStateAborted');
    expect(eventTypes(r).indexOf('TaskStateAborted')).toBeLessThan(eventTypes(r).indexOf('ParallelStateFailed'));
  });

  it('stops the other iterations of a Map when one fails and refuses their callbacks', async () => {
    const tokens: string[] = [];
    const machine = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            StartAt: 'Route',
            States: {
              Route: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Fail' }], Default: 'Wait' },
              Wait: { Type: 'Task', Resource: CALLBACK, Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } }, End: true },
              Fail: { Type: 'Task', Resource: FN('bad'), End: true },
            },
          },
        },
      },
    });
    const lambda: LambdaHandler = (fn) =>
      fn.endsWith(':bad') ? later(10, null).then(() => Promise.reject(Object.assign(new Error('no'), { name: 'Bad' }))) : null;
    const exec = startExecution(machine, [0, 1, 2, 3], { lambda, onTaskToken: (t) => tokens.push(t) });
    const r = await exec.result;
    expect(r).toMatchObject({ status: 'FAILED', error: 'Bad' });
    expect(tokens).toHaveLength(3);
    for (const t of tokens) expect(() => exec.sendTaskSuccess(t, {})).toThrow(/No task is waiting/);
    const types = eventTypes(r);
    expect(types.filter((t) => t === 'MapIterationAborted')).toHaveLength(3);
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(4);
    expect(types.slice(-2)).toEqual(['MapStateFailed', 'ExecutionFailed']);
  });

  it('records nothing after the terminal event when the execution times out while tasks run', async () => {
    const clock = new VirtualClock(0);
    const heard: string[] = [];
    const machine = compile({
      StartAt: 'P',
      TimeoutSeconds: 5,
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } },
            { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('slow'), End: true } } },
          ],
        },
      },
    });
    const r = await execute(machine, {}, { clock, lambda: () => later(20, { late: true }), onEvent: (e) => heard.push(e.type) });
    await later(40, null);
    expect(r.status).toBe('TIMED_OUT');
    expect(heard.at(-1)).toBe('ExecutionTimedOut');
    expect(r.stopDate.getTime()).toBe(5000);
  });
});

describe('limits', () => {
  it('times out on TimeoutSeconds during a final Wait', async () => {
    const r = await execute(
      compile({ StartAt: 'W', TimeoutSeconds: 10, States: { W: { Type: 'Wait', Seconds: 20, End: true } } }),
      {},
      { clock: new VirtualClock(0) },
    );
    expect(r).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(r.stopDate.getTime()).toBe(10_000);
  });

  it('times out an Express Wait of 600 s at 5 minutes and a Standard Wait of 2 years at 1 year', async () => {
    const wait = (s: number): MachineDefinition => ({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: s, End: true } } });
    const express = await execute(compile(wait(600), { type: 'EXPRESS' }), {}, { clock: new VirtualClock(0) });
    expect(express).toMatchObject({ status: 'TIMED_OUT' });
    expect(express.stopDate.getTime()).toBe(300_000);
    const standard = await execute(compile(wait(2 * 365 * 86400)), {}, { clock: new VirtualClock(0) });
    expect(standard).toMatchObject({ status: 'TIMED_OUT' });
    expect(standard.stopDate.getTime()).toBe(365 * 86400 * 1000);
  });

  it('ends a Task retried with MaxAttempts 99999999 by the limits, without exhausting memory', async () => {
    const def = (type: 'EXPRESS' | 'STANDARD') =>
      compile(
        {
          StartAt: 'T',
          States: { T: { Type: 'Task', Resource: FN('f'), Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 99999999, BackoffRate: 1 }], End: true } },
        },
        { type },
      );
    // One Error, thrown again and again: its stack is formatted once, not on each of the ~8,300 attempts.
    const always = new Error('always');
    const lambda = () => {
      throw always;
    };
    expect(await execute(def('EXPRESS'), {}, { lambda })).toMatchObject({ status: 'TIMED_OUT' });
    const standard = await execute(def('STANDARD'), {}, { lambda });
    expect(standard).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(standard.history).toHaveLength(25_000);
  });

  it('ends an Express Pass/Choice loop that takes no virtual time', async () => {
    const machine = compile(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Next: 'B' },
          B: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'A' },
          Done: { Type: 'Succeed' },
        },
      },
      { type: 'EXPRESS' },
    );
    const r = await execute(machine, {}, { history: false });
    expect(r).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('never lets a Standard history exceed 25,000 events', async () => {
    // A loop with a way out that is never taken (a machine that can only loop is refused at compile).
    const machine = compile({
      StartAt: 'A',
      States: { A: { Type: 'Choice', Choices: [{ Variable: '$.done', IsPresent: true, Next: 'End' }], Default: 'A' }, End: { Type: 'Succeed' } },
    });
    const r = await execute(machine, {});
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.history).toHaveLength(25_000);
    expect(r.history.at(-1)?.type).toBe('ExecutionFailed');
  });

  it('times out a callback answered after the execution deadline', async () => {
    const clock = new VirtualClock(0);
    const machine = compile({
      StartAt: 'T',
      TimeoutSeconds: 60,
      States: { T: { Type: 'Task', Resource: CALLBACK, Parameters: { FunctionName: 'f' }, End: true } },
    });
    const exec = startExecution(
      machine,
      {},
      {
        clock,
        lambda: () => null,
        onTaskToken: (t) =>
          setImmediate(() => {
            clock.advance(3600_000);
            expect(() => exec.sendTaskSuccess(t, { late: true })).toThrow(/No task is waiting/);
          }),
      },
    );
    expect(await exec.result).toMatchObject({ status: 'TIMED_OUT' });
  });

  it('ends a callback nobody answers by its heartbeat, and one without timeouts by the execution limit', async () => {
    const task = (extra: object): MachineDefinition => ({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: CALLBACK, Parameters: { FunctionName: 'f' }, End: true, ...extra } },
    });
    const beat = await execute(compile(task({ HeartbeatSeconds: 30 })), {}, { clock: new VirtualClock(0, 5), lambda: () => null });
    expect(beat).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    const bare = await execute(compile(task({})), {}, { clock: new VirtualClock(0, 5), lambda: () => null });
    expect(bare).toMatchObject({ status: 'TIMED_OUT' });
    expect(bare.stopDate.getTime()).toBe(365 * 86400 * 1000);
  });

  it('times out a Task on the virtual clock when other threads move time past its TimeoutSeconds', async () => {
    const machine = compile({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), TimeoutSeconds: 30, End: true } } },
            { StartAt: 'W', States: { W: { Type: 'Task', Resource: FN('g'), Next: 'Sleep' }, Sleep: { Type: 'Wait', Seconds: 60, End: true } } },
          ],
        },
      },
    });
    const lambda: LambdaHandler = (fn) => (fn.endsWith(':f') ? later(30, 1) : later(1, 2));
    expect(await execute(machine, {}, { lambda })).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it("times out a Wait on the real clock at the execution deadline, not at the Wait's end", async () => {
    // Jest's fake timers stand in for the RealClock's setTimeout and Date.now (promises and
    // setImmediate stay real): the second of TimeoutSeconds passes without being waited for.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
    try {
      let done = false;
      const pending = execute(
        compile({ StartAt: 'W', TimeoutSeconds: 1, States: { W: { Type: 'Wait', Seconds: 2 * 365 * 86400, End: true } } }),
        {},
        { clock: new RealClock() },
      ).finally(() => (done = true));
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await pending).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps Task TimeoutSeconds beyond 32-bit timers on the real clock', async () => {
    const machine = compile({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), TimeoutSeconds: 2_147_484, End: true } } });
    const r = await execute(machine, {}, { clock: new RealClock(), lambda: () => later(20, { ok: true }) });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
  });

  it('gives each Distributed Map child its own limits', async () => {
    const machine = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Loop',
            States: {
              Loop: { Type: 'Wait', Seconds: 100, Next: 'Again' },
              Again: { Type: 'Choice', Choices: [{ Variable: '$.done', IsPresent: true, Next: 'Out' }], Default: 'Loop' },
              Out: { Type: 'Succeed' },
            },
          },
        },
      },
    });
    const r = await execute(machine, [1], { clock: new VirtualClock(0) });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(r.stopDate.getTime()).toBe(300_000);
  });
});

describe('SetupError', () => {
  const machine = compile({
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: FN('f'), Retry: [{ ErrorEquals: ['States.ALL'] }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
      Caught: { Type: 'Pass', End: true },
    },
  });

  it.each([
    [
      'thrown',
      () => {
        throw new SetupError('no code for f');
      },
    ],
    ['rejected', () => Promise.reject(new SetupError('no code for f'))],
  ])('aborts the run when a handler has %s it: no Retry or Catch, the result rejects', async (_how, fn) => {
    let calls = 0;
    const lambda: LambdaHandler = () => {
      calls += 1;
      return (fn as () => Json | Promise<Json>)();
    };
    await expect(execute(machine, {}, { lambda })).rejects.toThrow(SetupError);
    const exec = startExecution(machine, {}, { lambda });
    await expect(exec.result).rejects.toThrow('no code for f');
    expect(calls).toBe(2);
  });
});

describe('payload isolation', () => {
  it('keeps handlers from changing the definition, the history, the caller input or later executions', async () => {
    const machine = compile({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: FN('f'), Parameters: { fixed: { n: 1 }, 'order.$': '$' }, ResultPath: '$.r', Next: 'P' },
        P: { Type: 'Pass', Result: { constant: { v: 1 } }, ResultPath: '$.p', End: true },
      },
    });
    const lambda: LambdaHandler = (_f, p) => {
      // The event is the handler's own copy: it may change it.
      const e = p as { fixed: { n: number }; order: { id: string } };
      e.fixed.n += 1;
      e.order.id = 'changed';
      return { seen: e.fixed.n };
    };
    const input = { id: 'o-1' };
    const first = await execute(machine, input, { lambda });
    expect(input).toEqual({ id: 'o-1' });
    // The handler changed its own copy of the event (as on AWS, where it receives JSON text): it sees
    // its change, and nothing else does.
    expect(first.output).toEqual({ id: 'o-1', r: { seen: 2 }, p: { constant: { v: 1 } } });
    // The output is the caller's own copy, as DescribeExecution's JSON text gives one: changing it
    // changes neither the history (rendered after the change here) nor the Pass state's Result.
    (first.output as { p: { constant: { v: number } } }).p.constant.v = 2;
    const succeeded = first.history.at(-1) as unknown as { executionSucceededEventDetails: { output: string } };
    expect(JSON.parse(succeeded.executionSucceededEventDetails.output)).toEqual({ id: 'o-1', r: { seen: 2 }, p: { constant: { v: 1 } } });
    const second = await execute(machine, input, { lambda });
    expect(second.output).toEqual({ id: 'o-1', r: { seen: 2 }, p: { constant: { v: 1 } } });
    expect(JSON.parse((second.history[2]!.lambdaFunctionScheduledEventDetails as { input: string }).input)).toEqual({ fixed: { n: 1 }, order: { id: 'o-1' } });
  });

  it('keeps a changed output from reaching the constants of Parameters, ResultSelector and ItemSelector', async () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Parameters: { fixed: { n: 1 }, list: [{ n: 1 }], 'id.$': '$.id' }, ResultPath: '$.p', Next: 'T' },
        T: { Type: 'Task', Resource: FN('f'), ResultSelector: { fixed: { n: 1 }, 'r.$': '$' }, ResultPath: '$.t', Next: 'M' },
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { fixed: { n: 1 }, 'v.$': '$$.Map.Item.Value' },
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          ResultPath: '$.m',
          End: true,
        },
      },
    } as MachineDefinition;
    const machine = compile(definition);
    const first = await execute(machine, { id: 'a', items: [1] }, { lambda: () => 'ok' });
    const out = first.output as { p: { fixed: { n: number }; list: { n: number }[] }; t: { fixed: { n: number } }; m: { fixed: { n: number } }[] };
    out.p.fixed.n = 2;
    out.p.list[0]!.n = 2;
    out.t.fixed.n = 2;
    out.m[0]!.fixed.n = 2;
    const second = await execute(machine, { id: 'a', items: [1] }, { lambda: () => 'ok' });
    expect(second.output).toEqual({
      id: 'a',
      items: [1],
      p: { fixed: { n: 1 }, list: [{ n: 1 }], id: 'a' },
      t: { fixed: { n: 1 }, r: 'ok' },
      m: [{ fixed: { n: 1 }, v: 1 }],
    });
    // The caller's definition object stays the caller's: compiled constants are copies.
    expect(Object.isFrozen((definition.States.P as { Parameters: { fixed: object } }).Parameters.fixed)).toBe(false);
  });

  it('gives a mock, a task handler and a handler request the parameters frozen or copied, never the execution data', async () => {
    const machine = compile({
      StartAt: 'M',
      States: {
        M: { Type: 'Task', Resource: FN('mocked'), Parameters: { 'order.$': '$' }, ResultPath: '$.m', Next: 'L' },
        L: { Type: 'Task', Resource: FN('real'), Parameters: { 'order.$': '$' }, ResultPath: '$.l', Next: 'S' },
        S: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { 'order.$': '$' }, ResultPath: '$.s', End: true },
      },
    });
    const attempts: string[] = [];
    const tryChange = (who: string, p: Json) => {
      try {
        (p as { order: { id: string } }).order.id = `${who} changed`;
        attempts.push(`${who} changed it`);
      } catch {
        attempts.push(`${who} refused`);
      }
    };
    const input = { id: 'o-1' };
    const r = await execute(machine, input, {
      mock: (req) => {
        if (req.stateName !== 'M') return undefined;
        tryChange('mock', req.parameters);
        return { output: 'mocked' };
      },
      lambda: (_f, event, req) => {
        // The event is the handler's own; so is the request's copy of it.
        expect(req.parameters).toBe(event);
        tryChange('handler', req.parameters);
        return 'ran';
      },
      tasks: (req) => {
        tryChange('task', req.parameters);
        return 'sent';
      },
    });
    expect(attempts).toEqual(['mock refused', 'handler changed it', 'task refused']);
    expect(r.output).toEqual({ id: 'o-1', m: 'mocked', l: 'ran', s: 'sent' });
    // Without a mock (which has every request frozen first), the handler and the task handler alone.
    attempts.length = 0;
    const alone = await execute(
      compile({ StartAt: 'L', States: { L: machine.definition.States.L, S: machine.definition.States.S } } as MachineDefinition),
      input,
      {
        lambda: (_f, event) => {
          tryChange('handler', event);
          return 'ran';
        },
        tasks: (req) => {
          tryChange('task', req.parameters);
          return 'sent';
        },
      },
    );
    expect(attempts).toEqual(['handler changed it', 'task refused']);
    expect(alone.output).toEqual({ id: 'o-1', l: 'ran', s: 'sent' });
    const scheduled = r.history.filter((e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled');
    for (const e of scheduled) expect(JSON.stringify(e)).not.toContain('changed');
    // The caller's input is the caller's: copied, neither changed nor frozen.
    expect(input).toEqual({ id: 'o-1' });
    expect(Object.isFrozen(input)).toBe(false);
  });

  it('takes the input as it was when the execution was started, as StartExecution serializes it', async () => {
    const machine = compile({ StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } });
    const input = { id: 'o-1', items: [{ sku: 'a' }] };
    // The execution starts on a later microtask: what the caller changes in between is not its input.
    const run = startExecution(machine, input);
    input.id = 'changed';
    (input.items[0] as { sku: string }).sku = 'changed';
    const r = await run.result;
    expect(r.output).toEqual({ id: 'o-1', items: [{ sku: 'a' }] });
    expect(r.history[0]?.executionStartedEventDetails).toMatchObject({ input: '{"id":"o-1","items":[{"sku":"a"}]}' });
    // Input JSON text refuses (too deep here) still fails the execution when it starts, not the call.
    let deep: Json = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const refused = await execute(machine, deep);
    expect(refused.status).toBe('FAILED');
    expect(refused.error).toBe('States.Runtime');
  });

  it('does not let a call given up on (Task timeout) pass its measured size to a later Task', async () => {
    let resolveA: (v: Json) => void = () => undefined;
    let resolveB: (v: Json) => void = () => undefined;
    const machine = compile({
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: FN('slow'), TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'B', ResultPath: null }], Next: 'B' },
        B: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { x: 1 }, ResultPath: '$.b', End: true },
      },
    });
    let bStarted = false;
    // A Task timeout on a call in flight runs on real time (RealClock's setTimeout): Jest's fake
    // timers let its second pass without being waited for.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
    try {
      const result = execute(
        machine,
        {},
        {
          clock: new RealClock(),
          lambda: () => new Promise<Json>((r) => (resolveA = r)),
          tasks: () => {
            bStarted = true;
            return new Promise<Json>((r) => (resolveB = r));
          },
        },
      );
      await jest.advanceTimersByTimeAsync(999);
      expect(bStarted).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(bStarted).toBe(true);
      // A's abandoned call settles while B waits; then B's result, over the 256 KiB limit.
      resolveA({ small: 1 });
      await jest.advanceTimersByTimeAsync(10);
      const big = { text: 'x'.repeat(300_000) };
      resolveB(big);
      const r = await result;
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('States.DataLimitExceeded');
      // B's result was measured as what B returned (a copy: the handler's object stays its own).
      expect(Object.isFrozen(big)).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives what JSON text gives for values beyond plain data: a Date in the input or a mock output', async () => {
    const machine = compile({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: FN('f'), ResultPath: '$.r', End: true } },
    });
    const when = new Date(Date.UTC(2026, 0, 2));
    const r = await execute(machine, { at: when, gone: undefined } as unknown as Json, { mock: () => ({ output: { at: when } as unknown as Json }) });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ at: '2026-01-02T00:00:00.000Z', r: { at: '2026-01-02T00:00:00.000Z' } });
    expect(JSON.parse((r.history[0]!.executionStartedEventDetails as { input: string }).input)).toEqual({ at: '2026-01-02T00:00:00.000Z' });
  });

  it('keeps what a mock or a callback gave from reaching the history when the caller changes it later', async () => {
    const once = compile({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), End: true } } });
    const first = await execute(once, {}, { lambda: () => ({ a: 1 }) });
    // A mock returns an earlier result (frozen, with an output of the caller's own), and an object
    // frozen outside but not inside.
    const inner = { id: 1 };
    const second = await execute(once, {}, { mock: () => ({ output: first as unknown as Json }) });
    const third = await execute(once, {}, { mock: () => ({ output: Object.freeze({ order: inner }) }) });
    (first.output as { a: number }).a = 2;
    inner.id = 2;
    const outputOf = (r: typeof first) => JSON.parse((r.history.at(-1)!.executionSucceededEventDetails as { output: string }).output);
    expect(outputOf(second).output).toEqual({ a: 1 });
    expect((second.output as { output: unknown }).output).toEqual({ a: 1 });
    expect(outputOf(third)).toEqual({ order: { id: 1 } });
    expect(third.output).toEqual({ order: { id: 1 } });
    // A callback's output is taken when it is sent, as SendTaskSuccess serializes it.
    const waits = compile({
      StartAt: 'W',
      States: { W: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 't.$': '$$.Task.Token' }, End: true } },
    });
    const sent = { s: 'ok' };
    const run = startExecution(
      waits,
      {},
      {
        tasks: () => null,
        onTaskToken: (token) => {
          run.sendTaskSuccess(token, sent);
          sent.s = 'changed';
        },
      },
    );
    const r = await run.result;
    expect(r.output).toEqual({ s: 'ok' });
    expect(outputOf(r)).toEqual({ s: 'ok' });
  });

  it('refuses values JSON text cannot hold with a clear States.Runtime error, never a crash', async () => {
    const pass = compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const input = await execute(pass, { n: 10n } as unknown as Json);
    expect(input).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(input.cause).toMatch(/execution input cannot be serialized as JSON/);
    const task = compile({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), End: true } } });
    const mocked = await execute(task, {}, { mock: () => ({ output: { n: 10n } as unknown as Json }) });
    expect(mocked).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(mocked.cause).toMatch(/task result cannot be serialized as JSON/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const looped = await execute(task, {}, { mock: () => ({ output: cyclic as Json }) });
    expect(looped.cause).toMatch(/task result cannot be serialized as JSON: Converting circular structure/);
    for (const r of [input, mocked, looped]) expect(JSON.parse(JSON.stringify(r)).status).toBe('FAILED');
    // A callback's output that JSON text cannot hold is refused at the call; the task keeps waiting.
    const waits = compile({
      StartAt: 'W',
      States: { W: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 't.$': '$$.Task.Token' }, End: true } },
    });
    const run = startExecution(
      waits,
      {},
      {
        tasks: () => null,
        onTaskToken: (token) => {
          expect(() => run.sendTaskSuccess(token, { n: 1n } as unknown as Json)).toThrow(/cannot be serialized as JSON/);
          run.sendTaskSuccess(token, { n: 1 });
        },
      },
    );
    expect((await run.result).output).toEqual({ n: 1 });
  });

  it("copies a Map's BatchInput from the definition: changing the definition later changes no execution", async () => {
    const definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { tag: 'a' } },
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    } as unknown as MachineDefinition;
    const machine = compile(definition);
    const r = await execute(machine, [1, 2, 3]);
    const batcher = (definition.States.M as unknown as { ItemBatcher: { BatchInput: { tag: string } } }).ItemBatcher;
    batcher.BatchInput.tag = 'b';
    expect(JSON.parse((r.history.at(-1)!.executionSucceededEventDetails as { output: string }).output)).toEqual([
      { BatchInput: { tag: 'a' }, Items: [1, 2] },
      { BatchInput: { tag: 'a' }, Items: [3] },
    ]);
    expect((await execute(machine, [1])).output).toEqual([{ BatchInput: { tag: 'a' }, Items: [1] }]);
  });

  it('continues each waiting thread once, whatever the then of the promise a handler returns', async () => {
    // A Promise subclass whose then calls its handlers twice: each Map iteration must still go on
    // once, with its own result (the handler pairs waiting threads use are pooled).
    class Twice<T> extends Promise<T> {
      // biome-ignore lint/suspicious/noThenProperty: the point of the test, a thenable whose then misbehaves
      override then<A = T, B = never>(f?: ((v: T) => A | PromiseLike<A>) | null, r?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
        super.then(f, r);
        return super.then(f, r);
      }
    }
    const machine = compile({
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), End: true } } }, Next: 'After' },
        After: { Type: 'Task', Resource: FN('g'), ResultPath: '$[0].g', End: true },
      },
    });
    const lambda: LambdaHandler = (fn, event) => (fn.endsWith(':g') ? 'g' : Twice.resolve({ seen: event }));
    const r = await execute(machine, [1, 2, 3], { lambda });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual([{ seen: 1, g: 'g' }, { seen: 2 }, { seen: 3 }]);
    expect(r.history.filter((e) => e.type === 'LambdaFunctionSucceeded')).toHaveLength(4);
  });

  it('refuses a Lambda invoker response whose payload is not text, as a setup problem', async () => {
    const machine = compile({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), End: true } } });
    const lambdaInvoker = () => ({ payload: { not: 'text' } as unknown as string });
    await expect(execute(machine, {}, { lambdaInvoker })).rejects.toThrow(/Lambda invoker for the state 'T' returned a payload that is not a string/);
  });

  it('keeps a __proto__ key of a constant template as a key', async () => {
    const definition = JSON.parse('{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"__proto__":{"x":1},"y":2},"End":true}}}') as MachineDefinition;
    const r = await execute(compile(definition), {});
    expect(JSON.stringify(r.output)).toBe('{"__proto__":{"x":1},"y":2}');
  });

  it('gives the caller an output of its own: changing it does not change the history', async () => {
    const machine = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.xs',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } },
          End: true,
        },
      },
    });
    const r = await execute(machine, { xs: [1, 2] });
    const out = r.output as { v: number | string }[];
    expect(Object.isFrozen(out)).toBe(false);
    out.push({ v: 3 });
    (out[0] as { v: number | string }).v = 'changed';
    expect(r.output).toEqual([{ v: 'changed' }, { v: 2 }, { v: 3 }]);
    const last = r.history.at(-1) as unknown as { executionSucceededEventDetails: { output: string } };
    expect(JSON.parse(last.executionSucceededEventDetails.output)).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it('gives onEvent listeners frozen details, which cannot change the execution or later ones', async () => {
    const machine = compile({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Parameters: { 'id.$': '$.id', list: [] }, Next: 'T' },
        T: { Type: 'Task', Resource: FN('f'), End: true },
      },
    });
    const refused: string[] = [];
    const onEvent = (e: { type: string; details?: Record<string, unknown> }) => {
      const d = e.details;
      if (d === undefined) return;
      for (const change of [() => (d.name = 'renamed'), () => ((d.output as { id: string }).id = 'x'), () => (d.output as { list: number[] }).list.push(1)]) {
        try {
          change();
        } catch {
          refused.push(e.type);
        }
      }
    };
    const seen: Json[] = [];
    const lambda: LambdaHandler = (_f, p) => {
      seen.push(p);
      return 'ok';
    };
    const first = await execute(machine, { id: 'a' }, { onEvent, lambda });
    const second = await execute(machine, { id: 'a' }, { lambda });
    expect(seen).toEqual([
      { id: 'a', list: [] },
      { id: 'a', list: [] },
    ]);
    expect(first.history.map((e) => e.type)).toEqual(second.history.map((e) => e.type));
    expect(JSON.stringify(first.history.map((e) => ({ ...e, timestamp: 0 })))).toBe(JSON.stringify(second.history.map((e) => ({ ...e, timestamp: 0 }))));
    expect(refused).toContain('PassStateExited');
  });

  it('keeps a returned value the handler changes later out of the history and output', async () => {
    const kept: { v: number }[] = [];
    const machine = compile({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: FN('f'), Next: 'W' }, W: { Type: 'Task', Resource: FN('g'), ResultPath: null, End: true } },
    });
    const lambda: LambdaHandler = (fn) => {
      if (fn.endsWith(':f')) {
        const out = { v: 1 };
        kept.push(out);
        return out;
      }
      try {
        (kept[0] as { v: number }).v = 99;
      } catch {
        // frozen
      }
      return null;
    };
    const r = await execute(machine, {}, { lambda });
    expect(r.output).toEqual({ v: 1 });
  });
});

describe('deep input', () => {
  const nest = (depth: number): Json => {
    let v: Json = 1;
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };

  it('fails an input nested 10,000 deep cleanly with States.Runtime', async () => {
    const r = await execute(compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), nest(10_000));
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.cause).toMatch(/nested more than \d+ levels/);
    expect(r.cause).not.toMatch(/Internal error/);
  });

  it('fails a handler result nested 10,000 deep cleanly', async () => {
    const r = await execute(compile({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), End: true } } }), {}, { lambda: () => nest(10_000) });
    // The Node.js runtime cannot serialize it (JSON.stringify's stack): a function error, never a crash.
    expect(r.status).toBe('FAILED');
    expect(r.cause ?? '').not.toMatch(/Internal error/);
  });

  it('runs a payload nested 1,000 deep', async () => {
    const r = await execute(compile({ StartAt: 'P', States: { P: { Type: 'Pass', ResultPath: '$.copy', End: true } } }), nest(1_000));
    expect(r.status).toBe('SUCCEEDED');
  });
});

describe('the result', () => {
  it('is plain frozen data: history and statesEntered survive JSON.stringify and stay the same objects', async () => {
    const r = await execute(compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), { a: 1 });
    expect(r.history).toBe(r.history);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.history)).toBe(true);
    // The getters read through a Proxy of the result too (reactive stores wrap objects so).
    expect(new Proxy(r, {}).history).toBe(r.history);
    expect(Object.keys(r)).toEqual(['executionArn', 'name', 'status', 'startDate', 'stopDate', 'output', 'statesEntered', 'history']);
    const json = JSON.parse(JSON.stringify(r)) as { history: unknown[]; statesEntered: string[] };
    expect(json.history).toHaveLength(4);
    expect(json.statesEntered).toEqual(['P']);
  });

  it('gives null for a bare-ARN Lambda returning undefined', async () => {
    const r = await execute(
      compile({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), ResultPath: '$.r', End: true } } }),
      {},
      { lambda: () => undefined as unknown as Json },
    );
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { r: null } });
    const later2 = await execute(
      compile({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), ResultPath: '$.r', End: true } } }),
      {},
      { lambda: async () => undefined as unknown as Json },
    );
    expect(later2.output).toEqual({ r: null });
  });

  it('offers only the handle: no Runtime internals on the execution', () => {
    const exec = startExecution(compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), {});
    const shown = new Set<string>();
    for (let o: object | null = exec; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null)
      for (const k of Object.getOwnPropertyNames(o)) shown.add(k);
    shown.delete('constructor');
    expect([...shown].sort()).toEqual(['executionArn', 'name', 'onEvent', 'result', 'sendTaskFailure', 'sendTaskHeartbeat', 'sendTaskSuccess', 'stop']);
    return exec.result;
  });
});
