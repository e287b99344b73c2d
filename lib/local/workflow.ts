// Runs a state machine of a synthesized CDK app locally: the interpreter plus the stack's own
// handlers, mocks and Express semantics.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import {
  SeededRandom,
  SetupError,
  VirtualClock,
  startExecution,
  type Execution,
  type ExecuteOptions,
  type ExecutionResult,
  type Json,
  type MachineDefinition,
  type StateDefinition,
} from '../asl';
import { checkServiceTasks, Outbox, serviceTaskHandler, type IntegrationContext, type SentMessage } from './integrations';
import { createLambdaInvoker, type LambdaRunnerOptions } from './lambda-runner';
import { createTaskMock, type MockConfigFile, type StateMock } from './mocks';
import { LOCAL_ENV, type LocalStateMachine } from './state-machines';
import { watchExecution } from '../testing/coverage-recorder';
import { rememberDefinition } from '../insight/definitions';

/** Options for one local run. */
export interface LocalRunOptions extends Omit<ExecuteOptions, 'lambda' | 'lambdaInvoker' | 'mock' | 'type'> {
  /** How handlers run, extra environment, deployed names. */
  readonly handlers?: LambdaRunnerOptions;
  /**
   * Mocks by Task state name. A name that is not a Task state of the machine is refused (a
   * `SetupError`), so a typo never lets the real task run unnoticed. For a `lambda:invoke` task,
   * `Return` is the invoke result, as in a Step Functions Local mock file: `{ Payload: <what the
   * function returns> }` (`lambdaReturns(value)` writes it).
   */
  readonly mocks?: Record<string, StateMock>;
  /** A Step Functions Local mock file and the test case to use. */
  readonly mockFile?: MockConfigFile;
  readonly testCase?: string;
  /**
   * Deliver every Task invocation twice, as Express's at-least-once delivery may, to prove the
   * handlers idempotent. @default false
   */
  readonly replay?: boolean;
  /**
   * The local DynamoDB that DynamoDB Tasks (optimized and aws-sdk) use (see startLocalDynamoDb).
   * Without it, a state machine with such Tasks is refused before the run unless they are mocked.
   */
  readonly dynamodb?: { readonly endpoint: string };
  /** Where SQS, SNS and EventBridge Tasks record what they send. @default a new Outbox per run */
  readonly outbox?: Outbox;
}

/** An execution's result with what it sent to SQS, SNS and EventBridge (child executions included). */
export interface LocalExecutionResult extends ExecutionResult {
  readonly sent: readonly SentMessage[];
}

/** What a run and its child executions share. */
interface Session {
  readonly outbox: Outbox;
  readonly random: SeededRandom;
  readonly waiting: Map<string, Execution>;
}

/** An execution's result, with the output typed as the workflow's (`run<Input, Output>()`). */
export type LocalRunResult<Output = Json> = Omit<LocalExecutionResult, 'output'> & {
  /** The output, when SUCCEEDED. */
  readonly output?: Output;
};

type Invoker = ReturnType<typeof createLambdaInvoker>;

/** Every state of a definition by name, nested branches and iterations included. */
function statesOf(def: MachineDefinition, out = new Map<string, StateDefinition>()): Map<string, StateDefinition> {
  for (const [name, s] of Object.entries(def.States ?? {})) {
    out.set(name, s);
    for (const nested of [...(s.Branches ?? []), ...(s.ItemProcessor ? [s.ItemProcessor] : []), ...(s.Iterator ? [s.Iterator] : [])]) statesOf(nested, out);
  }
  return out;
}

/**
 * A state machine bound to its stack's handlers; run it as often as you like. `Input` and `Output`
 * type `run`'s input and the result's output (ordinary interfaces are fine; the values must be JSON).
 */
export class LocalWorkflow<Input = Json, Output = Json> {
  // Invokers are kept per set of handler options (loaded handler modules are reused across runs);
  // the Lambda client is not JSON, so it is matched by identity (weakly held) within a set.
  private invokers = new Map<string, { noClient?: Invoker; byClient: WeakMap<LambdaClient, Invoker> }>();

  constructor(readonly stateMachine: LocalStateMachine) {}

  /** Name of the state machine (its physical name locally). */
  get name(): string {
    return this.stateMachine.name;
  }

  private invoker(options: LocalRunOptions) {
    const handlerOptions: LambdaRunnerOptions = { ...options.handlers, replay: options.replay ?? options.handlers?.replay };
    const key = JSON.stringify(handlerOptions, (k, v: unknown) => (k === 'lambdaClient' ? undefined : v));
    let same = this.invokers.get(key);
    if (!same) this.invokers.set(key, (same = { byClient: new WeakMap() }));
    const client = handlerOptions.lambdaClient;
    let invoke = client ? same.byClient.get(client) : same.noClient;
    if (!invoke) {
      invoke = createLambdaInvoker(this.stateMachine.functions, handlerOptions);
      if (client) same.byClient.set(client, invoke);
      else same.noClient = invoke;
    }
    return invoke;
  }

