// The one module that drives the interpreter's execution handle for the endpoint: starts
// executions bound to local handlers and mocks, tracks their status and history, and routes task
// tokens (callbacks and activity tasks) back to them. Every use of `startExecution`, `result`,
// `stop` and `sendTask*` is here, so the rest of lib/server depends only on this file's API.
import {
  RealClock,
  SeededRandom,
  StatesError,
  nodeRuntimeInvoker,
  VirtualClock,
  startExecution,
  type Clock,
  type CompiledStateMachine,
  type Execution,
  type ExecutionResult,
  type ExecutionStatus,
  type HistoryEvent,
  type Json,
  type LambdaInvoker,
  type RawDetails,
  type StateDefinition,
  type MachineDefinition,
  type TaskHandler,
  type TaskMock,
  type TaskRequest,
} from '../asl';
import { apiMessages, causes } from '../asl/causes';
import { ExecutionStop } from '../asl/errors';
import { detailsKey, renderDetails } from '../asl/history';
import { checkServiceTasks, serviceTaskHandler, type IntegrationContext, type LocalResources, type Outbox } from '../local/integrations';
import { createLambdaInvoker, type LambdaRunnerOptions } from '../local/lambda-runner';
import { createTaskMock, type MockConfigFile } from '../local/mocks';
import type { LocalFunction, LocalStateMachine } from '../local/state-machines';
import { ApiError } from './errors';
import type { StoredStateMachine } from './store';

/** A Lambda handler served in-process under a function name (for embedding the server in tests). */
// Under virtual time, how long (real ms) an execution whose every thread waits on a callback or an
// activity is left unanswered before its clock moves to the next deadline (VirtualClock's idleMs).
// Clients answer over HTTP from another process: the in-process default (50 ms) timed out
// callbacks that a busy client was about to answer.
const SERVER_IDLE_MS = 1_000;

export type InlineHandler = (event: Json) => unknown;

/** How executions run. */
export interface EngineOptions {
  readonly region: string;
  readonly accountId: string;
  /** Virtual time (Waits cost nothing) instead of wall-clock time. */
  readonly virtualTime: boolean;
  /** The app's functions, by every name a definition may use for them. */
  readonly functions: ReadonlyMap<string, LocalFunction>;
  /** Handlers by function name, checked before the app's functions. */
  readonly inlineHandlers: Readonly<Record<string, InlineHandler>>;
  /** How the app's handlers run (source, bundle, or real Lambda with a client). */
  readonly handlerOptions: LambdaRunnerOptions;
  /** A Step Functions Local mock file; a test case is chosen with `<stateMachineArn>#<TestCase>`. */
  readonly mockFile?: MockConfigFile;
  /** Serves activity Task states (see activities.ts); a worker completes them by token. */
  readonly activityTask?: (request: TaskRequest, token: string, heartbeatSeconds: number | undefined) => void;
  /** What service-integration Tasks reach (lib/local/integrations), as `stepwise run` serves them. */
  readonly integrations: IntegrationOptions;
}

/** What executions need to serve service integrations (DynamoDB, SQS/SNS/EventBridge, Step Functions). */
export interface IntegrationOptions {
  /** The local DynamoDB that DynamoDB Tasks use; without it, machines with such Tasks are refused at start. */
  readonly dynamodb?: { readonly endpoint: string };
  /** Where SQS, SNS and EventBridge Tasks record what they send (one per endpoint). */
  readonly outbox: Outbox;
  /** The tables, queues, topics, buses and state machines a machine's Tasks reach. */
  resources(sm: StoredStateMachine): LocalResources;
  /**
   * Starts a `states:startExecution` child as an execution of one of the endpoint's own state
   * machines (recorded like any other), on the parent's clock.
   * @throws ApiError as StartExecution would
   */
  startChild(machine: LocalStateMachine, input: Json, name: string | undefined, clock: Clock): RunningExecution;
}

/** How to fix a setup problem on this endpoint (the pre-start check's advice, in serve's terms). */
const SERVE_FIXES = {
  mock: (state: string) =>
    `mock it: start the endpoint with a mock file (stepwise serve --mock MockConfigFile.json, or startServer({ mockFile })) and start '<stateMachineArn>#<TestCase>' with a test case that mocks '${state}'`,
  dynamodb: 'start the endpoint with one (stepwise serve --local-dynamodb, or startServer({ dynamodb: { endpoint } }))',
};

/** A history event as heard from `onEvent` while the execution runs. */
interface LiveEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly details?: RawDetails;
}

