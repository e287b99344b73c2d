// A thread: one line of states (the execution itself, a Parallel branch, a Map iteration, a
// Distributed Map child execution) with an explicit status. `cancel()` is where a thread is
// stopped: its timers and callback tokens are released, its children cancelled, and anything it
// still tries to record is refused, so its late results are dropped. The scheduler
// (scheduler.ts) runs threads; a thread is also the scope its running state sees.
import type { DataScope } from './data/scope';
import { byteSizeExceeds } from './data/size';
import { causes } from './causes';
import { StatesError, StatesErrors } from './errors';
import { EventKind, type RawDetails } from './history';
import type { Budget } from './limits';
import { LIMITS } from './limits';
import {
  PendingCall,
  SUSPENDED,
  type ChildrenOptions,
  type ChildrenOutcome,
  type CompiledMachine,
  type CompiledState,
  type MapItem,
  type Runtime,
  type StateScope,
  type StepResult,
  type TaskDone,
  type TaskFailed,
} from './runtime';
import type { Scheduler, ThreadGroup } from './scheduler';
import type { CompiledCatcher } from './retry';
import type { Json, JsonObject, StateType } from './types';

/** Where a thread is: running (or waiting), or one of its final statuses. */
export type ThreadStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** Thrown to unwind a thread that was cancelled while it ran; never reported. */
export class Cancelled extends Error {}
export const CANCELLED = new Cancelled('cancelled');

// What a suspended thread waits on (see Scheduler.suspend and runState).
export const WAIT_STEP = 0; // the state's own promise of its step
export const WAIT_TASK = 1; // a Task's call: its result goes through the Task's done/failed (awaitTask)
export const WAIT_RETRY = 2; // a retry back-off on a clock that sleeps asynchronously
export const WAIT_CAUGHT = 3; // a catcher's (JSONata) output
export const WAIT_CHILDREN = 4; // a Map's or Parallel's children (see runChildren)

// Kinds of the events without details (ParallelStateStarted, MapStateSucceeded...), made once each.
const BARE_EVENTS = new Map<string, EventKind>();
/** A thread's state before it runs its first one. */
const NO_STATE = { name: '', type: 'Pass' } as CompiledState;

/**
 * One line of states. A thread is the scope of the state it runs (reused from state to state)
 * and of its workflow variables; while it waits it holds what it needs to go on.
 */
export class Thread implements StateScope {
  status: ThreadStatus = 'RUNNING';
  state: CompiledState = NO_STATE;
  enteredEventId = 0;
  enteredTime = 0;
  retryCount = 0;
  /** Whether the thread is inside `state` (entered, not yet exited): what cancelling aborts. */
  inState = false;
  /** Id of the thread's latest event: the next one's previousEventId. */
  last: number;
  /** A bound of the current value's JSON size (the next state's input; see sizeBound), when known. */
  size: number | undefined = undefined;
  /** `$$.Task.Token` / `$$.Map.Item` of the running state, when it has one. */
  token: string | undefined = undefined;
  item: MapItem | undefined = undefined;
  resultSize: number | undefined = undefined;
  // Variables: created on first assignment, as most threads (every Map iteration) never assign.
  private values: Map<string, Json> | undefined = undefined;
  /** The children (branches, iterations) of the Map or Parallel state running now, cancelled with this thread. */
  childGroup: ThreadGroup | undefined = undefined;
  /** Timers and callbacks of the waiting state, released when it goes on or is cancelled. */
  cleanups: (() => void)[] | undefined = undefined;
  /** Cancels the deadline timer of a thread with limits of its own (the execution, a child execution). */
  deadlineTimer: (() => void) | undefined = undefined;
  // While suspended: what on, the state's input, its retry counts, and how to go on.
  waitKind = WAIT_STEP;
  input: Json = null;
  attempts: number[] | undefined = undefined;
  taskDone: TaskDone | undefined = undefined;
  taskFailed: TaskFailed | undefined = undefined;
  /** The Task's call, when its outcome goes through the call's conversion first (see PendingCall). */
  call: PendingCall | undefined = undefined;
  catcher: CompiledCatcher | undefined = undefined;

  constructor(
    readonly sched: Scheduler,
    readonly machine: CompiledMachine,
    /** The enclosing thread, whose variables this one reads. */
    readonly parent: Thread | undefined,
    /** The limits this thread counts against: its execution's, or its own as a child execution. */
    readonly budget: Budget,
    /** Events of a detached thread (a Distributed Map's child executions) are counted, not recorded. */
    readonly detached: boolean,
    /** Where the thread reports how it ended. */
    readonly group: ThreadGroup,
    readonly index: number,
  ) {
    this.last = parent ? parent.last : sched.eventCount;
    sched.live += 1;
  }

  /** Ends the thread (and its children) with a final status, releasing its timers and callbacks. */
  finish(status: Exclude<ThreadStatus, 'RUNNING'>): void {
    if (this.status !== 'RUNNING') return;
    this.status = status;
    this.sched.live -= 1;
    this.release();
    this.deadlineTimer?.();
    const children = this.childGroup;
    if (children) {
      this.childGroup = undefined;
      children.cancelRunning();
    }
    this.group.forget(this);
  }

