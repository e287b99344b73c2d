// Service-integration Tasks on the endpoint, as `stepwise run` serves them (lib/local/integrations):
// DynamoDB against the server's local DynamoDB, EventBridge into the server's outbox,
// states:startExecution children recorded as the server's own executions, and setup problems
// refused at StartExecution. Everything goes through the real @aws-sdk/client-sfn.
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { readStack } from '../../lib/local/assembly';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../lib/local/dynamodb';
import { parseMockConfig } from '../../lib/local/mocks';
import type { StepwiseServer } from '../../lib/server/server';
import { testApp } from '../../lib/testing';
import { BUS, integrationsStack, QUEUE, TOPIC } from '../fixtures/integrations/app';
import { ROLE, createMachine, errorOf, eventually, serve, sfnClient, waitForEnd } from './harness';

const TABLE = 'Notes';

let dynamo: LocalDynamoDb;
let ddb: DynamoDBClient;
let server: StepwiseServer;
let sfn: SFNClient;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
  ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  await ddb.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // Real time, the server's default: the .waitForTaskToken test answers its callback itself. On a
  // virtual clock a callback nobody answers for 50 ms of real time jumps to the execution's time
  // limit, and a busy machine (two Jest workers, coverage on) can take that long between two requests.
  server = await serve({ dynamodb: dynamo });
  sfn = sfnClient(server);
});
afterAll(async () => {
  sfn.destroy();
  ddb.destroy();
  await server.close();
  await dynamo.stop();
});

const PUT_GET = {
  StartAt: 'Put',
  States: {
    Put: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: TABLE, Item: { pk: { 'S.$': '$.id' }, text: { 'S.$': '$.text' }, by: { 'S.$': '$$.Execution.Id' } } },
      ResultPath: null,
      Next: 'Get',
    },
    Get: {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { TableName: TABLE, Key: { pk: { 'S.$': '$.id' } } },
      ResultSelector: { 'item.$': '$.Item' },
      End: true,
    },
  },
};

describe('DynamoDB Tasks', () => {
  it("putItem then getItem against the server's local DynamoDB", async () => {
    const arn = await createMachine(sfn, PUT_GET);
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ id: 'n-1', text: 'hello' }) }));
    const d = await waitForEnd(sfn, started.executionArn as string);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output as string)).toEqual({ item: { pk: { S: 'n-1' }, text: { S: 'hello' }, by: { S: started.executionArn } } });
    // The item really is in the table the endpoint was given.
    const stored = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'n-1' } } }));
    expect(stored.Item).toEqual({ pk: { S: 'n-1' }, text: { S: 'hello' }, by: { S: started.executionArn } });
  });

  it("fails the execution with DynamoDB's error for a table that does not exist (a run-time error, catchable)", async () => {
    const arn = await createMachine(sfn, {
      StartAt: 'Get',
      States: {
        Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'Missing', Key: { pk: { S: 'x' } } }, End: true },
      },
    });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect(await waitForEnd(sfn, started.executionArn as string)).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ResourceNotFoundException' });
  });
});

describe('EventBridge, SQS and SNS Tasks', () => {
  it("records events:putEvents in the server's outbox and answers with the event id", async () => {
    const arn = await createMachine(
      sfn,
      {
        StartAt: 'Publish',
        States: {
          Publish: {
            Type: 'Task',
            Resource: 'arn:aws:states:::events:putEvents',
            Parameters: { Entries: [{ Source: 'test.notes', DetailType: 'NoteAdded', 'Detail.$': '$' }] },
            End: true,
          },
        },
      },
      'EXPRESS',
    );
    const before = server.outbox.sent.length;
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ id: 'n-2' }) }));
    expect(r.status).toBe('SUCCEEDED');
    const sent = server.outbox.sent.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      service: 'events',
      target: 'default',
      stateName: 'Publish',
      message: { Source: 'test.notes', DetailType: 'NoteAdded', Detail: { id: 'n-2' }, Resources: [r.executionArn, arn] },
    });
    expect(JSON.parse(r.output as string)).toEqual({ Entries: [{ EventId: sent[0]?.id }], FailedEntryCount: 0 });
  });

  it('fails with EventBridge.FailedEntry for a bus the app does not have, and sends nothing', async () => {
    const arn = await createMachine(
      sfn,
      {
        StartAt: 'Publish',
        States: {
          Publish: {
            Type: 'Task',
            Resource: 'arn:aws:states:::events:putEvents',
            Parameters: { Entries: [{ Source: 's', DetailType: 'd', Detail: {}, EventBusName: 'nope' }] },
            End: true,
          },
        },
      },
      'EXPRESS',
    );
    const before = server.outbox.sent.length;
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }));
    expect(r).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
    expect(server.outbox.sent.length).toBe(before);
  });
});

