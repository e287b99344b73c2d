#!/usr/bin/env node
// The stepwise CLI: builds the commander program; each command is a function in lib/cli/commands.
import { Command, InvalidArgumentError, Option } from 'commander';
import { runCommand } from '../lib/cli/commands/run';
import { serveCommand } from '../lib/cli/commands/serve';
import { validateCommand } from '../lib/cli/commands/validate';
import { graphCommand } from '../lib/cli/commands/graph';
import { costCommand } from '../lib/cli/commands/cost';
import { EXIT_CODE_HELP, ExitCode } from '../lib/cli/exit-codes';
import { processIo } from '../lib/cli/io';
import { packageVersion } from '../lib/cli/version';

const program = new Command('stepwise')
  .description('Run and check AWS Step Functions state machines locally, from your CDK app (stepwise-cdk).')
  .version(packageVersion(), '-V, --version', 'print the version of stepwise-cdk')
  .exitOverride()
  .addHelpText(
    'after',
    `
Examples:
  $ npx cdk synth && stepwise run --state-machine MyStack/MyStateMachine --input input.json --local-dynamodb
  $ stepwise run --definition machine.asl.json --type EXPRESS --input - --json < input.json
  $ stepwise validate --app cdk.out --state-machine MyStack/MyStateMachine
  $ stepwise validate machine.asl.json --type EXPRESS
  $ stepwise serve --app cdk.out --local-dynamodb --seed seed.json --virtual-time

Exit codes:
${EXIT_CODE_HELP}`,
  );

const collect = (value: string, previous: string[] = []) => [...previous, value];
const integer = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
};

let exitCode: ExitCode = ExitCode.OK;

program
  .command('run')
  .description('run a state machine of a synthesized CDK app (cdk.out) or an ASL definition file')
  .option('--app <dir>', 'cloud assembly folder from `cdk synth`', 'cdk.out')
  .option('--definition <file>', 'run an ASL definition file instead of a CDK app')
  .option('--state-machine <selector>', 'logical id, construct path or stack name; append #TestCase to use a mock test case')
  .option('--input <file>', 'execution input JSON file, or - for standard input')
  .option('--mock <file>', 'Step Functions Local mock configuration file (MockConfigFile.json)')
  .option('--test-case <name>', 'test case of the mock file')
  .addOption(new Option('--handlers <mode>', 'how Lambda handlers run').choices(['auto', 'source', 'asset', 'aws']).default('auto'))
  .option('--local-dynamodb', "start a local DynamoDB with the stack's tables for the handlers")
  .option('--seed <file>', 'items for the local tables: { "<table>": [items] }')
  .option('--env <KEY=VALUE>', 'extra environment variable for the handlers (repeatable)', collect)
  .option('--replay', 'deliver every task twice (Express at-least-once) to test idempotency')
  .option('--real-time', 'let Wait states and retries take real time')
  .option('--random-seed <n>', 'seed for execution names, UUIDs and jitter', integer)
  .addOption(new Option('--type <type>', 'workflow type of a --definition file (default: STANDARD)').choices(['STANDARD', 'EXPRESS']))
  .option('--task-success <state=json>', 'answer the .waitForTaskToken task of this state with SendTaskSuccess and this output (repeatable)', collect)
  .option('--json', 'print one JSON object { status, output, error, cause, path }')
  .option('--html <file>', 'also write the execution viewer: one self-contained HTML file (graph, path taken, inputs/outputs, timeline)')
  .action(async (opts) => {
    exitCode = await runCommand(opts, processIo);
  });

program
  .command('validate [file]')
  .description('check a state machine as CreateStateMachine would (an ASL file, a CloudFormation template or --app); print every problem with its JSON pointer')
  .addOption(new Option('--type <type>', "state machine type (default: the template's, else STANDARD)").choices(['STANDARD', 'EXPRESS']))
  .option('--app <dir>', 'read the state machine from a cloud assembly (`cdk synth` output)')
  .option('--state-machine <selector>', 'which state machine of the template or assembly: logical id, construct path or stack name')
  .option('--json', 'print { valid, problems }')
  .action((file: string | undefined, opts) => {
    exitCode = validateCommand(file, opts, processIo);
  });