  /** Refuses mocks of states that do not exist or are not Task states: such a mock would never answer. */
  private checkMocks(options: LocalRunOptions): void {
    const states = statesOf(this.stateMachine.definition);
    const check = (name: string, source: string) => {
      const state = states.get(name);
      const tasks = [...states].filter(([, s]) => s.Type === 'Task').map(([n]) => n);
      if (!state)
        throw new SetupError(
          `${source} names the state '${name}', which state machine ${this.stateMachine.constructPath ?? this.name} does not have; its Task states: ${tasks.join(', ') || '(none)'}`,
        );
      if (state.Type !== 'Task')
        throw new SetupError(
          `${source} names the state '${name}', a ${state.Type} state: only Task states can be mocked; Task states: ${tasks.join(', ') || '(none)'}`,
        );
    };
    for (const name of Object.keys(options.mocks ?? {})) check(name, 'A mock');
    if (options.mockFile && options.testCase) {
      const tc = options.mockFile.StateMachines[this.name]?.TestCases[options.testCase];
      for (const name of Object.keys(tc ?? {})) check(name, `Test case '${options.testCase}' of the mock file`);
    }
  }

  /** The states a run answers with mocks (they need no local service). */
  private mockedStates(options: LocalRunOptions): Set<string> {
    const names = new Set(Object.keys(options.mocks ?? {}));
    const tc = options.mockFile && options.testCase ? options.mockFile.StateMachines[this.stateMachine.name]?.TestCases[options.testCase] : undefined;
    for (const state of Object.keys(tc ?? {})) names.add(state);
    return names;
  }

  /**
   * Starts an execution and returns its handle (for callbacks and stop). Throws a SetupError,
   * before anything runs, for a mock of no Task state, or when a Task calls a service that cannot
   * run locally and is not mocked.
   */
  start(input?: Input, options: LocalRunOptions = {}): Execution {
    this.checkMocks(options);
    return this.startIn((input ?? {}) as Json, options, {
      outbox: options.outbox ?? new Outbox(),
      random: new SeededRandom(options.seed === undefined ? undefined : options.seed + 0x5eed),
      waiting: new Map(),
    });
  }

  private startIn(input: Json, options: LocalRunOptions, session: Session): Execution {
    const sm = this.stateMachine;
    const mocked = this.mockedStates(options);
    const problems = checkServiceTasks(sm.definition, {
      mocked: (name) => mocked.has(name),
      tasksHook: options.tasks !== undefined,
      dynamodb: options.dynamodb !== undefined,
    });
    if (problems.length > 0) throw new SetupError(`${sm.constructPath ?? sm.name} cannot run locally:\n- ${problems.join('\n- ')}`);
    const mock = createTaskMock({ states: options.mocks, file: options.mockFile, stateMachine: sm.name, testCase: options.testCase });
    const env = LOCAL_ENV;
    // One clock for the run and its child executions (states:startExecution).
    const clock = options.clock ?? new VirtualClock();
    const ctx: IntegrationContext = {
      region: options.region ?? env.region,
      accountId: options.accountId ?? env.account,
      partition: options.partition ?? env.partition,
      random: session.random,
      now: () => clock.now(),
      outbox: session.outbox,
      resources: sm.resources,
      dynamodbEndpoint: options.dynamodb?.endpoint,
      startChild: (machine, childInput, name) => {
        // A child shares the run's clock, handlers, services and outbox; mocks stay with their machine.
        const { mocks: _m, mockFile: _f, testCase: _t, onEvent: _e, name: _n, stateMachineName: _s, ...shared } = options;
        return new LocalWorkflow(machine).startIn(
          childInput,
          { ...shared, clock, name: name ?? session.random.uuid(), seed: options.seed === undefined ? undefined : options.seed + 1 },
          session,
        );
      },
      executionForToken: async (token) => {
        for (let turn = 0; turn < 10 && !session.waiting.has(token); turn++) await new Promise((resolve) => setImmediate(resolve));
        return session.waiting.get(token);
      },
    };
    const execution: Execution = startExecution(sm.machine, input, {
      stateMachineName: sm.name,
      ...options,
      clock,
      type: sm.type,
      lambdaInvoker: this.invoker(options),
      tasks: serviceTaskHandler(ctx, options.tasks),
      mock,
      onTaskToken: (token, stateName) => {
        session.waiting.set(token, execution);
        options.onTaskToken?.(token, stateName);
      },
    });
    watchExecution(sm, execution.result);
    return execution;
  }

  /**
   * Runs an execution to the end; the result lists what it sent (see LocalExecutionResult). The
   * promise rejects (with a `SetupError`) for a setup problem, such as a mock of no Task state or a
   * function with no code to run; the execution's own failures resolve with status FAILED.
   */
  async run<I = Input, O = Output>(input?: I, options: LocalRunOptions = {}): Promise<LocalRunResult<O>> {
    const outbox = options.outbox ?? new Outbox();
    const result = await this.start(input as Input | undefined, { ...options, outbox }).result;
    // The result is frozen: the local one is a copy with the outbox added, known to the viewer too.
    const local: LocalExecutionResult = Object.freeze({ ...result, sent: outbox.sent });
    rememberDefinition(local, this.stateMachine.definition);
    return local as LocalRunResult<O>;
  }
}