describe('states:startExecution children', () => {
  const CHILD = { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, $.n)' }, End: true } } };

  it('.sync starts the child as an execution of the server, visible to DescribeExecution and ListExecutions', async () => {
    const child = await createMachine(sfn, CHILD, 'STANDARD', 'child');
    const parent = await createMachine(sfn, {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync',
          Parameters: { StateMachineArn: child, Input: { 'n.$': '$.n' }, Name: 'doubled-21' },
          End: true,
        },
      },
    });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent, input: '{"n":21}' }));
    const d = await waitForEnd(sfn, started.executionArn as string);
    expect(d.status).toBe('SUCCEEDED');
    const out = JSON.parse(d.output as string) as { ExecutionArn: string; Output: string; Status: string };
    expect(out).toMatchObject({ Status: 'SUCCEEDED', Output: '{"n":42}', Name: 'doubled-21', StateMachineArn: child });
    expect(out.ExecutionArn).toBe(`${child.replace(':stateMachine:', ':execution:')}:doubled-21`);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: out.ExecutionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', stateMachineArn: child, input: '{"n":21}', output: '{"n":42}' });
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: child }));
    expect(listed.executions?.map((e) => e.executionArn)).toEqual([out.ExecutionArn]);
  });

  it('.sync:2 fails the parent with States.TaskFailed when the child fails, the child recorded FAILED', async () => {
    const child = await createMachine(sfn, { StartAt: 'No', States: { No: { Type: 'Fail', Error: 'Nope', Cause: 'child says no' } } }, 'STANDARD', 'child');
    const parent = await createMachine(sfn, {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child }, End: true } },
    });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const d = await waitForEnd(sfn, started.executionArn as string);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    const cause = JSON.parse(d.cause as string) as { ExecutionArn: string; Status: string; Error: string };
    expect(cause).toMatchObject({ Status: 'FAILED', Error: 'Nope' });
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn: cause.ExecutionArn }))).toMatchObject({
      status: 'FAILED',
      error: 'Nope',
      cause: 'child says no',
    });
  });

  it('.waitForTaskToken waits until SendTaskSuccess through the server answers the token the child got', async () => {
    // The child only waits; whoever holds the token (here the test, as a worker would) answers it.
    const child = await createMachine(sfn, { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } } }, 'STANDARD', 'child');
    const parent = await createMachine(sfn, {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
          Parameters: { StateMachineArn: child, Input: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    const listed = await eventually(
      () => sfn.send(new ListExecutionsCommand({ stateMachineArn: child })),
      (l) => (l.executions?.length ?? 0) === 1,
    );
    const childRun = await sfn.send(new DescribeExecutionCommand({ executionArn: listed.executions?.[0]?.executionArn }));
    const token = (JSON.parse(childRun.input as string) as { token: string }).token;
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    expect(await waitForEnd(sfn, started.executionArn as string)).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
  });

  it('fails the parent with StepFunctions.StateMachineDoesNotExistException for an unknown child', async () => {
    const parent = await createMachine(sfn, {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:ghost' },
          End: true,
        },
      },
    });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent }));
    expect(await waitForEnd(sfn, started.executionArn as string)).toMatchObject({ status: 'FAILED', error: 'StepFunctions.StateMachineDoesNotExistException' });
  });
});

