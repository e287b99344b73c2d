// Executions through the real @aws-sdk/client-sfn: start, describe, history, list, stop,
// callbacks completed from another client, Express sync runs, and the errors of each operation.
import {
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
  paginateGetExecutionHistory,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { Json } from '../../lib/asl';
import type { StepwiseServer } from '../../lib/server/server';
import { createMachine, errorOf, eventually, serve, sfnClient, waitForEnd } from './harness';

// Doubles `n` in a Pass, then adds one per item of a Map: several events per execution.
const COMPUTE = {
  StartAt: 'Double',
  States: {
    Double: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, $.n)', 'items.$': '$.items' }, Next: 'Each' },
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'Inc', States: { Inc: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, 1)' }, End: true } } },
      ResultPath: '$.mapped',
      End: true,
    },
  },
};
const FAIL = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Order.Rejected', Cause: 'total too high' } } };

/** A callback task: the `notify` handler receives the token, a test completes it from another client. */
const CALLBACK = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token', 'order.$': '$.order' } },
      HeartbeatSeconds: 3600,
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
  },
};

const tokens = new Map<string, string>();
let server: StepwiseServer;
let sfn: SFNClient;
let other: SFNClient;

// Real time, the server's default: the callback tasks here wait for the test to answer. On a virtual
// clock a callback nobody answers for 50 ms of real time jumps to its heartbeat timeout, and a busy
// machine (two Jest workers, coverage on) can take that long between two requests of one test.
beforeAll(async () => {
  server = await serve({
    handlers: {
      notify: (event: Json) => {
        const e = event as { token: string; order: string };
        tokens.set(e.order, e.token);
        return { sent: true };
      },
    },
  });
  sfn = sfnClient(server);
  other = sfnClient(server);
});
afterAll(async () => {
  sfn.destroy();
  other.destroy();
  await server.close();
});

const tokenFor = async (order: string): Promise<string> =>
  (await eventually(
    async () => tokens.get(order),
    (t) => t !== undefined,
  )) as string;

