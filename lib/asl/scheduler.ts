// The one scheduler of an execution: every line of states (the execution itself, a Parallel
// branch, a Map iteration, a Distributed Map child execution) is a Thread with an explicit status
// and cancel(). `runState` is one state's whole lifecycle; `runChildren` runs branches and
// iterations for Parallel and Map and stops the siblings of a failure; `end` settles the
// execution and cancels whatever still runs, so nothing is recorded after its terminal event.
//
// Speed tricks (all here, none costing correctness; thread.ts only holds their fields):
// synchronous states run in a plain loop with no promise; a thread is the scope of the state it
// runs (no object per state); a waiting thread continues through a pooled pair of handlers (see
// Waiter), and a Task's call is continued by the thread itself (awaitTask) rather than by a
// promise chained per Task; branches and iterations report to their group, not through a promise
// each. 10,000 concurrent orders hold 200,000 waiting iterations at once, so every per-thread
// byte shows. In-process Lambda handlers (the `lambda` option, function ARNs) exchange plain
// data through copyPlainJson instead of JSON text (see there): the same values, a third of the cost.
import { causes } from './causes';
import { RealClock, SeededRandom, VirtualClock, type Clock } from './clock';
import type { CompiledStateMachine } from './compile';
import { freezeDeep } from './data/isolate';
import { payloadSize, sizeBoundSharing } from './data/size';
import { ExecutionStop, SetupError, StatesError, StatesErrors, errorOutput, toStatesError } from './errors';
import { EventKind, HistoryRecorder, type RawDetails } from './history';
import { Budget, LIMITS, tooDeep } from './limits';
import { findCatcher, retryDelay, type CaughtOutput, type CompiledCatcher } from './retry';
import { CANCELLED, Cancelled, Thread, WAIT_CAUGHT, WAIT_CHILDREN, WAIT_RETRY, WAIT_STEP, WAIT_TASK } from './thread';
import {
  SUSPENDED,
  type ChildrenOptions,
  type ChildrenOutcome,
  type CompiledState,
  type LambdaHandler,
  type LambdaInvoker,
  type Runtime,
  type StateScope,
  type StepResult,
  type TaskDone,
  type TaskFailed,
  type TaskHandler,
  type TaskMock,
} from './runtime';
import { isPromise } from './states/common';
import type { ExecuteOptions } from './execution';
import type { ExecutionStatus, Json, JsonObject, WorkflowType } from './types';

/** How an execution ended, as the scheduler reports it to its handle. */
export interface Ending {
  readonly status: ExecutionStatus;
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  readonly stopTime: number;
}
const EXECUTION_SUCCEEDED = new EventKind('ExecutionSucceeded', { output: undefined }, 'output');
interface Callback {
  readonly thread: Thread;
  resolve(v: Json): void;
  reject(e: unknown): void;
  heartbeat(): void;
}
/**
 * The children of one Map or Parallel state (or the execution's single top thread): starts them
 * within `concurrency`, collects their outputs in order, and on a failure that is not tolerated
 * cancels the siblings still running (recording their aborts as AWS does) and settles at once.
 */
export class ThreadGroup {
  readonly outputs: Json[];
  errors: (StatesError | undefined)[] | undefined = undefined;
  failures = 0;
  launched = 0;
  private active = 0;
  private size = 2;
  private sizesKnown = true;
  private stopped: StatesError | undefined = undefined;
  private settled = false;
  private pumping = false;
  private resolve: ((o: ChildrenOutcome) => void) | undefined = undefined;
  // The children still running, by index (a slot is cleared as its child ends): what a failure
  // that is not tolerated, or the parent's end, cancels. An array rather than a Set: no hashing
  // for each of a Map's iterations.
  private readonly running: (Thread | undefined)[];

  constructor(
    private readonly parent: Thread | undefined,
    private readonly options: ChildrenOptions,
  ) {
    this.outputs = new Array<Json>(options.count);
    this.running = new Array<Thread | undefined>(options.count);
    if (parent) parent.childGroup = this;
  }

  /** A child ended: it no longer counts as running. */
  forget(child: Thread): void {
    this.running[child.index] = undefined;
  }

  /** Cancels every child still running (its parent ended). */
  cancelRunning(): void {
    for (const c of this.running) c?.cancel();
  }

  run(): ChildrenOutcome | Promise<ChildrenOutcome> {
    this.pump();
    if (this.active === 0) return this.outcome();
    const parent = this.parent as Thread;
    parent.waitKind = WAIT_CHILDREN;
    return new Promise<ChildrenOutcome>((resolve) => {
      this.resolve = resolve;
    });
  }

  private outcome(): ChildrenOutcome {
    this.settled = true;
    if (this.parent?.childGroup === this) this.parent.childGroup = undefined;
    return { outputs: this.outputs, errors: this.errors, launched: this.launched, size: this.sizesKnown ? this.size : undefined, stopped: this.stopped };
  }

