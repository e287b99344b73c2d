// The Lambda Invoke endpoint through the real @aws-sdk/client-lambda, and Stepwise's real-Lambda
// handler mode (`handlers: { mode: 'aws', lambdaClient }`) pointed at it.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { StartSyncExecutionCommand, ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Json } from '../../lib/asl';
import { OrderStack } from '../../lib/constructs/order-stack';
import { readStack } from '../../lib/local/assembly';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../lib/local/dynamodb';
import { createLambdaInvoker } from '../../lib/local/lambda-runner';
import type { LocalFunction } from '../../lib/local/state-machines';
import type { StepwiseServer } from '../../lib/server/server';
import { testApp } from '../../lib/testing';
import { serve, sfnClient } from './harness';

class CardDeclinedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardDeclinedError';
  }
}

let server: StepwiseServer;
let lambda: LambdaClient;
const calls: Json[] = [];

beforeAll(async () => {
  server = await serve({
    virtualTime: true,
    handlers: {
      echo: (event: Json) => ({ echoed: event }),
      decline: () => {
        throw new CardDeclinedError('card refused');
      },
      record: (event: Json) => {
        calls.push(event);
      },
    },
  });
  lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await server.close();
});

const text = (p: Uint8Array | undefined) => Buffer.from(p ?? []).toString('utf8');

describe('Lambda Invoke endpoint', () => {
  it('runs the handler and returns its result', async () => {
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"a":1}') }));
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBeUndefined();
    expect(JSON.parse(text(r.Payload))).toEqual({ echoed: { a: 1 } });
  });

  it('accepts a function ARN as the name', async () => {
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo', Payload: Buffer.from('2') }));
    expect(JSON.parse(text(r.Payload))).toEqual({ echoed: 2 });
  });

  it("reports a handler error with X-Amz-Function-Error and the runtime's error payload", async () => {
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'decline', Payload: Buffer.from('{}') }));
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(r.Payload))).toMatchObject({ errorType: 'CardDeclinedError', errorMessage: 'card refused', trace: expect.any(Array) });
  });

  it('returns null for a handler that returns nothing, and 202 for an asynchronous invocation', async () => {
    expect(text((await lambda.send(new InvokeCommand({ FunctionName: 'record', Payload: Buffer.from('{"n":1}') }))).Payload)).toBe('null');
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'record', InvocationType: 'Event', Payload: Buffer.from('{"n":2}') }));
    expect(r.StatusCode).toBe(202);
    await new Promise((res) => setTimeout(res, 20));
    expect(calls).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('fails with ResourceNotFoundException (404) for an unknown function', async () => {
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'nobody', Payload: Buffer.from('{}') }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('serves the real-Lambda handler mode of the local runner (mode aws with a configured client)', async () => {
    // GIVEN functions bound by name, run in 'aws' mode through a client pointed at the endpoint
    const fn = (name: string): LocalFunction => ({
      logicalId: name,
      functionName: name,
      arn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`,
      handler: 'index.handler',
      environment: {},
      timeoutSeconds: 3,
      memoryMb: 128,
    });
    const invoke = createLambdaInvoker(
      new Map([
        ['echo', fn('echo')],
        ['decline', fn('decline')],
      ]),
      { mode: 'aws', lambdaClient: lambda },
    );
    const request = { stateName: 'S', resource: 'r', parameters: null, retryCount: 0 };
    // THEN results and errors come back as the runner reports them for real Lambda
    const echoed = await invoke({ functionName: 'echo', payload: JSON.stringify({ x: 1 }), request });
    expect(echoed.functionError).toBeUndefined();
    expect(JSON.parse(echoed.payload)).toEqual({ echoed: { x: 1 } });
    const declined = await invoke({ functionName: 'decline', payload: '{}', request });
    expect(declined.functionError).toBe('Unhandled');
    expect(JSON.parse(declined.payload)).toMatchObject({ errorType: 'CardDeclinedError' });
  });
});

describe('the order workflow with its handlers behind the Lambda endpoint', () => {
  let handlersServer: StepwiseServer;
  let workflowServer: StepwiseServer;
  let dynamo: LocalDynamoDb;
  let client: SFNClient;
  let toHandlers: LambdaClient;

  beforeAll(async () => {
    const stack = new OrderStack(testApp(), 'LambdaPath', { workflow: { stateMachineType: sfn.StateMachineType.EXPRESS } });
    const artifact = readStack(stack);
    dynamo = await startLocalDynamoDb([artifact]);
    await dynamo.put('InventoryTable', [{ sku: 'lp-book', stock: 10 }]);
    // One server runs the handlers (Lambda API); the other runs the workflow and invokes them through it.
    handlersServer = await serve({ stacks: [artifact], handlerOptions: { environment: dynamo.environment } });
    toHandlers = new LambdaClient({ endpoint: handlersServer.url, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    // The workflow's own DynamoDB Task (the status record) writes to the same local DynamoDB.
    workflowServer = await serve({ stacks: [artifact], handlerOptions: { mode: 'aws', lambdaClient: toHandlers }, dynamodb: dynamo });
    client = sfnClient(workflowServer);
  });
  afterAll(async () => {
    client.destroy();
    toHandlers.destroy();
    await workflowServer.close();
    await handlersServer.close();
    await dynamo.stop();
  });

  it('runs an order end to end, every Lambda task through the Invoke API', async () => {
    const arn = (await client.send(new ListStateMachinesCommand({}))).stateMachines?.[0]?.stateMachineArn;
    const order = {
      orderId: 'lp-1',
      customerId: 'c',
      items: [{ sku: 'lp-book', quantity: 1, unitPrice: 900 }],
      payment: { token: 'tok_visa' },
      address: { name: 'A', line1: 'L', city: 'C', postalCode: 'P', country: 'GB' },
    };
    const r = await client.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(order) }));
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.output as string)).toMatchObject({ order: { orderId: 'lp-1' }, payment: { paymentId: 'pay_lp-1' } });
    const declined = await client.send(
      new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ ...order, orderId: 'lp-2', payment: { token: 'tok_decline' } }) }),
    );
    expect(declined.status).toBe('FAILED');
    // The handler's typed error crossed the Invoke API as X-Amz-Function-Error and reached the workflow's Catch.
    expect(`${declined.error} ${declined.cause}`).toMatch(/[Dd]eclined/);
    // The service-integration Tasks ran on the server: status records in DynamoDB, one OrderConfirmed event.
    const ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    const status = async (orderId: string) =>
      (
        await ddb.send(
          new GetItemCommand({
            TableName: dynamo.tables[Object.keys(dynamo.tables).find((k) => k.includes('OrdersTable')) as string],
            Key: { pk: { S: `status#${orderId}` } },
          }),
        )
      ).Item;
    expect(await status('lp-1')).toMatchObject({ status: { S: 'COMPLETED' }, executionId: { S: r.executionArn } });
    expect(await status('lp-2')).toMatchObject({ status: { S: 'FAILED' } });
    ddb.destroy();
    const events = workflowServer.outbox.to('events');
    expect(events).toHaveLength(1);
    expect(events[0]?.message).toMatchObject({ Source: 'stepwise.orders', DetailType: 'OrderConfirmed', Detail: { orderId: 'lp-1' } });
  });
});
