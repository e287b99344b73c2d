// Stepwise's Jest tools (entry point `stepwise-cdk/testing`): load a stack's state machines, run them, assert, snapshot.
export { loadStateMachines, loadStateMachine, fromCloudAssembly } from './load';
export { testApp } from './app';
export type { TestAppProps } from './app';
export { stepwiseMatchers } from './matchers';
export { historySerializer, normalizeHistory, normalizeText } from './serializer';
export { LocalWorkflow } from '../local/workflow';
export type { LocalRunOptions, LocalRunResult } from '../local/workflow';
export { startLocalDynamoDb } from '../local/dynamodb';
export type { LocalDynamoDb } from '../local/dynamodb';
export { parseMockConfig, readMockConfig, createTaskMock, lambdaReturns, MockConfigError } from '../local/mocks';
export type { MockConfigFile, MockResponse, StateMock } from '../local/mocks';
export { readCloudAssembly, readStack, AssemblyError } from '../local/assembly';
export { stateMachinesOf, findStateMachine } from '../local/state-machines';
export type { LocalStateMachine, LocalFunction } from '../local/state-machines';
export type { LambdaRunnerOptions, HandlerMode } from '../local/lambda-runner';
export { SetupError } from '../asl';
export type { Json, JsonObject, ExecutionResult, TaskRequest } from '../asl';
