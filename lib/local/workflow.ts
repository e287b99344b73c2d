// Runs a state machine of a synthesized CDK app locally: the interpreter plus the stack's own
// handlers, mocks and Express semantics.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { startExecution, type Execution, type ExecuteOptions, type ExecutionResult, type Json } from '../asl';
import { createLambdaInvoker, type LambdaRunnerOptions } from './lambda-runner';
import { createTaskMock, type MockConfigFile, type StateMock } from './mocks';
import type { LocalStateMachine } from './state-machines';

/** Options for one local run. */
export interface LocalRunOptions extends Omit<ExecuteOptions, 'lambda' | 'lambdaInvoker' | 'mock' | 'type'> {
  /** How handlers run, extra environment, deployed names. */
  readonly handlers?: LambdaRunnerOptions;
  /** Mocks by Task state name. */
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

type Invoker = ReturnType<typeof createLambdaInvoker>;

/** A state machine bound to its stack's handlers; run it as often as you like. */
export class LocalWorkflow {
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

  /** Starts an execution and returns its handle (for callbacks and stop). */
  start(input: Json = {}, options: LocalRunOptions = {}): Execution {
    const sm = this.stateMachine;
    const mock = createTaskMock({ states: options.mocks, file: options.mockFile, stateMachine: sm.name, testCase: options.testCase });
    return startExecution(sm.machine, input, {
      stateMachineName: sm.name,
      ...options,
      type: sm.type,
      lambdaInvoker: this.invoker(options),
      mock,
    });
  }

  /** Runs an execution to the end. */
  run(input: Json = {}, options: LocalRunOptions = {}): Promise<ExecutionResult> {
    return this.start(input, options).result;
  }
}
