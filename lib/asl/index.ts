// Public surface of the interpreter (re-exported by lib/index.ts).
export { compile, validate, DefinitionError } from './compile';
export type { CompileOptions, CompiledStateMachine, DefinitionProblem } from './compile';
export { execute, startExecution, LIMITS } from './execution';
export type { ExecuteOptions, Execution, ExecutionResult, LiveEvent } from './execution';
export { VirtualClock, RealClock, SeededRandom } from './clock';
export type { Clock } from './clock';
export { StatesError, StatesErrors, SetupError } from './errors';
export type { HistoryEvent, RawDetails } from './history';
export type { LambdaInvoker, MockOutcome, TaskHandler, TaskMock, TaskRequest } from './runtime';
export type { Json, JsonObject, MachineDefinition, StateDefinition, StateType, ExecutionStatus, WorkflowType } from './types';
