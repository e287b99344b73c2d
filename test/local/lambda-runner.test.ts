// The `aws` handler mode calls deployed functions through @aws-sdk/client-lambda; here a stub
// client stands in for AWS and records what it was asked.
import { ResourceNotFoundException, type LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaServiceError, compile, type Json, type LambdaInvocation } from '../../lib/asl';
import { apiMessages, causes } from '../../lib/asl/causes';
import { LocalWorkflow } from '../../lib/local/workflow';
import { createLambdaInvoker } from '../../lib/local/lambda-runner';
import type { LocalFunction } from '../../lib/local/state-machines';

const fn: LocalFunction = {
  logicalId: 'PayFunction1234',
  constructPath: 'Shop/PayFunction',
  functionName: 'PayFunction1234',
  arn: 'arn:aws:lambda:us-east-1:123456789012:function:PayFunction1234',
  handler: 'index.handler',
  environment: {},
  timeoutSeconds: 3,
  memoryMb: 128,
};
const functions = new Map([
  [fn.arn, fn],
  [fn.functionName, fn],
]);

function stubClient(reply: { Payload?: string; FunctionError?: string; LogResult?: string } | Error) {
  const calls: { FunctionName?: string; Payload?: string; LogType?: string }[] = [];
  const client = {
    send: async (command: { input: { FunctionName?: string; Payload?: Uint8Array; LogType?: string } }) => {
      calls.push({
        FunctionName: command.input.FunctionName,
        Payload: Buffer.from(command.input.Payload ?? []).toString('utf8'),
        ...(command.input.LogType ? { LogType: command.input.LogType } : {}),
      });
      if (reply instanceof Error) throw reply;
      return {
        StatusCode: 200,
        ExecutedVersion: '$LATEST',
        FunctionError: reply.FunctionError,
        LogResult: reply.LogResult,
        Payload: reply.Payload === undefined ? undefined : new Uint8Array(Buffer.from(reply.Payload)),
        $metadata: { requestId: 'req-1', httpStatusCode: 200 },
      };
    },
  } as unknown as LambdaClient;
  return { client, calls };
}

const request = { stateName: 'Pay', resource: fn.arn, parameters: {} as Json, retryCount: 0 };
const call = (functionName: string, payload: string, more: Partial<LambdaInvocation> = {}): LambdaInvocation => ({ functionName, payload, request, ...more });

describe("handlers mode 'aws'", () => {
  it('invokes the deployed function by its deployed name and returns the raw response', async () => {
    const { client, calls } = stubClient({ Payload: '{"paid": true}' });
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: client, deployedNames: { 'Shop/PayFunction': 'shop-prod-pay' } });
    expect(await invoke(call(fn.arn, '{"amount":5}'))).toEqual({ statusCode: 200, executedVersion: '$LATEST', payload: '{"paid": true}', requestId: 'req-1' });
    expect(calls).toEqual([{ FunctionName: 'shop-prod-pay', Payload: '{"amount":5}' }]);
  });

  it('passes the function error and the error payload through untouched', async () => {
    const body = '{"errorType":"PaymentDeclinedError","errorMessage":"declined"}';
    const { client } = stubClient({ FunctionError: 'Unhandled', Payload: body });
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: client });
    expect(await invoke(call(fn.functionName, '{}'))).toMatchObject({ functionError: 'Unhandled', payload: body });
  });

  it('asks for the log tail and returns it', async () => {
    const { client, calls } = stubClient({ Payload: '1', LogResult: 'U1RBUlQ=' });
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: client });
    expect(await invoke(call(fn.functionName, '{}', { logType: 'Tail' }))).toMatchObject({ logResult: 'U1RBUlQ=' });
    expect(calls[0]?.LogType).toBe('Tail');
  });

  it('delivers twice in replay mode', async () => {
    const { client, calls } = stubClient({ Payload: 'null' });
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: client, replay: true });
    expect(await invoke(call(`${fn.arn}:$LATEST`, '{}'))).toMatchObject({ payload: 'null' });
    expect(calls).toHaveLength(2);
  });

  it("maps the SDK's ResourceNotFoundException to a LambdaServiceError with its status and request id", async () => {
    const sdkError = new ResourceNotFoundException({
      message: apiMessages.lambdaFunctionNotFound('arn:aws:lambda:us-east-1:123456789012:function:shop-prod-pay:$LATEST'),
      $metadata: { httpStatusCode: 404, requestId: 'rid-9' },
    });
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: stubClient(sdkError).client });
    const err = await Promise.resolve(invoke(call(fn.functionName, '{}'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LambdaServiceError);
    expect(err).toMatchObject({ errorCode: 'ResourceNotFoundException', statusCode: 404, requestId: 'rid-9' });
  });

  it('reports a function that is not in the stack as Lambda does: ResourceNotFoundException with its ARN', async () => {
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: stubClient({}).client });
    const err = await Promise.resolve(invoke(call('nope', '{}'))).catch((e: unknown) => e);
    expect(err).toMatchObject({
      errorCode: 'ResourceNotFoundException',
      statusCode: 404,
      message: apiMessages.lambdaFunctionNotFound('arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST'),
    });
  });
});

