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
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f', 'Payload.$': '$$.Task.Token' }, End: true } },
    });
    const exec = startExecution(machine, {}, { lambda: () => null, onTaskToken: () => setImmediate(() => exec.stop('Cancelled', 'by test')) });
    const r = await exec.result;
    expect(r).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by test' });
    expect(exec.status).toBe('ABORTED');
    expect(exec.pendingTaskTokens()).toEqual([]);
  });

  it('fails a callback task whose heartbeat stops, in virtual time', async () => {
    const clock = new VirtualClock(0);
    const machine = compile({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f' }, HeartbeatSeconds: 10, TimeoutSeconds: 100, End: true } },
    });
    const exec = startExecution(machine, {}, {
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
    });
    const r = await exec.result;
    expect(r.error).toBe('States.HeartbeatTimeout');
    expect(clock.now()).toBe(29_000);
  });

  it('fails with States.DataLimitExceeded for an input over 256 KiB', async () => {
    const r = await run(waitThenPass(0), { big: 'x'.repeat(300 * 1024) });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.DataLimitExceeded');
  });

  it('produces identical histories for the same seed and clock', async () => {
    const def: MachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'id.$': 'States.UUID()', 'n.$': 'States.MathRandom(0, 1000000)' }, End: true } } };
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
});
