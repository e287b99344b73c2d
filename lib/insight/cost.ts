// What a workflow would cost on AWS, Standard and Express side by side, estimated from local
// executions: Standard bills state transitions, Express bills requests and duration × memory.
import type { ExecutionResult } from '../asl';
import type { MachineDefinition } from '../asl/types';
import { allStates, modelDefinition } from './model';
import { traceExecution, type StateVisit } from './trace';

/**
 * AWS Step Functions prices in us-east-1, from https://aws.amazon.com/step-functions/pricing/
 * as read on 2026-12-01.
 */
export const PRICING = {
  asOf: '2026-12-01',
  region: 'us-east-1',
  /** Standard: per state transition ($0.025 per 1,000). */
  standardPerTransition: 0.025 / 1000,
  /** Standard: transitions free each month, indefinitely. */
  standardFreeTransitions: 4000,
  /** Express: per request ($1.00 per million). */
  expressPerRequest: 1 / 1_000_000,
  /** Express: duration × memory tiers per month, in GB-hours. */
  expressGbHourTiers: [
    { upTo: 1000, price: 0.06 },
    { upTo: 5000, price: 0.03 },
    { upTo: Infinity, price: 0.01642 },
  ],
  /** Express bills duration rounded up to the next 100 ms. */
  expressDurationUnitMs: 100,
  /** Express bills memory in 64 MB chunks. */
  expressMemoryUnitMb: 64,
  /** AWS's memory estimate starts from 50 MB. */
  expressBaseMemoryMb: 50,
} as const;

/**
 * StartExecution and state transition quotas (token buckets, per account and region) from the
 * AWS Step Functions Developer Guide, "Step Functions service quotas", sections "Quotas related to
 * API action throttling" and "Quotas related to state throttling"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html), figures for US East
 * (N. Virginia), US West (Oregon) and Europe (Ireland). AWS may raise them at any time.
 */
export const QUOTAS = {
  standardStartExecution: { bucket: 1300, refillPerSecond: 300 },
  expressStartExecution: { bucket: 6000, refillPerSecond: 6000 },
  standardStateTransitions: { bucket: 5000, refillPerSecond: 1500 },
  /** Longest Express execution, in seconds. */
  expressMaxSeconds: 300,
} as const;

/** Hours in the month the estimate uses (AWS's pricing examples use 730). */
export const HOURS_PER_MONTH = 730;

/** Options of `estimateCost`. */
export interface CostOptions {
  /** Executions a month. @default 1 (per-execution figures only) */
  readonly executionsPerMonth?: number;
  /** Peak start rate, executions a second, for the quota warnings. @default the monthly rate spread evenly */
  readonly peakPerSecond?: number;
  /**
   * Handler time of each Task attempt, in ms: one figure for every Task, or per state name
   * (missing names fall back to `measuredTaskMs`, then 0).
   */
  readonly taskMs?: number | Readonly<Record<string, number>>;
  /** Time measured on local runs, per Task state name (ms per visit, all attempts); see `measureTaskTimes`. */
  readonly measuredTaskMs?: Readonly<Record<string, number>>;
  /** Express memory to bill instead of AWS's estimate, in MB. */
  readonly memoryMb?: number;
}

/** The estimate for one execution. */
export interface ExecutionCost {
  readonly status: ExecutionResult['status'];
  /** Standard: states entered plus retries. */
  readonly transitions: number;
  readonly retries: number;
  /** Express: estimated duration (virtual waits and back-offs plus handler time), ms. */
  readonly durationMs: number;
  readonly billedDurationMs: number;
}