program
  .command('graph')
  .description('print a state machine as a Mermaid flowchart (for READMEs and pull requests)')
  .option('--app <dir>', 'cloud assembly folder from `cdk synth`', 'cdk.out')
  .option('--definition <file>', 'an ASL definition file instead of a CDK app')
  .option('--state-machine <selector>', 'logical id, construct path or stack name')
  .action((opts) => {
    exitCode = graphCommand(opts, processIo);
  });

program
  .command('cost')
  .description('run a state machine locally and estimate its AWS cost per execution and per month, Standard vs Express')
  .option('--app <dir>', 'cloud assembly folder from `cdk synth`', 'cdk.out')
  .option('--definition <file>', 'an ASL definition file instead of a CDK app')
  .option('--state-machine <selector>', 'logical id, construct path or stack name')
  .option('--input <file>', 'execution input JSON file, one execution each (repeatable)', collect)
  .option('--rate <rate>', 'executions a month (100000) or a rate: 50/s, 3000/min, 2000/h, 40000/day')
  .option('--peak <rate>', 'peak start rate for the quota warnings, e.g. 500/s (default: the rate spread evenly)')
  .option('--task-ms <ms>', 'handler time per Task attempt: 120, or State=120 (repeatable); default: measured locally', collect)
  .option('--memory-mb <mb>', "Express memory to bill instead of AWS's estimate", Number)
  .option('--mock <file>', 'Step Functions Local mock configuration file (MockConfigFile.json)')
  .option('--test-case <name>', 'test case of the mock file')
  .option('--local-dynamodb', "start a local DynamoDB with the stack's tables for the handlers")
  .option('--seed <file>', 'items for the local tables: { "<table>": [items] }')
  .option('--json', 'print the estimate as JSON')
  .action(async (opts) => {
    exitCode = await costCommand(opts, processIo);
  });

program
  .command('serve')
  .description('serve the Step Functions API (and Lambda Invoke) locally for the AWS SDK and CLI (--endpoint-url)')
  .option('--port <n>', 'port to listen on (0 picks a free one)', integer, 8083)
  .option('--host <address>', 'interface to listen on', '127.0.0.1')
  .option('--app <dir>', 'cloud assembly (cdk.out) whose state machines are created at start, bound to their handlers')
  .option('--mock <file>', 'Step Functions Local mock file; start <stateMachineArn>#<TestCase> to use a test case')
  .option('--virtual-time', 'let Wait states and retries take no real time')
  .addOption(new Option('--handlers <mode>', 'how Lambda handlers run').choices(['auto', 'source', 'asset', 'aws']).default('auto'))
  .option('--lambda-endpoint <url>', 'with --handlers aws: the Lambda endpoint to invoke')
  .option('--local-dynamodb', "start a local DynamoDB with the app's tables for the handlers")
  .option('--seed <file>', 'items for the local tables: { "<table>": [items] }')
  .action(async (opts) => {
    exitCode = await serveCommand(opts, processIo);
  });

// Exits once stdout and stderr have drained: process.exit() straight away cut piped output at the
// pipe's 64 KiB buffer. Exiting (rather than waiting for the event loop to empty) also ends runs
// whose handlers leave sockets open.
let finished = false;
function exit(code: ExitCode): void {
  finished = true;
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

// Nothing left to run and no result: never end silently with exit code 0.
process.on('beforeExit', () => {
  if (finished) return;
  process.stderr.write('stepwise: the run stalled with nothing left to do and no result (a task waiting for something that never comes)\n');
  exit(ExitCode.LOAD_ERROR);
});

program.parseAsync(process.argv).then(
  () => exit(exitCode),
  (e: unknown) => {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return exit(ExitCode.OK);
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) return exit(ExitCode.USAGE);
    process.stderr.write(`${err.message ?? String(e)}\n`);
    exit(ExitCode.LOAD_ERROR);
  },
);
