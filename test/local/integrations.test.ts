// Service integrations in the local runtime (lib/local/integrations): a CDK app that calls
// DynamoDB, SQS, SNS, EventBridge and Step Functions directly runs locally to an exact output.
import { createHash } from 'node:crypto';
import { SetupError } from '../../lib/asl';
import { apiMessages, causes } from '../../lib/asl/causes';
import { readStack } from '../../lib/local/assembly';
import { loadStateMachine, startLocalDynamoDb, stepwiseMatchers, testApp, type LocalDynamoDb, type LocalWorkflow } from '../../lib/testing';
import { BUS, integrationsStack, QUEUE, TABLE, TOPIC } from '../fixtures/integrations/app';

const stack = integrationsStack(testApp());
const parent: LocalWorkflow = loadStateMachine(stack, 'Parent');
const stray: LocalWorkflow = loadStateMachine(stack, 'Stray');
let dynamo: LocalDynamoDb;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb([readStack(stack)]);
});
afterAll(() => dynamo.stop());

const ACCOUNT_ARN = 'arn:aws:states:us-east-1:123456789012';
/** The request id an SDK exception's cause names (a fresh UUID per call). */
const requestIdOf = (cause: string): string => /Request ID: ([\w-]+);/.exec(cause)?.[1] ?? '(none)';