  /** Stops the thread wherever it is: its pending work is abandoned and its callbacks refused. */
  cancel(): void {
    this.finish('CANCELLED');
  }

  /** Releases what the current wait holds (timers, callback tokens). */
  release(): void {
    const c = this.cleanups;
    if (c === undefined) return;
    this.cleanups = undefined;
    for (const f of c) f();
  }

  get stateName(): string {
    return this.state.name;
  }

  get stateType(): StateType {
    return this.state.type;
  }

  get runtime(): Runtime {
    return this.sched;
  }

  get inputSize(): number | undefined {
    return this.size;
  }

  get env() {
    return this.sched.random;
  }

  record(type: string, details?: RawDetails): number {
    let kind = details ? undefined : BARE_EVENTS.get(type);
    if (!kind) {
      kind = new EventKind(type, details);
      if (!details) BARE_EVENTS.set(type, kind);
    }
    return this.sched.record(this, kind);
  }

  recordEvent(kind: EventKind, value?: Json): number {
    return this.sched.record(this, kind, value);
  }

  failureEvent: string | undefined = undefined;

  failWith(eventType: string): void {
    this.failureEvent = eventType;
  }

  awaitTask(call: Promise<Json> | PendingCall, done: TaskDone, failed: TaskFailed): Promise<StepResult> {
    this.waitKind = WAIT_TASK;
    this.taskDone = done;
    this.taskFailed = failed;
    if (call instanceof PendingCall) {
      this.call = call;
      this.sched.pending = call.promise;
    } else {
      this.call = undefined;
      this.sched.pending = call;
    }
    return SUSPENDED;
  }

  sleep(ms: number): Promise<void> | undefined {
    return this.sched.sleep(this, ms);
  }

  timer(ms: number, fn: () => void, work?: boolean): void {
    (this.cleanups ??= []).push(this.sched.clock.setTimer(ms, fn, work));
  }

  runChildren(options: ChildrenOptions): ChildrenOutcome | Promise<ChildrenOutcome> {
    return this.sched.runChildren(this, options);
  }

  context(): Json {
    const ctx: JsonObject = {
      Execution: this.sched.executionContext,
      State: { EnteredTime: new Date(this.enteredTime).toISOString(), Name: this.state.name, RetryCount: this.retryCount },
      StateMachine: { Id: this.sched.stateMachineArn, Name: this.sched.stateMachineName },
    };
    if (this.token !== undefined) ctx.Task = { Token: this.token };
    if (this.item !== undefined) ctx.Map = { Item: { Index: this.item.index, Value: this.item.value } };
    return ctx;
  }

  variable(name: string): Json | undefined {
    for (let t: Thread | undefined = this; t; t = t.parent) {
      const v = t.values?.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  variables(): Record<string, Json> {
    const out: Record<string, Json> = this.parent ? this.parent.variables() : {};
    if (this.values) for (const [k, v] of this.values) out[k] = v;
    return out;
  }

  /** Writes a state's Assign results, all at once, after the state has run. */
  assign(assigned: JsonObject): void {
    for (const name of Object.keys(assigned)) {
      if (this.parent?.variable(name) !== undefined) {
        throw this.runtimeError(causes.variableOfEnclosingScope(name));
      }
    }
    if (byteSizeExceeds(assigned, LIMITS.maxAssignBytes)) {
      throw this.runtimeError(causes.assignTooLarge(LIMITS.maxAssignBytes / 1024));
    }
    for (const [name, value] of Object.entries(assigned)) (this.values ??= new Map()).set(name, value);
  }

  runtimeError(detail: string): StatesError {
    return new StatesError(StatesErrors.Runtime, causes.inState(this.state.name, this.enteredEventId, detail));
  }

  evaluationError(detail: string): StatesError {
    return new StatesError(StatesErrors.QueryEvaluationError, causes.inState(this.state.name, this.enteredEventId, detail));
  }

  withMapItem(item: MapItem): DataScope {
    return new ContextView(this, item);
  }

  withTaskToken(token: string): DataScope {
    this.token = token;
    return this;
  }
}

/** The running state's scope with a `$$.Map.Item` of its own (ItemSelector, one per item). */
class ContextView implements DataScope {
  constructor(
    private readonly thread: Thread,
    private readonly item: MapItem,
  ) {}

  get env() {
    return this.thread.env;
  }

  context(): Json {
    const t = this.thread;
    const saved = t.item;
    t.item = this.item;
    try {
      return t.context();
    } finally {
      t.item = saved;
    }
  }

  variable(name: string): Json | undefined {
    return this.thread.variable(name);
  }

  variables(): Record<string, Json> {
    return this.thread.variables();
  }

  runtimeError(detail: string): StatesError {
    return this.thread.runtimeError(detail);
  }

  evaluationError(detail: string): StatesError {
    return this.thread.evaluationError(detail);
  }
}
