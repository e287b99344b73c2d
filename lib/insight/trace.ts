// Reads an execution's history back into what each state did. AWS's history is a flat list of
// events in which every event names the one before it *in the same thread* (previousEventId), so
// walking those links tells which state entry owns an event, which Parallel branch or Map
// iteration a state ran in, and which state came next. Coverage, the viewer and the cost estimate
// all read executions through this one module.
import { detailsKey, type HistoryEvent } from '../asl/history';
import type { ExecutionResult } from '../asl';
import type { Json } from '../asl/types';

/** The details object of an event, with payload fields still as JSON text. */
export type Details = Record<string, unknown>;

/** One event, flattened: its details under one key whatever its type. */
export interface TraceEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly type: string;
  /** Milliseconds since the execution started. */
  readonly at: number;
  readonly details: Details;
}

/** One failed attempt inside a state entry. */
export interface TraceFailure {
  readonly error: string | undefined;
  readonly cause: string | undefined;
  /** The event that reported it (TaskFailed, TaskTimedOut, EvaluationFailed...). */
  readonly eventType: string;
  /** Whether the state ran again after it (a Retry fired). */
  readonly retried: boolean;
}

/** One entry into a state: from its StateEntered event to its StateExited (or the end). */
export interface StateVisit {
  /** Id of the StateEntered event. */
  readonly id: number;
  readonly name: string;
  /** Path of names from the top-level machine, e.g. `PreChecks/CheckCredit`. */
  readonly path: string;
  readonly type: string;
  /** The Parallel or Map visit this one ran inside, when any. */
  readonly parent: StateVisit | undefined;
  /** The state before this one in the same thread (absent for the first state of a thread). */
  readonly previous: StateVisit | undefined;
  /** The Map iteration index, for the first state of an iteration and its successors. */
  readonly iteration: number | undefined;
  readonly enteredAt: number;
  exitedAt: number | undefined;
  readonly input: Json | undefined;
  output: Json | undefined;
  /** The state entered right after this one in the same thread (absent at the end of a thread). */
  next: string | undefined;
  /** How the visit ended: exited after success, exited through a Catch, or the thread ended there. */
  outcome: 'succeeded' | 'caught' | 'failed' | 'stopped' | 'running';
  /** Attempts that failed, in order (the last one, unless retried, is what a Catch caught or the thread failed with). */
  readonly failures: TraceFailure[];
  /** Number of attempts started (TaskScheduled, ParallelStateStarted...); retries are attempts − 1. */
  attempts: number;
  /** Events owned by this visit (not those of the states inside a Parallel or Map). */
  readonly events: TraceEvent[];
  /** Last success event (TaskSucceeded, MapStateSucceeded...) or failure event seen, to tell a Catch from success. */
  lastOutcome: 'success' | 'failure' | undefined;
  /** For a callback Task: how the callback ended. */
  callback: 'succeeded' | 'failed' | 'timedOut' | undefined;
}

/** An execution read back from its history. */
export interface ExecutionTrace {
  readonly status: ExecutionResult['status'];
  readonly error: string | undefined;
  readonly cause: string | undefined;
  readonly durationMs: number;
  readonly events: readonly TraceEvent[];
  /** Every state entry, in the order of their StateEntered events. */
  readonly visits: readonly StateVisit[];
  /** Whether the history was kept (`history: false` runs only have `statesEntered`). */
  readonly hasHistory: boolean;
}

/** Events that start an attempt of a state: a second one in the same visit means a Retry fired. */
const ATTEMPT_START = /^(Task|LambdaFunction|Activity)Scheduled$|^(Parallel|Map)StateStarted$/;
const SUCCESS = /^(Task|LambdaFunction|Activity)Succeeded$|^(Parallel|Map)StateSucceeded$/;
const FAILURE = /(Failed|TimedOut)$/;
const ENTERED = /StateEntered$/;
const EXITED = /StateExited$/;

function parse(text: unknown): Json | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** Flattens a history's events: each event's details under `details`, times relative to the first. */
export function flattenHistory(history: readonly HistoryEvent[]): TraceEvent[] {
  const t0 = history[0]?.timestamp.getTime() ?? 0;
  return history.map((e) => ({
    id: e.id,
    previousEventId: e.previousEventId,
    type: e.type,
    at: e.timestamp.getTime() - t0,
    details: (e[detailsKey(e.type)] as Details | undefined) ?? {},
  }));
}

/**
 * Reads an execution's history into state visits. Works on any GetExecutionHistory-shaped list,
 * so histories recorded on AWS can be read the same way.
 */