describe('StartExecution / DescribeExecution', () => {
  it('runs an execution and describes its output', async () => {
    // GIVEN a Standard machine
    const arn = await createMachine(sfn, COMPUTE);
    // WHEN an execution starts
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'first', input: JSON.stringify({ n: 4, items: [1, 2] }) }));
    expect(started.executionArn).toBe(`${arn.replace(':stateMachine:', ':execution:')}:first`);
    // THEN it ends SUCCEEDED with the computed output
    const d = await waitForEnd(sfn, started.executionArn as string);
    expect(d).toMatchObject({ status: 'SUCCEEDED', name: 'first', stateMachineArn: arn, input: '{"n":4,"items":[1,2]}' });
    expect(JSON.parse(d.output as string)).toEqual({ n: 8, items: [1, 2], mapped: [{ v: 2 }, { v: 3 }] });
    expect(d.startDate).toBeInstanceOf(Date);
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
  });

  it('describes a failed execution with its error and cause', async () => {
    const arn = await createMachine(sfn, FAIL);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect(await waitForEnd(sfn, executionArn as string)).toMatchObject({ status: 'FAILED', error: 'Order.Rejected', cause: 'total too high' });
  });

  it('names a started execution with a UUID when no name is given', async () => {
    const arn = await createMachine(sfn, FAIL);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    expect(executionArn).toMatch(/:execution:sm-\d+:[0-9a-f-]{36}$/);
  });

  it('returns the same execution for the same name and input while it runs, and ExecutionAlreadyExists otherwise', async () => {
    const arn = await createMachine(sfn, CALLBACK);
    const input = JSON.stringify({ order: 'idem' });
    const a = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'idem', input }));
    const b = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'idem', input }));
    expect(b.executionArn).toBe(a.executionArn);
    expect(b.startDate?.getTime()).toBe(a.startDate?.getTime());
    expect(await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'idem', input: '{"order":"other"}' })))).toMatchObject({
      name: 'ExecutionAlreadyExists',
      status: 400,
    });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor('idem'), output: '{}' }));
    await waitForEnd(sfn, a.executionArn as string);
    // Closed: even the same input is now refused.
    expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'idem', input })))).name).toBe('ExecutionAlreadyExists');
  });

  it('fails with InvalidExecutionInput for input that is not JSON or exceeds 256 KiB', async () => {
    const arn = await createMachine(sfn, FAIL);
    expect(await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"a":' })))).toMatchObject({
      name: 'InvalidExecutionInput',
      status: 400,
    });
    expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ big: 'x'.repeat(256 * 1024) }) })))).name).toBe(
      'InvalidExecutionInput',
    );
  });

  it('fails with InvalidName, InvalidArn and StateMachineDoesNotExist', async () => {
    const arn = await createMachine(sfn, FAIL);
    expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'no spaces' })))).name).toBe('InvalidName');
    expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' })))).name).toBe(
      'InvalidArn',
    );
    expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing' })))).name).toBe(
      'StateMachineDoesNotExist',
    );
  });

  it('fails with ExecutionDoesNotExist for an unknown execution and InvalidArn for a malformed or Express one', async () => {
    expect(await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:nobody' })))).toMatchObject({
      name: 'ExecutionDoesNotExist',
      status: 400,
    });
    expect((await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: 'nope' })))).name).toBe('InvalidArn');
    expect((await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:express:sm:x' })))).name).toBe(
      'InvalidArn',
    );
  });

  it('describes the definition an execution started with, not a later update', async () => {
    const arn = await createMachine(sfn, COMPUTE);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"n":1,"items":[]}' }));
    const updated = JSON.stringify(FAIL);
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: updated }));
    const d = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(JSON.parse(d.definition as string)).toEqual(COMPUTE);
    expect(d.stateMachineArn).toBe(arn);
  });
});

describe('GetExecutionHistory', () => {
  let executionArn: string;
  let all: HistoryEvent[];

  beforeAll(async () => {
    const arn = await createMachine(sfn, COMPUTE);
    executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ n: 1, items: [1, 2, 3] }) })))
      .executionArn as string;
    await waitForEnd(sfn, executionArn);
    all = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
  });

  it('returns the events in order with AWS details', () => {
    expect(all[0]).toMatchObject({ id: 1, type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"n":1,"items":[1,2,3]}' } });
    expect(all.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
    expect(all.map((e) => e.id)).toEqual(all.map((_e, i) => i + 1));
    expect(all[0]?.timestamp).toBeInstanceOf(Date);
    expect(all.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(3);
  });

  it('pages with maxResults and nextToken, and the pages add up to the whole history', async () => {
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4 }));
    expect(first.events?.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(first.nextToken).toBeDefined();
    const ids: number[] = [];
    for await (const p of paginateGetExecutionHistory({ client: sfn, pageSize: 4 }, { executionArn })) ids.push(...(p.events ?? []).map((e) => e.id as number));
    expect(ids).toEqual(all.map((e) => e.id));
  });

  it('returns the events newest first with reverseOrder, across pages', async () => {
    const ids: number[] = [];
    for await (const p of paginateGetExecutionHistory({ client: sfn, pageSize: 5 }, { executionArn, reverseOrder: true }))
      ids.push(...(p.events ?? []).map((e) => e.id as number));
    expect(ids).toEqual(all.map((e) => e.id).reverse());
  });

  it('leaves payloads out with includeExecutionData: false', async () => {
    const r = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false, maxResults: 1000 }));
    expect(r.events?.[0]?.executionStartedEventDetails).toEqual({ roleArn: expect.any(String) });
    expect(JSON.stringify(r.events)).not.toContain('"input"');
    expect(r.events).toHaveLength(all.length);
  });

  it('refuses a nextToken from another listing with InvalidToken', async () => {
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    expect(
      (await errorOf(sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2, reverseOrder: true, nextToken: first.nextToken })))).name,
    ).toBe('InvalidToken');
  });
});

