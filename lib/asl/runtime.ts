// The contract between the run loop (execution.ts) and the state modules (states/*.ts).
import type { Clock, SeededRandom } from './clock';
import type { StatesError } from './errors';
import type { CompiledCatcher, CompiledRetrier } from './retry';
import type { DataScope } from './data/scope';
import type { EventKind, RawDetails } from './history';
import type { Json, JsonObject, StateType, WorkflowType } from './types';

/** What a state does next: go to `next`, or end its (sub-)machine when `next` is undefined. */
export interface StepResult {
  readonly next: string | undefined;
  readonly output: Json;
  /** Variables the state assigns (Assign), applied once the state has exited. */
  readonly assigned?: JsonObject;
  /** A bound of the output's JSON size in bytes (see sizeBound), when the state knows one cheaply. */
  readonly size?: number;
}

/**
 * Runs one state on its raw input. Synchronous for states that do no I/O; Task, Parallel and
 * Map (and Wait on a real clock) return a promise. Failures are thrown as StatesError.
 */
export type StateRunner = (input: Json, scope: StateScope) => StepResult | Promise<StepResult>;

/** Turns a Task's raw result into its step (the Task's output processing). */
export type TaskDone = (input: Json, result: Json, scope: StateScope) => StepResult | Promise<StepResult>;
/** Records a Task's failure and throws it as the state's error. */
export type TaskFailed = (error: unknown, scope: StateScope) => never;

/**
 * What `StateScope.awaitTask` returns: a promise that never settles, telling the run loop that it,
 * not the state, continues once the task's call settles.
 */
export const SUSPENDED: Promise<never> = new Promise<never>(() => undefined);

/**
 * A call still running whose outcome the Task does not take as it comes: a handler's own promise,
 * whose value must be copied and checked (or whose error must be turned into the Task's) first.
 * The thread waits on `promise` itself and passes what it settles with through `value` or `error`,
 * which return the Task's result (or a promise of it) or throw its error: no derived promise and
 * no extra microtask per call, as `promise.then(value, error)` would cost (see awaitTask).
 */
export abstract class PendingCall {
  /** The result's sizeBound, when `value` measured it (the thread hands it to the Task). */
  resultSize: number | undefined = undefined;
  constructor(readonly promise: Promise<unknown>) {}
  abstract value(v: unknown, scope: StateScope): Json | Promise<Json>;
  abstract error(e: unknown, scope: StateScope): Json | Promise<Json>;
  /** The Task's result as one promise, for callers that await the call. */
  settled(scope: StateScope): Promise<Json> {
    return this.promise.then(
      (v) => this.value(v, scope),
      (e: unknown) => this.error(e, scope),
    );
  }
}

/** A state after compilation: everything parsed, only running left. */
export interface CompiledState {
  readonly name: string;
  readonly type: StateType;
  /** Its StateEntered (input) and StateExited (output) events, built once. */
  readonly entered: EventKind;
  readonly exited: EventKind;
  readonly run: StateRunner;
  readonly retriers: readonly CompiledRetrier[];
  readonly catchers: readonly CompiledCatcher[];
  /** The state's Next (absent when it ends its machine or chooses, like Choice). */
  readonly nextName: string | undefined;
  /** The state named by `nextName`, linked once its machine is compiled (no lookup per transition). */
  readonly following: CompiledState | undefined;
}

/** A compiled state machine, Parallel branch or Map processor. */
export interface CompiledMachine {
  readonly startAt: string;
  readonly states: ReadonlyMap<string, CompiledState>;
  /** The state named by `startAt`. */
  readonly start: CompiledState | undefined;
  /** Top-level TimeoutSeconds (whole execution). */
  readonly timeoutSeconds?: number;
}