interface CallbackEntry {
  kind: 'callback';
  run: RunningExecution;
  open: boolean;
}
interface ActivityEntry {
  kind: 'activity';
  run: RunningExecution;
  open: boolean;
  resolve(v: Json): void;
  reject(e: Error): void;
  heartbeat(): void;
}
type TokenEntry = CallbackEntry | ActivityEntry;

/** One execution as the endpoint sees it: status, result fields and history. */
export class RunningExecution {
  status: ExecutionStatus = 'RUNNING';
  stopDate: Date | undefined;
  output: Json | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** Resolves once the execution has ended (never rejects). */
  readonly done: Promise<void>;
  /** Tokens this execution issued (closed when it ends). */
  readonly tokens: string[] = [];
  private readonly live: LiveEvent[] = [];
  // The interpreter's result, whose history is rendered on first read (most runs are never read).
  private result: ExecutionResult | undefined;
  private final: HistoryEvent[] | undefined;
  /** @internal */ handle!: Execution;
  /** @internal */ onTaskToken?: (token: string) => void;

  constructor(
    readonly arn: string,
    readonly name: string,
    readonly input: Json,
    readonly startDate: Date,
    private readonly keepHistory: boolean,
    start: (run: RunningExecution) => Execution,
  ) {
    this.handle = start(this);
    this.done = this.handle.result.then(
      (r) => this.finish(r),
      // A setup problem (a handler that cannot be loaded, a broken mock) aborts the run: report it
      // as the execution's failure instead of losing it (TEAM.md: the result rejects with SetupError).
      (e: unknown) => this.settle('FAILED', undefined, e instanceof Error ? e.name : 'Error', e instanceof Error ? e.message : String(e), new Date()),
    );
  }

  /** @internal Hears each event as the interpreter records it. */
  hear(type: string, timestamp: number, details: RawDetails | undefined): void {
    if (this.keepHistory) this.live.push({ type, timestamp, details });
  }

  private finish(r: ExecutionResult): void {
    if (this.keepHistory) this.result = r;
    if (this.status === 'ABORTED') return void (this.live.length = 0);
    this.settle(r.status, r.output, r.error, r.cause, r.stopDate);
  }

  private settle(status: ExecutionStatus, output: Json | undefined, error: string | undefined, cause: string | undefined, stopDate: Date): void {
    this.status = status;
    this.output = output;
    this.error = error;
    this.cause = cause;
    this.stopDate = stopDate;
    if (this.result) this.live.length = 0;
  }

  /**
   * The history in GetExecutionHistory's shape. Once the execution has ended this is the
   * interpreter's own; while it runs, events are numbered as heard (previousEventId is the event
   * before, which differs from AWS inside Parallel and Map branches).
   */
  history(): HistoryEvent[] {
    if (this.result) return (this.final ??= this.result.history);
    return this.live.map((e, i) => renderEvent(e, i + 1));
  }

  /** StopExecution: ends the execution ABORTED. */
  stop(error: string | undefined, cause: string | undefined): void {
    if (this.status !== 'RUNNING') return;
    this.handle.stop(error, cause);
    // AWS reports ABORTED at once; the interpreter ends the run at its next state boundary (a
    // real-time Wait finishes its sleep first), and its history then ends with ExecutionAborted.
    this.settle('ABORTED', undefined, error, cause, new Date());
  }
}

function renderEvent(e: LiveEvent, id: number): HistoryEvent {
  const event: HistoryEvent = { id, previousEventId: id - 1, timestamp: new Date(e.timestamp), type: e.type };
  if (e.details) {
    const out = renderDetails(e.details);
    event[detailsKey(e.type)] = out;
  }
  return event;
}

