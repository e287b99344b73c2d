// Public surface of the interpreter (re-exported by lib/index.ts).
export { compile, validate, DefinitionError } from './compile';
export type { CompileOptions, CompiledStateMachine, DefinitionProblem } from './compile';
export { problemCode } from './validate/rules';
export type { ProblemCode } from './validate/rules';
export { execute, startExecution, LIMITS } from './execution';
export type { ExecuteOptions, Execution, ExecutionResult, LiveEvent } from './execution';
export { VirtualClock, RealClock, SeededRandom } from './clock';
export type { Clock } from './clock';
export { StatesError, StatesErrors, SetupError } from './errors';
export type { HistoryEvent, RawDetails } from './history';
export type { LambdaHandler, LambdaInvocation, LambdaInvoker, LambdaResponse, MockOutcome, TaskHandler, TaskMock, TaskRequest } from './runtime';
export { LambdaServiceError, nodeRuntimeInvoker, nodeRuntimeError, nodeRuntimeResult } from './states/lambda';
export type { Json, JsonObject, MachineDefinition, StateDefinition, StateType, ExecutionStatus, WorkflowType } from './types';
