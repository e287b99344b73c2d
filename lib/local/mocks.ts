// Task mocks: per-test overrides by state name, and the AWS Step Functions Local mock file
// (`MockConfigFile.json`: StateMachines → TestCases → MockedResponses) so existing files keep working.
import { readFileSync } from 'node:fs';
import { SetupError, type Json, type MockOutcome, type TaskMock, type TaskRequest } from '../asl';

/** One mocked response: a value to return (any JSON value, typed as `R`) or an error to throw. */
export type MockResponse<R = Json> = { Return: R } | { Throw: { Error: string; Cause?: string } };

/** The Step Functions Local mock configuration file. */
export interface MockConfigFile {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockResponse>>;
}

/**
 * A per-test mock of one Task state: a fixed response, a list per invocation, or a function.
 * `R` types what it returns: ordinary interfaces are fine, the value must be JSON.
 */
export type StateMock<R = unknown> = MockResponse<R> | MockResponse<R>[] | ((request: TaskRequest, invocation: number) => MockResponse<R>);

/** Thrown for a malformed mock file; names the entry. */
export class MockConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MockConfigError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkResponse(v: unknown, where: string): MockResponse {
  if (!isRecord(v)) throw new MockConfigError(`${where} must be an object with Return or Throw`);
  const keys = Object.keys(v);
  if (keys.length !== 1 || (keys[0] !== 'Return' && keys[0] !== 'Throw')) {
    throw new MockConfigError(`${where} must have exactly one of Return or Throw, got ${keys.join(', ') || 'nothing'}`);
  }
  if ('Throw' in v) {
    const t = v.Throw;
    if (!isRecord(t) || typeof t.Error !== 'string' || (t.Cause !== undefined && typeof t.Cause !== 'string')) {
      throw new MockConfigError(`${where}.Throw must be { "Error": string, "Cause"?: string }`);
    }
  }
  return v as MockResponse;
}