describe('ListExecutions', () => {
  it('lists newest first, filters by status and pages without repeats', async () => {
    const ok = await createMachine(sfn, CALLBACK);
    const started: string[] = [];
    for (let i = 0; i < 5; i++)
      started.push(
        (await sfn.send(new StartExecutionCommand({ stateMachineArn: ok, name: `l-${i}`, input: JSON.stringify({ order: `l-${i}` }) }))).executionArn as string,
      );
    for (const i of [1, 3]) await sfn.send(new SendTaskSuccessCommand({ taskToken: await tokenFor(`l-${i}`), output: '{}' }));
    await waitForEnd(sfn, started[1] as string);
    await waitForEnd(sfn, started[3] as string);
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok }));
    expect(all.executions?.map((e) => e.name)).toEqual(['l-4', 'l-3', 'l-2', 'l-1', 'l-0']);
    const done = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, statusFilter: 'SUCCEEDED' }));
    expect(done.executions?.map((e) => e.name)).toEqual(['l-3', 'l-1']);
    const p1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, statusFilter: 'RUNNING', maxResults: 2 }));
    expect(p1.executions?.map((e) => e.name)).toEqual(['l-4', 'l-2']);
    // An execution started between pages does not shift the next page.
    await sfn.send(new StartExecutionCommand({ stateMachineArn: ok, name: 'l-5', input: '{"order":"l-5"}' }));
    const p2 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, statusFilter: 'RUNNING', maxResults: 2, nextToken: p1.nextToken }));
    expect(p2.executions?.map((e) => e.name)).toEqual(['l-0']);
    expect(p2.nextToken).toBeUndefined();
  });

  it('fails with StateMachineTypeNotSupported for an Express machine', async () => {
    const express = await createMachine(sfn, FAIL, 'EXPRESS');
    expect((await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: express })))).name).toBe('StateMachineTypeNotSupported');
  });
});

describe('StopExecution', () => {
  it('aborts a waiting execution with the given error and cause', async () => {
    const arn = await createMachine(sfn, CALLBACK);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":"stop-me"}' }));
    await tokenFor('stop-me');
    const r = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Ops.Cancelled', cause: 'customer called' }));
    expect(r.stopDate).toBeInstanceOf(Date);
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'ABORTED',
      error: 'Ops.Cancelled',
      cause: 'customer called',
    });
    const events = await eventually(
      async () => (await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }))).events ?? [],
      (e) => e[0]?.type === 'ExecutionAborted',
    );
    expect(events[0]?.type).toBe('ExecutionAborted');
    // The stopped task's token is closed.
    expect((await errorOf(other.send(new SendTaskSuccessCommand({ taskToken: tokens.get('stop-me'), output: '{}' })))).name).toBe('TaskTimedOut');
  });
});

