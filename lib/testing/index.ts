// Stepwise's Jest tools: load a stack's state machines, run them, assert, snapshot.
export { loadStateMachines, loadStateMachine, fromCloudAssembly } from './load';
export { testApp } from './app';
export type { TestAppProps } from './app';
export { stepwiseMatchers } from './matchers';
export { historySerializer, normalizeHistory, normalizeText } from './serializer';
export { LocalWorkflow } from '../local/workflow';
export type { LocalRunOptions } from '../local/workflow';
export { startLocalDynamoDb } from '../local/dynamodb';
export type { LocalDynamoDb } from '../local/dynamodb';
export { parseMockConfig, readMockConfig, createTaskMock, MockConfigError } from '../local/mocks';
export type { MockConfigFile, MockResponse, StateMock } from '../local/mocks';
// What a run tells people (lib/insight): the execution viewer, cost estimates, coverage.
export { writeExecutionHtml, renderExecutionHtml } from '../insight/viewer';
export type { ExecutionHtmlOptions } from '../insight/viewer';
export { estimateCost, formatCostEstimate, measureTaskTimes, PRICING, QUOTAS } from '../insight/cost';
export type { CostEstimate, CostOptions, ExecutionCost } from '../insight/cost';
export { toMermaid } from '../insight/mermaid';
export { recordExecution } from './coverage-recorder';
export type { CoverageReporterOptions } from './coverage-reporter';
export type { CoverageThreshold } from '../insight/coverage';
export type { LocalExecutionResult } from '../local/workflow';
export type { SentExpectation } from './matchers';
export { Outbox } from '../local/integrations';
export type { SentMessage } from '../local/integrations';