/** What a Task asks of the outside world. */
export interface TaskRequest {
  /** Name of the Task state. */
  readonly stateName: string;
  /** The Resource ARN as written (after `.waitForTaskToken`/`.sync` suffixes). */
  readonly resource: string;
  /** The effective parameters (after InputPath and Parameters). */
  readonly parameters: Json;
  /** The callback token when the resource ends in `.waitForTaskToken`. */
  readonly taskToken?: string;
  /** Zero on the first attempt, then one more per retry. */
  readonly retryCount: number;
  /** The Task's effective TimeoutSeconds, when it has one. */
  readonly timeoutSeconds?: number;
  /** `$$.Execution.Id` and `$$.StateMachine.Id`, given to the `tasks` handler (service integrations need them). */
  readonly executionArn?: string;
  readonly stateMachineArn?: string;
}

/**
 * A Lambda function written as a plain function of this process: returns its result, or throws.
 * Stepwise runs it as the Node.js runtime would (see nodeRuntimeInvoker): the result travels as
 * `JSON.stringify` text, a thrown Error as `{"errorType","errorMessage","trace"}`.
 */
export type LambdaHandler = (functionName: string, payload: Json, request: TaskRequest) => Json | Promise<Json>;

/** One call of the Lambda Invoke API, as a Task makes it. */
export interface LambdaInvocation {
  /** The function as the Task names it: name, ARN or partial ARN, possibly with a qualifier. */
  readonly functionName: string;
  /** The request body: the event as JSON text. */
  readonly payload: string;
  /** @default 'RequestResponse' */
  readonly invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** `Tail` asks for the last 4 KB of the log, base64, in `LambdaResponse.logResult`. */
  readonly logType?: 'None' | 'Tail';
  readonly qualifier?: string;
  readonly clientContext?: string;
  readonly request: TaskRequest;
}

/** What Lambda answered, as raw as the Invoke API gives it; the interpreter does the rest. */
export interface LambdaResponse {
  /** @default 200 */
  readonly statusCode?: number;
  /** @default '$LATEST' */
  readonly executedVersion?: string;
  /** The response body exactly as the runtime wrote it (a result, or an error payload). */
  readonly payload: string;
  /** `X-Amz-Function-Error` (`Unhandled`, `Handled`): set when the function failed. */
  readonly functionError?: string;
  /** @default a UUID from the execution's seeded source */
  readonly requestId?: string;
  /** The HTTP response headers, when the invoker has them (else Stepwise builds Lambda's). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Base64 log tail (`LogType: Tail`); also read from the `X-Amz-Log-Result` header. */
  readonly logResult?: string;
  /**
   * Simulated run time not yet seen by the execution's clock: it is let pass on that clock
   * (instantly on a VirtualClock), and counts against the Task's TimeoutSeconds.
   */
  readonly durationSeconds?: number;
}

/**
 * Calls the Lambda Invoke API (in-process, a bundle, or real Lambda). Resolves with the raw
 * response, function errors included; rejects only when the call itself fails: with a
 * LambdaServiceError for an API error (such as ResourceNotFoundException), or a StatesError to
 * fail the Task with exactly that error.
 */
export type LambdaInvoker = (invocation: LambdaInvocation) => LambdaResponse | Promise<LambdaResponse>;

/** Runs any Task resource that is not a Lambda function. */
export type TaskHandler = (request: TaskRequest) => Json | Promise<Json>;

/** A mocked task outcome: the Task's result as given (no Lambda envelope added), or an error. */
export type MockOutcome = { readonly output: Json } | { readonly error: string; readonly cause?: string };

/** Decides, per Task invocation, whether to answer with a mock instead of calling the resource. */
export type TaskMock = (request: TaskRequest) => MockOutcome | undefined;

/** How a Map or Parallel state runs its children (see StateScope.runChildren). */
export interface ChildrenOptions {
  /** Number of children (branches, items or batches). */
  readonly count: number;
  /** Children running at once; 0 runs them all at once. */
  readonly concurrency: number;
  /** The machine child `i` runs (a Parallel branch, the Map's ItemProcessor). */
  machine(i: number): CompiledMachine;
  input(i: number): Json;
  /**
   * Whether this failure stops the children still running (they are cancelled, their aborts
   * recorded): Parallel always, Map when its tolerance is exceeded.
   */
  stopsOn(error: StatesError, failures: number, total: number): boolean;
  /** Runs each child as an execution of its own of this type: own limits, events not recorded (Distributed Map). */
  readonly childType?: WorkflowType;
  /** Hooks recording the parent's per-child events (MapIterationStarted...). */
  started?(i: number): void;
  succeeded?(i: number): void;
  failed?(i: number): void;
  aborted?(i: number): void;
}

