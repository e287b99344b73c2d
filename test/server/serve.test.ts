// `stepwise serve --app`: the order workflow of a synthesized app, created at start and bound to
// its handlers and a local DynamoDB, run end to end through the real @aws-sdk/client-sfn.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStateMachinesCommand, StartExecutionCommand, StartSyncExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { serveCommand } from '../../lib/cli/commands/serve';
import { ExitCode } from '../../lib/cli/exit-codes';
import type { Io } from '../../lib/cli/io';
import { OrderStack } from '../../lib/constructs/order-stack';
import { testApp } from '../../lib/testing';
import { waitForEnd } from './harness';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), stdin: () => '' };
  return io;
}

const dir = mkdtempSync(join(tmpdir(), 'stepwise-serve-'));
const outdir = join(dir, 'cdk.out');
const seed = join(dir, 'seed.json');
const order = (orderId: string, sku: string) => ({
  orderId,
  customerId: 'cust-42',
  items: [{ sku, quantity: 2, unitPrice: 1500 }],
  payment: { token: 'tok_visa' },
  address: { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
});

let stop: () => void;
let served: Promise<ExitCode>;
let client: SFNClient;
const io = capture();

beforeAll(async () => {
  const app = testApp({ outdir });
  new OrderStack(app, 'ServeStandard', { workflow: { stateMachineType: sfn.StateMachineType.STANDARD } });
  new OrderStack(app, 'ServeExpress', { workflow: { stateMachineType: sfn.StateMachineType.EXPRESS } });
  app.synth();
  writeFileSync(seed, JSON.stringify({ InventoryTable: [{ sku: 'serve-book', stock: 100 }] }));
  const until = new Promise<void>((resolve) => (stop = resolve));
  served = serveCommand({ app: outdir, port: 0, localDynamodb: true, seed, virtualTime: true }, io, until);
  const url = await new Promise<string>((resolve, reject) => {
    const t0 = Date.now();
    const poll = () => {
      const m = /listening on (http:\/\/\S+)/.exec(io.stdout);
      if (m) return resolve(m[1] as string);
      if (io.stderr || Date.now() - t0 > 30_000) return reject(new Error(`serve did not start: ${io.stderr}`));
      setTimeout(poll, 20);
    };
    poll();
  });
  client = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, disableHostPrefix: true });
});

afterAll(async () => {
  client.destroy();
  stop();
  expect(await served).toBe(ExitCode.OK);
});

const arnOf = async (prefix: string) => {
  const list = await client.send(new ListStateMachinesCommand({}));
  return list.stateMachines?.find((m) => m.name?.startsWith(prefix))?.stateMachineArn as string;
};

describe('stepwise serve --app', () => {
  it("creates the app's state machines at start and prints their ARNs", async () => {
    const list = await client.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => [m.type, m.name?.split('-')[0]])).toEqual(
      expect.arrayContaining([
        ['STANDARD', expect.stringContaining('ServeStandard')],
        ['EXPRESS', expect.stringContaining('ServeExpress')],
      ]),
    );
    expect(io.stdout).toContain(':stateMachine:');
  });

  it('runs the Standard order workflow end to end with StartExecution', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: await arnOf('ServeStandard'), input: JSON.stringify(order('serve-1', 'serve-book')) }),
    );
    const d = await waitForEnd(client, executionArn as string, 30_000);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output as string)).toMatchObject({ order: { orderId: 'serve-1', total: 3000 }, shipment: { trackingNumber: 'TRK-serve-1' } });
  });

  it('runs the Express order workflow with StartSyncExecution, and fails an out-of-stock order', async () => {
    const express = await arnOf('ServeExpress');
    const ok = await client.send(new StartSyncExecutionCommand({ stateMachineArn: express, input: JSON.stringify(order('serve-2', 'serve-book')) }));
    expect(ok.status).toBe('SUCCEEDED');
    const missing = await client.send(new StartSyncExecutionCommand({ stateMachineArn: express, input: JSON.stringify(order('serve-3', 'no-such-sku')) }));
    expect(missing.status).toBe('FAILED');
    expect(missing.error).toBeDefined();
  });

  it('exits 6 (LOAD_ERROR) without a cloud assembly', async () => {
    const errIo = capture();
    expect(await serveCommand({ app: join(dir, 'missing'), port: 0 }, errIo, Promise.resolve())).toBe(ExitCode.LOAD_ERROR);
    expect(errIo.stderr).toMatch(/cdk synth/);
  });
});
