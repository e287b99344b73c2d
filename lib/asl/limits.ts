// Every service limit an execution must keep, and where each is checked. The scheduler asks a
// Budget (one per execution, one per Distributed Map child execution) on every state entered
// and every event recorded; the deadline also fires as a Clock timer, so it holds while a thread
// waits (Wait, retry back-off, callback, long Task) and not only when the next state starts.
import { causes } from './causes';
import { ExecutionStop, StatesError, StatesErrors } from './errors';
import type { WorkflowType } from './types';

/** Service limits Step Functions enforces, applied locally too. */
export const LIMITS = {
  /** Largest state input/output or execution input, in UTF-8 bytes. */
  maxPayloadBytes: 256 * 1024,
  /** Largest number of events in one Standard execution's history, its terminal event included. */
  maxHistoryEvents: 25_000,
  /** Longest Express execution. */
  expressMaxSeconds: 300,
  /** Longest Standard execution (one year). */
  standardMaxSeconds: 365 * 24 * 3600,
  /**
   * State transitions allowed to one Express execution. Express has no event limit, so an Express
   * Pass/Choice loop that takes no virtual time would otherwise never reach its 5 minutes: at this
   * many transitions it ends TIMED_OUT as if they had passed (a real Express execution makes a few
   * thousand transitions a second, so 5 minutes hold far fewer).
   */
  expressMaxTransitions: 1_000_000,
  /** Largest total size of the variables one Assign writes, in UTF-8 bytes. */
  maxAssignBytes: 256 * 1024,
  /** Deepest nesting of a payload the interpreter walks (size, clone, templates): deeper fails with States.Runtime. */
  maxPayloadDepth: 2_000,
} as const;

/**
 * The limits of one execution (or one child execution of a Distributed Map): its deadline, its
 * events and its transitions.
 */
export class Budget {
  /** Milliseconds since the epoch after which the execution has timed out. */
  readonly deadline: number;
  private events = 0;
  private transitions = 0;
  private readonly maxEvents: number;
  private readonly maxTransitions: number;

  constructor(
    readonly type: WorkflowType,
    start: number,
    private readonly timeoutSeconds: number | undefined,
  ) {
    const longest = type === 'EXPRESS' ? LIMITS.expressMaxSeconds : LIMITS.standardMaxSeconds;
    this.deadline = start + Math.min(timeoutSeconds ?? Infinity, longest) * 1000;
    // Express executions have no event history in AWS (only logs), so only Standard has the limit.
    this.maxEvents = type === 'STANDARD' ? LIMITS.maxHistoryEvents : Infinity;
    this.maxTransitions = type === 'EXPRESS' ? LIMITS.expressMaxTransitions : Infinity;
  }

  /** Checked as a state is entered: the deadline (a synchronous loop never lets a timer fire) and the transitions. */
  enterState(now: number): void {
    if (now >= this.deadline) throw this.timedOut();
    if (++this.transitions > this.maxTransitions) {
      throw new ExecutionStop(
        'TIMED_OUT',
        StatesErrors.Timeout,
        `The Express execution made ${LIMITS.expressMaxTransitions} state transitions without reaching its end; Stepwise ends it there as AWS would after ${LIMITS.expressMaxSeconds} seconds.`,
      );
    }
  }

  /**
   * Counts one event before it is recorded. The last slot is kept for the terminal event, so a
   * history never exceeds the limit and one that hits it has exactly that many events.
   */
  countEvent(): void {
    if (++this.events >= this.maxEvents) {
      throw new StatesError(StatesErrors.Runtime, causes.historyLimitReached(LIMITS.maxHistoryEvents));
    }
  }

  /** The stop that ends an execution past its deadline. */
  timedOut(): ExecutionStop {
    const what =
      this.timeoutSeconds !== undefined && this.timeoutSeconds * 1000 <= (this.type === 'EXPRESS' ? LIMITS.expressMaxSeconds : LIMITS.standardMaxSeconds) * 1000
        ? `TimeoutSeconds of ${this.timeoutSeconds}`
        : this.type === 'EXPRESS'
          ? `Express limit of ${LIMITS.expressMaxSeconds}`
          : `Standard limit of ${LIMITS.standardMaxSeconds}`;
    return new ExecutionStop('TIMED_OUT', StatesErrors.Timeout, causes.executionTimedOut(what));
  }
}

/** A States.Runtime error for a payload nested deeper than the interpreter walks. */
export function tooDeep(what: string): StatesError {
  return new StatesError(StatesErrors.Runtime, `The ${what} is nested more than ${LIMITS.maxPayloadDepth} levels deep, which Stepwise does not process.`);
}