/** Parses and checks a mock configuration (object or JSON text). */
export function parseMockConfig(input: unknown, source = 'mock configuration'): MockConfigFile {
  let cfg = input;
  if (typeof input === 'string') {
    try {
      cfg = JSON.parse(input);
    } catch (e) {
      throw new MockConfigError(`${source} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (!isRecord(cfg) || !isRecord(cfg.StateMachines) || !isRecord(cfg.MockedResponses)) {
    throw new MockConfigError(`${source} must have StateMachines and MockedResponses objects`);
  }
  for (const [name, responses] of Object.entries(cfg.MockedResponses)) {
    if (!isRecord(responses)) throw new MockConfigError(`MockedResponses.${name} must map invocation keys ("0", "1-2") to responses`);
    for (const [key, r] of Object.entries(responses)) {
      if (!/^\d+(-\d+)?$/.test(key))
        throw new MockConfigError(`MockedResponses.${name}: key "${key}" must be an invocation index like "0" or an inclusive range like "1-2"`);
      checkResponse(r, `MockedResponses.${name}["${key}"]`);
    }
  }
  for (const [sm, def] of Object.entries(cfg.StateMachines)) {
    if (!isRecord(def) || !isRecord(def.TestCases)) throw new MockConfigError(`StateMachines.${sm} must have TestCases`);
    for (const [tc, states] of Object.entries(def.TestCases)) {
      if (!isRecord(states)) throw new MockConfigError(`StateMachines.${sm}.TestCases.${tc} must map state names to mocked response names`);
      for (const [state, response] of Object.entries(states)) {
        if (typeof response !== 'string' || !Object.hasOwn(cfg.MockedResponses, response)) {
          throw new MockConfigError(
            `StateMachines.${sm}.TestCases.${tc}.${state} names the mocked response ${JSON.stringify(response)}, which MockedResponses does not define`,
          );
        }
      }
    }
  }
  return cfg as unknown as MockConfigFile;
}

/** Reads a mock file from disk (the file SFN_MOCK_CONFIG names, for Step Functions Local users). */
export function readMockConfig(file: string): MockConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MockConfigError(`Cannot read the mock file ${file}: ${(e as Error).message}`);
  }
  return parseMockConfig(text, file);
}

function responseFor(responses: Record<string, MockResponse>, invocation: number): MockResponse | undefined {
  for (const [key, r] of Object.entries(responses)) {
    const [from, to] = key.split('-').map(Number) as [number, number | undefined];
    if (invocation >= from && invocation <= (to ?? from)) return r;
  }
  return undefined;
}

/** Whether a mocked value is JSON (a Date, a function, undefined or NaN would reach the workflow as something else). */
function isJson(v: unknown, depth = 0): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (depth > 1000 || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && Object.values(v).every((x) => isJson(x, depth + 1));
}

function outcome(r: MockResponse<unknown>, stateName: string): MockOutcome {
  if (!('Return' in r)) return { error: r.Throw.Error, cause: r.Throw.Cause };
  if (!isJson(r.Return))
    throw new SetupError(
      `The mock of state '${stateName}' returns a value that is not JSON (${Object.prototype.toString.call(r.Return)}): mocks return what a task could return`,
    );
  return { output: r.Return as Json };
}

/**
 * Builds the interpreter's `mock` option from per-state mocks and/or a test case of a mock file.
 * Counters are per state and per execution (create one per run), advancing across retries and
 * Map iterations; a mocked state with no response for an invocation fails that invocation.
 */
export function createTaskMock(options: {
  states?: Record<string, StateMock<unknown>>;
  file?: MockConfigFile;
  stateMachine?: string;
  testCase?: string;
}): TaskMock | undefined {
  const perState: Record<string, StateMock<unknown>> = { ...(options.states ?? {}) };
  if (options.file && options.testCase) {
    const sm = options.stateMachine ?? '';
    const machine = options.file.StateMachines[sm];
    if (!machine) throw new MockConfigError(`The mock file has no state machine '${sm}'; it has: ${Object.keys(options.file.StateMachines).join(', ')}`);
    const tc = machine.TestCases[options.testCase];
    if (!tc) throw new MockConfigError(`State machine '${sm}' has no test case '${options.testCase}'; it has: ${Object.keys(machine.TestCases).join(', ')}`);
    for (const [state, responseName] of Object.entries(tc)) {
      const responses = options.file.MockedResponses[responseName];
      if (responses === undefined) {
        throw new MockConfigError(
          `StateMachines.${sm}.TestCases.${options.testCase}.${state} names the mocked response ${JSON.stringify(responseName)}, which MockedResponses does not define`,
        );
      }
      perState[state] ??= (_req, n) => {
        const r = responseFor(responses, n);
        if (!r)
          return { Throw: { Error: 'States.Runtime', Cause: `The mocked response '${responseName}' has no entry for invocation ${n} of state '${state}'` } };
        return r;
      };
    }
  }
  if (Object.keys(perState).length === 0) return undefined;
  const counters = new Map<string, number>();
  return (request) => {
    // Own entries only: a state named like an Object method (toString) is not mocked.
    const mock = Object.hasOwn(perState, request.stateName) ? perState[request.stateName] : undefined;
    if (mock === undefined) return undefined;
    const n = counters.get(request.stateName) ?? 0;
    counters.set(request.stateName, n + 1);
    if (typeof mock === 'function') return outcome(mock(request, n), request.stateName);
    if (Array.isArray(mock)) {
      const r = mock[n];
      if (!r) return { error: 'States.Runtime', cause: `The mock of state '${request.stateName}' has ${mock.length} responses; invocation ${n} has none` };
      return outcome(r, request.stateName);
    }
    return outcome(mock, request.stateName);
  };
}

/**
 * A mock response for a `lambda:invoke` Task whose function returns `value`: the invoke result
 * as AWS returns it (`Payload` holds the function's return value, so `OutputPath: '$.Payload'` and
 * `payloadResponseOnly: false` work as against AWS).
 */
export function lambdaReturns<T>(value: T): MockResponse<{ ExecutedVersion: string; Payload: T; StatusCode: number }> {
  return { Return: { ExecutedVersion: '$LATEST', Payload: value, StatusCode: 200 } };
}
