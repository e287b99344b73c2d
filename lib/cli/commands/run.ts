// `stepwise run`: runs a state machine of a synthesized CDK app (or a definition file) locally,
// showing each state as it runs, or printing one JSON object with --json.
import { DefinitionError, LIMITS, RealClock, SetupError, type ExecutionResult, type Json, type RawDetails, type WorkflowType } from '../../asl';
import type { readCloudAssembly } from '../../local/assembly';
import type { LocalDynamoDb } from '../../local/dynamodb';
import type { HandlerMode } from '../../local/lambda-runner';
import { readMockConfig, type MockConfigFile } from '../../local/mocks';
import { UnresolvedTokenError } from '../../local/resolve';
import type { LocalStateMachine } from '../../local/state-machines';
import { LocalWorkflow } from '../../local/workflow';
import { Outbox } from '../../local/integrations';
import { writeExecutionHtml } from '../../insight/viewer';
import { ExitCode } from '../exit-codes';
import { parseJsonArg, readTextArg, startSeededDynamoDb, type Io } from '../io';
import { loadStateMachineFrom } from './graph';
import { UsageError } from './validate';

/** Options of `stepwise run`. */
export interface RunOptions {
  /** Cloud assembly folder. @default 'cdk.out' (unless --definition is given) */
  readonly app?: string;
  /** An ASL definition file to run instead of a CDK app. */
  readonly definition?: string;
  /** State machine: logical id, construct path or stack name; `<selector>#<TestCase>` picks a mock test case. */
  readonly stateMachine?: string;
  /** Input file, or `-` for standard input. @default {} */
  readonly input?: string;
  /** Step Functions Local mock file. */
  readonly mock?: string;
  readonly testCase?: string;
  readonly json?: boolean;
  readonly handlers?: HandlerMode;
  /** Start a local DynamoDB with the stack's tables. */
  readonly localDynamodb?: boolean;
  /** Items to put in the local tables: `{ "<table logical id or part of it>": [items] }`. */
  readonly seed?: string;
  /** Extra environment for the handlers, `KEY=VALUE`. */
  readonly env?: string[];
  /** Deliver every task twice (Express at-least-once). */
  readonly replay?: boolean;
  /** Let Wait states and retries take real time. */
  readonly realTime?: boolean;
  readonly randomSeed?: number;
  /** Also write the execution viewer (one self-contained HTML file) here. */
  readonly html?: string;
  /** The workflow type of a `--definition` file. @default 'STANDARD' */
  readonly type?: WorkflowType;
  /** Answers to `.waitForTaskToken` tasks, `<State>=<output JSON>`: SendTaskSuccess with that output. */
  readonly taskSuccess?: string[];
}

/** The machine-readable result `--json` prints (documented in the README). */
export interface RunJson {
  status: ExecutionResult['status'];
  output: Json | null;
  error: string | null;
  cause: string | null;
  path: string[];
  /** What the run sent to SQS, SNS and EventBridge (child executions included), in order. */
  sent: { service: 'sqs' | 'sns' | 'events'; target: string; message: Json }[];
}

const STATUS_CODES: Record<ExecutionResult['status'], ExitCode> = {
  SUCCEEDED: ExitCode.OK,
  FAILED: ExitCode.EXECUTION_FAILED,
  TIMED_OUT: ExitCode.TIMED_OUT,
  ABORTED: ExitCode.ABORTED,
  RUNNING: ExitCode.EXECUTION_FAILED,
};

function loadMachine(options: RunOptions, selector: string | undefined, io: Io): { sm: LocalStateMachine; stacks: ReturnType<typeof readCloudAssembly> } {
  const loaded = loadStateMachineFrom({ app: options.app, definition: options.definition, stateMachine: selector, type: options.type }, io);
  const sm = loaded.sm;
  if (!options.definition && options.type && options.type !== sm.type)
    throw new UsageError(`--type ${options.type} contradicts the app: ${sm.constructPath ?? sm.logicalId} is ${sm.type} (--type is for --definition files)`);
  return loaded;
}

/** `<State>=<JSON>` pairs of --task-success, by state name. */
function parseTaskAnswers(pairs: string[] = []): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new UsageError(`--task-success expects <State>=<output JSON>, got '${p}'`);
    const state = p.slice(0, i);
    try {
      out.set(state, JSON.parse(p.slice(i + 1)) as Json);
    } catch (e) {
      throw new UsageError(`--task-success ${state}: the output is not valid JSON: ${(e as Error).message}`);
    }
  }
  return out;
}