describe('a CDK app calling services directly, run locally', () => {
  it('runs every integration to an exact output and records what it sent', async () => {
    const r = await parent.run({ orderId: 'o-1', total: 42, failChild: false }, { dynamodb: dynamo, seed: 1, name: 'run-1' });
    expect(r.error ?? '').toBe('');
    const [sqs, sns, events] = r.sent;
    expect(r.sent.map((m) => [m.service, m.target, m.message])).toEqual([
      ['sqs', `https://sqs.us-east-1.amazonaws.com/123456789012/${QUEUE}`, { orderId: 'o-1' }],
      ['sns', `arn:aws:sns:us-east-1:123456789012:${TOPIC}`, 'Order o-1 paid'],
      [
        'events',
        BUS,
        {
          Detail: { orderId: 'o-1' },
          DetailType: 'OrderPaid',
          EventBusName: BUS,
          Source: 'shop.orders',
          Resources: [`${ACCOUNT_ARN}:execution:Parent:run-1`, `${ACCOUNT_ARN}:stateMachine:Parent`],
        },
      ],
    ]);
    expect(sqs?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set([sqs?.id, sns?.id, events?.id]).size).toBe(3);
    expect(r.output).toEqual({
      orderId: 'o-1',
      total: 42,
      failChild: false,
      update: { status: 'PAID' },
      read: { item: { pk: { S: 'o-1' }, status: { S: 'PAID' }, total: { N: '42' } } },
      scan: { count: 1 },
      sqs: { md5: createHash('md5').update('{"orderId":"o-1"}').digest('hex'), id: sqs?.id },
      events: { failed: 0 },
      // .sync: Output is JSON text; the child saw the parent's $$.Execution.Id.
      child: { output: JSON.stringify({ orderId: 'o-1', parent: `${ACCOUNT_ARN}:execution:Parent:run-1` }), status: 'SUCCEEDED' },
      // .sync:2: Output parsed.
      child2: { output: { orderId: 'o-1', parent: `${ACCOUNT_ARN}:execution:Parent:run-1` } },
      audit: { arn: `${ACCOUNT_ARN}:execution:Child:audit` },
      delete: { deleted: 'o-1' },
    });
    expect(r.statesEntered).toEqual([
      'PutOrder',
      'MarkPaid',
      'ReadOrder',
      'CountOrders',
      'QueueShipment',
      'Notify',
      'Announce',
      'RunChild',
      'RunChildParsed',
      'StartAudit',
      'DeleteOrder',
    ]);
  });

  it('returns the optimized DynamoDB result with the SDK metadata, and the EventBridge result without', async () => {
    const r = await parent.run({ orderId: 'o-meta', total: 1, failChild: false }, { dynamodb: dynamo, seed: 2 });
    const exited = (name: string) => r.history.find((e) => e.type === 'TaskSucceeded' && JSON.stringify(e).includes(name));
    expect(r.status).toBe('SUCCEEDED');
    const put = r.history.find((e) => e.type === 'TaskSucceeded');
    const output = JSON.parse((put as unknown as { taskSucceededEventDetails: { output: string } }).taskSucceededEventDetails.output) as Record<
      string,
      unknown
    >;
    expect(Object.keys(output)).toEqual(['SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(exited('FailedEntryCount')).toBeDefined();
    const ev = r.history
      .filter((e) => e.type === 'TaskSucceeded')
      .map((e) => JSON.parse((e as unknown as { taskSucceededEventDetails: { output: string } }).taskSucceededEventDetails.output) as Record<string, unknown>)
      .find((o) => 'FailedEntryCount' in o);
    expect(Object.keys(ev ?? {})).toEqual(['Entries', 'FailedEntryCount']);
  });

  it('catches a conditional-check failure on DynamoDB.ConditionalCheckFailedException', async () => {
    await dynamo.put('Orders', [{ pk: 'o-dup', status: 'OLD' }]);
    const r = await parent.run({ orderId: 'o-dup', total: 1, failChild: false }, { dynamodb: dynamo });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ error: 'DynamoDB.ConditionalCheckFailedException' });
    expect(r.statesEntered).toEqual(['PutOrder', 'Duplicate']);
    const failed = r.history.find((e) => e.type === 'TaskFailed') as unknown as { taskFailedEventDetails: { cause: string } };
    const cause = failed.taskFailedEventDetails.cause;
    expect(cause).toBe(
      causes.optimizedServiceException('The conditional request failed', 'AmazonDynamoDBv2', 400, 'ConditionalCheckFailedException', requestIdOf(cause)),
    );
    expect(r.sent).toEqual([]);
  });

  it('fails the parent with States.TaskFailed and the child description as cause when the child fails under .sync', async () => {
    const r = await parent.run({ orderId: 'o-2', total: 5, failChild: true }, { dynamodb: dynamo, name: 'run-2' });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.TaskFailed');
    const cause = JSON.parse(r.cause as string) as Record<string, unknown>;
    expect(cause).toMatchObject({
      ExecutionArn: `${ACCOUNT_ARN}:execution:Child:child-o-2`,
      Input: JSON.stringify({ orderId: 'o-2', fail: true, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: `${ACCOUNT_ARN}:execution:Parent:run-2` }),
      Status: 'FAILED',
      Error: 'Child.Refused',
      Cause: 'refused by the child',
      StateMachineArn: `${ACCOUNT_ARN}:stateMachine:Child`,
    });
    expect(cause).not.toHaveProperty('Output');
  });

  it('fails a putEvents to a bus the app does not have with EventBridge.FailedEntry', async () => {
    const r = await stray.run({});
    expect(r.error).toBe('EventBridge.FailedEntry');
    expect(JSON.parse(r.cause as string)).toEqual({
      Entries: [{ ErrorCode: 'NotFoundException', ErrorMessage: apiMessages.eventsBusDoesNotExist('no-such-bus') }],
      FailedEntryCount: 1,
    });
    expect(r.sent).toEqual([]);
  });

  it('fails a sendMessage to a queue the app does not have with SQS.QueueDoesNotExistException', async () => {
    const r = await parent.run(
      { orderId: 'o-3', total: 1, failChild: false },
      {
        dynamodb: dynamo,
        mocks: { QueueShipment: { Throw: { Error: 'unused' } } },
      },
    );
    expect(r.error).toBe('unused'); // mocks still win over integrations
    const { compile } = await import('../../lib/asl');
    const { LocalWorkflow } = await import('../../lib/local/workflow');
    const definition = {
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task' as const,
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/nope', MessageBody: 'x' },
          End: true,
        },
      },
    };
    const sm = parent.stateMachine;
    const lonely = new LocalWorkflow({ ...sm, definition, machine: compile(definition) });
    const q = await lonely.run({});
    expect(q.error).toBe('SQS.QueueDoesNotExistException');
    const cause = q.cause as string;
    expect(cause).toBe(
      causes.optimizedServiceException(apiMessages.sqsQueueDoesNotExist(), 'AmazonSQS', 400, 'QueueDoesNotExistException', requestIdOf(cause)),
    );
  });
});

