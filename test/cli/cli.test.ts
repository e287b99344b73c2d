import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, type RunJson } from '../../lib/cli/commands/run';
import { validateCommand } from '../../lib/cli/commands/validate';
import { ExitCode } from '../../lib/cli/exit-codes';
import type { Io } from '../../lib/cli/io';
import { foreignStack } from '../fixtures/foreign/app';
import { testApp } from '../../lib/testing';
import { buildCli } from '../helpers/cli';

function capture(stdin = ''): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), stdin: () => stdin };
  return io;
}

const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-'));
const file = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

const definition = file('machine.json', {
  StartAt: 'Pay',
  States: {
    Pay: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'pay', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Next: 'Check',
    },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Declined' },
    Done: { Type: 'Succeed' },
    Declined: { Type: 'Fail', Error: 'PaymentDeclined', Cause: 'card refused' },
  },
});
const mocks = file('mocks.json', {
  StateMachines: { Shop: { TestCases: { Ok: { Pay: 'PayOk' }, Refused: { Pay: 'PayRefused' } } } },
  MockedResponses: { PayOk: { '0': { Return: { Payload: { ok: true, id: 7 } } } }, PayRefused: { '0': { Return: { Payload: { ok: false } } } } },
});

describe('stepwise validate', () => {
  it('accepts a valid definition with exit code 0', () => {
    const io = capture();
    expect(validateCommand(definition, {}, io)).toBe(ExitCode.OK);
    expect(io.stdout).toContain('valid STANDARD state machine definition');
  });

  it('prints every problem with its pointer and exits 3', () => {
    const io = capture();
    const bad = file('bad.json', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere', InputPath: 'x' } } });
    expect(validateCommand(bad, {}, io)).toBe(ExitCode.INVALID_DEFINITION);
    expect(io.stdout).toMatch(/\/States\/A\/Next\s+MISSING_TRANSITION_TARGET: .*'Nowhere'/);
    expect(io.stdout).toMatch(/\/States\/A\/InputPath/);
  });

  it('checks Express restrictions with --type EXPRESS, as JSON', () => {
    const io = capture();
    const cb = file('cb.json', {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f' }, End: true } },
    });
    expect(validateCommand(cb, { type: 'EXPRESS', json: true }, io)).toBe(ExitCode.INVALID_DEFINITION);
    expect(JSON.parse(io.stdout)).toEqual({ valid: false, problems: [{ pointer: '/States/T/Resource', message: expect.stringContaining('Express') }] });
  });

  it('exits 6 for a file that is not JSON, naming it', () => {
    const io = capture();
    expect(validateCommand(file('text.json', 'not json'), {}, io)).toBe(ExitCode.LOAD_ERROR);
    expect(io.stderr).toMatch(/text\.json is not valid JSON/);
  });
});

describe('stepwise run', () => {
  it('prints { status, output, error, cause, path } with --json and exits 0 on success', async () => {
    const io = capture('{"order": 1}');
    const code = await runCommand({ definition, input: '-', mock: mocks, stateMachine: 'Shop#Ok', json: true }, io);
    expect(io.stderr).toBe('');
    expect(code).toBe(ExitCode.OK);
    const out = JSON.parse(io.stdout) as RunJson;
    expect(out).toEqual({ status: 'SUCCEEDED', output: { ok: true, id: 7 }, error: null, cause: null, path: ['Pay', 'Check', 'Done'], sent: [] });
  });

  it('exits 1 with the error and cause when the execution fails', async () => {
    const io = capture();
    const code = await runCommand({ definition, mock: mocks, stateMachine: 'Shop', testCase: 'Refused', json: true }, io);
    expect(code).toBe(ExitCode.EXECUTION_FAILED);
    expect(JSON.parse(io.stdout)).toMatchObject({
      status: 'FAILED',
      output: null,
      error: 'PaymentDeclined',
      cause: 'card refused',
      path: ['Pay', 'Check', 'Declined'],
    });
  });

  it('shows each state with its timing and the final status', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'stepwise-cli-app-'));
    const app = testApp({ outdir, bundling: true });
    foreignStack(app);
    app.synth();
    const io = capture();
    const code = await runCommand({ app: outdir, stateMachine: 'Foreign', input: file('in.json', { numbers: [1, 2], label: 'l' }) }, io);
    expect(code).toBe(ExitCode.OK);
    expect(io.stdout).toMatch(/✓ Double\s+Task\s+[\d.]+ ms/);
    expect(io.stdout).toMatch(/\nSUCCEEDED {2}6 states, 26 events,/);
  });

  it('exits 6 and says to run cdk synth when there is no cloud assembly', async () => {
    const io = capture();
    expect(await runCommand({ app: join(dir, 'nothing') }, io)).toBe(ExitCode.LOAD_ERROR);
    expect(io.stderr).toMatch(/run `cdk synth` first/);
  });

  it('exits 3 for an invalid definition file', async () => {
    const io = capture();
    expect(await runCommand({ definition: file('inv.json', { StartAt: 'X', States: {} }) }, io)).toBe(ExitCode.INVALID_DEFINITION);
    expect(io.stderr).toContain('/States');
  });

  it('exits 2 when a test case is given without a mock file', async () => {
    const io = capture();
    expect(await runCommand({ definition, stateMachine: 'Shop#Ok' }, io)).toBe(ExitCode.USAGE);
  });
});

describe('bin/stepwise', () => {
  // The CLI in a process of its own (test/helpers/cli.ts builds it, as dist/ is laid out).
  const built = buildCli();
  const cli = (...args: string[]) => built.run(args);

  it('lists the commands, examples and exit codes in --help', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/run \[options\]/);
    expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+SUCCEEDED/);
  });

  it('exits 2 for an unknown option and 3 for an invalid definition', () => {
    expect(cli('run', '--bogus').status).toBe(ExitCode.USAGE);
    expect(cli('validate', file('inv2.json', { StartAt: 'X', States: {} })).status).toBe(ExitCode.INVALID_DEFINITION);
  });
});
