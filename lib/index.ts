// Public API of Stepwise (package `stepwise-cdk`). The interpreter loads with the package; the
// constructs (aws-cdk-lib) and the testing tools (aws-cdk-lib, the AWS SDK for local DynamoDB and
// deployed functions) load on the first use of one of their names, so `import { compile } from
// 'stepwise-cdk'` loads neither. Each group is also an entry point of its own:
// `stepwise-cdk/asl`, `stepwise-cdk/constructs`, `stepwise-cdk/testing`.
import type * as Constructs from './constructs';
import type * as Testing from './testing';

export {
  compile,
  validate,
  DefinitionError,
  execute,
  startExecution,
  LIMITS,
  VirtualClock,
  RealClock,
  SeededRandom,
  StatesError,
  StatesErrors,
  SetupError,
  LambdaServiceError,
  nodeRuntimeInvoker,
  problemCode,
} from './asl';
export type {
  CompileOptions,
  CompiledStateMachine,
  DefinitionProblem,
  ExecuteOptions,
  Execution,
  ExecutionResult,
  LiveEvent,
  ProblemCode,
  Clock,
  HistoryEvent,
  LambdaInvoker,
  LambdaHandler,
  LambdaInvocation,
  LambdaResponse,
  TaskHandler,
  TaskRequest,
  Json,
  JsonObject,
  MachineDefinition,
  StateDefinition,
  StateType,
  ExecutionStatus,
  WorkflowType,
} from './asl';

// The constructs (stepwise-cdk/constructs).
export declare const OrderWorkflow: typeof Constructs.OrderWorkflow;
export type OrderWorkflow = Constructs.OrderWorkflow;
export declare const ApprovalMode: typeof Constructs.ApprovalMode;
export type ApprovalMode = Constructs.ApprovalMode;
export declare const OrderStack: typeof Constructs.OrderStack;
export type OrderStack = Constructs.OrderStack;
export declare const ORDER_STEPS: typeof Constructs.ORDER_STEPS;
export declare const ENTRY_METADATA: typeof Constructs.ENTRY_METADATA;
export type { OrderWorkflowProps, OrderWorkflowAlarmsProps, OrderStackProps, OrderFunctions, OrderStep } from './constructs';
lazyExports(() => require('./constructs') as typeof Constructs, ['OrderWorkflow', 'ApprovalMode', 'OrderStack', 'ORDER_STEPS', 'ENTRY_METADATA']);

// The testing tools (stepwise-cdk/testing).
export declare const loadStateMachines: typeof Testing.loadStateMachines;
export declare const loadStateMachine: typeof Testing.loadStateMachine;
export declare const fromCloudAssembly: typeof Testing.fromCloudAssembly;
export declare const stepwiseMatchers: typeof Testing.stepwiseMatchers;
export declare const historySerializer: typeof Testing.historySerializer;
export declare const normalizeHistory: typeof Testing.normalizeHistory;
export declare const LocalWorkflow: typeof Testing.LocalWorkflow;
export type LocalWorkflow<Input = Testing.Json, Output = Testing.Json> = Testing.LocalWorkflow<Input, Output>;
export declare const startLocalDynamoDb: typeof Testing.startLocalDynamoDb;
export declare const parseMockConfig: typeof Testing.parseMockConfig;
export declare const readMockConfig: typeof Testing.readMockConfig;
export declare const createTaskMock: typeof Testing.createTaskMock;
export declare const MockConfigError: typeof Testing.MockConfigError;
export type MockConfigError = Testing.MockConfigError;
export declare const testApp: typeof Testing.testApp;
export declare const readCloudAssembly: typeof Testing.readCloudAssembly;
export declare const readStack: typeof Testing.readStack;
export declare const AssemblyError: typeof Testing.AssemblyError;
export type AssemblyError = Testing.AssemblyError;
export declare const stateMachinesOf: typeof Testing.stateMachinesOf;
export declare const findStateMachine: typeof Testing.findStateMachine;
export declare const Outbox: typeof Testing.Outbox;
export type Outbox = Testing.Outbox;
export declare const writeExecutionHtml: typeof Testing.writeExecutionHtml;
export declare const renderExecutionHtml: typeof Testing.renderExecutionHtml;
export declare const estimateCost: typeof Testing.estimateCost;
export declare const formatCostEstimate: typeof Testing.formatCostEstimate;
export declare const measureTaskTimes: typeof Testing.measureTaskTimes;
export declare const toMermaid: typeof Testing.toMermaid;
export declare const recordExecution: typeof Testing.recordExecution;
export type {
  LocalRunOptions,
  LocalRunResult,
  LocalDynamoDb,
  MockConfigFile,
  MockResponse,
  StateMock,
  TestAppProps,
  LocalStateMachine,
  LocalFunction,
  LambdaRunnerOptions,
  HandlerMode,
  SentMessage,
  SentExpectation,
  LocalExecutionResult,
  ExecutionHtmlOptions,
  CostEstimate,
  CostOptions,
  CoverageReporterOptions,
  CoverageThreshold,
} from './testing';
lazyExports(
  () => require('./testing') as typeof Testing,
  [
    'loadStateMachines',
    'loadStateMachine',
    'fromCloudAssembly',
    'stepwiseMatchers',
    'historySerializer',
    'normalizeHistory',
    'LocalWorkflow',
    'startLocalDynamoDb',
    'parseMockConfig',
    'readMockConfig',
    'createTaskMock',
    'MockConfigError',
    'testApp',
    'readCloudAssembly',
    'readStack',
    'AssemblyError',
    'stateMachinesOf',
    'findStateMachine',
    'Outbox',
    'writeExecutionHtml',
    'renderExecutionHtml',
    'estimateCost',
    'formatCostEstimate',
    'measureTaskTimes',
    'toMermaid',
    'recordExecution',
  ],
);

/** Defines each name as a getter that loads its module on first use (as TypeScript's own re-exports do, minus the eager require). */
function lazyExports<M extends object>(load: () => M, names: readonly (keyof M & string)[]): void {
  for (const name of names) {
    Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
  }
}