describe('callbacks from another client', () => {
  it('completes a waiting task with SendTaskSuccess; the output flows on', async () => {
    const arn = await createMachine(sfn, CALLBACK);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":"cb-ok"}' }));
    const token = await tokenFor('cb-ok');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    // Visible in the live history, as in AWS.
    const live = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(live.events?.some((e) => e.type === 'TaskScheduled' && (e.taskScheduledEventDetails?.parameters ?? '').includes(token))).toBe(true);
    await other.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await other.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }));
    const d = await waitForEnd(sfn, executionArn as string);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output as string)).toEqual({ approved: true });
    // A second answer finds the task closed.
    expect(await errorOf(other.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toMatchObject({ name: 'TaskTimedOut', status: 400 });
  });

  it('fails a waiting task with SendTaskFailure; the error fails the execution', async () => {
    const arn = await createMachine(sfn, CALLBACK);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":"cb-fail"}' }));
    await other.send(new SendTaskFailureCommand({ taskToken: await tokenFor('cb-fail'), error: 'Approval.Denied', cause: 'too risky' }));
    expect(await waitForEnd(sfn, executionArn as string)).toMatchObject({ status: 'FAILED', error: 'Approval.Denied', cause: 'too risky' });
  });

  it('refuses output that is not JSON with InvalidOutput, leaving the task open', async () => {
    const arn = await createMachine(sfn, CALLBACK);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":"cb-bad"}' }));
    const token = await tokenFor('cb-bad');
    expect((await errorOf(other.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })))).name).toBe('InvalidOutput');
    await other.send(new SendTaskSuccessCommand({ taskToken: token, output: '1' }));
    expect((await waitForEnd(sfn, executionArn as string)).output).toBe('1');
  });

  it('fails with TaskDoesNotExist for a token it never issued', async () => {
    expect(await errorOf(other.send(new SendTaskSuccessCommand({ taskToken: 'f'.repeat(64), output: '{}' })))).toMatchObject({
      name: 'TaskDoesNotExist',
      status: 400,
    });
    expect((await errorOf(other.send(new SendTaskHeartbeatCommand({ taskToken: 'f'.repeat(64) })))).name).toBe('TaskDoesNotExist');
  });
});

describe('StartSyncExecution (Express)', () => {
  it('runs to the end and returns the output, billing details and status', async () => {
    const arn = await createMachine(sfn, COMPUTE, 'EXPRESS');
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, name: 'sync-1', input: JSON.stringify({ n: 2, items: [5] }) }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', name: 'sync-1', stateMachineArn: arn, input: '{"n":2,"items":[5]}' });
    expect(r.executionArn).toMatch(/:express:sm-\d+:sync-1$/);
    expect(JSON.parse(r.output as string)).toEqual({ n: 4, items: [5], mapped: [{ v: 6 }] });
    expect(r.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
  });

  it('reports a failure with error and cause and no output', async () => {
    const arn = await createMachine(sfn, FAIL, 'EXPRESS');
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }));
    expect(r).toMatchObject({ status: 'FAILED', error: 'Order.Rejected', cause: 'total too high' });
    expect(r.output).toBeUndefined();
  });

  it('fails with StateMachineTypeNotSupported on a Standard machine', async () => {
    const arn = await createMachine(sfn, FAIL);
    expect(await errorOf(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn })))).toMatchObject({
      name: 'StateMachineTypeNotSupported',
      status: 400,
    });
  });

  it('starts Express executions asynchronously too, without a record to describe', async () => {
    const arn = await createMachine(sfn, COMPUTE, 'EXPRESS');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"n":1,"items":[]}' }));
    expect(executionArn).toContain(':express:');
    expect((await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn })))).name).toBe('InvalidArn');
  });
});

describe('many executions at once', () => {
  it('runs 500 executions started concurrently, each once with its own output', async () => {
    const arn = await createMachine(sfn, COMPUTE);
    const N = 500;
    const started = await Promise.all(
      Array.from({ length: N }, (_v, i) =>
        sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: `c-${i}`, input: JSON.stringify({ n: i, items: [i] }) })),
      ),
    );
    expect(new Set(started.map((s) => s.executionArn)).size).toBe(N);
    const done = await Promise.all(started.map((s) => waitForEnd(sfn, s.executionArn as string, 30_000)));
    done.forEach((d, i) => {
      expect(d.status).toBe('SUCCEEDED');
      expect(d.name).toBe(`c-${i}`);
      expect(JSON.parse(d.output as string)).toEqual({ n: 2 * i, items: [i], mapped: [{ v: i + 1 }] });
    });
    const listed: string[] = [];
    let nextToken: string | undefined;
    do {
      const p = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1000, nextToken }));
      listed.push(...(p.executions ?? []).map((e) => e.name as string));
      nextToken = p.nextToken;
    } while (nextToken);
    expect(listed).toHaveLength(N);
    expect(new Set(listed).size).toBe(N);
  });
});