describe('setup problems', () => {
  let bare: StepwiseServer;
  let client: SFNClient;
  beforeAll(async () => {
    bare = await serve({
      virtualTime: true,
      mockFile: parseMockConfig({
        StateMachines: { 'setup-mocked': { TestCases: { Mocked: { Put: 'PutOk', Get: 'GetOk' } } } },
        MockedResponses: { PutOk: { '0': { Return: {} } }, GetOk: { '0': { Return: { Item: { pk: { S: 'm' } } } } } },
      }),
    });
    client = sfnClient(bare);
  });
  afterAll(async () => {
    client.destroy();
    await bare.close();
  });

  it('refuses StartExecution of a DynamoDB Task without a local DynamoDB, naming the state and the fix', async () => {
    const arn = await createMachine(client, PUT_GET, 'STANDARD', 'setup');
    const e = await errorOf(client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"id":"x","text":"y"}' })));
    expect(e).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(e.message).toContain("State 'Put' calls arn:aws:states:::dynamodb:putItem, which needs a local DynamoDB");
    expect(e.message).toContain("State 'Get' calls arn:aws:states:::dynamodb:getItem");
    expect(e.message).toContain('stepwise serve --local-dynamodb');
    // Nothing ran: no execution was recorded.
    expect((await client.send(new ListExecutionsCommand({ stateMachineArn: arn }))).executions).toEqual([]);
  });

  it('refuses StartSyncExecution of a service this endpoint has no integration for, naming the state and how to mock it', async () => {
    const arn = await createMachine(
      client,
      { StartAt: 'Crawl', States: { Crawl: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun', Parameters: { JobName: 'j' }, End: true } } },
      'EXPRESS',
      'setup',
    );
    const e = await errorOf(client.send(new StartSyncExecutionCommand({ stateMachineArn: arn })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(
      /State 'Crawl' calls arn:aws:states:::glue:startJobRun, which cannot run locally: Stepwise has no local integration for the service 'glue'/,
    );
    expect(e.message).toContain("a test case that mocks 'Crawl'");
  });

  it('starts the same machine when a mock test case answers those states', async () => {
    const arn = (await client.send(new CreateStateMachineCommand({ name: 'setup-mocked', definition: JSON.stringify(PUT_GET), roleArn: ROLE })))
      .stateMachineArn as string;
    expect((await errorOf(client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"id":"m","text":"t"}' })))).name).toBe('ValidationException');
    const started = await client.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Mocked`, input: '{"id":"m","text":"t"}' }));
    expect(await waitForEnd(client, started.executionArn as string)).toMatchObject({ status: 'SUCCEEDED', output: '{"item":{"pk":{"S":"m"}}}' });
  });

  it('fails the parent with States.Runtime when a states:startExecution child cannot run here', async () => {
    const child = await createMachine(client, PUT_GET, 'STANDARD', 'setup-child');
    // The child's ARN comes from the input: only at run time is it known which machine starts.
    const parent = await createMachine(
      client,
      {
        StartAt: 'Call',
        States: {
          Call: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { 'StateMachineArn.$': '$.child' }, End: true },
        },
      },
      'STANDARD',
      'setup',
    );
    const started = await client.send(new StartExecutionCommand({ stateMachineArn: parent, input: JSON.stringify({ child }) }));
    const d = await waitForEnd(client, started.executionArn as string);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(d.cause).toContain("State 'Put' calls arn:aws:states:::dynamodb:putItem, which needs a local DynamoDB");
    expect(d.cause).toContain('started by states:startExecution');
  });
});

describe('a CDK app calling services directly, served with --app', () => {
  const ACCOUNT_ARN = 'arn:aws:states:us-east-1:123456789012';
  let appDynamo: LocalDynamoDb;
  let app: StepwiseServer;
  let client: SFNClient;
  beforeAll(async () => {
    const artifact = readStack(integrationsStack(testApp()));
    appDynamo = await startLocalDynamoDb([artifact]);
    app = await serve({ virtualTime: true, stacks: [artifact], dynamodb: appDynamo });
    client = sfnClient(app);
  });
  afterAll(async () => {
    client.destroy();
    await app.close();
    await appDynamo.stop();
  });

  it("runs every integration of the app as `stepwise run` does; its children are the server's executions of Child", async () => {
    const parent = app.stateMachines.get('Parent') as string;
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: parent, name: 'run-1', input: JSON.stringify({ orderId: 'o-1', total: 42, failChild: false }) }),
    );
    const d = await waitForEnd(client, started.executionArn as string);
    expect(d.status).toBe('SUCCEEDED');
    const run = `${ACCOUNT_ARN}:execution:Parent:run-1`;
    expect(JSON.parse(d.output as string)).toMatchObject({
      update: { status: 'PAID' },
      read: { item: { pk: { S: 'o-1' }, status: { S: 'PAID' }, total: { N: '42' } } },
      scan: { count: 1 },
      events: { failed: 0 },
      child: { output: JSON.stringify({ orderId: 'o-1', parent: run }), status: 'SUCCEEDED' },
      child2: { output: { orderId: 'o-1', parent: run } },
      audit: { arn: `${ACCOUNT_ARN}:execution:Child:audit` },
      delete: { deleted: 'o-1' },
    });
    expect(app.outbox.sent.map((m) => [m.service, m.target])).toEqual([
      ['sqs', `https://sqs.us-east-1.amazonaws.com/123456789012/${QUEUE}`],
      ['sns', `arn:aws:sns:us-east-1:123456789012:${TOPIC}`],
      ['events', BUS],
    ]);
    // The three children (.sync, .sync:2, request-response) are recorded under the app's Child machine.
    const children = await eventually(
      () => client.send(new ListExecutionsCommand({ stateMachineArn: app.stateMachines.get('Child') })),
      (l) => l.executions?.length === 3 && l.executions.every((e) => e.status !== 'RUNNING'),
    );
    const byName = new Map(children.executions?.map((e) => [e.name, e]));
    expect(byName.get('child-o-1')?.status).toBe('SUCCEEDED');
    // The request-response child was not associated with its parent, so the fixture's Child cannot read
    // AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID and fails on its own, after the parent has moved on.
    const audit = await client.send(new DescribeExecutionCommand({ executionArn: byName.get('audit')?.executionArn }));
    expect(audit).toMatchObject({ status: 'FAILED', error: 'States.Runtime', input: JSON.stringify({ orderId: 'o-1', fail: false }) });
  });

  it("fails the app's Stray machine with EventBridge.FailedEntry: its bus is not in the app", async () => {
    const started = await client.send(new StartExecutionCommand({ stateMachineArn: app.stateMachines.get('Stray') }));
    expect(await waitForEnd(client, started.executionArn as string)).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
  });
});