describe('a workflow over real Lambda (stub client)', () => {
  const definition = {
    StartAt: 'Pay',
    States: {
      Pay: { Type: 'Task' as const, Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: fn.functionName, Payload: { a: 1 } }, End: true },
    },
  };
  const workflow = new LocalWorkflow({
    stackName: 'Shop',
    logicalId: 'Orders',
    name: 'Orders',
    arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders',
    type: 'STANDARD',
    definition,
    machine: compile(definition),
    functions,
  });

  it('fails an unknown function with Lambda.ResourceNotFoundException and the Java SDK cause, never an internal error', async () => {
    const notFound = apiMessages.lambdaFunctionNotFound('arn:aws:lambda:us-east-1:123456789012:function:PayFunction1234:$LATEST');
    const sdkError = new ResourceNotFoundException({ message: notFound, $metadata: { httpStatusCode: 404, requestId: 'rid-9' } });
    const r = await workflow.run({}, { handlers: { mode: 'aws', lambdaClient: stubClient(sdkError).client } });
    expect([r.error, r.cause]).toEqual([
      'Lambda.ResourceNotFoundException',
      causes.lambdaServiceException(notFound, 404, 'ResourceNotFoundException', 'rid-9'),
    ]);
  });

  it('re-serializes an error payload compactly as the cause after lambda:invoke', async () => {
    const r = await workflow.run(
      {},
      {
        handlers: {
          mode: 'aws',
          lambdaClient: stubClient({ FunctionError: 'Unhandled', Payload: '{"errorMessage": "declined", "errorType": "Declined"}' }).client,
        },
      },
    );
    expect([r.error, r.cause]).toEqual(['Declined', '{"errorMessage":"declined","errorType":"Declined"}']);
  });

  it('returns the envelope with Content-Length the byte length of the body and the request id', async () => {
    const r = await workflow.run({}, { handlers: { mode: 'aws', lambdaClient: stubClient({ Payload: '{"name": "Zoë"}' }).client } });
    const out = r.output as { Payload: Json; SdkHttpMetadata: { HttpHeaders: Record<string, string> }; SdkResponseMetadata: { RequestId: string } };
    expect(out.Payload).toEqual({ name: 'Zoë' });
    expect(out.SdkHttpMetadata.HttpHeaders['Content-Length']).toBe('16');
    expect(out.SdkResponseMetadata.RequestId).toBe('req-1');
  });
});

describe('LocalWorkflow with a Lambda client', () => {
  const definition = { StartAt: 'Pay', States: { Pay: { Type: 'Task' as const, Resource: fn.arn, End: true } } };
  const workflow = new LocalWorkflow({
    stackName: 'Shop',
    logicalId: 'Orders',
    name: 'Orders',
    arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders',
    type: 'STANDARD',
    definition,
    machine: compile(definition),
    functions,
  });

  it('calls the client each run was given, also when the other options are the same', async () => {
    const first = stubClient({ Payload: '{"from":"first"}' });
    const second = stubClient({ Payload: '{"from":"second"}' });
    const a = await workflow.run({}, { handlers: { mode: 'aws', lambdaClient: first.client } });
    const b = await workflow.run({}, { handlers: { mode: 'aws', lambdaClient: second.client } });
    const c = await workflow.run({}, { handlers: { mode: 'aws', lambdaClient: first.client } });
    expect([a.output, b.output, c.output]).toEqual([{ from: 'first' }, { from: 'second' }, { from: 'first' }]);
    expect(first.calls).toHaveLength(2);
    expect(second.calls).toHaveLength(1);
  });
});
