// Activities through the real @aws-sdk/client-sfn: workers long-poll GetActivityTask, as
// `sfn.Activity` workers do, and answer with SendTask* from their own client.
import {
  CreateActivityCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  GetActivityTaskCommand,
  ListActivitiesCommand,
  ListTagsForResourceCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  GetExecutionHistoryCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { StepwiseServer } from '../../lib/server/server';
import { createMachine, errorOf, eventually, serve, sfnClient, waitForEnd } from './harness';

let server: StepwiseServer;
let sfn: SFNClient;
let worker: SFNClient;

beforeAll(async () => {
  server = await serve({ virtualTime: true, activityPollMs: 300 });
  sfn = sfnClient(server);
  worker = sfnClient(server);
});
afterAll(async () => {
  sfn.destroy();
  worker.destroy();
  await server.close();
});

const usesActivity = (activityArn: string, extra: object = {}) => ({
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: activityArn, Parameters: { 'job.$': '$.job' }, ResultPath: '$.result', End: true, ...extra } },
});

describe('activity resources', () => {
  it('creates (idempotently), describes, lists, tags and deletes an activity', async () => {
    const a = await sfn.send(new CreateActivityCommand({ name: 'crud', tags: [{ key: 'team', value: 'ops' }] }));
    expect(a.activityArn).toBe('arn:aws:states:us-east-1:123456789012:activity:crud');
    expect((await sfn.send(new CreateActivityCommand({ name: 'crud' }))).activityArn).toBe(a.activityArn);
    expect(await sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn }))).toMatchObject({ name: 'crud', activityArn: a.activityArn });
    expect((await sfn.send(new ListActivitiesCommand({}))).activities?.map((x) => x.name)).toContain('crud');
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: a.activityArn }))).tags).toEqual([{ key: 'team', value: 'ops' }]);
    await sfn.send(new DeleteActivityCommand({ activityArn: a.activityArn }));
    expect(await errorOf(sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn })))).toMatchObject({ name: 'ActivityDoesNotExist', status: 400 });
  });

  it('fails with ActivityDoesNotExist, InvalidArn and InvalidName', async () => {
    expect((await errorOf(worker.send(new GetActivityTaskCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:activity:ghost' })))).name).toBe(
      'ActivityDoesNotExist',
    );
    expect((await errorOf(worker.send(new GetActivityTaskCommand({ activityArn: 'ghost' })))).name).toBe('InvalidArn');
    expect((await errorOf(sfn.send(new CreateActivityCommand({ name: 'bad name' })))).name).toBe('InvalidName');
  });
});

describe('activity workers', () => {
  it('hands a task to a worker already polling; its answer completes the Task state', async () => {
    // GIVEN a worker waiting on the activity before any execution starts
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'long-poll' }));
    const arn = await createMachine(sfn, usesActivity(activityArn as string));
    const polled = worker.send(new GetActivityTaskCommand({ activityArn, workerName: 'w1' }));
    // WHEN an execution reaches the activity state
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ job: 'pack-42' }) }));
    const task = await polled;
    // THEN the worker gets the effective input and a token
    expect(JSON.parse(task.input as string)).toEqual({ job: 'pack-42' });
    await worker.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
    await worker.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify({ packed: true }) }));
    const d = await waitForEnd(sfn, executionArn as string);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output as string)).toEqual({ job: 'pack-42', result: { packed: true } });
  });

  it('queues tasks for workers that poll later, each task to one worker, oldest first', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'queued' }));
    const arn = await createMachine(sfn, usesActivity(activityArn as string));
    const runs = [];
    for (const job of ['a', 'b', 'c'])
      runs.push((await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ job }) }))).executionArn as string);
    await new Promise((r) => setTimeout(r, 50));
    const tasks = await Promise.all([0, 1, 2].map(() => worker.send(new GetActivityTaskCommand({ activityArn }))));
    expect(tasks.map((t) => JSON.parse(t.input as string).job)).toEqual(['a', 'b', 'c']);
    expect(new Set(tasks.map((t) => t.taskToken)).size).toBe(3);
    for (const t of tasks) await worker.send(new SendTaskSuccessCommand({ taskToken: t.taskToken, output: '"done"' }));
    for (const r of runs) expect((await waitForEnd(sfn, r)).status).toBe('SUCCEEDED');
  });

  it('answers a poll with no task with empty members after the poll time', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'idle' }));
    const t0 = Date.now();
    const task = await worker.send(new GetActivityTaskCommand({ activityArn }));
    expect(task.taskToken).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('fails the execution with the error a worker sends', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'failing' }));
    const arn = await createMachine(sfn, usesActivity(activityArn as string));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":"x"}' }));
    const task = await worker.send(new GetActivityTaskCommand({ activityArn }));
    await worker.send(new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Worker.Crashed', cause: 'disk full' }));
    expect(await waitForEnd(sfn, executionArn as string)).toMatchObject({ status: 'FAILED', error: 'Worker.Crashed', cause: 'disk full' });
  });

  it('times the task out after HeartbeatSeconds without a heartbeat; a late answer gets TaskTimedOut', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'silent' }));
    const arn = await createMachine(sfn, usesActivity(activityArn as string, { HeartbeatSeconds: 1 }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":"x"}' }));
    const task = await worker.send(new GetActivityTaskCommand({ activityArn }));
    expect(await waitForEnd(sfn, executionArn as string)).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(await errorOf(worker.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' })))).toMatchObject({
      name: 'TaskTimedOut',
      status: 400,
    });
  });

  it('withdraws the task of a stopped execution: no worker receives it, and the history ends aborted', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'withdrawn' }));
    const arn = await createMachine(sfn, usesActivity(activityArn as string));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":"x"}' }));
    await new Promise((r) => setTimeout(r, 50));
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Ops.Cancelled' }));
    expect((await worker.send(new GetActivityTaskCommand({ activityArn }))).taskToken).toBeUndefined();
    const last = await eventually(
      async () => (await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }))).events?.[0]?.type,
      (t) => t === 'ExecutionAborted',
    );
    expect(last).toBe('ExecutionAborted');
  });

  it('fails an execution whose activity does not exist, naming it', async () => {
    const arn = await createMachine(sfn, usesActivity('arn:aws:states:us-east-1:123456789012:activity:never-created'));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"job":"x"}' }));
    const d = await waitForEnd(sfn, executionArn as string);
    expect(d.status).toBe('FAILED');
    expect(d.cause).toMatch(/never-created/);
  });
});