export function traceExecution(result: Pick<ExecutionResult, 'status' | 'error' | 'cause' | 'history' | 'startDate' | 'stopDate'>): ExecutionTrace {
  const events = flattenHistory(result.history);
  const byId = new Map<number, TraceEvent>();
  // The visit that owns each event (undefined for execution-level events).
  const owner = new Map<number, StateVisit | undefined>();
  // The enclosing visit of the thread an event belongs to, and the Map iteration index.
  const context = new Map<number, { parent: StateVisit | undefined; iteration: number | undefined }>();
  const visits: StateVisit[] = [];
  const byEnteredId = new Map<number, StateVisit>();

  for (const e of events) {
    byId.set(e.id, e);
    const prev = byId.get(e.previousEventId);
    const prevOwner = prev ? owner.get(prev.id) : undefined;
    if (ENTERED.test(e.type)) {
      // A state entered right after another state's exit runs in the same thread; one entered after
      // ParallelStateStarted or MapIterationStarted starts a branch or an iteration of that visit.
      let parent: StateVisit | undefined;
      let iteration: number | undefined;
      if (prev && EXITED.test(prev.type)) {
        const ctx = context.get(prev.id);
        parent = ctx?.parent;
        iteration = ctx?.iteration;
        if (prevOwner) prevOwner.next = String(e.details.name);
      } else if (prev && prev.type !== 'ExecutionStarted') {
        parent = prevOwner;
        iteration = prev.type === 'MapIterationStarted' && typeof prev.details.index === 'number' ? prev.details.index : undefined;
      }
      const name = String(e.details.name);
      const visit: StateVisit = {
        id: e.id,
        name,
        path: parent ? `${parent.path}/${name}` : name,
        type: e.type.replace(/StateEntered$/, ''),
        parent,
        previous: prev && EXITED.test(prev.type) ? prevOwner : undefined,
        iteration,
        enteredAt: e.at,
        exitedAt: undefined,
        input: parse(e.details.input),
        output: undefined,
        next: undefined,
        outcome: 'running',
        failures: [],
        attempts: 0,
        events: [e],
        lastOutcome: undefined,
        callback: undefined,
      };
      visits.push(visit);
      byEnteredId.set(e.id, visit);
      owner.set(e.id, visit);
      context.set(e.id, { parent, iteration });
      continue;
    }
    // Execution-level events (ExecutionSucceeded, ExecutionFailed...) belong to no state.
    const visit = e.type.startsWith('Execution') ? undefined : prevOwner;
    owner.set(e.id, visit);
    context.set(e.id, prev ? (context.get(prev.id) ?? { parent: undefined, iteration: undefined }) : { parent: undefined, iteration: undefined });
    if (!visit) continue;
    // MapIterationStarted/Succeeded and ParallelStateStarted belong to the Map/Parallel visit.
    visit.events.push(e);
    if (EXITED.test(e.type)) {
      visit.exitedAt = e.at;
      visit.output = parse(e.details.output);
      visit.outcome = visit.lastOutcome === 'failure' ? 'caught' : 'succeeded';
    } else if (ATTEMPT_START.test(e.type)) {
      const last = visit.failures.at(-1);
      if (visit.attempts > 0 && last) visit.failures[visit.failures.length - 1] = { ...last, retried: true };
      visit.attempts += 1;
    } else if (SUCCESS.test(e.type)) {
      visit.lastOutcome = 'success';
      if (visit.type === 'Task') visit.callback = 'succeeded';
    } else if (FAILURE.test(e.type) && !/^MapIteration|^MapRun/.test(e.type)) {
      visit.lastOutcome = 'failure';
      const error = typeof e.details.error === 'string' ? e.details.error : undefined;
      const cause = typeof e.details.cause === 'string' ? e.details.cause : undefined;
      // MapStateFailed/ParallelStateFailed carry no error; the failure that caused them does.
      visit.failures.push({ error, cause, eventType: e.type, retried: false });
      if (visit.type === 'Task') visit.callback = e.type.endsWith('TimedOut') ? 'timedOut' : 'failed';
    }
  }

  // A Parallel or Map that failed names no error itself: take it from the inner failure that ended
  // a branch or iteration (the last failure not retried inside it).
  for (const v of visits) {
    for (const [i, f] of v.failures.entries()) {
      if (f.error !== undefined) continue;
      const inner = innerFailure(visits, v);
      if (inner) v.failures[i] = { ...f, error: inner.error, cause: inner.cause };
    }
    // A visit that never exited failed there (a Fail state, an uncaught error), or was stopped
    // with its thread (a sibling branch failed, the execution was aborted or timed out).
    if (v.exitedAt === undefined && result.status !== 'RUNNING') v.outcome = v.failures.length > 0 || v.type === 'Fail' ? 'failed' : 'stopped';
  }

  return {
    status: result.status,
    error: result.error,
    cause: result.cause,
    durationMs: result.stopDate.getTime() - result.startDate.getTime(),
    events,
    visits,
    hasHistory: events.length > 0,
  };
}

function innerFailure(visits: readonly StateVisit[], v: StateVisit): TraceFailure | undefined {
  for (let i = visits.length - 1; i >= 0; i--) {
    const c = visits[i];
    if (c === undefined || c.id <= v.id) break;
    let p = c.parent;
    while (p && p !== v) p = p.parent;
    if (!p) continue;
    const f = [...c.failures].reverse().find((x) => !x.retried && x.error !== undefined);
    if (f && c.outcome !== 'caught') return f;
  }
  return undefined;
}
