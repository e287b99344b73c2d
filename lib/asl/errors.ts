// ASL errors as values: one type carrying the error name and cause, plus the predefined names.
import type { JsonObject } from './types';

/** Predefined error names of the Amazon States Language. */
export const StatesErrors = {
  ALL: 'States.ALL',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  Timeout: 'States.Timeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  DataLimitExceeded: 'States.DataLimitExceeded',
  Runtime: 'States.Runtime',
  QueryEvaluationError: 'States.QueryEvaluationError',
} as const;

/**
 * An ASL error: `error` is the name Retry/Catch match on, `cause` the human-readable detail.
 * The data layer throws it and the run loop turns it into a state failure; it never escapes
 * `execute()`.
 */
export class StatesError extends Error {
  constructor(
    /** Error name, e.g. `States.Runtime` or a Lambda function's `errorType`; a Fail state may give none. */
    public readonly error: string | undefined,
    /** Cause text; AWS's exact wording where AWS defines one. */
    public override readonly cause?: string,
  ) {
    // A StatesError is a workflow value that never leaves the interpreter, so its JS stack says
    // nothing: capturing one cost a retried Task about a seventh of its time.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${error ?? '(no error)'}${cause === undefined ? '' : `: ${cause}`}`);
    Error.stackTraceLimit = limit;
    this.name = 'StatesError';
  }
}

/**
 * Errors that end the execution whatever Retry/Catch say: AWS documents that `States.ALL`
 * does not match them, and a States.Runtime cannot be retried or caught at all.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
const UNCATCHABLE = new Set<string>([StatesErrors.Runtime]);
const NOT_MATCHED_BY_ALL = new Set<string>([StatesErrors.Runtime, StatesErrors.DataLimitExceeded]);

/** Whether a Retry/Catch `ErrorEquals` list matches an error name. */
export function errorMatches(errorEquals: readonly string[], error: string | undefined): boolean {
  if (error === undefined) return errorEquals.includes(StatesErrors.ALL);
  if (UNCATCHABLE.has(error)) return false;
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === StatesErrors.ALL && !NOT_MATCHED_BY_ALL.has(error)) return true;
    if (name === StatesErrors.TaskFailed && error !== StatesErrors.Timeout && !NOT_MATCHED_BY_ALL.has(error)) return true;
  }
  return false;
}

/** Converts anything thrown inside the interpreter into a StatesError (a JS exception is a bug: States.Runtime). */
export function toStatesError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  // A payload nested deep enough to exhaust the stack in a walk that is not yet bounded.
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new StatesError(StatesErrors.Runtime, 'A payload is nested too deeply to be processed.');
  }
  const message = e instanceof Error ? e.message : String(e);
  return new StatesError(StatesErrors.Runtime, `Internal error: ${message}`);
}

/** The `{ Error, Cause }` object a catcher or a tolerated Map failure passes on (absent fields left out). */
export function errorOutput(e: StatesError): JsonObject {
  const out: JsonObject = {};
  if (e.error !== undefined) out.Error = e.error;
  if (e.cause !== undefined) out.Cause = e.cause;
  return out;
}

/**
 * Ends an execution whatever Retry/Catch say (timeout of the whole execution, StopExecution).
 * State modules must let it pass through untouched.
 */
export class ExecutionStop extends Error {
  constructor(
    readonly status: 'TIMED_OUT' | 'ABORTED',
    readonly error: string | undefined,
    override readonly cause: string | undefined,
  ) {
    super(status);
    this.name = 'ExecutionStop';
  }
}

/**
 * A problem with how a run was set up, not with the workflow: no code found for a function, a
 * mock naming a state that does not exist, a callback nobody can answer. Thrown by a task
 * handler or the local runtime, it aborts the run: no Retry or Catch (not even `States.ALL`)
 * sees it, and the execution's result rejects with it, so a test fails with the setup message
 * instead of passing down a Catch branch.
 */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}
