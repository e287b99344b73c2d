// What Step Functions makes of a Lambda Invoke response (lib/asl/states/lambda.ts): the facts the
// recorded task cases show (shared/conformance/task-cases/README.md), on a raw invoker.
import {
  compile,
  execute,
  LambdaServiceError,
  VirtualClock,
  type ExecuteOptions,
  type Json,
  type LambdaInvocation,
  type LambdaInvoker,
  type LambdaHandler,
  type StateDefinition,
} from '../../../lib/asl';
import { apiMessages, causes } from '../../../lib/asl/causes';
import { sizeBound } from '../../../lib/asl/data/size';
import { copiedSizeBound, copyPlainJsonMeasured, NOT_PLAIN } from '../../../lib/asl/scheduler';
import { single } from '../../helpers/asl';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const FN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:pay';

function task(fields: Partial<StateDefinition>, resource = INVOKE): StateDefinition {
  return {
    Type: 'Task',
    Resource: resource,
    ...(resource === INVOKE && !fields.Parameters ? { Parameters: { FunctionName: 'pay', 'Payload.$': '$' } } : {}),
    ...fields,
  } as StateDefinition;
}

async function run(state: StateDefinition, input: Json, options: ExecuteOptions) {
  return execute(compile(single(state)), input, { seed: 3, ...options });
}

/** A raw invoker that records what it was asked and answers with `reply`. */
function recording(reply: (inv: LambdaInvocation) => ReturnType<LambdaInvoker>) {
  const seen: LambdaInvocation[] = [];
  const lambdaInvoker: LambdaInvoker = (inv) => {
    seen.push(inv);
    return reply(inv);
  };
  return { seen, lambdaInvoker };
}

describe('Lambda responses, in-process handlers (the Node.js runtime wire format)', () => {
  const thrower = () => {
    const e = new Error('card declined');
    e.name = 'PaymentDeclinedError';
    throw e;
  };

  it('gives the cause as the runtime writes it after a function ARN: errorType, errorMessage and the whole stack as trace', async () => {
    const r = await run(task({}, FN_ARN), {}, { lambda: thrower });
    expect(r.error).toBe('PaymentDeclinedError');
    const cause = JSON.parse(r.cause as string) as { errorType: string; errorMessage: string; trace: string[] };
    expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(cause.trace[0]).toBe('PaymentDeclinedError: card declined');
    expect(cause.trace[1]).toMatch(/^ {4}at /);
  });

  it('ends a call the same way whether the handler returns or resolves, throws or rejects', async () => {
    // An async handler's promise is continued by the thread itself (runtime.ts PendingCall): every
    // outcome must match the synchronous one, Retry included.
    const outcomes: Record<string, () => unknown> = {
      thrown: thrower,
      tooLarge: () => ({ text: 'a'.repeat(257 * 1024) }),
      plain: () => ({ ok: [1, 'two'] }),
    };
    for (const [name, outcome] of Object.entries(outcomes)) {
      const results = [];
      for (const wrap of [(f: () => unknown) => f, (f: () => unknown) => async () => f()]) {
        let calls = 0;
        const lambda = wrap(() => {
          calls += 1;
          return outcome();
        }) as LambdaHandler;
        const state = task({ Retry: [{ ErrorEquals: ['PaymentDeclinedError'], MaxAttempts: 2, IntervalSeconds: 1 }] }, FN_ARN);
        const r = await run(state, {}, { lambda });
        const cause = r.cause?.replace(/\\n\s+at .*/g, '');
        results.push({ name, status: r.status, error: r.error, cause: cause?.slice(0, 120), output: r.output, calls, events: r.history.map((e) => e.type) });
      }
      expect(results[1]).toEqual(results[0]);
    }
  });

  it('sends the result as JSON.stringify text: undefined becomes null, Content-Length its byte length', async () => {
    const r = await run(task({}), {}, { lambda: () => ({ name: 'Zoë', skip: undefined }) as unknown as Json });
    const out = r.output as { Payload: Json; SdkHttpMetadata: { HttpHeaders: Record<string, string> } };
    expect(out.Payload).toEqual({ name: 'Zoë' });
    expect(out.SdkHttpMetadata.HttpHeaders['Content-Length']).toBe(String(Buffer.byteLength('{"name":"Zoë"}')));
    const nothing = await run(task({}, FN_ARN), {}, { lambda: () => undefined as unknown as Json });
    expect(nothing.output).toBeNull();
  });

  it('after a function ARN, gives the handler and the Task exactly what JSON text would, whatever the values', async () => {
    // Plain data takes a copying walk, anything else the wire format (scheduler.ts copyPlainJson): both must agree with JSON text.
    class Money {
      constructor(readonly amount: number) {}
    }
    const protoKey = {};
    Object.defineProperty(protoKey, '__proto__', { value: { own: true }, enumerable: true });
    const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
    // Each odd value alone in otherwise plain data, so that nothing else sends the whole result down the text path.
    const odd: unknown[] = [
      new Date(0),
      Number.NaN,
      -0,
      undefined,
      () => 1,
      [1, undefined],
      [1, undefined, 2],
      Number.POSITIVE_INFINITY,
      new Money(5),
      { toJSON: () => 'custom' },
      protoKey,
      nullProto,
      'plain',
      12.5,
      true,
      null,
    ];
    odd.push(JSON.parse(`${'['.repeat(100)}1${']'.repeat(100)}`) as Json);
    // Returned, and resolved (the thread continues the handler's own promise: runtime.ts PendingCall).
    for (const value of odd) {
      const result = { id: 'r', value, list: [{ value }] };
      for (const lambda of [() => result as unknown as Json, async () => result as unknown as Json]) {
        const r = await run(task({}, FN_ARN), {}, { lambda });
        expect({ value, status: r.status, output: JSON.stringify(r.output) }).toEqual({ value, status: 'SUCCEEDED', output: JSON.stringify(result) });
        expect(r.output).toEqual(JSON.parse(JSON.stringify(result)));
      }
    }

    const input = { a: { b: [1, 2] }, s: 'é' };
    const seen: Json[] = [];
    const mutating = async (_f: string, event: Json) => {
      seen.push(event);
      (event as { a: { b: number[] } }).a.b.push(3);
      const out = { kept: [1] };
      setTimeout(() => out.kept.push(2), 0);
      return out;
    };
    const r2 = await run(task({ ResultPath: '$.r' }, FN_ARN), input, { lambda: mutating });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen).toEqual([{ a: { b: [1, 2, 3] }, s: 'é' }]);
    expect(r2.output).toEqual({ a: { b: [1, 2] }, s: 'é', r: { kept: [1] } });
  });
});

