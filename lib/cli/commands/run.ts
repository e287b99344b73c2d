// `stepwise run`: runs a state machine of a synthesized CDK app (or a definition file) locally,
// showing each state as it runs, or printing one JSON object with --json.
import { compile, DefinitionError, RealClock, type ExecutionResult, type Json, type MachineDefinition, type RawDetails } from '../../asl';
import { readCloudAssembly } from '../../local/assembly';
import { startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynamodb';
import type { HandlerMode } from '../../local/lambda-runner';
import { readMockConfig, type MockConfigFile } from '../../local/mocks';
import { UnresolvedTokenError } from '../../local/resolve';
import { findStateMachine, stateMachinesOf, type LocalStateMachine } from '../../local/state-machines';
import { LocalWorkflow } from '../../local/workflow';
import { writeExecutionHtml } from '../../insight/viewer';
import { ExitCode } from '../exit-codes';
import { readJsonArg, type Io } from '../io';

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
  if (options.definition) {
    const definition = readJsonArg(options.definition, io, 'definition') as MachineDefinition;
    const machine = compile(definition);
    const name = selector ?? 'StateMachine';
    return {
      sm: { stackName: '', logicalId: name, name, arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`, type: machine.type, definition, machine, functions: new Map() },
      stacks: [],
    };
  }
  const stacks = readCloudAssembly(options.app ?? 'cdk.out');
  const machines = stacks.flatMap((s) => stateMachinesOf(s));
  return { sm: findStateMachine(machines, selector), stacks };
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
  try {
    if (options.definition === '-' && options.input === '-') throw new Error('--definition and --input cannot both read standard input');
    const loaded = loadMachine(options, selector || undefined, io);
    workflow = new LocalWorkflow(loaded.sm);
    stacks = loaded.stacks;
    if (options.input) input = readJsonArg(options.input, io, 'input') as Json;
    if (options.mock) mockFile = readMockConfig(options.mock);
    env = parseEnv(options.env);
  } catch (e) {
    if (e instanceof DefinitionError) {
      io.err(`${e.message}\n`);
      return ExitCode.INVALID_DEFINITION;
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
      dynamo = await startLocalDynamoDb(stacks);
      if (options.seed) {
        const seed = readJsonArg(options.seed, io, 'seed file') as Record<string, Record<string, unknown>[]>;
        for (const [table, items] of Object.entries(seed)) await dynamo.put(table, items);
      }
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
    const result = await workflow.run(input, {
      handlers: { mode: options.handlers, environment: { ...(dynamo?.environment ?? {}), ...env } },
      dynamodb: dynamo,
      mockFile,
      testCase,
      replay: options.replay,
      clock: options.realTime ? new RealClock() : undefined,
      seed: options.randomSeed,
      onEvent,
    });
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
        sent: result.sent.map((m) => ({ service: m.service, target: m.target, message: m.message })),
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
    io.err(`${(e as Error).message}\n`);
    return ExitCode.LOAD_ERROR;
  } finally {
    await dynamo?.stop();
  }
}