/** How a group of children ended. */
export interface ChildrenOutcome {
  /** Outputs by index (holes where a child failed or never started). */
  readonly outputs: Json[];
  /** Errors by index, when any child failed. */
  readonly errors: (StatesError | undefined)[] | undefined;
  /** How many children were started. */
  readonly launched: number;
  /** A bound of the outputs array's JSON size, when every child's was known. */
  readonly size: number | undefined;
  /** The failure that stopped the group, if one did. */
  readonly stopped: StatesError | undefined;
}

/** A Map item being processed, exposed as `$$.Map.Item` in ItemSelector. */
export interface MapItem {
  readonly index: number;
  readonly value: Json;
}

/** Services the run loop offers to states that do more than transform data. */
export interface Runtime {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly workflowType: WorkflowType;
  readonly lambda?: LambdaHandler;
  /** Takes precedence over `lambda`. */
  readonly lambdaInvoker?: LambdaInvoker;
  readonly tasks?: TaskHandler;
  readonly mock?: TaskMock;
  /** Creates a task token and waits for SendTaskSuccess/Failure (or a timeout). */
  newTaskToken(): string;
  awaitCallback(token: string, scope: StateScope, timeoutSeconds?: number, heartbeatSeconds?: number): Promise<Json>;
}

/** The running state, as a state module sees it. */
export interface StateScope extends DataScope {
  readonly stateName: string;
  readonly stateType: StateType;
  readonly enteredEventId: number;
  readonly retryCount: number;
  /** A bound of the state input's JSON size in bytes (see sizeBound), when known (see StepResult.size). */
  readonly inputSize: number | undefined;
  /**
   * A bound of the JSON size of the Task result being delivered (see sizeBound), set by a call
   * that measured it (an in-process Lambda's copy does) and taken by the Task when it succeeds.
   */
  resultSize: number | undefined;
  readonly runtime: Runtime;
  /** Records a history event with the given details in this state's thread; returns its id. */
  record(type: string, details?: RawDetails): number;
  /** Records an event of a prebuilt kind, with the kind's per-event field set to `value` (no allocation). */
  recordEvent(kind: EventKind, value?: Json): number;
  /**
   * Names the event (`MapStateFailed`, `ParallelStateFailed`) to record if the failure being
   * thrown is final; AWS records none before a retry and none for a States.Runtime error.
   */
  failWith(eventType: string): void;
  /**
   * Hands a Task's pending call to the run loop, which calls `done` with its result (or `failed`
   * with its error) and goes on from there; return what this returns from the state's runner.
   * Cheaper than chaining on the promise: no closure or promise per Task.
   */
  awaitTask(call: Promise<Json> | PendingCall, done: TaskDone, failed: TaskFailed): Promise<StepResult>;
  /**
   * Runs children threads (Parallel branches, Map iterations) with one scheduler: outputs in
   * order, `concurrency` at a time, siblings cancelled on a failure that `stopsOn`. Synchronous
   * when no child waits.
   */
  runChildren(options: ChildrenOptions): ChildrenOutcome | Promise<ChildrenOutcome>;
  /**
   * Lets `ms` pass on the execution's clock: undefined once a virtual clock has moved (its timers,
   * the execution's deadline among them, have fired), or a promise cancelled with the thread.
   */
  sleep(ms: number): Promise<void> | undefined;
  /**
   * Calls `fn` after `ms` through the execution's clock; the timer dies with the state's wait or
   * its thread. `work`: it bounds a call running in real time (see Clock.setTimer).
   */
  timer(ms: number, fn: () => void, work?: boolean): void;
  /** A scope whose context object carries `$$.Map.Item` (for ItemSelector). */
  withMapItem(item: MapItem): DataScope;
  /** A scope whose context object carries `$$.Task.Token`. */
  withTaskToken(token: string): DataScope;
}
