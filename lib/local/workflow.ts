// Runs a state machine of a synthesized CDK app locally: the interpreter plus the stack's own
// handlers, mocks and Express semantics.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { SetupError, startExecution, type Execution, type ExecuteOptions, type ExecutionResult, type Json, type MachineDefinition, type StateDefinition } from '../asl';
import { createLambdaInvoker, type LambdaRunnerOptions } from './lambda-runner';
import { createTaskMock, type MockConfigFile, type StateMock } from './mocks';
import type { LocalStateMachine } from './state-machines';

/** Options for one local run. */
export interface LocalRunOptions extends Omit<ExecuteOptions, 'lambda' | 'mock' | 'type'> {
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
}

/** An execution's result, with the output typed as the workflow's (`run<Input, Output>()`). */
export type LocalRunResult<Output = Json> = Omit<ExecutionResult, 'output'> & {
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
      if (!state) throw new SetupError(`${source} names the state '${name}', which state machine ${this.stateMachine.constructPath ?? this.name} does not have; its Task states: ${tasks.join(', ') || '(none)'}`);
      if (state.Type !== 'Task') throw new SetupError(`${source} names the state '${name}', a ${state.Type} state: only Task states can be mocked; Task states: ${tasks.join(', ') || '(none)'}`);
    };
    for (const name of Object.keys(options.mocks ?? {})) check(name, 'A mock');
    if (options.mockFile && options.testCase) {
      const tc = options.mockFile.StateMachines[this.name]?.TestCases[options.testCase];
      for (const name of Object.keys(tc ?? {})) check(name, `Test case '${options.testCase}' of the mock file`);
    }
  }

  /** Starts an execution and returns its handle (for callbacks and stop). Throws `SetupError` for a mock of no Task state. */
  start(input?: Input, options: LocalRunOptions = {}): Execution {
    const sm = this.stateMachine;
    this.checkMocks(options);
    const mock = createTaskMock({ states: options.mocks, file: options.mockFile, stateMachine: sm.name, testCase: options.testCase });
    return startExecution(sm.machine, (input ?? {}) as Json, {
      stateMachineName: sm.name,
      ...options,
      type: sm.type,
      lambda: this.invoker(options),
      mock,
    });
  }

  /**
   * Runs an execution to the end. The promise rejects (with a `SetupError`) for a setup problem,
   * such as a mock of no Task state or a function with no code to run; the execution's own
   * failures resolve with status FAILED.
   */
  async run<I = Input, O = Output>(input?: I, options: LocalRunOptions = {}): Promise<LocalRunResult<O>> {
    return (await this.start(input as Input | undefined, options).result) as LocalRunResult<O>;
  }
}