/** Finds a state's definition by name, at the top level or inside branches and processors. */
function findState(def: MachineDefinition, name: string): StateDefinition | undefined {
  const here = def.States?.[name];
  if (here) return here;
  for (const s of Object.values(def.States ?? {})) {
    for (const nested of [...(s.Branches ?? []), ...(s.ItemProcessor ? [s.ItemProcessor] : []), ...(s.Iterator ? [s.Iterator] : [])]) {
      const found = findState(nested, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Starts executions and routes task tokens to them. */
export class ExecutionEngine {
  private readonly tokens = new Map<string, TokenEntry>();
  /** Executions still running (stopped when the server closes). */
  readonly running = new Set<RunningExecution>();
  private readonly realClock = new RealClock();
  private readonly invokers = new WeakMap<ReadonlyMap<string, LocalFunction>, LambdaInvoker>();
  // The setup problems of a definition run without a mock test case (checked at every start).
  private readonly problems = new WeakMap<CompiledStateMachine, string[]>();
  private readonly random = new SeededRandom();
  /** Runs Lambda functions for the Invoke endpoint: inline handlers first, then any of the app's. */
  readonly lambda: LambdaInvoker;

  constructor(private readonly options: EngineOptions) {
    this.lambda = this.invokerFor(options.functions);
  }

  /**
   * The Lambda invoker of a state machine: inline handlers first, then `functions` (an app
   * machine's own stack's functions; every app function for machines created through the API).
   */
  private invokerFor(functions: ReadonlyMap<string, LocalFunction>): LambdaInvoker {
    let invoker = this.invokers.get(functions);
    if (invoker) return invoker;
    const app = functions.size > 0 ? createLambdaInvoker(functions, this.options.handlerOptions) : undefined;
    invoker = (invocation) => {
      const inline = this.inlineHandler(invocation.functionName);
      // Inline handlers answer as the Node.js runtime would: JSON text, or an Unhandled error payload.
      if (inline) return nodeRuntimeInvoker((_name, payload) => inline(payload) as Json | Promise<Json>)(invocation);
      if (app) return app(invocation);
      throw new StatesError(
        'Lambda.ResourceNotFoundException',
        `${apiMessages.lambdaFunctionNotFound(invocation.functionName)} (stepwise serve runs the functions of --app and those passed as handlers; none is named so)`,
      );
    };
    this.invokers.set(functions, invoker);
    return invoker;
  }

  /** The in-process handler serving a function name or ARN, if any. */
  inlineHandler(functionName: string): InlineHandler | undefined {
    const short = /:function:([^:]+)/.exec(functionName)?.[1] ?? functionName.replace(/:[^:]+$/, '');
    const h = this.options.inlineHandlers;
    return Object.hasOwn(h, functionName) ? h[functionName] : Object.hasOwn(h, short) ? h[short] : undefined;
  }

  /** Whether a function name or ARN is served (by an inline handler or the app). */
  serves(functionName: string): boolean {
    if (this.inlineHandler(functionName)) return true;
    // The app's functions are keyed by ARN, name and logical id; a qualifier (`:$LATEST`, `:live`) runs the same code.
    const fns = this.options.functions;
    const unqualified = /:function:[^:]+:[^:]+$/.test(functionName) ? functionName.replace(/:[^:]+$/, '') : functionName.replace(/^([^:]+):[^:]+$/, '$1');
    return fns.has(functionName) || fns.has(unqualified);
  }

  /**
   * Starts an execution of `sm`. `testCase` selects a test case of the mock file, as
   * `<stateMachineArn>#<TestCase>` does in Step Functions Local.
   * `clock` is the parent's for a `states:startExecution` child (otherwise one per endpoint or execution).
   * @throws ApiError when the mock file has no such test case, or ValidationException naming each
   * service Task that cannot run on this endpoint (no local DynamoDB, no local integration) and the fix
   */
  start(sm: StoredStateMachine, name: string, input: Json, testCase: string | undefined, keepHistory: boolean, clock?: Clock): RunningExecution {
    const o = this.options;
    let mock: TaskMock | undefined;
    if (testCase !== undefined) {
      if (!o.mockFile)
        throw new ApiError('ValidationException', `The test case '${testCase}' needs a mock file: start stepwise serve with --mock <MockConfigFile.json>`);
      try {
        mock = createTaskMock({ file: o.mockFile, stateMachine: sm.name, testCase });
      } catch (e) {
        throw new ApiError('ValidationException', (e as Error).message);
      }
    }
    // Refused before anything runs, as `stepwise run` refuses with a SetupError: a Task that can only
    // fail for a reason of this endpoint's setup is the caller's to fix, not an execution failure.
    const problems = this.setupProblems(sm, testCase);
    if (problems.length > 0)
      throw new ApiError('ValidationException', `The state machine '${sm.name}' cannot run on this endpoint:\n- ${problems.join('\n- ')}`);
    const runClock: Clock = clock ?? (o.virtualTime ? new VirtualClock(Date.now(), SERVER_IDLE_MS) : this.realClock);
    const arn = `arn:aws:states:${o.region}:${o.accountId}:${sm.type === 'EXPRESS' ? 'express' : 'execution'}:${sm.name}:${name}`;
    const run = this.launch(arn, sm, name, input, runClock, mock, keepHistory);
    this.running.add(run);
    void run.done.then(() => this.running.delete(run));
    return run;
  }

  /** The service Tasks of `sm` that cannot run here (mocked states of the test case excepted). */
  private setupProblems(sm: StoredStateMachine, testCase: string | undefined): string[] {
    const check = (mocked: ReadonlySet<string>) =>
      checkServiceTasks(sm.machine.definition, {
        mocked: (state) => mocked.has(state),
        tasksHook: false,
        dynamodb: this.options.integrations.dynamodb !== undefined,
        fixes: SERVE_FIXES,
      });
    if (testCase !== undefined) return check(new Set(Object.keys(this.options.mockFile?.StateMachines[sm.name]?.TestCases[testCase] ?? {})));
    let problems = this.problems.get(sm.machine);
    if (!problems) this.problems.set(sm.machine, (problems = check(new Set())));
    return problems;
  }

  /** What the integrations of one execution reach. */
  private integrationContext(sm: StoredStateMachine, clock: Clock): IntegrationContext {
    const o = this.options;
    const integrations = o.integrations;
    return {
      region: o.region,
      accountId: o.accountId,
      partition: 'aws',
      random: this.random,
      now: () => clock.now(),
      outbox: integrations.outbox,
      resources: integrations.resources(sm),
      dynamodbEndpoint: integrations.dynamodb?.endpoint,
      startChild: (machine, input, name) => {
        try {
          return integrations.startChild(machine, input, name, clock).handle;
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          // The child cannot start for a reason of this endpoint's setup: the parent fails with a
          // States.Runtime that says why (its StartExecution could not foresee a dynamic child).
          if (e.type === 'ValidationException') throw new StatesError('States.Runtime', `${e.message} (started by states:startExecution)`);
          throw new StatesError(`StepFunctions.${e.type.endsWith('Exception') ? e.type : `${e.type}Exception`}`, e.message);
        }
      },
      executionForToken: async (token) => {
        // A child can answer before its parent has begun to wait for the token: give the parent a few turns.
        for (let turn = 0; turn < 10 && !this.tokens.has(token); turn++) await new Promise((resolve) => setImmediate(resolve));
        const entry = this.tokens.get(token);
        return entry?.kind === 'callback' && entry.open ? entry.run.handle : undefined;
      },
    };
  }

  private launch(
    arn: string,
    sm: StoredStateMachine,
    name: string,
    input: Json,
    clock: Clock,
    mock: TaskMock | undefined,
    keepHistory: boolean,
  ): RunningExecution {
    const o = this.options;
    return new RunningExecution(arn, name, input, new Date(clock.now()), keepHistory, (run) => {
      const tasks: TaskHandler = serviceTaskHandler(this.integrationContext(sm, clock), (request) => this.runTask(run, sm, request));
      const handle = startExecution(sm.machine, input, {
        name,
        stateMachineName: sm.name,
        region: o.region,
        accountId: o.accountId,
        roleArn: sm.roleArn,
        clock,
        lambdaInvoker: this.invokerFor(sm.functions ?? o.functions),
        tasks,
        mock,
        history: keepHistory,
        onEvent: keepHistory ? (e) => run.hear(e.type, e.timestamp, e.details) : undefined,
        onTaskToken: (token) => {
          run.tokens.push(token);
          this.tokens.set(token, { kind: 'callback', run, open: true });
        },
      });
      void handle.result.then(
        () => this.closeTokens(run),
        () => this.closeTokens(run),
      );
      return handle;
    });
  }

  private closeTokens(run: RunningExecution): void {
    for (const t of run.tokens) {
      const entry = this.tokens.get(t);
      if (entry) entry.open = false;
    }
  }

  /** Serves Task resources other than Lambda and service integrations: activities; anything else is refused by name. */
  private runTask(run: RunningExecution, sm: StoredStateMachine, request: TaskRequest): Promise<Json> {
    if (/^arn:[\w-]+:states:[\w-]+:\d{12}:activity:/.test(request.resource) && this.options.activityTask) {
      const token = `${crypto.randomUUID()}${crypto.randomUUID()}`.replace(/-/g, '');
      const heartbeat = findState(sm.machine.definition, request.stateName)?.HeartbeatSeconds;
      return new Promise<Json>((resolve, reject) => {
        let cancel: (() => void) | undefined;
        const seconds = typeof heartbeat === 'number' ? heartbeat : undefined;
        const clock = this.realClock;
        const entry: ActivityEntry = {
          kind: 'activity',
          run,
          open: true,
          resolve: (v) => {
            cancel?.();
            entry.open = false;
            resolve(v);
          },
          reject: (e) => {
            cancel?.();
            entry.open = false;
            reject(e);
          },
          heartbeat: () => {
            cancel?.();
            if (seconds !== undefined)
              cancel = clock.setTimer(seconds * 1000, () =>
                entry.reject(new StatesError('States.HeartbeatTimeout', causes.activityHeartbeatTimedOut(seconds))),
              );
          },
        };
        entry.heartbeat();
        run.tokens.push(token);
        this.tokens.set(token, entry);
        try {
          (this.options.activityTask as NonNullable<EngineOptions['activityTask']>)(request, token, seconds);
        } catch (e) {
          entry.reject(e instanceof StatesError ? e : new StatesError('States.Runtime', (e as Error).message));
        }
      });
    }
    return Promise.reject(
      new StatesError(
        'States.Runtime',
        `stepwise serve does not run the resource '${request.resource}' of the state '${request.stateName}': it serves Lambda functions (--app or handlers), activities and the local service integrations; mock this state with --mock and a test case`,
      ),
    );
  }

  /**
   * Runs a definition once for TestState: on a virtual clock (a Wait costs nothing), with the given
   * mock for its Task, not recorded as an execution. Resolves with the interpreter's result.
   */
  async testRun(machine: CompiledStateMachine, input: Json, mock: TaskMock | undefined, sm: { name: string; roleArn: string }): Promise<ExecutionResult> {
    const o = this.options;
    const handle = startExecution(machine, input, {
      stateMachineName: sm.name,
      region: o.region,
      accountId: o.accountId,
      roleArn: sm.roleArn,
      clock: new VirtualClock(Date.now()),
      lambdaInvoker: this.invokerFor(o.functions),
      tasks: (request) =>
        Promise.reject(
          new StatesError('States.Runtime', `TestState runs the resource '${request.resource}' only with a mock (pass mock.result or mock.errorOutput)`),
        ),
      mock,
    });
    return handle.result;
  }

  /**
   * StopExecution: ends the execution ABORTED. Its activity tasks are withdrawn (the interpreter
   * itself only cancels callback tasks), so no worker receives them afterwards.
   */
  stop(run: RunningExecution, error: string | undefined, cause: string | undefined): void {
    if (run.status !== 'RUNNING') return;
    run.stop(error, cause);
    for (const t of run.tokens) {
      const entry = this.tokens.get(t);
      if (entry?.kind === 'activity' && entry.open) entry.reject(new ExecutionStop('ABORTED', error, cause));
    }
  }

  /** Whether a task token still waits for an answer (queued activity tasks of ended runs are skipped). */
  isOpen(token: string): boolean {
    return this.tokens.get(token)?.open ?? false;
  }

  private entry(token: string): TokenEntry {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) throw new ApiError('InvalidToken', `Invalid token: '${String(token)}'`);
    const entry = this.tokens.get(token);
    if (!entry) throw new ApiError('TaskDoesNotExist', 'The task token does not belong to any task this endpoint issued.');
    // AWS answers TaskTimedOut for a token whose task has already closed (completed, timed out, or its execution ended).
    if (!entry.open) throw new ApiError('TaskTimedOut', apiMessages.sendTaskTimedOut());
    return entry;
  }

  /** SendTaskSuccess. @throws ApiError TaskDoesNotExist / TaskTimedOut */
  sendTaskSuccess(token: string, output: Json): void {
    const entry = this.entry(token);
    if (entry.kind === 'activity') return entry.resolve(output);
    this.callback(entry, () => entry.run.handle.sendTaskSuccess(token, output));
  }

  /** SendTaskFailure. */
  sendTaskFailure(token: string, error: string | undefined, cause: string | undefined): void {
    const entry = this.entry(token);
    if (entry.kind === 'activity') return entry.reject(new StatesError(error, cause));
    this.callback(entry, () => entry.run.handle.sendTaskFailure(token, error, cause));
  }

  /** SendTaskHeartbeat. */
  sendTaskHeartbeat(token: string): void {
    const entry = this.entry(token);
    if (entry.kind === 'activity') return entry.heartbeat();
    try {
      entry.run.handle.sendTaskHeartbeat(token);
    } catch {
      entry.open = false;
      throw new ApiError('TaskTimedOut', apiMessages.sendTaskTimedOut());
    }
  }

  private callback(entry: TokenEntry, send: () => void): void {
    try {
      send();
      entry.open = false;
    } catch {
      // The interpreter no longer waits for it: it timed out (TimeoutSeconds/HeartbeatSeconds).
      entry.open = false;
      throw new ApiError('TaskTimedOut', apiMessages.sendTaskTimedOut());
    }
  }
}