/** The estimate for a set of executions of one workflow. */
export interface CostEstimate {
  readonly executions: readonly ExecutionCost[];
  readonly executionsPerMonth: number;
  readonly standard: {
    /** Mean billed transitions per execution. */
    readonly transitions: number;
    readonly perExecution: number;
    readonly monthlyTransitions: number;
    readonly perMonth: number;
  };
  readonly express: {
    readonly estimatedMemoryMb: number;
    readonly billedMemoryMb: number;
    /** Mean billed duration per execution, ms. */
    readonly billedDurationMs: number;
    readonly gbHoursPerExecution: number;
    /** Requests plus duration at the first tier's price. */
    readonly perExecution: number;
    readonly monthlyGbHours: number;
    readonly requestsPerMonth: number;
    readonly durationPerMonth: number;
    readonly perMonth: number;
  };
  readonly assumptions: readonly string[];
  readonly warnings: readonly string[];
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Handler time of one visit of a Task state: a given time per attempt, or the measured time of a visit. */
function taskTime(name: string, attempts: number, options: CostOptions): number {
  const given = typeof options.taskMs === 'number' ? options.taskMs : options.taskMs?.[name];
  if (given !== undefined) return given * Math.max(1, attempts);
  return options.measuredTaskMs?.[name] ?? 0;
}

/**
 * Time a thread takes from `first` on: each state's own time, where a Parallel or Map takes as
 * long as its longest branch or iteration (all run at once; MaxConcurrency is not modelled).
 */
function threadTime(first: StateVisit, visits: readonly StateVisit[], options: CostOptions): number {
  let total = 0;
  for (let v: StateVisit | undefined = first; v; v = visits.find((x) => x.previous === v)) total += visitTime(v, visits, options);
  return total;
}

function visitTime(v: StateVisit, visits: readonly StateVisit[], options: CostOptions): number {
  if (v.type === 'Parallel' || v.type === 'Map') {
    const starts = visits.filter((x) => x.parent === v && x.previous === undefined);
    return Math.max(0, ...starts.map((s) => threadTime(s, visits, options)));
  }
  // Local virtual time holds Wait states, retry back-offs and callback waits; handlers take none.
  const virtual = (v.exitedAt ?? v.enteredAt) - v.enteredAt;
  return virtual + (v.type === 'Task' ? taskTime(v.name, v.attempts, options) : 0);
}

/** Reads one execution: transitions and retries from its history, duration with handler times added. */
export function executionCost(result: ExecutionResult, options: CostOptions = {}): ExecutionCost {
  const trace = traceExecution(result);
  if (!trace.hasHistory) {
    // history: false keeps only the states entered: retries cannot be counted.
    return {
      status: result.status,
      transitions: result.statesEntered.length,
      retries: 0,
      durationMs: trace.durationMs,
      billedDurationMs: roundUp(trace.durationMs, PRICING.expressDurationUnitMs),
    };
  }
  const retries = trace.visits.reduce((n, v) => n + Math.max(0, v.attempts - 1), 0);
  const top = trace.visits.find((v) => v.parent === undefined && v.previous === undefined);
  const durationMs = top ? threadTime(top, trace.visits, options) : 0;
  return {
    status: result.status,
    transitions: trace.visits.length + retries,
    retries,
    durationMs,
    billedDurationMs: roundUp(durationMs, PRICING.expressDurationUnitMs),
  };
}

function roundUp(value: number, unit: number): number {
  return Math.max(unit, Math.ceil(value / unit) * unit);
}

/** The largest input or output of any state or of the execution, in UTF-8 bytes. */
function largestPayload(result: ExecutionResult): number {
  let max = 0;
  for (const e of result.history) {
    for (const v of Object.values(e)) {
      if (typeof v !== 'object' || v === null || v instanceof Date) continue;
      for (const key of ['input', 'output']) {
        const text = (v as Record<string, unknown>)[key];
        if (typeof text === 'string') max = Math.max(max, utf8Bytes(text));
      }
    }
  }
  return max;
}

/** Price of `gbHours` GB-hours in a month, tier by tier. */
export function expressDurationPrice(gbHours: number): number {
  let price = 0;
  let from = 0;
  for (const tier of PRICING.expressGbHourTiers) {
    if (gbHours <= from) break;
    price += (Math.min(gbHours, tier.upTo) - from) * tier.price;
    from = tier.upTo;
  }
  return price;
}

const MB = 1024 * 1024;
const usd = (n: number) => (n >= 0.01 || n === 0 ? `$${n.toFixed(2)}` : `$${n.toPrecision(3)}`);

/**
 * Estimates what a workflow costs on Standard and on Express from local executions of it.
 * @example
 * const estimate = estimateCost(orders.stateMachine.definition, [await orders.run(order)], { executionsPerMonth: 100_000, taskMs: 120 });
 */
export function estimateCost(definition: MachineDefinition, results: readonly ExecutionResult[], options: CostOptions = {}): CostEstimate {
  if (results.length === 0) throw new Error('estimateCost needs at least one execution to read: run the workflow first');
  const perMonth = options.executionsPerMonth ?? 1;
  if (!(perMonth >= 0) || !Number.isFinite(perMonth)) throw new Error(`executionsPerMonth must be a non-negative number, got ${perMonth}`);
  const executions = results.map((r) => executionCost(r, options));
  const mean = (f: (e: ExecutionCost) => number) => executions.reduce((n, e) => n + f(e), 0) / executions.length;

  const transitions = mean((e) => e.transitions);
  const monthlyTransitions = transitions * perMonth;
  const standardPerMonth = Math.max(0, monthlyTransitions - PRICING.standardFreeTransitions) * PRICING.standardPerTransition;

  const definitionBytes = utf8Bytes(JSON.stringify(definition));
  const fanOut = allStates(modelDefinition(definition)).filter((s) => s.type === 'Parallel' || s.type === 'Map').length;
  const dataBytes = Math.max(...results.map(largestPayload));
  const estimatedMemoryMb = options.memoryMb ?? PRICING.expressBaseMemoryMb + (definitionBytes + dataBytes * fanOut) / MB;
  const billedMemoryMb = roundUp(estimatedMemoryMb, PRICING.expressMemoryUnitMb);
  const billedDurationMs = mean((e) => e.billedDurationMs);
  const gbHoursPerExecution = (billedMemoryMb / 1024) * (billedDurationMs / 1000 / 3600);
  const monthlyGbHours = gbHoursPerExecution * perMonth;
  const requestsPerMonth = perMonth * PRICING.expressPerRequest;
  const durationPerMonth = expressDurationPrice(monthlyGbHours);

  const measured = options.measuredTaskMs && Object.keys(options.measuredTaskMs).length > 0;
  const handlerNote =
    options.taskMs !== undefined
      ? `handler time per Task attempt: ${typeof options.taskMs === 'number' ? `${options.taskMs} ms (given)` : `${JSON.stringify(options.taskMs)} ms (given)`}${measured ? ', measured locally for the others' : ''}`
      : measured
        ? `handler time per Task visit measured on these local runs: ${Object.entries(options.measuredTaskMs ?? {})
            .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
            .join(', ')} (in-process, warm: Lambda cold starts and network add to it)`
        : 'handler time: none given or measured, Tasks count as instantaneous (pass taskMs / --task-ms)';
  const assumptions = [
    `prices: AWS Step Functions, ${PRICING.region}, as of ${PRICING.asOf}: Standard $0.025 per 1,000 state transitions after ${PRICING.standardFreeTransitions.toLocaleString('en-US')} free a month; Express $1.00 per million requests plus $0.06 / $0.03 / $0.01642 per GB-hour (first 1,000 / next 4,000 / beyond, a month)`,
    'Standard transitions: every state entered (inside Parallel branches and Map iterations too) plus one per retry; the free tier is applied as if this workflow were the only one in the account',
    options.memoryMb !== undefined
      ? `Express memory: ${options.memoryMb} MB (given), billed in ${PRICING.expressMemoryUnitMb} MB chunks`
      : `Express memory: AWS's estimate 50 MB + definition (${definitionBytes.toLocaleString('en-US')} B) + largest payload (${dataBytes.toLocaleString('en-US')} B) × ${fanOut} Parallel/Map states = ${estimatedMemoryMb.toFixed(2)} MB, billed in ${PRICING.expressMemoryUnitMb} MB chunks (CloudWatch's ExpressExecutionBilledMemory shows the real figure)`,
    `Express duration: Wait states, retry back-offs and callback waits as run locally, plus handler time; Parallel branches and Map iterations all at once; rounded up to the next ${PRICING.expressDurationUnitMs} ms`,
    handlerNote,
    `${executions.length} execution${executions.length === 1 ? '' : 's'} read, averaged; a month is ${HOURS_PER_MONTH} hours`,
  ];

  const warnings: string[] = [];
  const peak = options.peakPerSecond ?? perMonth / (HOURS_PER_MONTH * 3600);
  const q = QUOTAS;
  if (peak > q.standardStartExecution.refillPerSecond) {
    warnings.push(
      `Standard: ${fmtRate(peak)} starts/s exceeds the StartExecution quota (refill ${q.standardStartExecution.refillPerSecond}/s, bucket ${q.standardStartExecution.bucket}): starts above it are throttled unless the quota is raised`,
    );
  }
  if (peak * transitions > q.standardStateTransitions.refillPerSecond) {
    warnings.push(
      `Standard: ${fmtRate(peak * transitions)} state transitions/s exceeds the StateTransition quota (refill ${q.standardStateTransitions.refillPerSecond}/s, bucket ${q.standardStateTransitions.bucket})`,
    );
  }
  if (peak > q.expressStartExecution.refillPerSecond) {
    warnings.push(
      `Express: ${fmtRate(peak)} starts/s exceeds the StartExecution quota (refill ${q.expressStartExecution.refillPerSecond}/s, bucket ${q.expressStartExecution.bucket}): starts above it are throttled unless the quota is raised`,
    );
  }
  const longest = Math.max(...executions.map((e) => e.durationMs));
  if (longest > q.expressMaxSeconds * 1000) {
    warnings.push(
      `Express: an execution runs ${(longest / 1000).toFixed(1)} s, beyond Express's ${q.expressMaxSeconds}-second limit: it would fail with States.Timeout; use Standard`,
    );
  }
  const unsuccessful = executions.filter((e) => e.status !== 'SUCCEEDED');
  if (unsuccessful.length > 0) {
    warnings.push(
      `${unsuccessful.length} of ${executions.length} executions did not succeed (${[...new Set(unsuccessful.map((e) => e.status))].join(', ')}): they are priced as far as they ran`,
    );
  }

  return {
    executions,
    executionsPerMonth: perMonth,
    standard: { transitions, perExecution: transitions * PRICING.standardPerTransition, monthlyTransitions, perMonth: standardPerMonth },
    express: {
      estimatedMemoryMb,
      billedMemoryMb,
      billedDurationMs,
      gbHoursPerExecution,
      perExecution: PRICING.expressPerRequest + gbHoursPerExecution * (PRICING.expressGbHourTiers[0]?.price ?? 0),
      monthlyGbHours,
      requestsPerMonth,
      durationPerMonth,
      perMonth: requestsPerMonth + durationPerMonth,
    },
    assumptions,
    warnings,
  };
}

function fmtRate(n: number): string {
  return n >= 10 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

/** The estimate as a side-by-side table with its assumptions and warnings. */
export function formatCostEstimate(e: CostEstimate, title = 'Cost estimate'): string {
  const rows: [string, string, string][] = [
    ['', 'Standard', 'Express'],
    [
      'billed per execution',
      `${fmtNum(e.standard.transitions)} transitions`,
      `1 request, ${fmtNum(e.express.billedDurationMs)} ms × ${e.express.billedMemoryMb} MB`,
    ],
    ['cost per execution', usd(e.standard.perExecution), usd(e.express.perExecution)],
    [
      `per month (${e.executionsPerMonth.toLocaleString('en-US')} executions)`,
      `${fmtNum(e.standard.monthlyTransitions)} transitions`,
      `${fmtNum(e.express.monthlyGbHours, 4)} GB-hours`,
    ],
    [
      'cost per month',
      usd(e.standard.perMonth),
      `${usd(e.express.perMonth)} (${usd(e.express.requestsPerMonth)} requests + ${usd(e.express.durationPerMonth)} duration)`,
    ],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = rows.map(([a, b, c]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd());
  const out = [`${title}`, ...lines, '', 'Assumptions:', ...e.assumptions.map((a) => `  - ${a}`)];
  if (e.warnings.length > 0) out.push('', 'Warnings:', ...e.warnings.map((w) => `  ! ${w}`));
  return `${out.join('\n')}\n`;
}

function fmtNum(n: number, digits = 2): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/**
 * Listens to executions' events and measures, in real time, how long each Task state takes from
 * entry to exit (all its attempts), averaged by state name. Pass `onEvent` to the runs and
 * `result()` to `estimateCost` as `measuredTaskMs`.
 */
export function measureTaskTimes(now: () => number = () => performance.now()): {
  onEvent: (event: { type: string; details?: Record<string, unknown> }) => void;
  result: () => Record<string, number>;
} {
  // Entries of a name still open, oldest first (Map iterations run the same state at once).
  const open = new Map<string, number[]>();
  const total = new Map<string, { ms: number; visits: number }>();
  return {
    onEvent(event) {
      const name = typeof event.details?.name === 'string' ? event.details.name : undefined;
      if (!name) return;
      if (event.type === 'TaskStateEntered') {
        const list = open.get(name) ?? [];
        list.push(now());
        open.set(name, list);
      } else if (event.type === 'TaskStateExited') {
        const started = open.get(name)?.shift();
        if (started === undefined) return;
        const t = total.get(name) ?? { ms: 0, visits: 0 };
        t.ms += now() - started;
        t.visits += 1;
        total.set(name, t);
      }
    },
    result() {
      const out: Record<string, number> = {};
      for (const [name, t] of total) out[name] = t.ms / t.visits;
      return out;
    },
  };
}
