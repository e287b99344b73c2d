// The run loop: executes a compiled state machine, records its history, applies Retry/Catch,
// and settles on one of SUCCEEDED, FAILED, TIMED_OUT or ABORTED. Synchronous states run without
// creating promises; only Task, Map, Parallel and real-time Wait await.
import { SeededRandom, VirtualClock, type Clock } from './clock';
import type { CompiledStateMachine } from './compile';
import type { DataScope } from './data/scope';
import { ExecutionStop, SetupError, StatesError, StatesErrors, errorOutput, stateErrorPrefix, toStatesError } from './errors';
import { EventKind, HistoryRecorder, type HistoryEvent, type RawDetails } from './history';
import { findCatcher, retryDelay, type CaughtOutput } from './retry';
import { SUSPENDED, type CompiledMachine, type CompiledState, type ThreadSink, type LambdaInvoker, type MapItem, type Runtime, type StateScope, type StepResult, type TaskDone, type TaskFailed, type TaskHandler, type TaskMock } from './runtime';
import { byteSizeExceeds, payloadSize } from './data/size';
import { isPromise } from './states/common';
import type { ExecutionStatus, Json, JsonObject, StateType, WorkflowType } from './types';

/** Service limits Step Functions enforces, applied locally too. */
export const LIMITS = {
  /** Largest state input/output or execution input, in UTF-8 bytes. */
  maxPayloadBytes: 256 * 1024,
  /** Largest number of events in one execution's history. */
  maxHistoryEvents: 25_000,
  /** Longest Express execution. */
  expressMaxSeconds: 300,
} as const;

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
  /** Runs Lambda functions (`lambda:invoke` and function ARNs). */
  readonly lambda?: LambdaInvoker;
  /** Runs any other Task resource. */
  readonly tasks?: TaskHandler;
  /** Overrides the workflow type the machine was compiled with (limits, Express duration). */
  readonly type?: WorkflowType;
  /** Called when a `.waitForTaskToken` Task starts waiting, with its token. */
  readonly onTaskToken?: (token: string, stateName: string) => void;
  /** Answers chosen Task invocations with mocked results or errors instead of calling them. */
  readonly mock?: TaskMock;
  /** Called as each history event is recorded (live progress, tracing). */
  readonly onEvent?: (event: { type: string; timestamp: number; details?: RawDetails }) => void;
  /**
   * Whether to keep the execution's history. Turn it off for load tests: the result's `history`
   * is then empty (`statesEntered` is still filled and `onEvent` still called), and each running
   * execution holds no intermediate payloads. Limits on the number of events still apply.
   * @default true
   */
  readonly history?: boolean;
}

/** How an execution ended. */
export interface ExecutionResult {
  readonly executionArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  /** The output, when SUCCEEDED. */
  readonly output?: Json;
  /** The error name, when FAILED or TIMED_OUT (absent when a Fail state gave none). */
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: Date;
  readonly stopDate: Date;
  /** Names of the states entered, in order (including those inside branches and iterations). */
  readonly statesEntered: readonly string[];
  /** The history in GetExecutionHistory's shape. */
  readonly history: HistoryEvent[];
}

const EXECUTION_SUCCEEDED = new EventKind('ExecutionSucceeded', { output: undefined }, 'output');
// Kinds of the events without details (ParallelStateStarted, MapStateSucceeded...), made once each.
const BARE_EVENTS = new Map<string, EventKind>();

/** AWS limits the variables one Assign writes to 256 KiB in total. */
const MAX_ASSIGN_BYTES = 256 * 1024;

/** What a waiting thread does when its promise settles (see Execution.resume). */
const WAIT_STEP = 0; // a state's StepResult: exit the state
const WAIT_TASK = 1; // a Task's raw result: finish the Task's data flow, then exit
const WAIT_RETRY = 2; // a real-time retry back-off: attempt the state again
const WAIT_CAUGHT = 3; // a catcher's (JSONata) output: the state has already exited

/** A thread's state before it runs its first one. */
const NO_STATE = { name: '' } as CompiledState;

interface Callback {
  resolve(v: Json): void;
  reject(e: StatesError | ExecutionStop): void;
  heartbeat(): void;
}

