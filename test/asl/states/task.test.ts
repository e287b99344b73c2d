import { compile, startExecution, StatesError, VirtualClock, type Json, type LambdaHandler } from '../../../lib/asl';
import { eventTypes, run, single } from '../../helpers/asl';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const FN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:pay';

describe('Task', () => {
  it('wraps a lambda:invoke result in the AWS envelope, with Payload as returned', async () => {
    const lambda: LambdaHandler = (fn, payload) => ({ fn, got: payload });
    const r = await run(single({ Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'pay', 'Payload.$': '$' } }), { a: 1 }, { lambda });
    expect(r.output).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { fn: 'pay', got: { a: 1 } } });
    expect((r.output as { SdkResponseMetadata: { RequestId: string } }).SdkResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(eventTypes(r)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(r.history[2]).toMatchObject({ taskScheduledEventDetails: { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1' } });
  });

  it('returns the bare payload for a function ARN resource, with LambdaFunction events', async () => {
    const r = await run(single({ Type: 'Task', Resource: FN_ARN }), { a: 1 }, { lambda: (_fn, p) => [p, null] });
    expect(r.output).toEqual([{ a: 1 }, null]);
    expect(eventTypes(r)).toContain('LambdaFunctionSucceeded');
  });

  it('applies ResultSelector then ResultPath then OutputPath', async () => {
    const r = await run(
      single({
        Type: 'Task',
        Resource: INVOKE,
        Parameters: { FunctionName: 'f' },
        ResultSelector: { 'p.$': '$.Payload.v' },
        ResultPath: '$.res',
        OutputPath: '$.res',
      }),
      { keep: 1 },
      { lambda: () => ({ v: 3 }) },
    );
    expect(r.output).toEqual({ p: 3 });
  });

  it("turns a thrown Error into the function's errorType and a JSON cause", async () => {
    const err = new Error('card declined');
    err.name = 'PaymentDeclinedError';
    const r = await run(single({ Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' } }), {}, { lambda: () => Promise.reject(err) });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('PaymentDeclinedError');
    expect(JSON.parse(r.cause as string)).toMatchObject({ errorType: 'PaymentDeclinedError', errorMessage: 'card declined' });
    expect(eventTypes(r)).toContain('TaskFailed');
  });

  it('fails with States.Runtime naming the option when no invoker is given', async () => {
    const r = await run(single({ Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' } }));
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain('lambda');
  });

  it('routes other resources to the tasks handler', async () => {
    const r = await run(
      single({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q' } }),
      {},
      {
        tasks: (req) => ({ resource: req.resource, params: req.parameters }),
      },
    );
    expect(r.output).toEqual({ resource: 'arn:aws:states:::sqs:sendMessage', params: { QueueUrl: 'q' } });
  });

  it('times out a task that runs past TimeoutSeconds', async () => {
    // The call's real time bounds it, whatever the virtual clock says: Jest's fake timers stand in for
    // that second (promises and setImmediate stay real, so the execution runs as it would).
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
    try {
      let done = false;
      const pending = run(single({ Type: 'Task', Resource: FN_ARN, TimeoutSeconds: 1 }), {}, { lambda: () => new Promise<Json>(() => undefined) }).finally(
        () => (done = true),
      );
      await jest.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      const r = await pending;
      expect(r.error).toBe('States.Timeout');
    } finally {
      jest.useRealTimers();
    }
  }, 5000);

  describe('.waitForTaskToken', () => {
    const def = single({
      Type: 'Task',
      Resource: `${INVOKE}.waitForTaskToken`,
      Parameters: { FunctionName: 'approve', Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 3600,
    });

    it('pauses until SendTaskSuccess and outputs what was sent', async () => {
      const seen: Json[] = [];
      let issued: (token: string) => void = () => undefined;
      const waiting = new Promise<string>((resolve) => (issued = resolve));
      const exec = startExecution(
        compile(def),
        {},
        {
          lambda: (_f, p) => {
            seen.push(p);
            return null;
          },
          onTaskToken: (t) => issued(t),
        },
      );
      const token = await waiting;
      expect(seen).toEqual([{ token }]);
      exec.sendTaskSuccess(token, { approved: true });
      const r = await exec.result;
      expect(r.output).toEqual({ approved: true });
      expect(r.history.map((e) => e.type)).toContain('TaskSubmitted');
    });

    it('fails with the error sent by SendTaskFailure', async () => {
      const exec = startExecution(compile(def), {}, { lambda: () => null, onTaskToken: (t) => setImmediate(() => exec.sendTaskFailure(t, 'Rejected', 'no')) });
      expect(await exec.result).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no' });
    });

    it('times out in virtual time when the clock passes TimeoutSeconds', async () => {
      const clock = new VirtualClock();
      const exec = startExecution(compile(def), {}, { clock, lambda: () => null, onTaskToken: () => setImmediate(() => clock.advance(3600_000)) });
      expect(await exec.result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    });

    it('refuses an unknown token', () => {
      const exec = startExecution(compile(def), {}, { lambda: () => null });
      expect(() => exec.sendTaskSuccess('nope', {})).toThrow(/No task is waiting/);
      exec.stop();
    });
  });
});

describe('Retry and Catch', () => {
  const flaky = (failures: number, name = 'Transient') => {
    let calls = 0;
    const lambda: LambdaHandler = () => {
      calls += 1;
      if (calls <= failures) throw new StatesError(name, `attempt ${calls}`);
      return { calls };
    };
    return { lambda, calls: () => calls };
  };

  it('retries with exponential back-off in virtual time', async () => {
    const clock = new VirtualClock(0);
    const f = flaky(2);
    const r = await run(
      single({ Type: 'Task', Resource: FN_ARN, Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }] }),
      {},
      { clock, lambda: f.lambda },
    );
    expect(r.output).toEqual({ calls: 3 });
    expect(clock.now()).toBe(2000 + 6000);
  });

  it('caps back-off with MaxDelaySeconds and applies FULL jitter below the cap', async () => {
    const clock = new VirtualClock(0);
    await run(
      single({
        Type: 'Task',
        Resource: FN_ARN,
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 3, MaxDelaySeconds: 15, JitterStrategy: 'FULL' }],
      }),
      {},
      { clock, lambda: flaky(3).lambda },
    );
    expect(clock.now()).toBeGreaterThan(0);
    expect(clock.now()).toBeLessThanOrEqual(10_000 + 15_000 + 15_000);
  });

  it('gives up after MaxAttempts and fails with the last error', async () => {
    const f = flaky(10);
    const r = await run(single({ Type: 'Task', Resource: FN_ARN, Retry: [{ ErrorEquals: ['Transient'], MaxAttempts: 2 }] }), {}, { lambda: f.lambda });
    expect(r).toMatchObject({ status: 'FAILED', error: 'Transient', cause: 'attempt 3' });
    expect(f.calls()).toBe(3);
  });

  it('never retries with MaxAttempts 0', async () => {
    const f = flaky(1);
    await run(single({ Type: 'Task', Resource: FN_ARN, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }] }), {}, { lambda: f.lambda });
    expect(f.calls()).toBe(1);
  });

  it('exposes the retry count as $$.State.RetryCount', async () => {
    const f = flaky(1);
    const r = await run(
      single({ Type: 'Task', Resource: FN_ARN, Parameters: { 'n.$': '$$.State.RetryCount' }, Retry: [{ ErrorEquals: ['States.ALL'] }] }),
      {},
      {
        lambda: (fn, p, req) => (req.retryCount === 0 ? f.lambda(fn, p, req) : p),
      },
    );
    expect(r.output).toEqual({ n: 1 });
  });

  it('catches into a fallback state with the error under ResultPath', async () => {
    const r = await run(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: FN_ARN, Catch: [{ ErrorEquals: ['Declined'], ResultPath: '$.error', Next: 'Handle' }], End: true },
          Handle: { Type: 'Pass', End: true },
        },
      },
      { order: 1 },
      { lambda: flaky(1, 'Declined').lambda },
    );
    expect(r.output).toEqual({ order: 1, error: { Error: 'Declined', Cause: 'attempt 1' } });
    expect(r.statesEntered).toEqual(['T', 'Handle']);
  });

  it('does not let States.ALL catch States.Runtime', async () => {
    const r = await run({
      StartAt: 'T',
      States: { T: { Type: 'Pass', InputPath: '$.missing', End: true } },
    });
    expect(r.error).toBe('States.Runtime');
    const caught = await run(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: FN_ARN, InputPath: '$.missing', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true },
          H: { Type: 'Succeed' },
        },
      },
      {},
      { lambda: () => 1 },
    );
    expect(caught.status).toBe('FAILED');
    expect(caught.error).toBe('States.Runtime');
  });

  it('matches States.TaskFailed for task errors', async () => {
    const r = await run(
      {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: FN_ARN, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'H' }], End: true }, H: { Type: 'Succeed' } },
      },
      {},
      { lambda: flaky(1, 'Boom').lambda },
    );
    expect(r.status).toBe('SUCCEEDED');
  });
});