  private pump(): void {
    const o = this.options;
    const limit = o.concurrency > 0 ? o.concurrency : o.count;
    const parent = this.parent as Thread;
    const sched = parent.sched;
    this.pumping = true;
    try {
      while (this.active < limit && this.launched < o.count && this.stopped === undefined && parent.status === 'RUNNING') {
        const i = this.launched++;
        this.active += 1;
        o.started?.(i);
        const machine = o.machine(i);
        const budget = o.childType ? new Budget(o.childType, sched.clock.now(), undefined) : parent.budget;
        const child = new Thread(sched, machine, parent, budget, o.childType !== undefined || parent.detached, this, i);
        this.running[i] = child;
        if (o.childType) child.deadlineTimer = sched.clock.setTimer(budget.deadline - sched.clock.now(), () => sched.childTimedOut(child));
        sched.runThread(child, machine.start as CompiledState, o.input(i));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** A child ended with `output`; `size` bounds its JSON size when known. */
  succeeded(child: Thread, output: Json, size: number | undefined): void {
    child.finish('SUCCEEDED');
    this.outputs[child.index] = output;
    if (size === undefined) this.sizesKnown = false;
    else this.size += size + 1;
    this.options.succeeded?.(child.index);
    this.ended();
  }

  /** A child failed with `error` (already a StatesError: the scheduler converts). */
  failed(child: Thread, error: StatesError): void {
    child.finish('FAILED');
    this.sizesKnown = false;
    (this.errors ??= [])[child.index] = error;
    this.failures += 1;
    this.options.failed?.(child.index);
    if (this.options.stopsOn(error, this.failures, this.options.count)) this.stop(error);
    this.ended();
  }

  /** Cancels the children still running after a failure that is not tolerated. */
  private stop(error: StatesError): void {
    this.stopped = error;
    // In index order, as AWS records the aborts.
    for (const c of this.running) {
      if (c === undefined) continue;
      if (c.inState) c.record(`${c.state.type}StateAborted`, { name: c.state.name });
      this.options.aborted?.(c.index);
      c.cancel();
      this.active -= 1;
    }
  }

  private ended(): void {
    this.active -= 1;
    if (this.pumping || this.settled) return;
    this.pump();
    if (this.active === 0 && this.resolve) (this.resolve as (o: ChildrenOutcome) => void)(this.outcome());
  }
}

/**
 * Runs one execution: its threads, its history and its limits. Internal: users hold the
 * Execution handle (execution.ts).
 */
export class Scheduler implements Runtime {
  /** Runs the children of `parent`'s Map or Parallel state (see StateScope.runChildren). */
  runChildren(parent: Thread, options: ChildrenOptions): ChildrenOutcome | Promise<ChildrenOutcome> {
    return new ThreadGroup(parent, options).run();
  }

  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly workflowType: WorkflowType;
  readonly lambda?: LambdaHandler;
  readonly lambdaInvoker?: LambdaInvoker;
  readonly tasks?: TaskHandler;
  readonly mock?: TaskMock;
  readonly name: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly executionArn: string;
  readonly startTime: number;
  readonly budget: Budget;
  readonly events: HistoryRecorder;
  status: ExecutionStatus = 'RUNNING';
  /** Threads not yet ended (0 once the execution has ended: every thread has a final status). */
  live = 0;
  /** The promise a state handed over with awaitTask (read once by runState). */
  pending: Promise<unknown> | undefined = undefined;
  // Created by the first callback task: most executions have none.
  private callbacks: Map<string, Callback> | undefined = undefined;
  private context: JsonObject | undefined = undefined;
  private root: Thread | undefined = undefined;
  private input: Json = null;
  // The input's sizeBound, when the copy measured it on the way; why the input was refused.
  private inputBound: number | undefined = undefined;
  private inputError: StatesError | undefined = undefined;
  private readonly roleArn: string;
  private readonly onTaskToken?: ExecuteOptions['onTaskToken'];
  /** Hears every event as it is recorded (set by the handle when someone listens; none is cheapest). */
  onEvent: ExecuteOptions['onEvent'];
  private idleProbe = false;
  // How many threads wait on something other than a callback (a Task call, a real-time sleep).
  private busy = 0;
  private readonly sites: MachineSites;

  constructor(
    private readonly machine: CompiledStateMachine,
    callerInput: Json,
    options: ExecuteOptions,
    private readonly onEnd: (ending: Ending) => void,
    private readonly onSetupError: (e: SetupError) => void,
  ) {
    this.sites = sitesOf(machine);
    this.clock = options.clock ?? new VirtualClock();
    this.random = new SeededRandom(options.seed);
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.partition = options.partition ?? 'aws';
    this.workflowType = options.type ?? machine.type;
    this.lambda = options.lambda;
    this.lambdaInvoker = options.lambdaInvoker;
    this.tasks = options.tasks;
    this.mock = options.mock;
    this.onEvent = options.onEvent;
    this.onTaskToken = options.onTaskToken;
    this.events = new HistoryRecorder(options.history !== false);
    this.stateMachineName = options.stateMachineName ?? 'StateMachine';
    this.name = options.name ?? this.random.uuid();
    const arnBase = `arn:${this.partition}:states:${this.region}:${this.accountId}`;
    this.stateMachineArn = `${arnBase}:stateMachine:${this.stateMachineName}`;
    this.executionArn = `${arnBase}:${this.workflowType === 'EXPRESS' ? 'express' : 'execution'}:${this.stateMachineName}:${this.name}`;
    this.startTime = this.clock.now();
    this.budget = new Budget(this.workflowType, this.startTime, machine.timeoutSeconds);
    this.roleArn = options.roleArn ?? `arn:${this.partition}:iam::${this.accountId}:role/StepwiseLocalRole`;
    // The caller's input is copied now, as StartExecution serializes it: the execution starts on a
    // later microtask, and a change the caller makes to its object in between must not reach it.
    // Plain data (the usual case) by one walk that also measures it; anything else (a Date,
    // undefined members, very deep input) as JSON text gives it (jsonCopy).
    try {
      const plain = copyPlainJsonMeasured(callerInput, this.sites.input);
      if (plain !== NOT_PLAIN) this.inputBound = copiedSizeBound();
      this.input = plain !== NOT_PLAIN ? plain : jsonCopy(callerInput, 'execution input');
    } catch (e) {
      // Reported when the execution starts: it fails, as AWS would refuse the input.
      this.inputError = toStatesError(e);
    }
  }

  get eventCount(): number {
    return this.events.size;
  }

  /** `$$.Execution`, built on first use (most executions never read the context). */
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

  /** Starts the top-level thread; its end (now or once it stops waiting) ends the execution. */
  start(): void {
    const input = this.input;
    if (this.inputError !== undefined) {
      this.recordExecutionEvent(
        new EventKind('ExecutionStarted', { input: null, roleArn: this.roleArn, stateMachineArn: this.stateMachineArn }),
        this.startTime,
        0,
      );
      return this.end('FAILED', undefined, this.inputError);
    }
    this.recordExecutionEvent(new EventKind('ExecutionStarted', { input, roleArn: this.roleArn, stateMachineArn: this.stateMachineArn }), this.startTime, 0);
    this.budget.countEvent();
    let size: number;
    try {
      size = payloadSize(input, LIMITS.maxPayloadBytes, this.inputBound);
    } catch (e) {
      return this.end('FAILED', undefined, toStatesError(e));
    }
    if (size > LIMITS.maxPayloadBytes) {
      return this.end('FAILED', undefined, new StatesError(StatesErrors.DataLimitExceeded, causes.executionInputTooLarge()));
    }
    // The execution's own deadline, as a timer: it holds while every thread waits.
    const root = new Thread(this, this.machine, undefined, this.budget, false, new ThreadGroup(undefined, TOP), 0);
    this.root = root;
    root.size = size;
    root.deadlineTimer = this.clock.setTimer(this.budget.deadline - this.startTime, () => this.stopWith(this.budget.timedOut()));
    this.runThread(root, this.machine.start as CompiledState, input);
  }

  /** StopExecution: ends the execution ABORTED now, abandoning whatever waits. */
  stop(error?: string, cause?: string): void {
    this.stopWith(new ExecutionStop('ABORTED', error, cause));
  }

  /** Stops the execution now (StopExecution, or the deadline's timer). */
  stopWith(stop: ExecutionStop): void {
    if (this.status !== 'RUNNING') return;
    this.end(stop.status, undefined, stop);
  }

  /**
   * Records an event in a thread; returns its id. Refused (the thread unwinds) once the thread
   * was cancelled or the execution ended: nothing is recorded after the terminal event.
   */
  record(t: Thread, kind: EventKind, value?: Json, now: number = this.clock.now()): number {
    if (t.status !== 'RUNNING' || this.status !== 'RUNNING') throw CANCELLED;
    t.budget.countEvent();
    if (t.detached) return t.last;
    const id = this.events.add(kind, now, t.last, value);
    t.last = id;
    if (this.onEvent !== undefined) this.notify(kind, now, value);
    return id;
  }

  /** Records an execution-level event (started, and how it ended), outside any thread. */
  private recordExecutionEvent(kind: EventKind, now: number, prev: number, value?: Json): void {
    this.events.add(kind, now, prev, value);
    if (this.onEvent !== undefined) this.notify(kind, now, value);
  }

  private notify(kind: EventKind, now: number, value: Json | undefined): void {
    // A listener gets frozen data: the value is the execution's own (and the history renders it
    // when read), and a state's event details are shared by every execution of the machine.
    const details = kind.detailsWith(value);
    const heard = details === undefined ? undefined : freezeDeep({ ...details } as JsonObject);
    (this.onEvent as NonNullable<ExecuteOptions['onEvent']>)({ type: kind.type, timestamp: now, details: heard as RawDetails | undefined });
  }

  /** Runs `t` from `state` until its machine ends, it fails or it waits. */
  runThread(t: Thread, state: CompiledState, input: Json): void {
    let r: StepResult | undefined;
    try {
      r = this.runState(t, state, input, false);
    } catch (e) {
      return this.threadFailed(t, e);
    }
    this.advance(t, state, r);
  }

  /** Goes on from the result `r` of `state` (run or resumed) until the thread ends, fails or waits. */
  private advance(t: Thread, state: CompiledState, r: StepResult | undefined): void {
    try {
      while (r !== undefined && r.next !== undefined) {
        state = r.next === state.nextName ? (state.following as CompiledState) : (t.machine.states.get(r.next) as CompiledState);
        r = this.runState(t, state, r.output, false);
      }
    } catch (e) {
      return this.threadFailed(t, e);
    }
    if (r !== undefined) this.threadSucceeded(t, r.output);
  }

  /**
   * One state's lifecycle, top to bottom: limits and StateEntered; the action; then either the
   * output (size limit, Assign, StateExited) or the error (Retry back-off, Catch, or the error
   * thrown to fail the thread). Returns the step, or undefined when the thread waits: `resumed`
   * then re-enters here once what it waited on settled (`t.waitKind` says what; `value` is the
   * settled value, `failed` whether it was an error).
   */
  private runState(t: Thread, state: CompiledState, input: Json, resumed: boolean, failed = false, value?: unknown): StepResult | undefined {
    if (!resumed) {
      const now = this.clock.now();
      t.budget.enterState(now);
      t.failureEvent = undefined;
      t.token = undefined;
      t.item = undefined;
      t.resultSize = undefined;
      t.retryCount = 0;
      t.attempts = undefined;
      t.state = state;
      t.enteredTime = now;
      t.enteredEventId = this.record(t, state.entered, input, now);
      t.inState = true;
    }
    for (;;) {
      // 1. The action: the state's runner, or what the thread waited on.
      let step: StepResult | Promise<StepResult> | undefined;
      let error: unknown;
      let threw = false;
      if (!resumed) {
        try {
          step = state.run(input, t);
        } catch (e) {
          threw = true;
          error = e;
        }
      } else {
        resumed = false;
        const kind = t.waitKind;
        t.waitKind = WAIT_STEP;
        if (kind === WAIT_RETRY || kind === WAIT_CAUGHT) {
          if (failed) throw value;
          if (kind === WAIT_RETRY) continue;
          return this.exitCaught(t, state, value as CaughtOutput);
        }
        try {
          if (kind === WAIT_TASK) {
            const call = t.call;
            if (call !== undefined) {
              // A PendingCall's raw outcome becomes the Task's result or error first; it may wait again.
              t.call = undefined;
              try {
                value = failed ? call.error(value, t) : call.value(value, t);
                failed = false;
                t.resultSize = call.resultSize;
              } catch (e) {
                value = e;
                failed = true;
              }
              if (!failed && isPromise(value)) {
                t.waitKind = WAIT_TASK;
                return this.suspend(t, value as Promise<unknown>, input);
              }
            }
            step = failed ? (t.taskFailed as TaskFailed)(value, t) : (t.taskDone as TaskDone)(input, value as Json, t);
          } else if (failed) throw value;
          else step = value as StepResult;
        } catch (e) {
          threw = true;
          error = e;
        }
      }
      // 2. The output: size limit, Assign, StateExited.
      if (!threw) {
        if (step === SUSPENDED || isPromise(step)) return this.suspend(t, step as Promise<unknown>, input);
        return this.exit(t, state, input, step as StepResult);
      }
      // 3. The error: nothing goes on in a cancelled thread; stops and setup errors end the run.
      if (t.status !== 'RUNNING' || error instanceof Cancelled || error instanceof ExecutionStop || error instanceof SetupError) throw error;
      const err = toStatesError(error);
      if (err.error === StatesErrors.QueryEvaluationError) {
        // AWS records the failed evaluation itself, and a Map or Parallel then reports its own failure.
        t.record('EvaluationFailed', { error: err.error, cause: err.cause, state: state.name });
        if (state.type === 'Map' || state.type === 'Parallel') t.failureEvent ??= `${state.type}StateFailed`;
      }
      // Retry (the policy is retry.ts'): back off through the clock, then attempt again.
      const delay = retryDelay(state.retriers, (t.attempts ??= []), err.error, () => this.random.next());
      const failureEvent = t.failureEvent;
      t.failureEvent = undefined;
      if (delay === undefined && failureEvent) t.record(failureEvent);
      if (delay !== undefined) {
        t.retryCount += 1;
        t.token = undefined;
        const slept = this.sleep(t, delay);
        if (slept !== undefined) {
          t.waitKind = WAIT_RETRY;
          return this.suspend(t, slept, input);
        }
        // A virtual back-off may have passed the deadline: its timer has ended the execution.
        if (t.status !== 'RUNNING' || this.status !== 'RUNNING') throw CANCELLED;
        continue;
      }
      // Catch: the catcher's output becomes the state's, and the thread goes on at its Next.
      const catcher = findCatcher(state.catchers, err.error);
      if (!catcher) throw err;
      t.catcher = catcher;
      const caught = catcher.finish(input, errorOutput(err), t);
      if (isPromise(caught)) {
        t.waitKind = WAIT_CAUGHT;
        return this.suspend(t, caught, input);
      }
      return this.exitCaught(t, state, caught);
    }
  }

  private exit(t: Thread, state: CompiledState, input: Json, res: StepResult): StepResult {
    // A state that passes its input on unchanged cannot exceed the limit its input was within.
    if (res.output !== input) {
      // Without a size carried along, the output is walked, except for the input if it holds it.
      const size = payloadSize(res.output, LIMITS.maxPayloadBytes, res.size ?? sizeBoundSharing(res.output, input, t.size));
      if (size > LIMITS.maxPayloadBytes) {
        throw new StatesError(StatesErrors.DataLimitExceeded, causes.dataLimitExceeded(state.name));
      }
      t.size = size;
    }
    this.recordExit(t, state, res.output, res.assigned);
    return res;
  }

  private exitCaught(t: Thread, state: CompiledState, caught: CaughtOutput): StepResult {
    t.size = undefined;
    this.recordExit(t, state, caught.output, caught.assigned);
    return { next: (t.catcher as CompiledCatcher).next, output: caught.output };
  }

  /** Applies a state's Assign results and records its StateExited event (normal exit or Catch). */
  private recordExit(t: Thread, state: CompiledState, output: Json, assigned: JsonObject | undefined): void {
    if (!assigned) this.record(t, state.exited, output);
    else {
      t.assign(assigned);
      t.record(state.exited.type, { name: state.name, output, assignedVariables: assigned });
    }
    t.inState = false;
  }

  /** Sleeps through the clock: undefined once a virtual clock has moved, or a promise (cancelled with the thread). */
  sleep(t: Thread, ms: number): Promise<void> | undefined {
    const clock = this.clock;
    if (clock instanceof RealClock) return new Promise<void>((resolve) => t.timer(ms, resolve));
    const slept = clock.sleep(ms);
    return isPromise(slept) ? slept : undefined;
  }

  /** The thread waits on `p` (or on what awaitTask handed over); it goes on in `resume`. */
  private suspend(t: Thread, p: Promise<unknown>, input: Json): undefined {
    if (p === SUSPENDED) {
      p = this.pending as Promise<unknown>;
      this.pending = undefined;
    }
    t.input = input;
    if (t.waitKind !== WAIT_CHILDREN) this.busy += 1;
    const w = IDLE_WAITERS.pop() ?? new Waiter();
    w.sched = this;
    w.thread = t;
    // The native then, whatever `p` is (a handler's Promise subclass may override then): it calls
    // one of the pair at most once, so a waiter back in the pool is never called again. Called
    // through the promise when that is the one it has (PROMISE_THEN.call took 5 ns more a wait).
    if (p.then === PROMISE_THEN) p.then(w.onValue, w.onError);
    else PROMISE_THEN.call(p, w.onValue, w.onError);
    return undefined;
  }

  /** Goes on with `t` once what it waited on settled. */
  resume(t: Thread, failed: boolean, value: unknown): void {
    if (t.waitKind !== WAIT_CHILDREN) this.busy -= 1;
    // A cancelled thread's late result is dropped: its siblings' failure or the execution's end stopped it.
    if (t.status !== 'RUNNING' || this.status !== 'RUNNING') return;
    t.release();
    const state = t.state;
    let r: StepResult | undefined;
    try {
      r = this.runState(t, state, t.input, true, failed, value);
    } catch (e) {
      return this.threadFailed(t, e);
    }
    this.advance(t, state, r);
  }

  private threadSucceeded(t: Thread, output: Json): void {
    if (t === this.root) return this.end('SUCCEEDED', output, undefined);
    t.group.succeeded(t, output, t.size);
  }

  private threadFailed(t: Thread, e: unknown): void {
    if (e instanceof Cancelled || t.status !== 'RUNNING' || this.status !== 'RUNNING') return;
    if (e instanceof SetupError) return this.setupFailed(e);
    if (e instanceof ExecutionStop) {
      // A child execution's own timeout fails its iteration; the execution's ends the execution.
      if (t.budget !== this.budget) return t.group.failed(t, new StatesError(e.error, e.cause));
      return this.stopWith(e);
    }
    if (t === this.root) return this.end('FAILED', undefined, toStatesError(e));
    t.group.failed(t, toStatesError(e));
  }

  /** A Distributed Map child ran past its own deadline. */
  childTimedOut(t: Thread): void {
    if (t.status !== 'RUNNING' || this.status !== 'RUNNING') return;
    t.group.failed(t, new StatesError(StatesErrors.Timeout, causes.childExecutionTimedOut()));
  }

  /** A task handler threw SetupError: the run is abandoned and the result rejects with it. */
  private setupFailed(e: SetupError): void {
    this.status = 'FAILED';
    this.shutdown();
    this.onSetupError(e);
  }

  /** Records the terminal event, ends every thread, refuses every callback, settles the result. */
  private end(status: Exclude<ExecutionStatus, 'RUNNING'>, output: Json | undefined, e: StatesError | ExecutionStop | undefined): void {
    // The caller gets a copy of the output, as DescribeExecution's JSON text gives one: the
    // execution's own value shares its parts with the history, which renders when read.
    let returned: Json | undefined;
    if (status === 'SUCCEEDED') {
      try {
        returned = ownCopy(output as Json, this.sites.output, 'execution output');
      } catch (err) {
        return this.end('FAILED', undefined, toStatesError(err));
      }
    }
    const now = this.clock.now();
    const last = this.root && status === 'SUCCEEDED' ? this.root.last : this.events.size;
    if (status === 'SUCCEEDED') this.recordExecutionEvent(EXECUTION_SUCCEEDED, now, last, output);
    else {
      const type = status === 'TIMED_OUT' ? 'ExecutionTimedOut' : status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionFailed';
      this.recordExecutionEvent(new EventKind(type, { error: e?.error, cause: e?.cause }), now, last);
    }
    this.status = status;
    this.root?.finish(status === 'SUCCEEDED' ? 'SUCCEEDED' : status === 'FAILED' ? 'FAILED' : 'CANCELLED');
    this.shutdown();
    this.onEnd({ status, output: returned, error: e?.error, cause: e?.cause, stopTime: now });
  }

  private shutdown(): void {
    this.root?.cancel();
    if (this.callbacks) {
      for (const cb of this.callbacks.values()) cb.thread.release();
      this.callbacks.clear();
    }
  }

  newTaskToken(): string {
    return `${this.random.uuid()}${this.random.uuid()}`.replace(/-/g, '');
  }

  /** Tokens of the `.waitForTaskToken` tasks currently waiting. */
  pendingTaskTokens(): string[] {
    return this.callbacks ? [...this.callbacks.keys()] : [];
  }

  /** The waiting callback for a token, or a TaskDoesNotExist error (completed, timed out, cancelled or never issued). */
  takeCallback(token: string, keep = false): Callback {
    const cb = this.callbacks?.get(token);
    if (!cb) {
      const e = new Error(`No task is waiting for the token '${token.slice(0, 16)}…': it was completed, timed out, cancelled, or never issued.`);
      e.name = 'TaskDoesNotExist';
      throw e;
    }
    if (!keep) this.callbacks?.delete(token);
    return cb;
  }

  awaitCallback(token: string, scope: StateScope, timeoutSeconds?: number, heartbeatSeconds?: number): Promise<Json> {
    const t = scope as Thread;
    return new Promise<Json>((resolve, reject) => {
      const callbacks = (this.callbacks ??= new Map<string, Callback>());
      const settle = (): void => {
        callbacks.delete(token);
        this.busy += 1;
      };
      // Refused once the thread ends (its sibling failed, or the execution ended).
      const cleanups = (t.cleanups ??= []);
      cleanups.push(() => callbacks.delete(token));
      let beat: (() => void) | undefined;
      const arm = () => {
        beat?.();
        if (heartbeatSeconds === undefined) return;
        beat = this.clock.setTimer(heartbeatSeconds * 1000, () => {
          settle();
          reject(new StatesError(StatesErrors.HeartbeatTimeout, causes.heartbeatTimedOut(heartbeatSeconds)));
        });
      };
      arm();
      cleanups.push(() => beat?.());
      if (timeoutSeconds !== undefined) {
        t.timer(timeoutSeconds * 1000, () => {
          settle();
          reject(new StatesError(StatesErrors.Timeout, causes.callbackTimedOut(timeoutSeconds)));
        });
      }
      callbacks.set(token, {
        thread: t,
        resolve: (v) => {
          settle();
          resolve(v);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
        heartbeat: arm,
      });
      // A callback wait is not work in progress: if nothing else is, virtual time may move on.
      this.busy -= 1;
      this.onTaskToken?.(token, scope.stateName);
      this.probeIdle();
    });
  }

  /**
   * On a virtual clock, when every running thread waits on a callback (nothing else can progress)
   * and nobody answered for a while, moves time to the next deadline (HeartbeatSeconds,
   * TimeoutSeconds, or the execution's own limit), so an unanswered callback ends by its timeout.
   */
  private probeIdle(): void {
    const clock = this.clock;
    if (this.idleProbe || !(clock instanceof VirtualClock)) return;
    this.idleProbe = true;
    let seen = this.events.size;
    const check = (): void => {
      this.idleProbe = false;
      if (this.status !== 'RUNNING' || !this.callbacks || this.callbacks.size === 0) return;
      if (this.busy > 0 || this.events.size !== seen) {
        seen = this.events.size;
        this.idleProbe = true;
        clock.whenIdle(check);
        return;
      }
      clock.advanceToNextTimer();
      this.probeIdle();
    };
    clock.whenIdle(check);
  }
}

/**
 * The handler pair a waiting thread continues through. Waiters are pooled across executions: a
 * thread that waits once (every Map iteration) would otherwise make two closures and their
 * context, about 170 bytes, an eighth of what the order workload allocates besides its copies.
 * A waiter serves one promise at a time and goes back to the pool when that promise settles (a
 * promise that never settles keeps its waiter, as it would keep the closures). Closures, not
 * Function.prototype.bind: under tsx/esbuild (keepNames, how `npm run bench` and the CLI run)
 * every named function gets an own `name` property, which sends bind down V8's slow runtime path
 * (a quarter of the order workload's CPU in a profile, 'set natives').
 */
class Waiter {
  sched: Scheduler | undefined = undefined;
  thread: Thread | undefined = undefined;
  readonly onValue = (value: unknown): void => this.settled(false, value);
  readonly onError = (error: unknown): void => this.settled(true, error);

  private settled(failed: boolean, value: unknown): void {
    const sched = this.sched as Scheduler;
    const t = this.thread as Thread;
    this.sched = undefined;
    this.thread = undefined;
    if (IDLE_WAITERS.length < MAX_IDLE_WAITERS) IDLE_WAITERS.push(this);
    sched.resume(t, failed, value);
  }
}
const IDLE_WAITERS: Waiter[] = [];
const PROMISE_THEN = Promise.prototype.then;
// Enough for the waits of many concurrent executions; past it, waiters are left to the GC.
const MAX_IDLE_WAITERS = 4096;

/** Options of the execution's single top thread (it reports to the scheduler, not to a group). */
const TOP: ChildrenOptions = { count: 1, concurrency: 1, machine: () => undefined as never, input: () => null, stopsOn: () => true };

/** What copyPlainJson returns for a value it does not copy (see there). */
export const NOT_PLAIN: unique symbol = Symbol('not plain JSON');

// Past this depth copyPlainJson gives up and the caller takes the JSON text path, which bounds depth itself.
const PLAIN_COPY_DEPTH = 64;

/**
 * A copy of `value` equal to `JSON.parse(JSON.stringify(value))`, for plain data only: objects
 * whose prototype is Object.prototype (or null), arrays, strings, finite numbers other than -0,
 * booleans and null. Anything JSON text would change or refuse (undefined, functions, toJSON,
 * Dates and other class instances, NaN, -0, bigint, array holes, a `__proto__` key, cycles, depth
 * past PLAIN_COPY_DEPTH) gives NOT_PLAIN, and the caller serializes as the Node.js runtime does.
 *
 * Why: the in-process Lambda path (states/lambda.ts) must give a handler a private copy of its
 * event and keep what it returns from aliasing the execution's data, as JSON text does on AWS.
 * Stringify + parse both ways was ~40% of the order workload's CPU (profile, issue #16's wire
 * format); one walk that copies plain data gives the same values.
 */
export function copyPlainJson(value: unknown, site?: CopySite): Json | typeof NOT_PLAIN {
  if (typeof value !== 'object' || value === null) return plainScalar(value);
  const shape = site?.shapeFor(value);
  return shape !== undefined ? shape.plain(value, 0) : copyPlain(value, 0);
}

/**
 * As copyPlainJson, and the same walk adds up the copy's sizeBound (read it with
 * copiedSizeBound): one walk instead of a copy and one or two size walks, for what the execution
 * keeps (its input, a handler's result).
 */
export function copyPlainJsonMeasured(value: unknown, site?: CopySite): Json | typeof NOT_PLAIN {
  // A copy may run inside another: a getter of the value copied can start an execution, which
  // copies its input. The enclosing copy's running total is put back however this one ends.
  const enclosing = copied.bound;
  copied.bound = 0;
  try {
    let x: Json | typeof NOT_PLAIN;
    if (typeof value === 'object' && value !== null) {
      const shape = site?.shapeFor(value);
      x = shape !== undefined ? shape.measured(value, 0) : copyMeasured(value, 0);
    } else {
      x = plainScalar(value);
      if (x !== NOT_PLAIN) copied.bound = scalarBound(x);
    }
    lastBound = copied.bound;
    return x;
  } finally {
    copied.bound = enclosing;
  }
}

/**
 * A copy of `value` that shares nothing with it, as JSON text gives one: the plain walk, else
 * JSON text itself (jsonCopy).
 * @throws StatesError (States.Runtime) when JSON text cannot hold it (see jsonCopy)
 */
export function ownCopy(value: unknown, site: CopySite | undefined, what: string): Json {
  const plain = copyPlainJson(value, site);
  return plain !== NOT_PLAIN ? plain : jsonCopy(value, what);
}

/**
 * `value` through JSON text, as AWS's serialization gives it (a Date becomes its ISO string, an
 * undefined member is left out).
 * @throws StatesError (States.Runtime) naming `what` when JSON text cannot hold it (a bigint, a
 *   cycle) or it is nested too deep for JSON.stringify
 */
export function jsonCopy(value: unknown, what: string): Json {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    // JSON.stringify recurses: a value nested some thousands deep overflows the stack.
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw tooDeep(what);
    throw new StatesError(StatesErrors.Runtime, `The ${what} cannot be serialized as JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return text === undefined ? null : (JSON.parse(text) as Json);
}

/** Where a machine's execution inputs and outputs are copied (see CopySite). */
interface MachineSites {
  readonly input: CopySite;
  readonly output: CopySite;
}

/** The copy sites of `machine`, made on its first execution. */
function sitesOf(machine: CompiledStateMachine): MachineSites {
  let sites = MACHINE_SITES.get(machine);
  if (sites === undefined) MACHINE_SITES.set(machine, (sites = { input: new CopySite(), output: new CopySite() }));
  return sites;
}
const MACHINE_SITES = new WeakMap<CompiledStateMachine, MachineSites>();

/** sizeBound (data/size.ts) of the value the last copyPlainJsonMeasured returned. */
export function copiedSizeBound(): number {
  return lastBound;
}

// The running total of the copy in progress: a box rather than a variable, as the copiers
// generated for shapes (see Shape) add to it too.
const copied = { bound: 0 };
let lastBound = 0;

/** A scalar (or null) as JSON text would give it back, or NOT_PLAIN. */
function plainScalar(v: unknown): Json | typeof NOT_PLAIN {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : NOT_PLAIN;
    case 'object':
      return v === null ? null : NOT_PLAIN;
    default:
      return NOT_PLAIN;
  }
}

// What sizeBound counts for a scalar: 3 bytes a character plus quotes for a string, 24 otherwise.
const scalarBound = (x: Json) => (typeof x === 'string' ? x.length * 3 + 2 : 24);

// Both walks recurse only into containers: members that are scalars (most of them) are checked in
// the loop, which halves the calls. They are separate functions on purpose: one walk with a
// `measure` flag sees both the state's data and handlers' fresh results, and its property loads
// went megamorphic; in a CPU profile of the order workload the copies took 34% instead of 24%.
// Copies are not frozen: Object.freeze costs more than the copy itself (30-60 ns an object, a
// call into the runtime), and it made objects of the same keys take two hidden classes, so the
// loads that read them went polymorphic. Without it the order workload ran 16% faster. The
// execution's values stay unchanged because nothing writes to them (ResultPath and every other
// write copies the objects on its path), and nothing outside holds one: handlers get copies, mocks
// and `tasks` handlers frozen parameters, onEvent listeners frozen details, the caller a copy of
// the output (see Scheduler.end).
// copyMeasured adds to copied.bound exactly what sizeBound counts: scalarBound for each scalar,
// brackets and one separator per element, and 3 bytes a key character plus 4 per key.
function copyMeasured(v: object, depth: number): Json | typeof NOT_PLAIN {
  if (depth >= PLAIN_COPY_DEPTH) return NOT_PLAIN;
  const proto = Object.getPrototypeOf(v) as unknown;
  let bound = 2;
  if (Array.isArray(v)) {
    if (proto !== Array.prototype) return NOT_PLAIN;
    const n = v.length;
    const out: Json[] = new Array<Json>(n);
    bound += n;
    let run: ShapeRun | undefined;
    for (let i = 0; i < n; ) {
      let x: unknown = v[i];
      if (typeof x === 'object' && x !== null) {
        const shape = (run ??= new ShapeRun()).shapeFor(x);
        if (shape !== undefined) {
          // The elements from i on that have the shape's keys, copied in one generated loop. It
          // makes progress unless element i's keys changed since shapeFor read them (a Proxy):
          // the generic walk copies that one.
          const next = shape.measuredRun(v, out, i, depth + 1);
          if (next < 0) return NOT_PLAIN;
          if (next > i) {
            i = next;
            continue;
          }
        }
        if ((x = copyMeasured(x, depth + 1)) === NOT_PLAIN) return NOT_PLAIN;
      } else if (typeof x === 'string') bound += x.length * 3 + 2;
      else if (typeof x === 'boolean' || x === null || (typeof x === 'number' && Number.isFinite(x) && !Object.is(x, -0))) bound += 24;
      else return NOT_PLAIN;
      out[i++] = x as Json;
    }
    copied.bound += bound;
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: JsonObject = {};
  for (const k in v as Record<string, unknown>) {
    if (k === '__proto__') return NOT_PLAIN;
    bound += k.length * 3 + 4;
    let x: unknown = (v as Record<string, unknown>)[k];
    if (typeof x === 'object' && x !== null) {
      if ((x = copyMeasured(x, depth + 1)) === NOT_PLAIN) return NOT_PLAIN;
    } else if (typeof x === 'string') bound += x.length * 3 + 2;
    else if (typeof x === 'boolean' || x === null || (typeof x === 'number' && Number.isFinite(x) && !Object.is(x, -0))) bound += 24;
    else return NOT_PLAIN;
    out[k] = x as Json;
  }
  copied.bound += bound;
  return out;
}

function copyPlain(v: object, depth: number): Json | typeof NOT_PLAIN {
  if (depth >= PLAIN_COPY_DEPTH) return NOT_PLAIN;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (Array.isArray(v)) {
    if (proto !== Array.prototype) return NOT_PLAIN;
    const n = v.length;
    const out: Json[] = new Array<Json>(n);
    let run: ShapeRun | undefined;
    for (let i = 0; i < n; ) {
      let x: unknown = v[i];
      if (typeof x === 'object') {
        if (x !== null) {
          const shape = (run ??= new ShapeRun()).shapeFor(x);
          if (shape !== undefined) {
            const next = shape.plainRun(v, out, i, depth + 1);
            if (next < 0) return NOT_PLAIN;
            if (next > i) {
              i = next;
              continue;
            }
          }
          if ((x = copyPlain(x, depth + 1)) === NOT_PLAIN) return NOT_PLAIN;
        }
      } else if (typeof x === 'number') {
        if (!Number.isFinite(x) || Object.is(x, -0)) return NOT_PLAIN;
      } else if (typeof x !== 'string' && typeof x !== 'boolean') return NOT_PLAIN;
      out[i++] = x as Json;
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: JsonObject = {};
  for (const k in v as Record<string, unknown>) {
    if (k === '__proto__') return NOT_PLAIN;
    let x: unknown = (v as Record<string, unknown>)[k];
    if (typeof x === 'object') {
      if (x !== null && (x = copyPlain(x, depth + 1)) === NOT_PLAIN) return NOT_PLAIN;
    } else if (typeof x === 'number') {
      if (!Number.isFinite(x) || Object.is(x, -0)) return NOT_PLAIN;
    } else if (typeof x !== 'string' && typeof x !== 'boolean') return NOT_PLAIN;
    out[k] = x as Json;
  }
  return out;
}

// Arrays of objects that all have the same keys (order items, Map results) are most of what the
// copies walk. For such a run of elements, a copier generated once for those keys builds each copy
// as one object literal: the object is allocated with its final hidden class, and every property
// load is monomorphic. The generic walk adds the keys one at a time through megamorphic keyed
// stores. Copying the order workload's state took 29% less time this way (micro-benchmark).
// The generated code holds only the keys, quoted by JSON.stringify as string literals; `__proto__`
// never gets a shape (a literal would set the prototype), the generic walk refuses it.

type Copier = (v: object, depth: number) => Json | typeof NOT_PLAIN;
/**
 * Copies the elements of `v` from `i` on while they have the shape's keys, into `out`; returns
 * the index of the first element without them (v.length after the last), or -1 where the walk
 * would give NOT_PLAIN. `depth` is the elements' depth.
 */
type RunCopier = (v: readonly unknown[], out: Json[], i: number, depth: number) => number;

/** Copiers for objects whose for-in keys are exactly `keys`, in that order: one object, or a run of array elements. */
interface Shape {
  readonly keys: readonly string[];
  readonly plain: Copier;
  readonly measured: Copier;
  readonly plainRun: RunCopier;
  readonly measuredRun: RunCopier;
}

// Shapes are shared by every execution; bounded, since keys come from users' data. Past the
// bound, and where code generation is disallowed (--disallow-code-generation-from-strings), the
// generic walk copies everything.
const SHAPES = new Map<string, Shape>();
const MAX_SHAPES = 512;
const MAX_SHAPE_KEYS = 32;
// Characters of all a shape's keys together: the generated source holds each key a few times, and
// neither it nor a CopySite's last keys may grow with a payload's (unchecked yet) size.
const MAX_SHAPE_KEY_CHARS = 512;
let shapesAllowed = true;

function shapeOf(keys: string[]): Shape | undefined {
  const id = JSON.stringify(keys);
  let shape = SHAPES.get(id);
  if (shape === undefined) {
    if (!shapesAllowed || SHAPES.size >= MAX_SHAPES) return undefined;
    try {
      shape = {
        keys,
        plain: generate(keys, false, false) as Copier,
        measured: generate(keys, true, false) as Copier,
        plainRun: generate(keys, false, true) as RunCopier,
        measuredRun: generate(keys, true, true) as RunCopier,
      };
    } catch (e) {
      // Only a refusal to generate code at all is expected; anything else is a bug to see.
      if (!(e instanceof EvalError)) throw e;
      shapesAllowed = false;
      return undefined;
    }
    SHAPES.set(id, shape);
  }
  return shape;
}

// The same checks, in the same order, as copyPlain and copyMeasured make for one object's members,
// for one object (`v`) or for each element of a run (`e`).
function generate(keys: readonly string[], measured: boolean, run: boolean): Copier | RunCopier {
  const src = run ? 'e' : 'v';
  const fail = run ? 'return -1;' : 'return N;';
  const lines = [`if (d >= ${PLAIN_COPY_DEPTH}) ${fail}`];
  if (measured) lines.push(`let b = ${2 + keys.reduce((sum, k) => sum + k.length * 3 + 4, 0)};`);
  keys.forEach((k, i) => {
    const x = `x${i}`;
    lines.push(`let ${x} = ${src}[${JSON.stringify(k)}];`);
    if (measured) {
      lines.push(
        `if (typeof ${x} === 'object' && ${x} !== null) { if ((${x} = c(${x}, d + 1)) === N) ${fail} }`,
        `else if (typeof ${x} === 'string') b += ${x}.length * 3 + 2;`,
        `else if (typeof ${x} === 'boolean' || ${x} === null || (typeof ${x} === 'number' && isFinite(${x}) && !is(${x}, -0))) b += 24;`,
        `else ${fail}`,
      );
    } else {
      lines.push(
        `if (typeof ${x} === 'object') { if (${x} !== null && (${x} = c(${x}, d + 1)) === N) ${fail} }`,
        `else if (typeof ${x} === 'number') { if (!isFinite(${x}) || is(${x}, -0)) ${fail} }`,
        `else if (typeof ${x} !== 'string' && typeof ${x} !== 'boolean') ${fail}`,
      );
    }
  });
  const literal = `{ ${keys.map((k, i) => `${JSON.stringify(k)}: x${i}`).join(', ')} }`;
  if (measured) lines.push('box.bound += b;');
  let body: string;
  if (run) {
    // The element checks ShapeRun.shapeFor makes, then the keys, in the loop itself.
    body = [
      'const n = v.length;',
      'for (; i < n; i++) {',
      'const e = v[i];',
      "if (typeof e !== 'object' || e === null || proto(e) !== OP || isArray(e)) return i;",
      'let j = 0;',
      'for (const k in e) if (k !== K[j++]) return i;',
      `if (j !== ${keys.length}) return i;`,
      ...lines,
      `out[i] = ${literal};`,
      '}',
      'return n;',
    ].join('\n');
  } else body = [...lines, `return ${literal};`].join('\n');
  const make = new Function(
    'c',
    'N',
    'box',
    'isFinite',
    'is',
    'proto',
    'OP',
    'isArray',
    'K',
    `'use strict'; return function ${run ? 'copyRun(v, out, i, d)' : 'copy(v, d)'} {\n${body}\n};`,
  );
  return make(
    measured ? copyMeasured : copyPlain,
    NOT_PLAIN,
    copied,
    Number.isFinite,
    Object.is,
    Object.getPrototypeOf,
    Object.prototype,
    Array.isArray,
    keys,
  ) as Copier | RunCopier;
}

/**
 * The shape of one array's object elements as its copy goes along: learnt from two consecutive
 * elements with the same keys, used while elements keep them. Arrays whose elements differ stop
 * learning after a few misses, so they pay little more than the generic walk.
 */
class ShapeRun {
  private shape: Shape | undefined = undefined;
  private previous: object | undefined = undefined;
  private misses = 0;

  /** The shape to copy `x` with, or undefined for the generic walk. */
  shapeFor(x: object): Shape | undefined {
    if (Object.getPrototypeOf(x) !== Object.prototype || Array.isArray(x)) return undefined;
    const shape = this.shape;
    if (shape !== undefined && sameKeys(x, shape.keys)) return shape;
    if (this.misses > 3) return undefined;
    // The shapes used last come first: most arrays have a shape seen before (the same data
    // copied again, for the next Task), and finding it by its keys costs no allocation.
    for (const s of RECENT) if (sameKeys(x, s.keys)) return (this.shape = s);
    const previous = this.previous;
    this.previous = x;
    if (previous === undefined) return undefined;
    const keys = keysOf(previous);
    const learnt = keys !== undefined && sameKeys(x, keys) ? shapeOf(keys) : undefined;
    if (learnt === undefined) {
      this.misses += 1;
      return undefined;
    }
    if (RECENT.length === MAX_RECENT) RECENT.pop();
    RECENT.unshift(learnt);
    return (this.shape = learnt);
  }
}

/**
 * Where payloads are copied again and again (one Task's events, or its results): the shape of the
 * objects copied there, learnt once two in a row have the same keys. Only a cache: a copy made
 * with or without it is the same.
 */
export class CopySite {
  private shape: Shape | undefined = undefined;
  // The keys seen last (not the object: a site must not keep an execution's data alive).
  private previousKeys: string[] | undefined = undefined;
  private misses = 0;

  /** The shape to copy `x` with, or undefined for the generic walk. */
  shapeFor(x: object): Shape | undefined {
    if (Object.getPrototypeOf(x) !== Object.prototype || Array.isArray(x)) return undefined;
    const shape = this.shape;
    if (shape !== undefined && sameKeys(x, shape.keys)) return shape;
    if (this.misses > 3) return undefined;
    const previous = this.previousKeys;
    if (previous !== undefined && sameKeys(x, previous)) {
      this.previousKeys = undefined;
      const learnt = shapeOf(previous);
      // Refused (the cache is full, or code generation is disallowed): stop asking at once.
      if (learnt === undefined) this.misses = Number.POSITIVE_INFINITY;
      return (this.shape = learnt);
    }
    this.previousKeys = keysOf(x);
    if (previous !== undefined) this.misses += 1;
    return undefined;
  }
}

/** The shapes learnt last, newest first. */
const RECENT: Shape[] = [];
const MAX_RECENT = 8;

function sameKeys(x: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in x) if (k !== keys[i++]) return false;
  return i === keys.length;
}

/** The for-in keys of `x`, or undefined when it cannot have a shape. */
function keysOf(x: object): string[] | undefined {
  const keys: string[] = [];
  let chars = 0;
  for (const k in x) {
    if (k === '__proto__' || keys.length === MAX_SHAPE_KEYS || (chars += k.length) > MAX_SHAPE_KEY_CHARS) return undefined;
    keys.push(k);
  }
  return keys;
}

/** @internal How many shapes have copiers generated (bounded by MAX_SHAPES): for tests. */
export function shapeCount(): number {
  return SHAPES.size;
}
