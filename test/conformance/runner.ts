// Runs ASL conformance cases (the format of shared/conformance/README.md) against the interpreter
// and compares them as that README prescribes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, DefinitionError, execute, LambdaServiceError } from '../../lib/asl';
import type { CompiledStateMachine, ExecuteOptions, Json, MachineDefinition } from '../../lib/asl';

/** One recorded execution. */
export interface ConformanceCase {
  name: string;
  features: string[];
  definition: MachineDefinition;
  input: Json;
  expected: { status: string; output?: Json; error?: string; cause?: string };
  redacted?: boolean;
  history?: { type: string; name?: string; output?: Json }[];
  /** Lambda functions the case calls (task cases: see shared/conformance/task-cases/README.md). */
  functions?: Record<string, LambdaFunctionSpec>;
  /** The folder's `lambda-emulator.mjs`, attached by loadCases when the case has functions. */
  emulator?: EmulatorModule;
}

/** A function of a task case: JavaScript source standing in for the Python function AWS ran. */
export interface LambdaFunctionSpec {
  js: string;
  runtime?: string;
  sleepSeconds?: number;
  rawPayload?: boolean;
}

/** What the reference emulator answers (see the task-cases README). */
export interface EmulatedResponse {
  statusCode: number;
  executedVersion: string;
  payload: string;
  functionError?: string;
  requestId: string;
  headers: Record<string, string>;
  durationSeconds: number;
}

/** The exports of a folder's `lambda-emulator.mjs`. */
export interface EmulatorModule {
  createLambdaEmulator(
    functions: Record<string, LambdaFunctionSpec>,
    options?: { region?: string; account?: string; uuid?: () => string; now?: () => Date },
  ): { invoke(ref: string, payloadText: string | undefined, options?: { logType?: string }): Promise<EmulatedResponse> };
}

/** The verdict on one case. */
export interface CaseResult {
  name: string;
  features: string[];
  passed: boolean;
  /** Why it failed (empty when passed). */
  reason: string;
  /** Whether the history (event types, state names, exit outputs) matched too; undefined when the case has none. */
  historyMatched?: boolean;
  historyReason?: string;
}

type Recorded = NonNullable<ConformanceCase['history']>[number];

/** Our history in the case's reduced form: type, state name, and exit output. */
function reduceHistory(events: import('../../lib/asl').HistoryEvent[]): Recorded[] {
  return events.map((e) => {
    const entry: Recorded = { type: e.type };
    for (const [k, v] of Object.entries(e)) {
      if (!k.endsWith('EventDetails') || typeof v !== 'object' || v === null) continue;
      const d = v as Record<string, unknown>;
      if (typeof d.name === 'string') entry.name = d.name;
      if (e.type.endsWith('StateExited') && typeof d.output === 'string') entry.output = JSON.parse(d.output) as Json;
    }
    return entry;
  });
}

function compareHistory(expected: Recorded[], actual: Recorded[], redacted: boolean): string {
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const e = expected[i];
    const a = actual[i];
    if (!e || !a || e.type !== a.type || (e.name !== undefined && e.name !== a.name) || ('output' in e && !matches(e.output, a.output, redacted))) {
      return `event ${i + 1}: expected ${JSON.stringify(e ?? null)}, got ${JSON.stringify(a ?? null)}`;
    }
  }
  return '';
}

/**
 * Loads a folder's `lambda-emulator.mjs`. Jest runs CommonJS and cannot `import()` an ES module
 * without --experimental-vm-modules; the emulator has no imports, so its `export` keywords are
 * dropped and the module body is evaluated as a function that returns its exports.
 */
export function loadEmulator(file: string): EmulatorModule {
  const source = readFileSync(file, 'utf8');
  if (/^\s*import\s/m.test(source)) throw new Error(`${file}: an emulator with imports cannot be loaded (it must be self-contained)`);
  const body = source.replace(/^export\s+(?=(async\s+)?function|const|let|class)/gm, '');
  const factory = new Function(`${body}\nreturn { createLambdaEmulator };`) as () => EmulatorModule;
  const mod = factory();
  if (typeof mod.createLambdaEmulator !== 'function') throw new Error(`${file} does not define createLambdaEmulator`);
  return mod;
}

/** Loads every `*.json` case in a folder, sorted by file name; cases with `functions` get the folder's emulator. */
export function loadCases(dir: string): ConformanceCase[] {
  const cases = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ConformanceCase);
  if (cases.some((c) => c.functions !== undefined)) {
    const file = join(dir, 'lambda-emulator.mjs');
    if (!existsSync(file)) throw new Error(`${dir}: cases call Lambda functions but the folder has no lambda-emulator.mjs`);
    const emulator = loadEmulator(file);
    for (const c of cases) if (c.functions !== undefined) c.emulator = emulator;
  }
  return cases;
}

