// The `aws` handler mode calls deployed functions through @aws-sdk/client-lambda; here a stub
// client stands in for AWS and records what it was asked.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { StatesError, compile, type Json } from '../../lib/asl';
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
const functions = new Map([[fn.arn, fn], [fn.functionName, fn]]);

function stubClient(reply: { Payload?: string; FunctionError?: string }) {
  const calls: { FunctionName?: string; Payload?: string }[] = [];
  const client = {
    send: async (command: { input: { FunctionName?: string; Payload?: Uint8Array } }) => {
      calls.push({ FunctionName: command.input.FunctionName, Payload: Buffer.from(command.input.Payload ?? []).toString('utf8') });
      return { StatusCode: 200, FunctionError: reply.FunctionError, Payload: reply.Payload === undefined ? undefined : new Uint8Array(Buffer.from(reply.Payload)) };
    },
  } as unknown as LambdaClient;
  return { client, calls };
}

const request = { stateName: 'Pay', resource: fn.arn, parameters: {} as Json, retryCount: 0 };

describe("handlers mode 'aws'", () => {
  it('invokes the deployed function by its deployed name, with the payload as JSON', async () => {
    const { client, calls } = stubClient({ Payload: '{"paid":true}' });
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: client, deployedNames: { 'Shop/PayFunction': 'shop-prod-pay' } });
    expect(await invoke(fn.arn, { amount: 5 }, request)).toEqual({ paid: true });
    expect(calls).toEqual([{ FunctionName: 'shop-prod-pay', Payload: '{"amount":5}' }]);
  });

  it("turns a function error into the function's errorType with the payload as cause", async () => {
    const body = '{"errorType":"PaymentDeclinedError","errorMessage":"declined"}';
    const { client } = stubClient({ FunctionError: 'Unhandled', Payload: body });
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: client });
    await expect(invoke(fn.functionName, {}, request)).rejects.toEqual(new StatesError('PaymentDeclinedError', body));
  });

  it('delivers twice in replay mode', async () => {
    const { client, calls } = stubClient({ Payload: 'null' });
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: client, replay: true });
    expect(await invoke(`${fn.arn}:$LATEST`, {}, request)).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('reports a function that is not in the stack, listing the known ones', async () => {
    const invoke = createLambdaInvoker(functions, { mode: 'aws', lambdaClient: stubClient({}).client });
    await expect(invoke('nope', {}, request)).rejects.toMatchObject({ error: 'Lambda.ResourceNotFoundException', cause: expect.stringContaining('known: PayFunction1234') });
  });
});

describe('LocalWorkflow with a Lambda client', () => {
  const definition = { StartAt: 'Pay', States: { Pay: { Type: 'Task' as const, Resource: fn.arn, End: true } } };
  const workflow = new LocalWorkflow({ stackName: 'Shop', logicalId: 'Orders', name: 'Orders', arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders', type: 'STANDARD', definition, machine: compile(definition), functions });

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
