// `stepwise run --app <cdk.out> --local-dynamodb --json` on an app that calls services directly:
// the exact output, and what the run sent under "sent".
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type RunJson } from '../../lib/cli/commands/run';
import { ExitCode } from '../../lib/cli/exit-codes';
import type { Io } from '../../lib/cli/io';
import { testApp } from '../../lib/testing';
import { BUS, integrationsStack, QUEUE, TOPIC } from '../fixtures/integrations/app';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-integrations-'));
const outdir = join(dir, 'cdk.out');
const app = testApp({ outdir });
integrationsStack(app);
app.synth();

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), stdin: () => '' };
  return io;
}

const input = (value: unknown) => {
  const p = join(dir, `input-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, JSON.stringify(value));
  return p;
};

describe('stepwise run --local-dynamodb --json on an app with service integrations', () => {
  it('runs to the exact output and reports what was sent', async () => {
    const io = capture();
    const code = await runCommand(
      { app: outdir, stateMachine: 'Parent', input: input({ orderId: 'c-1', total: 9, failChild: false }), localDynamodb: true, json: true, randomSeed: 5 },
      io,
    );
    expect(io.stderr).toBe('');
    expect(code).toBe(ExitCode.OK);
    const out = JSON.parse(io.stdout) as RunJson;
    const executionArn = (out.sent[2]!.message as { Resources: string[] }).Resources[0] as string;
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:Parent:[0-9a-f-]{36}$/);
    expect(out.sent).toEqual([
      { service: 'sqs', target: `https://sqs.us-east-1.amazonaws.com/123456789012/${QUEUE}`, message: { orderId: 'c-1' } },
      { service: 'sns', target: `arn:aws:sns:us-east-1:123456789012:${TOPIC}`, message: 'Order c-1 paid' },
      {
        service: 'events',
        target: BUS,
        message: {
          Detail: { orderId: 'c-1' },
          DetailType: 'OrderPaid',
          EventBusName: BUS,
          Source: 'shop.orders',
          Resources: [executionArn, 'arn:aws:states:us-east-1:123456789012:stateMachine:Parent'],
        },
      },
    ]);
    const output = out.output as Record<string, unknown>;
    expect({ ...output, sqs: undefined }).toEqual({
      orderId: 'c-1',
      total: 9,
      failChild: false,
      update: { status: 'PAID' },
      read: { item: { pk: { S: 'c-1' }, status: { S: 'PAID' }, total: { N: '9' } } },
      scan: { count: 1 },
      sqs: undefined,
      events: { failed: 0 },
      child: { output: JSON.stringify({ orderId: 'c-1', parent: executionArn }), status: 'SUCCEEDED' },
      child2: { output: { orderId: 'c-1', parent: executionArn } },
      audit: { arn: 'arn:aws:states:us-east-1:123456789012:execution:Child:audit' },
      delete: { deleted: 'c-1' },
    });
    expect(output.sqs).toEqual({ md5: createHash('md5').update('{"orderId":"c-1"}').digest('hex'), id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('fails with States.TaskFailed when the child fails under .sync', async () => {
    const io = capture();
    const code = await runCommand(
      { app: outdir, stateMachine: 'Parent', input: input({ orderId: 'c-2', total: 1, failChild: true }), localDynamodb: true, json: true },
      io,
    );
    expect(code).toBe(ExitCode.EXECUTION_FAILED);
    const out = JSON.parse(io.stdout) as RunJson;
    expect(out.error).toBe('States.TaskFailed');
    expect(JSON.parse(out.cause as string)).toMatchObject({ Status: 'FAILED', Error: 'Child.Refused' });
  });

  it('refuses before the run, naming the state, when DynamoDB tasks have no local DynamoDB', async () => {
    const io = capture();
    const code = await runCommand({ app: outdir, stateMachine: 'Parent', input: input({ orderId: 'c-3' }), json: true }, io);
    expect(code).toBe(ExitCode.LOAD_ERROR);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain("State 'PutOrder' calls arn:aws:states:::dynamodb:putItem, which needs a local DynamoDB");
  });
});
