// `stepwise cost`: runs a state machine locally on one or more inputs and estimates what it would
// cost on AWS per execution and per month, Standard and Express side by side.
import type { Json } from '../../asl';
import { estimateCost, formatCostEstimate, measureTaskTimes, type CostEstimate } from '../../insight/cost';
import type { LocalDynamoDb } from '../../local/dynamodb';
import { readMockConfig, type MockConfigFile } from '../../local/mocks';
import { LocalWorkflow } from '../../local/workflow';
import { ExitCode } from '../exit-codes';
import { readJsonArg, startSeededDynamoDb, type Io } from '../io';
import { loadFailure, loadStateMachineFrom, type MachineSource } from './graph';

/** Options of `stepwise cost`. */
export interface CostCommandOptions extends MachineSource {
  /** Input files, one execution each. @default one execution with {} */
  readonly input?: string[];
  /** Executions a month, e.g. `100000`, or a rate: `50/s`, `3000/min`, `2000/h`, `40000/day`. */
  readonly rate?: string;
  /** Peak start rate for the quota warnings, e.g. `500/s`. @default the rate spread evenly */
  readonly peak?: string;
  /** Handler time per Task attempt: `120` for every Task, or `State=120` (repeatable). @default measured locally */
  readonly taskMs?: string[];
  /** Express memory to bill, in MB. @default AWS's estimate */
  readonly memoryMb?: number;
  readonly mock?: string;
  readonly testCase?: string;
  readonly localDynamodb?: boolean;
  readonly seed?: string;
  readonly json?: boolean;
}

const SECONDS: Record<string, number> = { s: 1, sec: 1, min: 60, h: 3600, hour: 3600, day: 86400, month: 730 * 3600 };

/** Parses `100000`, `100000/month`, `50/s`... into executions a month (730-hour months). */
export function parseRate(text: string, what: string): number {
  const [, count, unit = 'month'] = /^\s*([\d_,.]+)\s*(?:\/\s*(s|sec|min|h|hour|day|month))?\s*$/.exec(text) ?? [];
  const n = count === undefined ? NaN : Number(count.replace(/[_,]/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new Error(`${what} expects a number of executions a month or a rate like 50/s, 3000/min, 40000/day; got '${text}'`);
  const seconds = SECONDS[unit];
  if (seconds === undefined) throw new Error(`parseRate: no length in seconds for the unit '${unit}'`);
  return n * ((730 * 3600) / seconds);
}

function parseTaskMs(values: string[] = []): number | Record<string, number> | undefined {
  if (values.length === 0) return undefined;
  const byState: Record<string, number> = {};
  for (const v of values) {
    const [name, ms] = v.includes('=') ? (v.split('=', 2) as [string, string]) : [undefined, v];
    const n = Number(ms);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--task-ms expects milliseconds or State=milliseconds, got '${v}'`);
    if (name === undefined) {
      if (values.length > 1) throw new Error('--task-ms: give either one time for every Task or State=ms pairs, not both');
      return n;
    }
    byState[name] = n;
  }
  return byState;
}

export async function costCommand(options: CostCommandOptions, io: Io): Promise<ExitCode> {
  let workflow: LocalWorkflow;
  let stacks: ReturnType<typeof loadStateMachineFrom>['stacks'];
  let inputs: Json[];
  let mockFile: MockConfigFile | undefined;
  let perMonth: number;
  let peak: number | undefined;
  let taskMs: ReturnType<typeof parseTaskMs>;
  try {
    const loaded = loadStateMachineFrom(options, io);
    workflow = new LocalWorkflow(loaded.sm);
    stacks = loaded.stacks;
    inputs = (options.input ?? []).map((f) => readJsonArg(f, io, 'input') as Json);
    if (inputs.length === 0) inputs = [{}];
    if (options.mock) mockFile = readMockConfig(options.mock);
    perMonth = options.rate === undefined ? 1 : parseRate(options.rate, '--rate');
    peak = options.peak === undefined ? undefined : parseRate(options.peak, '--peak') / (730 * 3600);
    taskMs = parseTaskMs(options.taskMs);
    if (options.memoryMb !== undefined && !(options.memoryMb > 0)) throw new Error(`--memory-mb must be a positive number, got ${options.memoryMb}`);
  } catch (e) {
    const code = loadFailure(e, io);
    return /expects|--task-ms|--memory-mb/.test((e as Error).message) ? ExitCode.USAGE : code;
  }
  let dynamo: LocalDynamoDb | undefined;
  try {
    if (options.localDynamodb) {
      dynamo = await startSeededDynamoDb(stacks, options.seed, io);
    }
    const measure = measureTaskTimes();
    const results = [];
    for (const input of inputs) {
      // Nobody answers a callback here, and the virtual clock never reaches its timeout: stop the
      // run and say so rather than wait forever or invent an answer.
      let waiting: string | undefined;
      const exec = workflow.start(input, {
        handlers: { environment: dynamo?.environment ?? {} },
        dynamodb: dynamo,
        mockFile,
        testCase: options.testCase,
        onEvent: measure.onEvent,
        onTaskToken: (_token, state) => {
          waiting = state;
          exec.stop('Stepwise.CallbackNotAnswered', `stepwise cost cannot answer the callback of ${state}`);
        },
      });
      const result = await exec.result;
      if (waiting !== undefined) {
        io.err(
          `State ${waiting} waits for a callback (.waitForTaskToken), which stepwise cost cannot answer: mock it (--mock with a test case) or use an input that does not reach it\n`,
        );
        return ExitCode.USAGE;
      }
      results.push(result);
    }
    const estimate: CostEstimate = estimateCost(workflow.stateMachine.definition, results, {
      executionsPerMonth: perMonth,
      peakPerSecond: peak,
      taskMs,
      measuredTaskMs: measure.result(),
      memoryMb: options.memoryMb,
    });
    if (options.json) io.out(`${JSON.stringify(estimate, null, 2)}\n`);
    else {
      const sm = workflow.stateMachine;
      const statuses = results.map((r) => r.status).join(', ');
      io.out(
        formatCostEstimate(
          estimate,
          `Cost estimate for ${sm.constructPath ?? sm.name} (deployed as ${sm.type}) from ${results.length} local execution${results.length === 1 ? '' : 's'} (${statuses})`,
        ),
      );
    }
    return ExitCode.OK;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return ExitCode.LOAD_ERROR;
  } finally {
    await dynamo?.stop();
  }
}
