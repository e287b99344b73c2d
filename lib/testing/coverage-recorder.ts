// Records coverage of every execution the testing tools run, when the Stepwise coverage reporter
// asked for it. Jest runs test files in worker processes and reporters in the parent, so each
// worker appends what its executions hit to a file in a folder the reporter chose (its path
// travels in an environment variable, which Jest passes on to its workers).
import { appendFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { ExecutionResult } from '../asl';
import type { MachineDefinition } from '../asl/types';
import { addExecution, shapeOf } from '../insight/coverage';
import { rememberDefinition } from '../insight/definitions';

/** The environment variable that holds the folder executions are recorded in. */
export const COVERAGE_DIR_ENV = 'STEPWISE_COVERAGE_DIR';
/** The environment variable that holds the reporter's `testFiles` option (JSON), when given. */
export const COVERAGE_FILES_ENV = 'STEPWISE_COVERAGE_TEST_FILES';

/** A state machine as coverage names it. */
export interface RecordedMachine {
  /** How reports name it, e.g. `Orders/StateMachine (STANDARD)`. */
  readonly label: string;
  readonly definition: MachineDefinition;
}

/** One line of a recording file. */
export interface CoverageRecord {
  readonly key: string;
  readonly label: string;
  /** Present on the first record of a machine in each file. */
  readonly definition?: MachineDefinition;
  readonly hits: Record<string, number>;
  readonly withoutHistory: number;
  /** The Jest test file that ran the execution, when known. */
  readonly testPath?: string;
}

/** The test file Jest is running, read from its global `expect` (absent outside Jest). */
function currentTestPath(): string | undefined {
  const jestExpect = (globalThis as { expect?: { getState?: () => { testPath?: string } } }).expect;
  return jestExpect?.getState?.().testPath;
}

const written = new Set<string>();

/**
 * Records one finished execution for the coverage reporter; does nothing unless the reporter is
 * on. Call it for executions run outside `LocalWorkflow` (e.g. `execute(compile(definition))`).
 */
export function recordExecution(machine: RecordedMachine, result: ExecutionResult): void {
  const dir = process.env[COVERAGE_DIR_ENV];
  if (!dir) return;
  const testPath = currentTestPath();
  // The reporter counts only some test files: spare the others the work of reading histories.
  const only = process.env[COVERAGE_FILES_ENV];
  if (only && testPath && !(JSON.parse(only) as string[]).some((f) => testPath.split(sep).join('/').includes(f))) return;
  const key = `${machine.label}@${shapeOf(machine.definition)}`;
  const hits = addExecution(machine.definition, result);
  const file = join(dir, `executions-${process.pid}.jsonl`);
  const first = !written.has(`${file}\n${key}`);
  const record: CoverageRecord = {
    key,
    label: machine.label,
    definition: first ? machine.definition : undefined,
    hits: hits.hits,
    withoutHistory: hits.withoutHistory,
    testPath,
  };
  appendFileSync(file, `${JSON.stringify(record)}\n`);
  written.add(`${file}\n${key}`);
}

/** The label of a state machine of a stack: its construct path without the stack, and its type. */
export function machineLabel(sm: { readonly constructPath?: string; readonly name: string; readonly type: string }): string {
  const path = sm.constructPath?.split('/').slice(1).join('/') || sm.name;
  return `${path} (${sm.type})`;
}

/**
 * The hook LocalWorkflow calls for every execution: once it ends, the result remembers its
 * definition (for writeExecutionHtml) and, when the coverage reporter is on, counts for coverage.
 */
export function watchExecution(
  sm: { readonly constructPath?: string; readonly name: string; readonly type: string; readonly definition: MachineDefinition },
  result: Promise<ExecutionResult>,
): void {
  result.then(
    (r) => {
      rememberDefinition(r, sm.definition);
      recordExecution({ label: machineLabel(sm), definition: sm.definition }, r);
    },
    // A rejected result (SetupError) is the test's to report; it covers nothing.
    () => undefined,
  );
}