/** The running state as its module sees it: a thread itself, or a retry's or a Map item's copy of it. */
class Scope implements StateScope {
  // Assigned by Thread's constructor for a thread, which is its own scope.
  readonly thread: Thread;

  constructor(
    readonly exec: Execution,
    public state: CompiledState,
    thread: Thread | undefined,
    public enteredEventId: number,
    public enteredTime: number,
    readonly retryCount: number,
    private readonly token?: string,
    private readonly item?: MapItem,
  ) {
    this.thread = thread as Thread;
  }

  /** Points the thread's reusable scope at the next state. */
  enter(state: CompiledState, enteredEventId: number, enteredTime: number): this {
    this.state = state;
    this.enteredEventId = enteredEventId;
    this.enteredTime = enteredTime;
    this.failureEvent = undefined;
    return this;
  }

  /** Event to record if the current failure is final (see StateScope.failWith). */
  failureEvent: string | undefined = undefined;

  failWith(eventType: string): void {
    this.failureEvent = eventType;
  }

  get stateName(): string {
    return this.state.name;
  }

  get stateType(): StateType {
    return this.state.type;
  }

  get runtime(): Runtime {
    return this.exec;
  }

  get inputSize(): number | undefined {
    return this.thread.size;
  }

  get env() {
    return this.exec.random;
  }

  record(type: string, details?: RawDetails): number {
    let kind = details ? undefined : BARE_EVENTS.get(type);
    if (!kind) {
      kind = new EventKind(type, details);
      if (!details) BARE_EVENTS.set(type, kind);
    }
    return this.exec.record(this.thread, kind);
  }

  recordEvent(kind: EventKind, value?: Json): number {
    return this.exec.record(this.thread, kind, value);
  }

  awaitTask(call: Promise<Json>, done: TaskDone, failed: TaskFailed): Promise<StepResult> {
    const t = this.thread;
    t.waiting = call;
    t.waitKind = WAIT_TASK;
    t.taskDone = done;
    t.taskFailed = failed;
    return SUSPENDED;
  }

  context(): Json {
    const ctx: JsonObject = {
      Execution: this.exec.executionContext,
      State: { EnteredTime: new Date(this.enteredTime).toISOString(), Name: this.state.name, RetryCount: this.retryCount },
      StateMachine: { Id: this.exec.stateMachineArn, Name: this.exec.stateMachineName },
    };
    if (this.token !== undefined) ctx.Task = { Token: this.token };
    if (this.item !== undefined) ctx.Map = { Item: { Index: this.item.index, Value: this.item.value } };
    return ctx;
  }

  variable(name: string): Json | undefined {
    return this.thread.variable(name);
  }

  variables(): Record<string, Json> {
    return this.thread.variables();
  }

  runtimeError(detail: string): StatesError {
    return new StatesError(StatesErrors.Runtime, `${stateErrorPrefix(this.state.name, this.enteredEventId)} ${detail}`);
  }

  evaluationError(detail: string): StatesError {
    return new StatesError(StatesErrors.QueryEvaluationError, `${stateErrorPrefix(this.state.name, this.enteredEventId)} ${detail}`);
  }

  withMapItem(item: MapItem): DataScope {
    return new Scope(this.exec, this.state, this.thread, this.enteredEventId, this.enteredTime, this.retryCount, this.token, item);
  }

  withTaskToken(token: string): DataScope {
    return new Scope(this.exec, this.state, this.thread, this.enteredEventId, this.enteredTime, this.retryCount, token, this.item);
  }

  retried(): Scope {
    return new Scope(this.exec, this.state, this.thread, this.enteredEventId, this.enteredTime, this.retryCount + 1, this.token, this.item);
  }
}

/**
 * One line of states: the execution, a Parallel branch or a Map iteration. A thread is the scope
 * of the state it runs (reused from state to state) and the scope of its workflow variables.
 * While a state waits, the thread holds what is needed to continue, so no closure or promise is
 * created per state (see Execution.wait).
 */
