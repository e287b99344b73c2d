// The one construct test that bundles: a step's handler, as `cdk synth` packages it (esbuild,
// Powertools and zod inside, the AWS SDK left to the runtime), loads and runs on this Node.js.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createStepFunction } from '../../lib/constructs/order-functions';
import { testApp } from '../../lib/testing';

describe('a bundled step function', () => {
  // GIVEN ProcessPayment bundled by a real synth (Powertools idempotency, parser, logger, tracer, metrics)
  // Asset metadata on resources, as the CDK CLI asks for it; the assembly inside the repository
  // (cdk.out is ignored) so the bundle finds the AWS SDK in node_modules, as Lambda's runtime provides it.
  // testApp keeps the bundling and skips only the built-in CloudFormation validation, whose schema
  // takes seconds to load and which this test, about the bundle, does not look at.
  const root = join(__dirname, '..', '..', 'cdk.out');
  mkdirSync(root, { recursive: true });
  const outdir = mkdtempSync(join(root, 'bundle-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const app = testApp({ outdir, bundling: true, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Bundled');
  createStepFunction(stack, 'processPayment', { environment: { IDEMPOTENCY_TABLE: 'idempotency' }, tracing: true, logRetention: logs.RetentionDays.ONE_DAY });
  const assembly = app.synth();
  const resources = Object.values(assembly.getStackByName('Bundled').template.Resources as Record<string, { Type: string; Metadata?: Record<string, string> }>);
  const dir = join(assembly.directory, resources.find((r) => r.Type === 'AWS::Lambda::Function')?.Metadata?.['aws:asset:path'] ?? 'missing');

  it('leaves the AWS SDK out and stays small', () => {
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    expect(code).toMatch(/require\("@aws-sdk\/client-dynamodb"\)/);
    expect(statSync(join(dir, 'index.js')).size).toBeLessThan(400 * 1024);
  });

  it('loads without output and rejects a malformed order with InvalidOrderError naming the field', async () => {
    const write = jest.spyOn(process.stdout, 'write');
    const warn = jest.spyOn(console, 'warn');
    const { handler } = require(join(dir, 'index.js')) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
    await expect(handler({ order: { orderId: 'o-1' }, attempt: 0 }, {})).rejects.toMatchObject({
      name: 'InvalidOrderError',
      message: expect.stringContaining('order.customerId must be a non-empty string'),
    });
    expect(write).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    write.mockRestore();
    warn.mockRestore();
  });
});