function parseEnv(pairs: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new Error(`--env expects KEY=VALUE, got '${p}'`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

export async function runCommand(options: RunOptions, io: Io): Promise<ExitCode> {
  const [selector, hashCase] = (options.stateMachine ?? '').split('#') as [string, string | undefined];
  let workflow: LocalWorkflow;
  let stacks: ReturnType<typeof readCloudAssembly>;
  let input: Json = {};
  let mockFile: MockConfigFile | undefined;
  let env: Record<string, string>;
  let answers: Map<string, Json>;
  try {
    if (options.definition === '-' && options.input === '-') throw new UsageError('--definition and --input cannot both read standard input');
    answers = parseTaskAnswers(options.taskSuccess);
    const loaded = loadMachine(options, selector || undefined, io);
    workflow = new LocalWorkflow(loaded.sm);
    stacks = loaded.stacks;
    if (options.input) {
      const text = readTextArg(options.input, io, 'input');
      // StartExecution refuses such an input before any execution starts (no ExecutionFailed).
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > LIMITS.maxPayloadBytes) {
        throw new Error(
          `The input ${options.input === '-' ? '(standard input)' : options.input} is ${bytes.toLocaleString('en-US')} bytes; StartExecution accepts at most ${LIMITS.maxPayloadBytes.toLocaleString('en-US')} bytes (256 KiB) of input`,
        );
      }
      input = parseJsonArg(text, options.input, 'input') as Json;
    }
    if (options.mock) mockFile = readMockConfig(options.mock);
    env = parseEnv(options.env);
  } catch (e) {
    if (e instanceof DefinitionError) {
      io.err(`${e.message}\n`);
      return ExitCode.INVALID_DEFINITION;
    }
    if (e instanceof UsageError) {
      io.err(`${e.message}\n`);
      return ExitCode.USAGE;
    }
    io.err(`${e instanceof UnresolvedTokenError ? 'Cannot rebuild the state machine: ' : ''}${(e as Error).message}\n`);
    return ExitCode.LOAD_ERROR;
  }
  const testCase = options.testCase ?? hashCase;
  if (testCase && !mockFile) {
    io.err(`Test case '${testCase}' needs a mock file: pass --mock <MockConfigFile.json>\n`);
    return ExitCode.USAGE;
  }

  let dynamo: LocalDynamoDb | undefined;
  try {
    if (options.localDynamodb) {
      dynamo = await startSeededDynamoDb(stacks, options.seed, io);
    }
    const sm = workflow.stateMachine;
    const started = new Map<string, number>();
    if (!options.json) io.out(`Running ${sm.constructPath ?? sm.name} (${sm.type}) locally\n`);
    // Counted as they happen: rendering the history only to count it would serialize every payload.
    // The JSON output prints neither the count nor the states, so it listens to nothing.
    let events = 0;
    const onEvent = options.json
      ? undefined
      : (e: { type: string; details?: RawDetails }) => {
          events += 1;
          const name = typeof e.details?.name === 'string' ? e.details.name : undefined;
          if (!name) return;
          if (e.type.endsWith('StateEntered')) started.set(name, performance.now());
          else if (e.type.endsWith('StateExited')) {
            const ms = performance.now() - (started.get(name) ?? performance.now());
            io.out(`  ✓ ${name.padEnd(28)} ${e.type.replace('StateExited', '').padEnd(9)} ${ms.toFixed(1).padStart(8)} ms\n`);
          }
        };
    // A callback task nobody answers would wait forever (a Standard execution may wait a year):
    // answer it from --task-success, or stop the run at once, saying which state waits and how to answer.
    let unanswered: string | undefined;
    const outbox = new Outbox();
    const execution = workflow.start(input, {
      outbox,
      handlers: { mode: options.handlers, environment: { ...(dynamo?.environment ?? {}), ...env } },
      dynamodb: dynamo,
      mockFile,
      testCase,
      replay: options.replay,
      clock: options.realTime ? new RealClock() : undefined,
      seed: options.randomSeed,
      onEvent,
      onTaskToken: (token, state) => {
        setImmediate(() => {
          if (answers.has(state)) return execution.sendTaskSuccess(token, answers.get(state) as Json);
          unanswered ??= state;
          execution.stop('Stepwise.CallbackNotAnswered', `The task '${state}' waits for a callback (.waitForTaskToken) that nothing answers`);
        });
      },
    });
    const result = await execution.result;
    if (unanswered) {
      io.err(
        `The state '${unanswered}' waits for a task token (.waitForTaskToken) and nothing answers it, so the run was stopped.\n` +
          `Answer it with --task-success '${unanswered}=<output JSON>', mock the state with --mock <MockConfigFile.json>, ` +
          `or, in a test, take the token from onTaskToken and call execution.sendTaskSuccess(token, output).\n`,
      );
    }
    if (options.html) {
      writeExecutionHtml(result, options.html, { definition: sm.definition, title: `${sm.constructPath ?? sm.name} (${sm.type})` });
      if (!options.json) io.out(`Execution viewer written to ${options.html}\n`);
    }
    if (options.json) {
      const out: RunJson = {
        status: result.status,
        output: result.status === 'SUCCEEDED' ? (result.output ?? null) : null,
        error: result.error ?? null,
        cause: result.cause ?? null,
        path: [...result.statesEntered],
        sent: outbox.sent.map((m) => ({ service: m.service, target: m.target, message: m.message })),
      };
      io.out(`${JSON.stringify(out)}\n`);
    } else {
      const last = result.statesEntered.at(-1);
      if (result.status !== 'SUCCEEDED' && last) io.out(`  ✗ ${last}\n`);
      const virtual = (result.stopDate.getTime() - result.startDate.getTime()) / 1000;
      io.out(`\n${result.status}  ${result.statesEntered.length} states, ${events} events, ${virtual} s of workflow time\n`);
      if (result.status === 'SUCCEEDED') io.out(`output: ${JSON.stringify(result.output, null, 2)}\n`);
      else io.out(`error: ${result.error ?? '(none)'}\ncause: ${result.cause ?? '(none)'}\n`);
    }
    return STATUS_CODES[result.status];
  } catch (e) {
    io.err(`${e instanceof SetupError ? 'Cannot run: ' : ''}${(e as Error).message}\n`);
    return ExitCode.LOAD_ERROR;
  } finally {
    await dynamo?.stop();
  }
}
