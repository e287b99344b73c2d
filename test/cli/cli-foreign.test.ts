// The CLI as a user of another CDK app meets it: complete piped output, its version, messages that
// fit any app, and no run that hangs or ends silently.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { runCommand } from '../../lib/cli/commands/run';
import { validateCommand } from '../../lib/cli/commands/validate';
import { ExitCode } from '../../lib/cli/exit-codes';
import type { Io } from '../../lib/cli/io';
import { testApp } from '../../lib/testing';
import { buildCli } from '../helpers/cli';

function capture(stdin = ''): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), stdin: () => stdin };
  return io;
}

const root = join(__dirname, '..', '..');
// The CLI in a process of its own (test/helpers/cli.ts builds it, as dist/ is laid out).
const built = buildCli();
const cli = (args: string[], input?: string) => built.run(args, { input });
const dir = mkdtempSync(join(tmpdir(), 'stepwise-cli-foreign-'));
const file = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

/** A synthesized app of someone else's: an approval by task token, with an inline function. */
function approvalApp(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'stepwise-cli-approval-'));
  const app = testApp({ outdir });
  const stack = new Stack(app, 'Approvals');
  const notify = new lambda.Function(stack, 'Notify', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ sent: true });'),
  });
  const ask = new tasks.LambdaInvoke(stack, 'AskManager', {
    lambdaFunction: notify,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
  });
  new sfn.StateMachine(stack, 'Approval', { definitionBody: sfn.DefinitionBody.fromChainable(ask) });
  app.synth();
  return outdir;
}

describe('bin/stepwise for any app', () => {
  it('prints complete --json output through a pipe (it was cut at 64 KiB)', () => {
    const big = file('big.json', { StartAt: 'P', States: { P: { Type: 'Pass', Result: { s: 'x'.repeat(200_000) }, End: true } } });
    // A reader that starts late, as a pipe into another program may: the pipe's buffer fills first.
    const command = `"${process.execPath}" "${built.bin}" run --definition "${big}" --json | (sleep 1; cat)`;
    const r = spawnSync('sh', ['-c', command], { encoding: 'utf8', cwd: root, maxBuffer: 64 * 1024 * 1024 });
    expect(r.stdout.length).toBeGreaterThan(200_000);
    expect((JSON.parse(r.stdout) as { output: { s: string } }).output.s).toHaveLength(200_000);
  });

  it('prints its version', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it("names no stack of Stepwise's own in its help", () => {
    const r = cli(['--help']);
    expect(r.stdout).not.toMatch(/StepwiseOrders/);
    expect(r.stdout).toMatch(/stepwise validate --app cdk\.out/);
  });

  it('runs a definition file as EXPRESS with run --type', () => {
    const cb = file('cb.json', {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f' }, End: true } },
    });
    const r = cli(['run', '--definition', cb, '--type', 'EXPRESS']);
    expect(r.status).toBe(ExitCode.INVALID_DEFINITION);
    expect(r.stderr).toMatch(/Express/);
  });
});

describe('stepwise run input', () => {
  const definition = file('pass.json', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

  it('says so when --input - reads an empty standard input', async () => {
    const io = capture('');
    expect(await runCommand({ definition, input: '-' }, io)).toBe(ExitCode.LOAD_ERROR);
    expect(io.stderr).toMatch(/^Standard input is empty/);
  });

  it('refuses an input over 256 KiB before running, with both sizes, as StartExecution does', async () => {
    const io = capture();
    const input = file('big-input.json', { a: 'x'.repeat(300_000) });
    expect(await runCommand({ definition, input, json: true }, io)).toBe(ExitCode.LOAD_ERROR);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain('is 300,008 bytes; StartExecution accepts at most 262,144 bytes (256 KiB)');
  });

  it('lists no empty set of known functions for a definition file', async () => {
    const io = capture();
    const lambdaDef = file('lambda.json', {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } },
    });
    // A setup problem aborts the run (it is not the workflow failing).
    expect(await runCommand({ definition: lambdaDef }, io)).toBe(ExitCode.LOAD_ERROR);
    expect(io.stderr).not.toMatch(/known: \)/);
    expect(io.stderr).toMatch(/no Lambda functions are known to this run: mock the task/);
  });
});

describe('a .waitForTaskToken task nobody answers', () => {
  const app = approvalApp();

  it('stops the run and says which state waits and how to answer it', async () => {
    const io = capture();
    expect(await runCommand({ app, stateMachine: 'Approval' }, io)).toBe(ExitCode.ABORTED);
    expect(io.stderr).toContain("The state 'AskManager' waits for a task token");
    expect(io.stderr).toContain("--task-success 'AskManager=<output JSON>'");
    expect(io.stderr).toContain('--mock');
    expect(io.stderr).toContain('sendTaskSuccess');
  });

  it('is answered by --task-success', async () => {
    const io = capture();
    expect(await runCommand({ app, stateMachine: 'Approval', taskSuccess: ['AskManager={"approved":true}'], json: true }, io)).toBe(ExitCode.OK);
    expect(JSON.parse(io.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
  });
});

describe('stepwise validate of an app', () => {
  const app = approvalApp();

  it('reads the state machine from a cloud assembly', () => {
    const io = capture();
    expect(validateCommand(undefined, { app, stateMachine: 'Approval' }, io)).toBe(ExitCode.OK);
    expect(io.stdout).toBe('Approvals/Approval: valid STANDARD state machine definition\n');
  });

  it('reads it from a template, with the type the template gives', () => {
    const io = capture();
    expect(validateCommand(join(app, 'Approvals.template.json'), { type: 'EXPRESS' }, io)).toBe(ExitCode.USAGE);
    expect(io.stderr).toMatch(/--type EXPRESS contradicts the template: .* is STANDARD/);
    const ok = capture();
    expect(validateCommand(join(app, 'Approvals.template.json'), {}, ok)).toBe(ExitCode.OK);
  });

  it('says what to give when given nothing', () => {
    const io = capture();
    expect(validateCommand(undefined, {}, io)).toBe(ExitCode.USAGE);
    expect(io.stderr).toMatch(/--app/);
  });
});