const CASE_ACCOUNT = '111111111111';
const CASE_REGION = 'us-east-1';

/** Binds a case's functions to its folder's emulator, with request ids from the execution's seed. */
function lambdaOptions(c: ConformanceCase): Partial<ExecuteOptions> {
  if (!c.functions || !c.emulator) return {};
  let n = 0;
  const uuid = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const emulator = c.emulator.createLambdaEmulator(c.functions, {
    region: CASE_REGION,
    account: CASE_ACCOUNT,
    uuid,
    now: () => new Date(Date.UTC(2026, 0, 1)),
  });
  return {
    // The emulator answers as Lambda did; everything after the response is the interpreter's.
    lambdaInvoker: async (invocation) => {
      try {
        return await emulator.invoke(invocation.functionName, invocation.payload, { logType: invocation.logType });
      } catch (e) {
        const err = e as { name?: string; message?: string; statusCode?: number; requestId?: string };
        if (err.name === 'ResourceNotFoundException') throw new LambdaServiceError(err.name, err.message ?? '', err.statusCode ?? 404, err.requestId);
        throw e;
      }
    },
  };
}

function placeholderPattern(expected: string): RegExp {
  const parts = expected.split(/(<[^<>]+>|\btimestamp\b|\bdate\b)/);
  const src = parts.map((p, i) => (i % 2 === 1 ? '[\\s\\S]*' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${src}$`);
}

/** Compares as the README says: JSON deep equality; with `redacted`, placeholders match any text. */
export function matches(expected: Json | undefined, actual: Json | undefined, redacted: boolean): boolean {
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (expected === actual) return true;
    return redacted && /<[^<>]+>|\btimestamp\b|\bdate\b/.test(expected) && placeholderPattern(expected).test(actual);
  }
  if (expected === null || actual === null || typeof expected !== 'object' || typeof actual !== 'object') return expected === actual;
  if (Array.isArray(expected) !== Array.isArray(actual)) return false;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length === actual.length && expected.every((e, i) => matches(e, actual[i], redacted));
  }
  const e = expected as Record<string, Json>;
  const a = actual as Record<string, Json>;
  const keys = Object.keys(e);
  return keys.length === Object.keys(a).length && keys.every((k) => k in a && matches(e[k], a[k], redacted));
}

/** Runs one case. */
export async function runCase(c: ConformanceCase): Promise<CaseResult> {
  let machine: CompiledStateMachine;
  try {
    machine = compile(c.definition);
  } catch (e) {
    const msg = e instanceof DefinitionError ? e.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ') : String(e);
    return { name: c.name, features: c.features, passed: false, reason: `definition refused: ${msg}` };
  }
  const result = await execute(machine, c.input, { accountId: CASE_ACCOUNT, region: CASE_REGION, seed: 1, ...lambdaOptions(c) });
  const redacted = c.redacted === true;
  const historyReason = c.history ? compareHistory(c.history, reduceHistory(result.history), redacted) : undefined;
  const verdict = (passed: boolean, reason = ''): CaseResult => ({
    name: c.name,
    features: c.features,
    passed,
    reason,
    historyMatched: historyReason === undefined ? undefined : historyReason === '',
    historyReason,
  });
  const exp = c.expected;
  if (result.status !== exp.status) {
    return verdict(false, `status ${result.status} (${result.error ?? ''}: ${result.cause ?? ''}), expected ${exp.status}`);
  }
  if (exp.status === 'SUCCEEDED' && !matches(exp.output, result.output, redacted)) {
    return verdict(false, `output ${JSON.stringify(result.output)}, expected ${JSON.stringify(exp.output)}`);
  }
  if (exp.error !== undefined && !matches(exp.error, result.error, redacted)) return verdict(false, `error ${result.error}, expected ${exp.error}`);
  if (exp.cause !== undefined && !matches(exp.cause, result.cause, redacted))
    return verdict(false, `cause ${JSON.stringify(result.cause)}, expected ${JSON.stringify(exp.cause)}`);
  return verdict(true);
}

/** Runs every case and summarises per feature. */
export async function runAll(cases: ConformanceCase[]): Promise<{ results: CaseResult[]; byFeature: Map<string, { passed: number; total: number }> }> {
  const results: CaseResult[] = [];
  for (const c of cases) results.push(await runCase(c));
  const byFeature = new Map<string, { passed: number; total: number }>();
  for (const r of results) {
    for (const f of r.features) {
      const s = byFeature.get(f) ?? { passed: 0, total: 0 };
      s.total += 1;
      if (r.passed) s.passed += 1;
      byFeature.set(f, s);
    }
  }
  return { results, byFeature };
}
