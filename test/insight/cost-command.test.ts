// stepwise cost on a definition file: it runs each input, and prints both columns with the
// assumptions; bad options are usage errors that say what they expected.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costCommand, parseRate } from '../../lib/cli/commands/cost';
import { ExitCode } from '../../lib/cli/exit-codes';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { OrderStack } from '../../lib/constructs/order-stack';
import { testApp } from '../../lib/testing';
import { sampleOrder } from '../helpers/dynamodb';

const dir = mkdtempSync(join(tmpdir(), 'sw-cost-'));
const file = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(value));
  return p;
};
// Check → (big: Wait 400 s) → Done: 3 states for a big order, 2 for a small one.
const definition = file('machine.json', {
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.big', BooleanEquals: true, Next: 'Slow' }], Default: 'Done' },
    Slow: { Type: 'Wait', Seconds: 400, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
});
const capture = () => {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), stdin: () => '' };
  return io;
};

describe('stepwise cost', () => {
  it('averages the inputs it runs and warns about Express limits and quotas', async () => {
    const io = capture();
    const code = await costCommand(
      { definition, input: [file('small.json', { big: false }), file('big.json', { big: true })], rate: '1000000', peak: '400/s', json: true },
      io,
    );
    expect(code).toBe(ExitCode.OK);
    const e = JSON.parse(io.stdout);
    // (2 + 3) / 2 = 2.5 transitions; 1,000,000 × 2.5 = 2,500,000 − 4,000 = 2,496,000 × $0.000025 = $62.40.
    expect(e.standard.transitions).toBe(2.5);
    expect(e.standard.perMonth).toBeCloseTo(62.4, 8);
    // Express: 100 ms (rounded up from 0) and 400,000 ms → mean 200,050 ms billed.
    expect(e.express.billedDurationMs).toBe(200_050);
    expect(e.warnings).toEqual([
      expect.stringMatching(/^Standard: 400 starts\/s exceeds the StartExecution quota/),
      expect.stringMatching(/^Express: an execution runs 400\.0 s, beyond Express's 300-second limit/),
    ]);
  });

  it('prints the table with its assumptions', async () => {
    const io = capture();
    expect(await costCommand({ definition, input: [file('s.json', { big: false })], rate: '100000/month' }, io)).toBe(ExitCode.OK);
    expect(io.stdout).toMatch(/Standard\s+Express/);
    expect(io.stdout).toMatch(/cost per month\s+\$4\.90/); // 100,000 × 2 − 4,000 = 196,000 × $0.000025
    expect(io.stdout).toContain('Assumptions:');
    expect(io.stdout).toContain('handler time: none given or measured');
  });

  it('refuses a rate it cannot read, naming the option', async () => {
    const io = capture();
    expect(await costCommand({ definition, rate: 'lots' }, io)).toBe(ExitCode.USAGE);
    expect(io.stderr).toContain("--rate expects a number of executions a month or a rate like 50/s, 3000/min, 40000/day; got 'lots'");
  });

  it('reads rates per second, minute, hour, day and month (730-hour months)', () => {
    expect(parseRate('100000', 'r')).toBe(100_000);
    expect(parseRate('1/s', 'r')).toBe(2_628_000);
    expect(parseRate('60/min', 'r')).toBe(2_628_000);
    expect(parseRate('1,000/day', 'r')).toBeCloseTo((1000 * 730) / 24, 8);
  });
});

describe('stepwise cost and callbacks', () => {
  it('stops and says so when a run waits for a callback nobody answers, instead of hanging', async () => {
    // The Standard order stack, synthesized: an order above the approval threshold reaches
    // RequestApproval, a .waitForTaskToken Task.
    const outdir = mkdtempSync(join(tmpdir(), 'sw-cost-app-'));
    const app = testApp({ outdir });
    new OrderStack(app, 'CostCallback', { workflow: { stateMachineType: sfn.StateMachineType.STANDARD } });
    app.synth();
    const big = file('big-order.json', sampleOrder({ orderId: 'big-1', items: [{ sku: 'piano', quantity: 1, unitPrice: 150_000 }] }));
    const io = capture();
    const code = await costCommand({ app: outdir, input: [big], localDynamodb: true }, io);
    expect(io.stderr).toContain('State RequestApproval waits for a callback (.waitForTaskToken), which stepwise cost cannot answer');
    expect(code).toBe(ExitCode.USAGE);
  });
});
