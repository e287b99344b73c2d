import { compile, execute, startExecution, VirtualClock, type MachineDefinition } from '../../lib/asl';
import { run } from '../helpers/asl';

const waitThenPass = (seconds: number, extra: Partial<MachineDefinition> = {}): MachineDefinition => ({
  StartAt: 'W',
  States: { W: { Type: 'Wait', Seconds: seconds, Next: 'P' }, P: { Type: 'Pass', End: true } },
  ...extra,
});

describe('execution', () => {
  it('ends TIMED_OUT when the machine runs past its TimeoutSeconds', async () => {
    const r = await run(waitThenPass(120, { TimeoutSeconds: 60 }));
    expect(r.status).toBe('TIMED_OUT');
    expect(r.error).toBe('States.Timeout');
    expect(r.history.at(-1)?.type).toBe('ExecutionTimedOut');
  });

  it('enforces the five-minute limit of Express executions', async () => {
    expect((await execute(compile(waitThenPass(301), { type: 'EXPRESS' }), {})).status).toBe('TIMED_OUT');
    expect((await execute(compile(waitThenPass(299), { type: 'EXPRESS' }), {})).status).toBe('SUCCEEDED');
  });

  it('ends ABORTED when stopped while a callback task waits', async () => {
    const machine = compile({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    let token = '';
    const exec = startExecution(
      machine,
      {},
      {
        lambda: () => null,
        onTaskToken: (t) =>
          setImmediate(() => {
            token = t;
            exec.stop('Cancelled', 'by test');
          }),
      },
    );
    const r = await exec.result;
    expect(r).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by test' });
    // The stopped task's callback is refused.
    expect(() => exec.sendTaskSuccess(token, {})).toThrow(/No task is waiting/);
  });

  it('fails a callback task whose heartbeat stops, in virtual time', async () => {
    const clock = new VirtualClock(0);
    const machine = compile({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'f' },
          HeartbeatSeconds: 10,
          TimeoutSeconds: 100,
          End: true,
        },
      },
    });
    const exec = startExecution(
      machine,
      {},
      {
        clock,
        lambda: () => null,
        onTaskToken: (token) =>
          setImmediate(() => {
            clock.advance(9_000);
            exec.sendTaskHeartbeat(token);
            clock.advance(9_000);
            exec.sendTaskHeartbeat(token);
            clock.advance(11_000);
          }),
      },
    );
    const r = await exec.result;
    expect(r.error).toBe('States.HeartbeatTimeout');
    expect(clock.now()).toBe(29_000);
  });

  it('fails with States.DataLimitExceeded for an input over 256 KiB', async () => {
    const r = await run(waitThenPass(0), { big: 'x'.repeat(300 * 1024) });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.DataLimitExceeded');
  });

  it('counts control characters as JSON escapes them (6 bytes each) against the 256 KiB limit', async () => {
    // 50,000 characters: 150 KB by a 3-bytes-a-character estimate, 300,002 bytes as JSON.
    const escaped = '\u0001'.repeat(50_000);
    const state: MachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$.v' }, End: true } } };
    const input = await run(waitThenPass(0), { v: escaped });
    expect(input.error).toBe('States.DataLimitExceeded');
    const output = await run({ StartAt: 'P', States: { P: { Type: 'Pass', Result: escaped, End: true } } }, {});
    expect(output.error).toBe('States.DataLimitExceeded');
    expect(output.cause).toContain("'P'");
    // The same length of plain text is well within the limit.
    expect((await run(state, { v: 'a'.repeat(50_000) })).status).toBe('SUCCEEDED');
  });

  it('produces identical histories for the same seed and clock', async () => {
    const def: MachineDefinition = {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'id.$': 'States.UUID()', 'n.$': 'States.MathRandom(0, 1000000)' }, End: true } },
    };
    const a = await execute(compile(def), {}, { seed: 3, clock: new VirtualClock(0) });
    const b = await execute(compile(def), {}, { seed: 3, clock: new VirtualClock(0) });
    const c = await execute(compile(def), {}, { seed: 4, clock: new VirtualClock(0) });
    expect(b.history).toEqual(a.history);
    expect(b.executionArn).toBe(a.executionArn);
    expect(c.output).not.toEqual(a.output);
  });

  it('links events with previousEventId and ids in order', async () => {
    const r = await run(waitThenPass(1));
    r.history.forEach((e, i) => {
      expect(e.id).toBe(i + 1);
      expect(e.previousEventId).toBe(i);
    });
  });

  it('retries a failing task on a clock whose back-off sleeps asynchronously', async () => {
    const slept: number[] = [];
    const clock = new VirtualClock(0);
    // Like RealClock (sleep returns a promise), but without real waiting.
    const asyncClock = {
      now: () => clock.now(),
      setTimer: clock.setTimer.bind(clock),
      sleep: (ms: number) => {
        slept.push(ms);
        clock.advance(ms);
        return Promise.resolve();
      },
    };
    const calls: number[] = [];
    const machine = compile({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:flaky',
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 }],
          Next: 'P',
        },
        P: { Type: 'Pass', End: true },
      },
    });
    const lambda = async (_fn: string, _payload: unknown, request: { retryCount: number }) => {
      calls.push(request.retryCount);
      if (calls.length < 3) throw Object.assign(new Error('not yet'), { name: 'Flaky' });
      return { ok: true };
    };
    const r = await execute(machine, {}, { clock: asyncClock, lambda });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ ok: true });
    expect(calls).toEqual([0, 1, 2]);
    expect(slept).toEqual([1000, 2000]);
    expect(r.history.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(2);
    expect(r.statesEntered).toEqual(['T', 'P']);
    const exited = r.history.find((e) => e.type === 'TaskStateExited');
    expect(exited?.timestamp.getTime()).toBe(3000);
  });

  it('stamps each event with the time it happened', async () => {
    const r = await execute(compile(waitThenPass(30)), {}, { clock: new VirtualClock(1_000) });
    const at = (type: string) => r.history.find((e) => e.type === type)?.timestamp.getTime();
    expect(at('ExecutionStarted')).toBe(1_000);
    expect(at('WaitStateEntered')).toBe(1_000);
    expect(at('WaitStateExited')).toBe(31_000);
    expect(at('ExecutionSucceeded')).toBe(31_000);
  });

  it('fails the state whose ResultPath merge takes the output over 256 KiB, and not before', async () => {
    const chunk = 'y'.repeat(40 * 1024);
    const def: MachineDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Result: chunk, ResultPath: '$.a', Next: 'B' },
        B: { Type: 'Pass', Result: chunk, ResultPath: '$.b', End: true },
      },
    };
    const r = await run(def, { big: 'x'.repeat(200 * 1024) });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.DataLimitExceeded');
    expect(r.cause).toContain("'B'");
    expect(r.statesEntered).toEqual(['A', 'B']);
  });

  it('lets a long chain of merges into the same key run when the payload stays small', async () => {
    const states: MachineDefinition['States'] = {};
    for (let i = 0; i < 300; i++)
      states[`S${i}`] = { Type: 'Pass', Result: 'z'.repeat(1024), ResultPath: '$.slot', ...(i === 299 ? { End: true } : { Next: `S${i + 1}` }) };
    const r = await execute(compile({ StartAt: 'S0', States: states }, { type: 'EXPRESS' }), { keep: 'x'.repeat(100 * 1024) });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as { slot: string }).slot).toHaveLength(1024);
  });

  it('ends ABORTED when stopped while Map iterations wait, and records no Map success', async () => {
    const machine = compile({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'T',
            States: {
              T: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });
    const tokens: string[] = [];
    const exec = startExecution(machine, [1, 2, 3], {
      lambda: () => null,
      onTaskToken: (token) => {
        tokens.push(token);
        if (tokens.length === 3) setImmediate(() => exec.stop('Cancelled'));
      },
    });
    const r = await exec.result;
    expect(r.status).toBe('ABORTED');
    expect(tokens).toHaveLength(3);
    expect(r.history.map((e) => e.type)).not.toContain('MapStateSucceeded');
    expect(r.history.filter((e) => e.type === 'MapIterationStarted')).toHaveLength(3);
  });

  it('checks the size of a Map result that the iterations build together', async () => {
    const machine = (kb: number): MachineDefinition => ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'Grow', States: { Grow: { Type: 'Pass', Result: 'q'.repeat(kb * 1024), End: true } } },
          ResultPath: '$.grown',
          End: true,
        },
      },
    });
    const over = await run(machine(100), { items: [1, 2, 3] });
    expect(over.status).toBe('FAILED');
    expect(over.error).toBe('States.DataLimitExceeded');
    expect(over.cause).toContain("'M'");
    const under = await run(machine(50), { items: [1, 2, 3] });
    expect(under.status).toBe('SUCCEEDED');
  });

  it('keeps long histories whole: ids, links, payloads and entered states across hundreds of events', async () => {
    const states: MachineDefinition['States'] = {};
    for (let i = 0; i < 150; i++) states[`P${i}`] = { Type: 'Pass', Result: i, ResultPath: '$.last', ...(i === 149 ? { End: true } : { Next: `P${i + 1}` }) };
    const r = await execute(compile({ StartAt: 'P0', States: states }), { start: true }, { clock: new VirtualClock(0) });
    expect(r.history).toHaveLength(2 + 150 * 2);
    r.history.forEach((e, i) => {
      expect(e.id).toBe(i + 1);
      expect(e.previousEventId).toBe(i);
    });
    expect(r.statesEntered).toEqual(Array.from({ length: 150 }, (_, i) => `P${i}`));
    const exited = r.history.filter((e) => e.type === 'PassStateExited');
    expect(exited.map((e) => JSON.parse((e.stateExitedEventDetails as { output: string }).output).last)).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  it('reports every event of the history to onEvent as it is recorded, execution events included', async () => {
    const seen: { type: string; details?: unknown }[] = [];
    const machine = compile({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: 1 }, Next: 'F' }, F: { Type: 'Fail', Error: 'Nope' } } });
    const r = await execute(machine, { a: 1 }, { onEvent: (e) => seen.push(e) });
    expect(seen.map((e) => e.type)).toEqual(r.history.map((e) => e.type));
    expect(seen[0]).toMatchObject({ type: 'ExecutionStarted', details: { input: { a: 1 } } });
    expect(seen.at(-1)).toMatchObject({ type: 'ExecutionFailed', details: { error: 'Nope' } });
  });

  describe('with history: false', () => {
    const order: MachineDefinition = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:check', ResultPath: '$.check', Next: 'Each' },
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, $)' }, End: true } } },
          ResultPath: '$.doubled',
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };
    const lambda = async (_fn: string, p: unknown) => ({ ok: true, saw: p as never });

    it('ends the same way, with states entered but no events', async () => {
      const machine = compile(order);
      const kept = await execute(machine, { items: [1, 2] }, { seed: 3, lambda });
      const lean = await execute(machine, { items: [1, 2] }, { seed: 3, lambda, history: false });
      expect(lean.status).toBe('SUCCEEDED');
      expect(lean.output).toEqual(kept.output);
      expect(lean.output).toMatchObject({ doubled: [{ v: 2 }, { v: 4 }] });
      expect(lean.history).toEqual([]);
      expect(lean.statesEntered).toEqual(kept.statesEntered);
      expect(lean.statesEntered).toEqual(['Check', 'Each', 'Double', 'Double', 'Done']);
    });

    it('still reports every event to onEvent, with its details', async () => {
      const seen: { type: string; details?: unknown }[] = [];
      const r = await execute(compile(order), { items: [5] }, { lambda, history: false, onEvent: (e) => seen.push(e) });
      expect(r.history).toEqual([]);
      expect(seen.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'PassStateEntered',
        'PassStateExited',
        'MapIterationSucceeded',
        'MapStateSucceeded',
        'MapStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ]);
      expect(seen[5]?.details).toEqual({ name: 'Check', output: { items: [5], check: { ok: true, saw: { items: [5] } } } });
    });

    it('still fails a Standard execution at the history event limit', async () => {
      const machine = compile({
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Next: 'B' },
          B: { Type: 'Wait', Seconds: 1, Next: 'C' },
          C: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'A' },
          Done: { Type: 'Succeed' },
        },
      });
      const r = await execute(machine, {}, { history: false });
      expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(r.cause).toContain('25000');
      expect(r.statesEntered.length).toBeGreaterThan(10_000);
    });

    it('fails payloads over the limit as with history', async () => {
      const r = await execute(compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), { big: 'x'.repeat(300 * 1024) }, { history: false });
      expect(r).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    });
  });
});