class Thread extends Scope {
  /** Id of the thread's latest event: the next one's previousEventId. */
  last: number;
  /** A bound of the current value's JSON size (the next state's input; see sizeBound), when known. */
  size: number | undefined = undefined;
  // Variables: created on first assignment, as most threads (every Map iteration) never assign.
  private values: Map<string, Json> | undefined = undefined;
  waiting: Promise<unknown> | undefined = undefined;
  waitKind = WAIT_STEP;
  input: Json = null;
  /** The scope of the waiting attempt: the thread itself, or a retry's copy. */
  current: Scope | undefined = undefined;
  attempts: number[] | undefined = undefined;
  taskDone: TaskDone | undefined = undefined;
  taskFailed: TaskFailed | undefined = undefined;
  caughtDone: ((caught: CaughtOutput) => StepResult) | undefined = undefined;
  // Set when the thread first waits: where it goes on and whom it reports to (see Execution.wait).
  machine: CompiledMachine | undefined = undefined;
  sink: ThreadSink | undefined = undefined;
  index = 0;
  onValue: ((v: unknown) => void) | undefined = undefined;
  onError: ((e: unknown) => void) | undefined = undefined;

  constructor(
    exec: Execution,
    /** The enclosing thread, whose variables this one reads. */
    readonly parent: Thread | undefined,
    last: number,
    /** Events of a detached thread (a Distributed Map's child executions) are not recorded. */
    readonly detached: boolean,
  ) {
    super(exec, NO_STATE, undefined, 0, 0, 0);
    (this as { thread: Thread }).thread = this;
    this.last = last;
  }

