// Public API of Stepwise: the deployable constructs and the local ASL interpreter.
export { OrderWorkflow, ApprovalMode } from './constructs/order-workflow';
export type { OrderWorkflowProps } from './constructs/order-workflow';
export type { OrderWorkflowAlarmsProps } from './constructs/order-workflow';
export { OrderStack } from './constructs/order-stack';
export type { OrderStackProps } from './constructs/order-stack';
export { ORDER_STEPS, ENTRY_METADATA } from './constructs/order-functions';
export type { OrderFunctions, OrderStep } from './constructs/order-functions';
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
} from './asl';
export type {
  CompileOptions,
  CompiledStateMachine,
  DefinitionProblem,
  ExecuteOptions,
  Execution,
  ExecutionResult,
  Clock,
  HistoryEvent,
  LambdaInvoker,
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
export {
  loadStateMachines,
  loadStateMachine,
  fromCloudAssembly,
  stepwiseMatchers,
  historySerializer,
  normalizeHistory,
  LocalWorkflow,
  startLocalDynamoDb,
  parseMockConfig,
  readMockConfig,
  createTaskMock,
  MockConfigError,
  testApp,
} from './testing';
export type { LocalRunOptions, LocalDynamoDb, MockConfigFile, MockResponse, StateMock, TestAppProps } from './testing';
export { writeExecutionHtml, estimateCost, formatCostEstimate, measureTaskTimes, toMermaid, recordExecution } from './testing';
export type { ExecutionHtmlOptions, CostEstimate, CostOptions, CoverageReporterOptions, CoverageThreshold } from './testing';
export { readCloudAssembly, readStack, AssemblyError } from './local/assembly';
export { stateMachinesOf, findStateMachine } from './local/state-machines';
export type { LocalStateMachine, LocalFunction } from './local/state-machines';
export type { LambdaRunnerOptions, HandlerMode } from './local/lambda-runner';
export { Outbox } from './local/integrations';
export type { SentMessage } from './local/integrations';
export type { LocalExecutionResult } from './local/workflow';
export type { SentExpectation } from './testing/matchers';
export { LambdaServiceError, nodeRuntimeInvoker } from './asl';
export type { LambdaHandler, LambdaInvocation, LambdaResponse } from './asl';
