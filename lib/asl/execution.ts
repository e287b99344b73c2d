// An execution as its users see it: the options it starts with, the handle they hold (result,
// stop, callbacks) and the result it ends with. The running itself (threads, Retry/Catch,
// limits, history) is the scheduler's (scheduler.ts).
import type { CompiledStateMachine } from './compile';
import { type SetupError, StatesError } from './errors';
import type { HistoryEvent, HistoryRecorder, RawDetails } from './history';
import { LIMITS } from './limits';
import { ownCopy, Scheduler, type Ending } from './scheduler';
import type { ExecutionStatus, Json, WorkflowType } from './types';
import type { Clock } from './clock';
import type { LambdaHandler, LambdaInvoker, TaskHandler, TaskMock } from './runtime';

export { LIMITS };

/** Options for `execute` and `startExecution`. */
export interface ExecuteOptions {
  /** Execution name. @default a UUID from the seeded source */
  readonly name?: string;
  /** Name used in the state machine ARN and `$$.StateMachine.Name`. @default 'StateMachine' */
  readonly stateMachineName?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** Role ARN shown in `$$.Execution.RoleArn` and the ExecutionStarted event. @default a placeholder role in the account */
  readonly roleArn?: string;
  /** Time source. @default a new VirtualClock starting at 2026-01-01T00:00:00Z */
  readonly clock?: Clock;
  /** Seed for execution names, UUIDs, task tokens, jitter and `States.MathRandom`. @default a random seed */
  readonly seed?: number;
  /** Runs Lambda functions (`lambda:invoke` and function ARNs) as plain functions, answered as the Node.js runtime would. */
  readonly lambda?: LambdaHandler;
  /** Runs Lambda functions with the raw Invoke response (payload text, function error); takes precedence over `lambda`. */
  readonly lambdaInvoker?: LambdaInvoker;
  /** Runs any other Task resource. */
  readonly tasks?: TaskHandler;
  /** Overrides the workflow type the machine was compiled with (limits, Express duration). */
  readonly type?: WorkflowType;
  /** Called when a `.waitForTaskToken` Task starts waiting, with its token. */
  readonly onTaskToken?: (token: string, stateName: string) => void;
  /** Answers chosen Task invocations with mocked results or errors instead of calling them. */
  readonly mock?: TaskMock;
  /** Called as each history event is recorded (live progress, tracing). */
  readonly onEvent?: (event: LiveEvent) => void;
  /**
   * Whether to keep the execution's history. Turn it off for load tests: the result's `history`
   * is then empty (`statesEntered` is still filled and `onEvent` still called), and each running
   * execution holds no intermediate payloads. Limits on the number of events still apply.
   * @default true
   */
  readonly history?: boolean;
}

/** How an execution ended: plain data, frozen (it survives JSON.stringify); `output` is a copy the caller owns. */
export interface ExecutionResult {
  readonly executionArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** The output, when SUCCEEDED: a copy of the execution's own, yours to change. */
  readonly output?: Json;
  /** The error name, when FAILED or TIMED_OUT (absent when a Fail state gave none). */
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate: Date;
  /** Names of the states entered, in order (including those inside branches and iterations). */
  readonly statesEntered: readonly string[];
  /** The history in GetExecutionHistory's shape (a frozen array). */
  readonly history: HistoryEvent[];
}

/** An execution's history event as `onEvent` hears it (details not yet rendered to strings). */
export interface LiveEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly details?: RawDetails;
}

/**
 * A running execution, as `startExecution` returns it: await `result`; answer callback tasks
 * with `sendTaskSuccess` / `sendTaskFailure` / `sendTaskHeartbeat`; `stop` it; hear its events
 * with `onEvent`.
 */
export interface Execution {
  /** ARN of this execution. */
  readonly executionArn: string;
  /** Name of this execution. */
  readonly name: string;
  /**
   * Resolves with how the execution ended (a failing workflow is a result, not a rejection).
   * Rejects only with a SetupError: a task handler found the run itself set up wrong.
   */
  readonly result: Promise<ExecutionResult>;
  /** Stops the execution now (StopExecution): it ends ABORTED and its waiting tasks are abandoned. */
  stop(error?: string, cause?: string): void;
  /**
   * Completes a waiting callback task with a copy of `output` (SendTaskSuccess).
   * @throws TaskDoesNotExist for an unknown, finished or cancelled token
   * @throws StatesError (States.Runtime) for output JSON text cannot hold (a bigint, a cycle); the task keeps waiting
   */
  sendTaskSuccess(token: string, output: Json): void;
  /** Fails a waiting callback task (SendTaskFailure). @throws TaskDoesNotExist as sendTaskSuccess */
  sendTaskFailure(token: string, error?: string, cause?: string): void;
  /** Resets a waiting task's heartbeat timer (SendTaskHeartbeat). @throws TaskDoesNotExist as sendTaskSuccess */
  sendTaskHeartbeat(token: string): void;
  /** Calls `listener` with each event recorded from now on; returns a function that stops it. */
  onEvent(listener: (event: LiveEvent) => void): () => void;
}

/** @internal Threads of an execution that have not ended (0 once it has ended): for tests. */
export function threadsRunning(exec: Execution): number {
  return Handle.threadsRunning(exec as Handle);
}

/** The handle of one execution (see Execution); the scheduler behind it stays internal. */
class Handle implements Execution {
  readonly executionArn: string;
  readonly name: string;
  readonly result: Promise<ExecutionResult>;
  readonly #sched: Scheduler;
  #listeners: ((event: LiveEvent) => void)[] | undefined;