describe('resources that cannot run locally', () => {
  it('refuses DynamoDB tasks before the run when no local DynamoDB is given, naming the state and how to mock it', async () => {
    await expect(parent.run({ orderId: 'x' })).rejects.toThrow(SetupError);
    await expect(parent.run({ orderId: 'x' })).rejects.toThrow(
      /State 'PutOrder' calls arn:aws:states:::dynamodb:putItem, which needs a local DynamoDB.*mocks: \{ 'PutOrder'/,
    );
  });

  it('refuses an unsupported service before the run, and lets a mock or the tasks hook serve it', async () => {
    const { compile } = await import('../../lib/asl');
    const { LocalWorkflow } = await import('../../lib/local/workflow');
    const definition = {
      StartAt: 'Glue',
      States: { Glue: { Type: 'Task' as const, Resource: 'arn:aws:states:::glue:startJobRun.sync', Parameters: { JobName: 'j' }, End: true } },
    };
    const wf = new LocalWorkflow({ ...parent.stateMachine, definition, machine: compile(definition) });
    expect(() => wf.start({})).toThrow(
      /State 'Glue' calls arn:aws:states:::glue:startJobRun\.sync, which cannot run locally: Stepwise has no local integration for the service 'glue'; mock it \(mocks: \{ 'Glue': \{ Return: \.\.\. \} \}/,
    );
    expect((await wf.run({}, { mocks: { Glue: { Return: { JobRunState: 'SUCCEEDED' } } } })).output).toEqual({ JobRunState: 'SUCCEEDED' });
    expect((await wf.run({}, { tasks: (req) => ({ served: req.resource }) })).output).toEqual({ served: 'arn:aws:states:::glue:startJobRun.sync' });
  });

  it('refuses a parameter the API does not have before the run', async () => {
    const { compile } = await import('../../lib/asl');
    const { LocalWorkflow } = await import('../../lib/local/workflow');
    const definition = {
      StartAt: 'Put',
      States: { Put: { Type: 'Task' as const, Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: TABLE, Itme: {} }, End: true } },
    };
    const wf = new LocalWorkflow({ ...parent.stateMachine, definition, machine: compile(definition) });
    expect(() => wf.start({}, { dynamodb: dynamo })).toThrow(
      /State 'Put' passes 'Itme' to arn:aws:states:::dynamodb:putItem, which is not a parameter of that API/,
    );
  });
});

describe('toHaveSent', () => {
  beforeAll(() => expect.extend(stepwiseMatchers));

  it('matches by service, target and message subset, and counts', async () => {
    const r = await parent.run({ orderId: 'o-m', total: 3, failChild: false }, { dynamodb: dynamo });
    expect(r).toHaveSent({ service: 'events', target: BUS, message: { DetailType: 'OrderPaid', Detail: { orderId: 'o-m' } } }, 1);
    expect(r).toHaveSent({ service: 'sqs', target: QUEUE });
    expect(r).not.toHaveSent({ service: 'events', message: { DetailType: 'OrderCancelled' } });
    const miss = stepwiseMatchers.toHaveSent(r, { service: 'sns', message: 'Order o-x paid' });
    expect(miss.pass).toBe(false);
    expect(miss.message()).toContain(`sns → arn:aws:sns:us-east-1:123456789012:${TOPIC}: "Order o-m paid"`);
    expect(stepwiseMatchers.toHaveSent({ status: 'SUCCEEDED' }, { service: 'sqs' }).pass).toBe(false);
  });
});

describe('callback forms', () => {
  const { compile } = jest.requireActual<typeof import('../../lib/asl')>('../../lib/asl');
  const { LocalWorkflow: Workflow } = jest.requireActual<typeof import('../../lib/local/workflow')>('../../lib/local/workflow');

  it('sqs:sendMessage.waitForTaskToken sends the token and waits for the callback', async () => {
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task' as const,
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: QUEUE, MessageBody: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    };
    const wf = new Workflow({ ...parent.stateMachine, definition, machine: compile(definition) });
    const exec = wf.start(
      {},
      {
        onTaskToken: (token) => setImmediate(() => exec.sendTaskSuccess(token, { approved: true })),
      },
    );
    const r = await exec.result;
    expect(r.output).toEqual({ approved: true });
    expect(r.history.map((e) => e.type)).toContain('TaskSubmitted');
  });

  it('states:startExecution.waitForTaskToken: the child completes the parent with aws-sdk:sfn:sendTaskSuccess', async () => {
    const childDefinition = {
      StartAt: 'Reply',
      States: {
        Reply: {
          Type: 'Task' as const,
          Resource: 'arn:aws:states:::aws-sdk:sfn:sendTaskSuccess',
          Parameters: { 'TaskToken.$': '$.token', Output: { answer: 42 } },
          End: true,
        },
      },
    };
    const base = parent.stateMachine;
    const child = {
      ...base,
      name: 'Replier',
      arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Replier',
      definition: childDefinition,
      machine: compile(childDefinition),
    };
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task' as const,
          Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
          Parameters: { StateMachineArn: child.arn, Input: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    };
    const resources = { ...base.resources!, stateMachines: () => [child] };
    const wf = new Workflow({ ...base, definition, machine: compile(definition), resources });
    const r = await wf.run({});
    expect(r.output).toEqual({ answer: 42 });
  });
});