  override variable(name: string): Json | undefined {
    for (let t: Thread | undefined = this; t; t = t.parent) {
      const v = t.values?.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Whether an enclosing thread (not this one) defines the name. */
  definedOutside(name: string): boolean {
    return this.parent?.variable(name) !== undefined;
  }

  setVariable(name: string, value: Json): void {
    (this.values ??= new Map()).set(name, value);
  }

  override variables(): Record<string, Json> {
    const out: Record<string, Json> = this.parent ? this.parent.variables() : {};
    if (this.values) for (const [k, v] of this.values) out[k] = v;
    return out;
  }
}

/**
 * A running (or finished) execution. Create it with `startExecution`; await `result`.
 * Callback tasks are completed with `sendTaskSuccess` / `sendTaskFailure`.
 */
export class Execution implements Runtime {
  /** ARN of this execution. */
  readonly executionArn: string;
  /** Name of this execution. */
  readonly name: string;
  /** Resolves when the execution ends; never rejects. */
  readonly result: Promise<ExecutionResult>;

  /** @internal */ readonly stateMachineArn: string;
  /** @internal */ readonly stateMachineName: string;

  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly workflowType: WorkflowType;
  readonly lambda?: LambdaInvoker;
  readonly tasks?: TaskHandler;
  readonly mock?: TaskMock;

  private readonly events: HistoryRecorder;
  // Created by the first callback task: most executions have none.
  private callbacksByToken: Map<string, Callback> | undefined;
  private context: JsonObject | undefined;
  private readonly input: Json;
  private readonly roleArn: string;

  private readonly startTime: number;
  private resolveResult: ((r: ExecutionResult) => void) | undefined;
  private rejectResult: ((e: SetupError) => void) | undefined;
  private setupError: SetupError | undefined;
  private readonly deadline: number;
  private stopRequest: ExecutionStop | undefined;
  private currentStatus: ExecutionStatus = 'RUNNING';
  private readonly onTaskToken?: (token: string, stateName: string) => void;
  private readonly onEvent?: ExecuteOptions['onEvent'];
  // Express executions have no event history in AWS (only logs), so only Standard has the limit.
  private readonly historyLimit: number;

  constructor(private readonly machine: CompiledStateMachine, input: Json, options: ExecuteOptions = {}) {
    this.clock = options.clock ?? new VirtualClock();
    this.random = new SeededRandom(options.seed);
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.partition = options.partition ?? 'aws';
    this.workflowType = options.type ?? machine.type;
    // Temporary (issue #15, until #13's scheduler propagates SetupError): a setup problem in the
    // Lambda invoker or a mock ends the run as a stop no Catch sees, and the result rejects with it.
    const setup = <A extends unknown[], R>(f: ((...a: A) => R) | undefined) =>
      f &&
      ((...a: A): R => {
        const halt = (e: unknown): never => {
          if (!(e instanceof SetupError)) throw e;
          this.setupError ??= e;
          throw new ExecutionStop('ABORTED', 'Stepwise.SetupError', e.message);
        };
        try {
          const r = f(...a);
          return (r instanceof Promise ? r.catch(halt) : r) as R;
        } catch (e) {
          return halt(e);
        }
      });
    this.lambda = setup(options.lambda);
    this.tasks = options.tasks;
    this.mock = setup(options.mock);
    this.onEvent = options.onEvent;
    this.events = new HistoryRecorder(options.history !== false);
    this.onTaskToken = options.onTaskToken;
    this.stateMachineName = options.stateMachineName ?? 'StateMachine';
    this.name = options.name ?? this.random.uuid();
    const arnBase = `arn:${this.partition}:states:${this.region}:${this.accountId}`;
    this.stateMachineArn = `${arnBase}:stateMachine:${this.stateMachineName}`;
    this.executionArn = `${arnBase}:${this.workflowType === 'EXPRESS' ? 'express' : 'execution'}:${this.stateMachineName}:${this.name}`;
    this.startTime = this.clock.now();
    let limit = machine.timeoutSeconds ?? Infinity;
    if (this.workflowType === 'EXPRESS') limit = Math.min(limit, LIMITS.expressMaxSeconds);
    this.deadline = this.startTime + limit * 1000;
    this.historyLimit = this.workflowType === 'STANDARD' ? LIMITS.maxHistoryEvents : Infinity;
    this.input = input;
    this.roleArn = options.roleArn ?? `arn:${this.partition}:iam::${this.accountId}:role/StepwiseLocalRole`;
    this.result = new Promise<ExecutionResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // Start on the next microtask, so the caller holds the Execution before any handler runs.
    queueMicrotask(() => this.start(input));
  }

  /** @internal `$$.Execution`, built on first use (most executions never read the context). */
  get executionContext(): JsonObject {
    return (this.context ??= {
      Id: this.executionArn,
      Input: this.input,
      Name: this.name,
      RoleArn: this.roleArn,
      StartTime: new Date(this.startTime).toISOString(),
      RedriveCount: 0,
    });
  }

  private get callbacks(): Map<string, Callback> {
    return (this.callbacksByToken ??= new Map());
  }

  /** Current status: RUNNING until the execution ends. */
  get status(): ExecutionStatus {
    return this.currentStatus;
  }

  /** The history so far, in GetExecutionHistory's shape. */
  history(): HistoryEvent[] {
    return this.events.toEvents();
  }

  /** Tokens of the `.waitForTaskToken` tasks currently waiting. */
  pendingTaskTokens(): string[] {
    return this.callbacksByToken ? [...this.callbacksByToken.keys()] : [];
  }

  /** Completes a waiting callback task with an output (SendTaskSuccess). */
  sendTaskSuccess(token: string, output: Json): void {
    this.takeCallback(token).resolve(output);
  }

  /** Fails a waiting callback task (SendTaskFailure). */
  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.takeCallback(token).reject(new StatesError(error, cause));
  }

  /** Resets a waiting task's heartbeat timer (SendTaskHeartbeat). */
  sendTaskHeartbeat(token: string): void {
    const cb = this.callbacks.get(token);
    if (!cb) throw taskDoesNotExist(token);
    cb.heartbeat();
  }

  /** Stops the execution (StopExecution): it ends ABORTED at the next state boundary. */
  stop(error?: string, cause?: string): void {
    if (this.currentStatus !== 'RUNNING') return;
    this.stopRequest = new ExecutionStop('ABORTED', error, cause);
    for (const [token, cb] of this.callbacks) {
      this.callbacks.delete(token);
      cb.reject(this.stopRequest);
    }
  }

  private takeCallback(token: string): Callback {
    const cb = this.callbacks.get(token);
    if (!cb) throw taskDoesNotExist(token);
    this.callbacks.delete(token);
    return cb;
  }

  /** @internal Records an event in a thread (see StateScope.recordEvent). */
  record(thread: Thread, kind: EventKind, value?: Json, now: number = this.clock.now()): number {
    if (thread.detached) return thread.last;
    const events = this.events;
    if (events.size >= this.historyLimit) {
      throw new StatesError(StatesErrors.Runtime, `The execution reached the maximum of ${LIMITS.maxHistoryEvents} history events.`);
    }
    const id = events.add(kind, now, thread.last, value);
    thread.last = id;
    if (this.onEvent !== undefined) this.notify(kind, now, value);
    return id;
  }

  /** Records an execution-level event (started, and how it ended), outside any thread. */
  private recordExecutionEvent(kind: EventKind, now: number, prev: number, value?: Json): void {
    this.events.add(kind, now, prev, value);
    if (this.onEvent !== undefined) this.notify(kind, now, value);
  }

  private notify(kind: EventKind, now: number, value: Json | undefined): void {
    (this.onEvent as NonNullable<ExecuteOptions['onEvent']>)({ type: kind.type, timestamp: now, details: kind.detailsWith(value) });
  }

  newTaskToken(): string {
    return `${this.random.uuid()}${this.random.uuid()}`.replace(/-/g, '');
  }

  awaitCallback(token: string, scope: StateScope, timeoutSeconds?: number, heartbeatSeconds?: number): Promise<Json> {
    return new Promise<Json>((resolve, reject) => {
      const cancels: (() => void)[] = [];
      const cleanup = () => {
        this.callbacks.delete(token);
        cancels.forEach((c) => c());
      };
      let cancelHeartbeat: (() => void) | undefined;
      const armHeartbeat = () => {
        cancelHeartbeat?.();
        if (heartbeatSeconds !== undefined) {
          cancelHeartbeat = this.clock.setTimer(heartbeatSeconds * 1000, () => {
            cleanup();
            reject(new StatesError(StatesErrors.HeartbeatTimeout, `The task did not send a heartbeat within HeartbeatSeconds (${heartbeatSeconds} s).`));
          });
        }
      };
      if (timeoutSeconds !== undefined) {
        cancels.push(
          this.clock.setTimer(timeoutSeconds * 1000, () => {
            cleanup();
            reject(new StatesError(StatesErrors.Timeout, `The task did not complete within TimeoutSeconds (${timeoutSeconds} s).`));
          }),
        );
      }
      armHeartbeat();
      cancels.push(() => cancelHeartbeat?.());
      this.callbacks.set(token, {
        resolve: (v) => {
          cleanup();
          resolve(v);
        },
        reject: (e) => {
          cleanup();
          reject(e);
        },
        heartbeat: armHeartbeat,
      });
      this.onTaskToken?.(token, scope.stateName);
    });
  }

  runThread(machine: CompiledMachine, input: Json, parent: StateScope, detached: boolean, index: number, sink: ThreadSink): void {
    const outer = (parent as Scope).thread;
    this.launch(new Thread(this, outer, outer.last, detached || outer.detached), machine, input, index, sink);
  }

  /** Runs a thread from its machine's start; `sink` hears how it ends, at once or once it stops waiting. */
  private launch(thread: Thread, machine: CompiledMachine, input: Json, index: number, sink: ThreadSink): void {
    thread.machine = machine;
    thread.sink = sink;
    thread.index = index;
    const start = machine.start as CompiledState;
    let r: StepResult | undefined;
    try {
      r = this.advance(thread, start, this.runState(start, input, thread));
    } catch (e) {
      return sink.failed(index, e);
    }
    if (r === undefined) return this.wait(thread);
    sink.settled(index, r.output, thread.size);
  }

  /**
   * Runs states after `state`'s step until the thread's machine ends (the last step) or a state
   * waits (undefined: the thread holds what it waits on).
   */
  private advance(thread: Thread, state: CompiledState, r: StepResult | undefined): StepResult | undefined {
    const machine = thread.machine as CompiledMachine;
    while (r !== undefined && r.next !== undefined) {
      state = nextState(machine, state, r.next);
      r = this.runState(state, r.output, thread);
    }
    return r;
  }

  /** Goes on with a thread once its waiting state's promise settles; its sink hears how it ends. */
  private wait(thread: Thread): void {
    // One pair of handlers per thread, made when it first waits and reused for every later wait:
    // bound functions, smaller than two closures and their shared context (10,000 concurrent orders
    // hold 200,000 waiting Map iterations at once).
    thread.onValue ??= threadFulfilled.bind(thread);
    thread.onError ??= threadRejected.bind(thread);
    (thread.waiting as Promise<unknown>).then(thread.onValue, thread.onError);
  }

  /** @internal Goes on with `thread` once the promise it waited on settled (see wait). */
  continueThread(thread: Thread, failed: boolean, value: unknown): void {
    const sink = thread.sink as ThreadSink;
    const state = (thread.current as Scope).state;
    let r: StepResult | undefined;
    try {
      r = this.advance(thread, state, failed ? this.resumeError(thread, value) : this.resume(thread, value));
    } catch (e) {
      return sink.failed(thread.index, e);
    }
    if (r === undefined) return this.wait(thread);
    sink.settled(thread.index, r.output, thread.size);
  }

  /** The waiting state's promise resolved with `v`: finish that state. */
  private resume(t: Thread, v: unknown): StepResult | undefined {
    const scope = t.current as Scope;
    const state = scope.state;
    switch (t.waitKind) {
      case WAIT_TASK: {
        const r = (t.taskDone as TaskDone)(t.input, v as Json, scope);
        if (!isPromise(r)) return this.exit(state, r, scope, t.input);
        t.waiting = r;
        t.waitKind = WAIT_STEP;
        return undefined;
      }
      case WAIT_RETRY:
        return this.attempt(state, t.input, scope, t.attempts);
      case WAIT_CAUGHT:
        return (t.caughtDone as NonNullable<Thread['caughtDone']>)(v as CaughtOutput);
      default:
        return this.exit(state, v as StepResult, scope, t.input);
    }
  }

  /** The waiting state's promise rejected with `e`: retry, catch or fail the thread. */
  private resumeError(t: Thread, e: unknown): StepResult | undefined {
    const scope = t.current as Scope;
    const state = scope.state;
    if (t.waitKind === WAIT_TASK) {
      try {
        (t.taskFailed as TaskFailed)(e, scope);
      } catch (err) {
        e = err;
      }
    } else if (t.waitKind !== WAIT_STEP) throw e;
    return this.onError(state, t.input, scope, e, t.attempts);
  }

  private runState(state: CompiledState, input: Json, thread: Thread): StepResult | undefined {
    if (this.stopRequest) throw this.stopRequest;
    const now = this.clock.now();
    if (now > this.deadline) {
      throw new ExecutionStop('TIMED_OUT', StatesErrors.Timeout, `The execution ran longer than its ${this.workflowType === 'EXPRESS' ? 'Express limit of 300' : `TimeoutSeconds of ${this.machine.timeoutSeconds}`} seconds.`);
    }
    const entered = this.record(thread, state.entered, input, now);
    return this.attempt(state, input, thread.enter(state, entered, now), undefined);
  }

  /** Notes what a thread needs to continue the state it is about to wait on. */
  private waitOn(input: Json, scope: Scope, attempts: number[] | undefined): undefined {
    const t = scope.thread;
    t.input = input;
    t.current = scope;
    t.attempts = attempts;
    return undefined;
  }

  private attempt(state: CompiledState, input: Json, scope: Scope, attempts: number[] | undefined): StepResult | undefined {
    let r: StepResult | Promise<StepResult>;
    try {
      r = state.run(input, scope);
    } catch (e) {
      return this.onError(state, input, scope, e, attempts);
    }
    if (r === SUSPENDED) return this.waitOn(input, scope, attempts);
    if (r instanceof Promise) {
      scope.thread.waiting = r;
      scope.thread.waitKind = WAIT_STEP;
      return this.waitOn(input, scope, attempts);
    }
    return this.exit(state, r, scope, input);
  }

  private exit(state: CompiledState, res: StepResult, scope: Scope, input: Json): StepResult {
    // A state that passes its input on unchanged cannot exceed the limit its input was within.
    if (res.output !== input) {
      const size = payloadSize(res.output, LIMITS.maxPayloadBytes, res.size);
      if (size > LIMITS.maxPayloadBytes) {
        throw new StatesError(StatesErrors.DataLimitExceeded, `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
      }
      scope.thread.size = size;
    }
    this.recordExit(state, scope, res.output, res.assigned);
    return res;
  }

  /** Applies a state's Assign results and records its StateExited event (normal exit or Catch). */
  private recordExit(state: CompiledState, scope: Scope, output: Json, assigned: JsonObject | undefined): void {
    if (!assigned) {
      this.record(scope.thread, state.exited, output);
      return;
    }
    this.assign(assigned, scope);
    scope.record(state.exited.type, { name: state.name, output, assignedVariables: assigned });
  }

  /** Writes a state's Assign results into its scope, all at once, after the state has run. */
  private assign(assigned: JsonObject, scope: Scope): void {
    const thread = scope.thread;
    for (const name of Object.keys(assigned)) {
      if (thread.definedOutside(name)) {
        throw scope.runtimeError(`The variable '${name}' belongs to an enclosing scope and cannot be assigned inside a Parallel branch or Map iteration.`);
      }
    }
    if (byteSizeExceeds(assigned, MAX_ASSIGN_BYTES)) {
      throw scope.runtimeError(`The variables assigned by the state exceed the ${MAX_ASSIGN_BYTES / 1024} KiB limit of one Assign.`);
    }
    for (const [name, value] of Object.entries(assigned)) thread.setVariable(name, value);
  }

  private onError(state: CompiledState, input: Json, scope: Scope, e: unknown, tried: number[] | undefined): StepResult | undefined {
    const attempts = tried ?? [];
    if (e instanceof ExecutionStop) throw e;
    const err = toStatesError(e);
    if (err.error === StatesErrors.QueryEvaluationError) {
      // AWS records the failed evaluation itself, and a Map or Parallel then reports its own failure.
      scope.record('EvaluationFailed', { error: err.error, cause: err.cause, state: state.name });
      if (state.type === 'Map' || state.type === 'Parallel') scope.failureEvent ??= `${state.type}StateFailed`;
    }
    const delay = retryDelay(state.retriers, attempts, err.error, () => this.random.next());
    const failureEvent = scope.failureEvent;
    scope.failureEvent = undefined;
    if (delay === undefined && failureEvent) scope.record(failureEvent);
    if (delay !== undefined) {
      const next = scope.retried();
      const slept = this.clock.sleep(delay);
      if (isPromise(slept)) {
        scope.thread.waiting = slept;
        scope.thread.waitKind = WAIT_RETRY;
        return this.waitOn(input, next, attempts);
      }
      return this.attempt(state, input, next, attempts);
    }
    const catcher = findCatcher(state.catchers, err.error);
    if (!catcher) throw err;
    const done = (caught: CaughtOutput): StepResult => {
      scope.thread.size = undefined;
      this.recordExit(state, scope, caught.output, caught.assigned);
      return { next: catcher.next, output: caught.output };
    };
    const caught = catcher.finish(input, errorOutput(err), scope);
    if (!isPromise(caught)) return done(caught);
    scope.thread.waiting = caught;
    scope.thread.waitKind = WAIT_CAUGHT;
    scope.thread.caughtDone = done;
    return this.waitOn(input, scope, attempts);
  }

  /** Starts the top-level thread; its end (now or once it stops waiting) settles `result`. */
  private start(input: Json): void {
    this.recordExecutionEvent(new EventKind('ExecutionStarted', { input, roleArn: this.roleArn, stateMachineArn: this.stateMachineArn }), this.startTime, 0);
    const thread = new Thread(this, undefined, this.events.size, false);
    thread.size = payloadSize(input, LIMITS.maxPayloadBytes);
    if (thread.size > LIMITS.maxPayloadBytes) {
      return this.failed(new StatesError(StatesErrors.DataLimitExceeded, 'The execution input exceeds the maximum number of bytes service limit.'));
    }
    this.launch(thread, this.machine, input, 0, { settled: (_i, output) => this.succeeded(output, thread.last), failed: (_i, e) => this.failed(e) });
  }

  /** The top-level thread ended with `output`; `last` is its latest event. */
  private succeeded(output: Json, last: number): void {
    this.recordExecutionEvent(EXECUTION_SUCCEEDED, this.clock.now(), last, output);
    this.end('SUCCEEDED', output, undefined, undefined);
  }

  /** The top-level thread failed (or the execution was stopped or timed out). */
  private failed(e: unknown): void {
    if (e instanceof ExecutionStop) {
      this.recordExecutionEvent(new EventKind(e.status === 'TIMED_OUT' ? 'ExecutionTimedOut' : 'ExecutionAborted', { error: e.error, cause: e.cause }), this.clock.now(), this.events.size);
      return this.end(e.status, undefined, e.error, e.cause);
    }
    const err = toStatesError(e);
    this.recordExecutionEvent(new EventKind('ExecutionFailed', { error: err.error, cause: err.cause }), this.clock.now(), this.events.size);
    this.end('FAILED', undefined, err.error, err.cause);
  }

  private end(status: ExecutionStatus, output: Json | undefined, error: string | undefined, cause: string | undefined): void {
    this.currentStatus = status;
    if (this.callbacksByToken) {
      for (const cb of this.callbacksByToken.values()) cb.reject(new StatesError(StatesErrors.Runtime, 'The execution ended.'));
      this.callbacksByToken.clear();
    }
    if (this.setupError) return (this.rejectResult as (e: SetupError) => void)(this.setupError);
    (this.resolveResult as (r: ExecutionResult) => void)(new Outcome(this, this.events, status, new Date(this.startTime), new Date(this.clock.now()), output, error, cause));
  }
}

/** The ExecutionResult of a finished execution; its history is rendered from the log when read. */
class Outcome implements ExecutionResult {
  readonly executionArn: string;
  readonly name: string;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  // A true private field: invisible to equality checks and serialization of the result.
  readonly #events: HistoryRecorder;

  constructor(
    exec: Execution,
    events: HistoryRecorder,
    readonly status: ExecutionStatus,
    readonly startDate: Date,
    readonly stopDate: Date,
    output: Json | undefined,
    error: string | undefined,
    cause: string | undefined,
  ) {
    this.executionArn = exec.executionArn;
    this.name = exec.name;
    // Absent rather than undefined, so results compare and print cleanly.
    if (status === 'SUCCEEDED') this.output = output;
    if (error !== undefined) this.error = error;
    if (cause !== undefined) this.cause = cause;
    this.#events = events;
  }

  get statesEntered(): string[] {
    return this.#events.statesEntered();
  }

  get history(): HistoryEvent[] {
    return this.#events.toEvents();
  }
}

function threadFulfilled(this: Thread, value: unknown): void {
  this.exec.continueThread(this, false, value);
}

function threadRejected(this: Thread, error: unknown): void {
  this.exec.continueThread(this, true, error);
}

/** The state a step goes to: the static Next's linked state, or a lookup (Choice, Catch). */
function nextState(machine: CompiledMachine, from: CompiledState, name: string): CompiledState {
  return name === from.nextName ? (from.following as CompiledState) : (machine.states.get(name) as CompiledState);
}

function taskDoesNotExist(token: string): Error {
  const e = new Error(`No task is waiting for the token '${token.slice(0, 16)}…': it was completed, timed out, or never issued.`);
  e.name = 'TaskDoesNotExist';
  return e;
}

/**
 * Starts an execution and returns its handle at once (use it for callbacks and `stop`).
 * @example
 * const run = startExecution(compile(definition), { orderId: 'o-1' }, { lambda });
 * const result = await run.result;
 */
export function startExecution(machine: CompiledStateMachine, input: Json = {}, options: ExecuteOptions = {}): Execution {
  return new Execution(machine, input, options);
}

/**
 * Runs an execution to the end. Never throws for a failing workflow: the result's `status`,
 * `error` and `cause` say what happened.
 * @example
 * const result = await execute(compile(definition), { total: 40 });
 * expect(result.status).toBe('SUCCEEDED');
 */
export function execute(machine: CompiledStateMachine, input: Json = {}, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  return startExecution(machine, input, options).result;
}