  constructor(machine: CompiledStateMachine, input: Json, options: ExecuteOptions) {
    let settle!: (r: ExecutionResult) => void;
    let fail!: (e: SetupError) => void;
    this.result = new Promise<ExecutionResult>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    const sched = new Scheduler(machine, input, options, (ending) => settle(buildResult(sched, ending)), fail);
    this.#sched = sched;
    this.executionArn = sched.executionArn;
    this.name = sched.name;
    // Start on the next microtask, so the caller holds the handle before any handler runs. A
    // promise job rather than queueMicrotask, which wraps every callback in an async resource.
    STARTED.then(() => sched.start());
  }

  static threadsRunning(h: Handle): number {
    return h.#sched.live;
  }

  stop(error?: string, cause?: string): void {
    this.#sched.stop(error, cause);
  }

  sendTaskSuccess(token: string, output: Json): void {
    const sched = this.#sched;
    sched.takeCallback(token, true);
    // Copied now, as SendTaskSuccess serializes it: what the caller changes afterwards is not the
    // Task's result. Output that JSON text cannot hold is refused here, and the Task keeps waiting.
    const own = ownCopy(output, undefined, 'task output');
    sched.takeCallback(token).resolve(own);
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.#sched.takeCallback(token).reject(new StatesError(error, cause));
  }

  sendTaskHeartbeat(token: string): void {
    this.#sched.takeCallback(token, true).heartbeat();
  }

  onEvent(listener: (event: LiveEvent) => void): () => void {
    const sched = this.#sched;
    if (!this.#listeners) {
      // The scheduler calls one function, and only once someone listens: details are built per call.
      const listeners: ((event: LiveEvent) => void)[] = (this.#listeners = []);
      const given = sched.onEvent;
      if (given) listeners.push(given);
      sched.onEvent = (e) => {
        for (const l of listeners) l(e);
      };
    }
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners?.indexOf(listener) ?? -1;
      if (i >= 0) this.#listeners?.splice(i, 1);
    };
  }
}

/**
 * The result, built once the execution has ended: a frozen plain object. `statesEntered` and
 * `history` are built from the events on their first read and kept (own enumerable properties, so
 * each is the same array on every read and JSON.stringify includes it). Rendering every event's payloads
 * to JSON text as each execution ends made the chain workload 13-20× slower in `npm run bench`,
 * for histories most runs never read.
 */
function buildResult(sched: Scheduler, ending: Ending): ExecutionResult {
  const r: { -readonly [K in keyof ExecutionResult]?: ExecutionResult[K] } = {
    executionArn: sched.executionArn,
    name: sched.name,
    status: ending.status,
    startDate: new Date(sched.startTime),
    stopDate: new Date(ending.stopTime),
  };
  // Absent rather than undefined, so results compare and print cleanly.
  if (ending.status === 'SUCCEEDED') r.output = ending.output;
  if (ending.error !== undefined) r.error = ending.error;
  if (ending.cause !== undefined) r.cause = ending.cause;
  // One getter function shared by every result, reading this result's events from a hidden slot.
  // A closure per result gave every result a hidden class of its own (V8 keys an accessor's map
  // transition on the getter function), allocated in old space: the order workload spent 40% of
  // its time in GC and ran at 40% of its speed. A symbol-keyed slot rather than a private field
  // (which was 140 ns cheaper): the getters must work through a Proxy of the result as well.
  Object.defineProperty(r, LAZY_HISTORY, { value: { events: sched.events, rendered: undefined, entered: undefined } });
  Object.defineProperty(r, 'statesEntered', { enumerable: true, get: enteredStates });
  Object.defineProperty(r, 'history', { enumerable: true, get: renderedHistory });
  return Object.freeze(r) as ExecutionResult;
}

const STARTED = Promise.resolve();

const LAZY_HISTORY = Symbol('stepwise.lazyHistory');
interface LazyHistory {
  readonly events: HistoryRecorder;
  rendered: HistoryEvent[] | undefined;
  entered: readonly string[] | undefined;
}

function enteredStates(this: { [LAZY_HISTORY]: LazyHistory }): readonly string[] {
  const h = this[LAZY_HISTORY];
  return (h.entered ??= Object.freeze(h.events.statesEntered()));
}

function renderedHistory(this: { [LAZY_HISTORY]: LazyHistory }): HistoryEvent[] {
  const h = this[LAZY_HISTORY];
  return (h.rendered ??= Object.freeze(h.events.toEvents()) as HistoryEvent[]);
}

/**
 * Starts an execution and returns its handle at once (use it for callbacks and `stop`).
 * @example
 * const run = startExecution(compile(definition), { orderId: 'o-1' }, { lambda });
 * const result = await run.result;
 */
export function startExecution(machine: CompiledStateMachine, input: Json = {}, options: ExecuteOptions = {}): Execution {
  return new Handle(machine, input, options);
}

/**
 * Runs an execution to the end. Never throws for a failing workflow: the result's `status`,
 * `error` and `cause` say what happened. Rejects only with a SetupError (see Execution.result).
 * @example
 * const result = await execute(compile(definition), { total: 40 });
 * expect(result.status).toBe('SUCCEEDED');
 */
export function execute(machine: CompiledStateMachine, input: Json = {}, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  return startExecution(machine, input, options).result;
}
