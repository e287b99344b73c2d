// One test-setup measurement, run by run.ts in a fresh process: build the order stack and
// synthesize it, as a Jest file's setup does before loadStateMachine. `full` uses `new App()`
// (esbuild bundling and CloudFormation validation), `test` uses testApp() (neither).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { OrderStack } from '../lib/constructs/order-stack';
import { testApp } from '../lib/testing/app';

const mode = process.argv[2];
if (mode !== 'full' && mode !== 'test') throw new Error(`usage: setup.ts full|test (got ${mode})`);
const outdir = mkdtempSync(join(tmpdir(), 'stepwise-bench-setup-'));
try {
  // Module loading is the same for both and is left out: the clock starts at the App.
  const t0 = performance.now();
  const app = mode === 'full' ? new App({ outdir }) : testApp({ outdir });
  new OrderStack(app, 'BenchSetup');
  app.synth();
  process.stdout.write(`${JSON.stringify({ wallMs: performance.now() - t0 })}\n`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