describe('Lambda responses, raw invoker', () => {
  it('keeps an error payload verbatim as the cause after a function ARN, and re-serializes it compactly after lambda:invoke', async () => {
    const payload = '{"errorMessage": "boom", "errorType": "Exception", "stackTrace": []}';
    const bare = await run(task({}, FN_ARN), {}, { lambdaInvoker: () => ({ payload, functionError: 'Unhandled' }) });
    expect([bare.error, bare.cause]).toEqual(['Exception', payload]);
    const wrapped = await run(task({}), {}, { lambdaInvoker: () => ({ payload, functionError: 'Unhandled' }) });
    expect([wrapped.error, wrapped.cause]).toEqual(['Exception', '{"errorMessage":"boom","errorType":"Exception","stackTrace":[]}']);
  });

  it('names an error payload without errorType Lambda.Unknown', async () => {
    const r = await run(task({}), {}, { lambdaInvoker: () => ({ payload: 'crashed', functionError: 'Unhandled' }) });
    expect([r.error, r.cause]).toEqual(['Lambda.Unknown', 'crashed']);
  });

  it('returns a body that is not JSON as a string, in the envelope and bare', async () => {
    const reply = () => ({ payload: 'HelloWorld!' });
    expect((await run(task({}, FN_ARN), {}, { lambdaInvoker: reply })).output).toBe('HelloWorld!');
    const r = await run(task({}), {}, { lambdaInvoker: reply });
    expect(r.output).toMatchObject({
      Payload: 'HelloWorld!',
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      SdkHttpMetadata: { HttpStatusCode: 200, HttpHeaders: { 'Content-Length': '11' } },
    });
  });

  it('builds the envelope with SdkHttpMetadata, SdkResponseMetadata and the request id of the response', async () => {
    const r = await run(task({}), {}, { lambdaInvoker: () => ({ payload: '{"ok": true}', requestId: 'r-1' }) });
    const out = r.output as Record<string, Json>;
    expect(Object.keys(out)).toEqual(['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect(out.SdkResponseMetadata).toEqual({ RequestId: 'r-1' });
    const meta = out.SdkHttpMetadata as { AllHttpHeaders: Record<string, string[]>; HttpHeaders: Record<string, string> };
    expect(Object.keys(meta.AllHttpHeaders)).toEqual([
      'X-Amz-Executed-Version',
      'x-amzn-Remapped-Content-Length',
      'Connection',
      'x-amzn-RequestId',
      'Content-Length',
      'Date',
      'X-Amzn-Trace-Id',
      'Content-Type',
    ]);
    expect(meta.AllHttpHeaders['Content-Length']).toEqual(['12']);
    expect(meta.HttpHeaders['x-amzn-RequestId']).toBe('r-1');
    expect(meta.HttpHeaders.Date).toBe('Thu, 01 Jan 2026 00:00:00 GMT');
  });

  it('asks for the log tail with LogType Tail and adds LogResult', async () => {
    const f = recording(() => ({ payload: '1', logResult: 'U1RBUlQ=' }));
    const r = await run(task({ Parameters: { FunctionName: 'pay', LogType: 'Tail' } }), {}, { lambdaInvoker: f.lambdaInvoker });
    expect(f.seen[0]?.logType).toBe('Tail');
    expect(r.output).toMatchObject({ LogResult: 'U1RBUlQ=', Payload: 1 });
  });

  it('sends a null or absent Payload as {}, a string Payload as the body itself, anything else as JSON', async () => {
    const f = recording(() => ({ payload: 'null' }));
    for (const Payload of [null, undefined, '{"a": 1}', { a: 1 }]) {
      await run(
        task({ Parameters: Payload === undefined ? { FunctionName: 'pay' } : { FunctionName: 'pay', Payload } }),
        {},
        { lambdaInvoker: f.lambdaInvoker },
      );
    }
    expect(f.seen.map((i) => i.payload)).toEqual(['{}', '{}', '{"a": 1}', '{"a":1}']);
  });

  it('refuses a lambda:invoke parameter that the API does not have, naming it', async () => {
    const r = await run(task({ Parameters: { FunctionName: 'pay', Paylod: {} } }), {}, { lambdaInvoker: () => ({ payload: '1' }) });
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain("'Paylod'");
  });

  it('fails a result over 256 KiB with States.DataLimitExceeded and the cause naming the task', async () => {
    const big = () => ({ payload: JSON.stringify('a'.repeat(257 * 1024)) });
    const wrapped = await run(task({}), {}, { lambdaInvoker: big });
    expect([wrapped.error, wrapped.cause]).toEqual(['States.DataLimitExceeded', causes.dataLimitExceeded('lambda')]);
    const bare = await run(task({}, FN_ARN), {}, { lambdaInvoker: big });
    expect([bare.error, bare.cause]).toEqual(['States.DataLimitExceeded', causes.dataLimitExceeded(FN_ARN)]);
  });

  it('lets the duration pass on the clock, and past TimeoutSeconds fails with States.Timeout and an empty cause', async () => {
    const clock = new VirtualClock(0);
    const slow = () => ({ payload: '1', durationSeconds: 60 });
    const r = await run(task({ TimeoutSeconds: 5 }), {}, { clock, lambdaInvoker: slow });
    expect([r.error, r.cause]).toEqual(['States.Timeout', causes.lambdaTaskTimedOut()]);
    expect(r.history.map((e) => e.type)).toContain('TaskTimedOut');
    expect(clock.now()).toBe(5000);
    const fine = await run(task({ TimeoutSeconds: 120 }), {}, { clock, lambdaInvoker: slow });
    expect(fine.status).toBe('SUCCEEDED');
    expect(clock.now()).toBe(65_000);
  });

  it('maps a LambdaServiceError to Lambda.<Code> with the Java SDK cause', async () => {
    const notFound = apiMessages.lambdaFunctionNotFound('arn:aws:lambda:us-east-1:123456789012:function:pay:$LATEST');
    const missing = () => {
      throw new LambdaServiceError('ResourceNotFoundException', notFound, 404, 'rid-1');
    };
    const r = await run(task({}), {}, { lambdaInvoker: missing });
    expect([r.error, r.cause]).toEqual([
      'Lambda.ResourceNotFoundException',
      causes.lambdaServiceException(notFound, 404, 'ResourceNotFoundException', 'rid-1'),
    ]);
  });

  it('refuses a request body that is not JSON as Lambda does, before the function runs', async () => {
    let ran = false;
    const r = await run(
      task({ Parameters: { FunctionName: 'pay', Payload: 'not json' } }),
      {},
      {
        lambda: () => {
          ran = true;
          return 1;
        },
      },
    );
    expect(r.error).toBe('Lambda.InvalidRequestContentException');
    expect(ran).toBe(false);
  });
});

describe('copyPlainJsonMeasured (a handler result kept by the execution)', () => {
  const values: unknown[] = [
    null,
    'text with ünïcode',
    0,
    -12.5,
    true,
    [],
    {},
    { order: { id: 'o-1', items: Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${i}`, qty: i })) }, tags: ['a', null, false] },
    [[[{ deep: ['x'] }]]],
  ];

  it.each(values.map((v) => [JSON.stringify(v), v]))('copies %s sharing nothing, with the sizeBound of the copy', (_, v) => {
    const copy = copyPlainJsonMeasured(v);
    expect(copy).toEqual(JSON.parse(JSON.stringify(v)));
    // The size measured on the way is the one the interpreter would have walked for (data/size.ts).
    expect(copiedSizeBound()).toBe(sizeBound(copy as Json));
    const walk = (a: unknown, b: unknown): void => {
      if (a === null || typeof a !== 'object') return;
      expect(a).not.toBe(b);
      for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    };
    walk(copy, v);
  });

  it('refuses what JSON text would change, as copyPlainJson does', () => {
    for (const odd of [{ a: undefined }, [Number.NaN], new Date(0), { f: () => 1 }]) expect(copyPlainJsonMeasured(odd)).toBe(NOT_PLAIN);
  });
});
