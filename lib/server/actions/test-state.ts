// TestState: runs one state (alone, or by `stateName` inside a full definition) once, with an
// optional mocked result or error and initial variables, and reports SUCCEEDED, FAILED, RETRIABLE
// or CAUGHT_ERROR with the data after each processing step (inspectionLevel DEBUG/TRACE).
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html
//
// The state runs in a small machine built around it: its Next, Choice and Catch targets become
// Succeed placeholders (the one entered names `nextState`), and a Pass before it assigns the given
// variables. Its Retry and Catch are taken out for that run: TestState reports a matching retrier
// as RETRIABLE instead of retrying, and a caught error is replayed as a mocked error against the
// original Catch, so the catcher's ResultPath/Output/Assign are the interpreter's own.
import type { ExecutionResult, HistoryEvent, Json, JsonObject, MachineDefinition, MockOutcome, StateDefinition, TaskMock } from '../../asl';
import type { QueryLanguage } from '../../asl/types';
import { apiMessages } from '../../asl/causes';
import { errorMatches } from '../../asl/errors';
import { ApiError, invalid } from '../errors';
import { optionalBool, optionalEnum, optionalInt, optionalObject, optionalString, parseJson, requiredString, type Input } from '../input';
import type { Action, ServerContext } from './context';
import { compileOrRefuse } from './state-machines';

const LEVELS = ['INFO', 'DEBUG', 'TRACE'] as const;
const SETUP = 'StepwiseTestStateVariables';
const MOCKED_TASK = 'arn:aws:states:::lambda:invoke';
const LAMBDA_RESULT_FIELDS: Record<string, (v: Json) => boolean> = {
  StatusCode: (v) => typeof v === 'number' && Number.isInteger(v),
  ExecutedVersion: (v) => typeof v === 'string',
  FunctionError: (v) => typeof v === 'string',
  LogResult: (v) => typeof v === 'string',
  Payload: () => true,
  SdkHttpMetadata: (v) => typeof v === 'object',
  SdkResponseMetadata: (v) => typeof v === 'object',
};

type Status = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

/** A state, the machine language around it, and its name. */
interface Subject {
  readonly name: string;
  readonly def: StateDefinition;
  readonly language: QueryLanguage;
}

function readSubject(text: string, stateName: string | undefined): Subject {
  let def: unknown;
  try {
    def = JSON.parse(text);
  } catch (e) {
    throw new ApiError(
      'InvalidDefinition',
      apiMessages.invalidDefinition([{ message: `The definition is not valid JSON: ${(e as Error).message}`, pointer: '/' }]),
    );
  }
  if (typeof def !== 'object' || def === null || Array.isArray(def))
    throw new ApiError(
      'InvalidDefinition',
      apiMessages.invalidDefinition([{ message: 'The definition must be a JSON object (a state, or a state machine with stateName)', pointer: '/' }]),
    );
  if ('States' in def) {
    // A full definition: validated whole, then the named state is tested.
    compileOrRefuse(text, 'STANDARD');
    const machine = def as MachineDefinition;
    const name = stateName ?? machine.StartAt;
    const state = Object.hasOwn(machine.States, name) ? machine.States[name] : undefined;
    if (!state)
      throw new ApiError(
        'ValidationException',
        `stateName '${name}' is not a top-level state of the definition; states: ${Object.keys(machine.States).join(', ')}`,
      );
    return { name, def: state, language: state.QueryLanguage ?? machine.QueryLanguage ?? 'JSONPath' };
  }
  if (stateName !== undefined)
    throw new ApiError(
      'ValidationException',
      'stateName selects a state of a full state machine definition (with StartAt and States); this definition is a single state',
    );
  const state = def as StateDefinition;
  return { name: 'TestState', def: state, language: state.QueryLanguage ?? 'JSONPath' };
}

/** Checks a mocked result against what the resource returns, as fieldValidationMode asks. */
function checkMockResult(subject: Subject, result: Json, mode: 'STRICT' | 'PRESENT' | 'NONE'): void {
  if (mode === 'NONE' || subject.def.Type !== 'Task') return;
  const resource = subject.def.Resource ?? '';
  if (/^arn:[\w-]+:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource) || /:lambda:[\w-]+:\d{12}:function:/.test(resource)) {
    if (/:function:/.test(resource)) return; // A bare function ARN returns the function's own payload: any JSON.
    if (typeof result !== 'object' || result === null || Array.isArray(result))
      throw invalid('mock.result', result, 'The Lambda Invoke result must be an object ({ StatusCode, Payload, ... })');
    for (const [k, v] of Object.entries(result)) {
      const check = LAMBDA_RESULT_FIELDS[k];
      if (!check)
        throw invalid(
          'mock.result',
          k,
          `'${k}' is not a field of the Lambda Invoke result (fields: ${Object.keys(LAMBDA_RESULT_FIELDS).join(', ')}); set mock.fieldValidationMode to NONE to skip this check`,
        );
      if (!check(v)) throw invalid(`mock.result.${k}`, v, `does not match the Lambda Invoke result's type for ${k}`);
    }
    return;
  }
  throw new ApiError(
    'ValidationException',
    `mock.fieldValidationMode ${mode} checks the result against the API model of '${resource}', which is not available locally (only Lambda Invoke is); set mock.fieldValidationMode to NONE`,
  );
}

function readMock(subject: Subject, m: Input | undefined): MockOutcome | undefined {
  const type = subject.def.Type;
  const resource = subject.def.Resource ?? '';
  const needsMock = type === 'Map' || type === 'Parallel' || /:activity:/.test(resource) || /\.(sync(:2)?|waitForTaskToken)$/.test(resource);
  if (!m) {
    if (needsMock)
      throw new ApiError(
        'ValidationException',
        `TestState runs a ${type === 'Task' ? `Task on '${resource}'` : `${type} state`} only with a mock: pass mock.result or mock.errorOutput`,
      );
    return undefined;
  }
  if (type !== 'Task' && type !== 'Map' && type !== 'Parallel')
    throw new ApiError('ValidationException', `mock applies to Task, Map and Parallel states; '${subject.name}' is a ${type} state`);
  const resultText = optionalString(m, 'result', 262144);
  const errorOutput = optionalObject(m, 'errorOutput');
  const mode = optionalEnum(m, 'fieldValidationMode', ['STRICT', 'PRESENT', 'NONE'] as const) ?? 'STRICT';
  if ((resultText === undefined) === (errorOutput === undefined)) throw new ApiError('ValidationException', 'mock needs exactly one of result and errorOutput');
  let outcome: MockOutcome;
  if (resultText !== undefined) {
    const result = parseJson(resultText, 'mock.result', 'ValidationException');
    checkMockResult(subject, result, mode);
    outcome = { output: result };
  } else {
    const eo = errorOutput as Input;
    outcome = { error: requiredString(eo, 'error', 256), cause: optionalString(eo, 'cause', 32768) };
  }
  return outcome;
}

/**
 * The machine the state runs in. Targets keep their names (that is what `nextState` reports),
 * except one naming the state itself or the setup state, which gets an alias mapped back.
 */
function harness(
  subject: Subject,
  state: StateDefinition,
  variables: JsonObject | undefined,
): { definition: MachineDefinition; original: Map<string, string> } {
  const states: Record<string, StateDefinition> = {};
  const original = new Map<string, string>();
  const target = (name: string): string => {
    let alias = name;
    if (name === subject.name || name === SETUP) alias = `${name}-StepwiseNext`;
    original.set(alias, name);
    states[alias] = { Type: 'Succeed' };
    return alias;
  };
  const s: StateDefinition = { ...state };
  if (typeof s.Next === 'string') s.Next = target(s.Next);
  if (typeof s.Default === 'string') s.Default = target(s.Default);
  if (Array.isArray(s.Choices)) s.Choices = s.Choices.map((c) => (typeof c.Next === 'string' ? { ...c, Next: target(c.Next) } : c));
  if (Array.isArray(s.Catch)) s.Catch = s.Catch.map((c) => ({ ...c, Next: target(c.Next) }));
  states[subject.name] = s;
  let startAt = subject.name;
  if (variables && Object.keys(variables).length > 0) {
    states[SETUP] = { Type: 'Pass', Assign: variables, Next: subject.name };
    startAt = SETUP;
  }
  return { definition: { QueryLanguage: subject.language, StartAt: startAt, States: states }, original };
}

/** The state with Retry and Catch taken out; a mocked Map or Parallel becomes a Task answering with the mock. */
function stateForRun(subject: Subject, mocked: boolean): StateDefinition {
  const { Retry: _r, Catch: _c, ...rest } = subject.def;
  if (mocked && (rest.Type === 'Map' || rest.Type === 'Parallel')) {
    const keep: StateDefinition = { Type: 'Task', Resource: MOCKED_TASK };
    for (const k of ['Comment', 'QueryLanguage', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Output', 'Assign', 'Next', 'End'] as const) {
      if (rest[k] !== undefined) (keep as unknown as Record<string, unknown>)[k] = rest[k];
    }
    if (subject.language === 'JSONata') keep.Arguments = { FunctionName: 'mocked' };
    else keep.Parameters = { FunctionName: 'mocked' };
    return keep;
  }
  return rest;
}

async function run(ctx: ServerContext, definition: MachineDefinition, input: Json, mock: TaskMock | undefined): Promise<ExecutionResult> {
  const machine = compileOrRefuse(JSON.stringify(definition), 'STANDARD');
  try {
    return await ctx.engine.testRun(machine, input, mock, { name: 'TestState', roleArn: `arn:aws:iam::${ctx.accountId}:role/StepwiseTestState` });
  } catch (e) {
    throw new ApiError('ValidationException', `The state could not be run: ${(e as Error).message}`);
  }
}

/** Runs a Pass with the given fields on `input` (JSONPath): the data after one processing step. */
async function step(ctx: ServerContext, fields: Partial<StateDefinition>, input: Json): Promise<Json | undefined> {
  const r = await run(ctx, { StartAt: 'Step', States: { Step: { Type: 'Pass', ...fields, End: true } } }, input, undefined);
  return r.status === 'SUCCEEDED' ? r.output : undefined;
}

function details(e: HistoryEvent): Record<string, unknown> {
  for (const [k, v] of Object.entries(e)) if (k.endsWith('EventDetails')) return v as Record<string, unknown>;
  return {};
}

/** What the state did in a run: its output and next state when it exited, and its Task's events. */
function readRun(r: ExecutionResult, name: string, original: Map<string, string>) {
  const events = r.history;
  const exited = events.findIndex((e) => e.type.endsWith('StateExited') && details(e).name === name);
  const next = exited < 0 ? undefined : events.slice(exited + 1).find((e) => e.type.endsWith('StateEntered'));
  const nextName = next ? (details(next).name as string) : undefined;
  const scheduled = events.find((e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled');
  const succeeded = events.find((e) => e.type === 'TaskSucceeded' || e.type === 'LambdaFunctionSucceeded');
  const sd = scheduled ? details(scheduled) : undefined;
  const exitEvent = exited < 0 ? undefined : events[exited];
  const exitDetails = exitEvent ? details(exitEvent) : undefined;
  return {
    exited: exited >= 0,
    output: exitDetails ? (JSON.parse(exitDetails.output as string) as Json) : undefined,
    assigned: exitDetails?.assignedVariables as Record<string, string> | undefined,
    nextState: nextName === undefined ? undefined : (original.get(nextName) ?? nextName),
    arguments: sd ? (JSON.parse((sd.parameters ?? sd.input) as string) as Json) : undefined,
    result: succeeded ? (JSON.parse(details(succeeded).output as string) as Json) : undefined,
  };
}

export const testStateActions: Record<string, Action> = {
  async TestState(ctx, input) {
    const text = requiredString(input, 'definition', 1024 * 1024);
    optionalString(input, 'roleArn', 256);
    const inputText = optionalString(input, 'input', 256 * 1024) ?? '{}';
    const value = parseJson(inputText, 'input', 'InvalidExecutionInput');
    const level = optionalEnum(input, 'inspectionLevel', LEVELS) ?? 'INFO';
    // revealSecrets concerns HTTP Task requests, which are not run locally: nothing to reveal.
    optionalBool(input, 'revealSecrets');
    const variablesText = optionalString(input, 'variables', 256 * 1024);
    const variables = variablesText === undefined ? undefined : parseJson(variablesText, 'variables', 'ValidationException');
    if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables)))
      throw invalid('variables', variablesText, 'Member must be a JSON object mapping variable names to values');
    if (input.context !== undefined)
      throw new ApiError('ValidationException', 'context (a custom $$ context object) is not supported locally; leave it out to use the generated context');
    const config = optionalObject(input, 'stateConfiguration') ?? {};
    for (const k of Object.keys(config))
      if (k !== 'retrierRetryCount') throw new ApiError('ValidationException', `stateConfiguration.${k} is not supported locally (only retrierRetryCount is)`);
    const retryCount = optionalInt(config, 'retrierRetryCount', 0, 2147483647) ?? 0;
    const subject = readSubject(text, optionalString(input, 'stateName', 80));
    const mocked = readMock(subject, optionalObject(input, 'mock'));
    const mock: TaskMock | undefined = mocked && (() => mocked);
    const mockedResult = mocked && 'output' in mocked ? mocked.output : undefined;

    // Run 1: the state without Retry and Catch.
    const first = harness(subject, stateForRun(subject, mock !== undefined), variables as JsonObject | undefined);
    const r1 = await run(ctx, first.definition, value, mock);
    let seen = readRun(r1, subject.name, first.original);
    let status: Status;
    let error: string | undefined;
    let cause: string | undefined;
    const errorDetails: Record<string, number> = {};
    if (seen.exited) status = 'SUCCEEDED';
    else {
      error = r1.error;
      cause = r1.cause;
      status = 'FAILED';
      const retriers = subject.def.Retry ?? [];
      const ri = subject.def.Type === 'Fail' ? -1 : retriers.findIndex((r) => errorMatches(r.ErrorEquals, error));
      const retrier = retriers[ri];
      const catchers = subject.def.Catch ?? [];
      const ci = catchers.findIndex((c) => errorMatches(c.ErrorEquals, error));
      if (retrier && retryCount < (retrier.MaxAttempts ?? 3)) {
        // The un-jittered back-off: with JitterStrategy FULL, AWS waits a random part of it.
        const delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** retryCount;
        status = 'RETRIABLE';
        errorDetails.retryIndex = ri;
        errorDetails.retryBackoffIntervalSeconds = Math.min(delay, retrier.MaxDelaySeconds ?? Infinity);
      } else if (ci >= 0 && subject.def.Type !== 'Fail') {
        // Run 2: the error replayed as a mock against the original Catch.
        const replay: StateDefinition = { Type: 'Task', Resource: MOCKED_TASK, Catch: subject.def.Catch, End: true };
        if (subject.def.QueryLanguage) replay.QueryLanguage = subject.def.QueryLanguage;
        if (subject.language === 'JSONata') replay.Arguments = { FunctionName: 'mocked' };
        else replay.Parameters = { FunctionName: 'mocked' };
        const second = harness(subject, replay, variables as JsonObject | undefined);
        const r2 = await run(ctx, second.definition, value, () => ({ error: error as string, cause }));
        seen = { ...readRun(r2, subject.name, second.original), arguments: seen.arguments, result: undefined };
        status = 'CAUGHT_ERROR';
        errorDetails.catchIndex = ci;
      }
    }
    const out: Record<string, unknown> = { status };
    if (status === 'SUCCEEDED' || status === 'CAUGHT_ERROR') {
      out.output = JSON.stringify(seen.output ?? null);
      if (seen.nextState !== undefined) out.nextState = seen.nextState;
    }
    if (error !== undefined) out.error = error;
    if (cause !== undefined) out.cause = cause;
    if (level === 'INFO') return out;

    const data: Record<string, unknown> = { input: inputText };
    const vars: Record<string, Json> = { ...((variables as JsonObject | undefined) ?? {}) };
    for (const [k, v] of Object.entries(seen.assigned ?? {})) vars[k] = JSON.parse(v) as Json;
    data.variables = JSON.stringify(vars);
    if (Object.keys(errorDetails).length > 0) data.errorDetails = errorDetails;
    const d = subject.def;
    const isTask = d.Type === 'Task';
    if (subject.language === 'JSONata') {
      if (isTask && seen.arguments !== undefined) data.afterArguments = JSON.stringify(seen.arguments);
      const result = mockedResult !== undefined && status === 'SUCCEEDED' ? mockedResult : seen.result;
      if (result !== undefined) data.result = JSON.stringify(result);
      out.inspectionData = data;
      return out;
    }
    const afterInputPath = d.InputPath === undefined ? value : await step(ctx, { InputPath: d.InputPath }, value);
    if (afterInputPath !== undefined) data.afterInputPath = JSON.stringify(afterInputPath);
    let afterParameters: Json | undefined;
    if (isTask) afterParameters = seen.arguments;
    else if (d.Type === 'Pass')
      afterParameters = d.Parameters === undefined ? afterInputPath : await step(ctx, { InputPath: d.InputPath, Parameters: d.Parameters }, value);
    if (afterParameters !== undefined) data.afterParameters = JSON.stringify(afterParameters);
    let result: Json | undefined;
    if (status === 'SUCCEEDED') {
      if (mockedResult !== undefined) result = mockedResult;
      else if (isTask) result = seen.result;
      else if (d.Type === 'Pass') result = d.Result !== undefined ? d.Result : afterParameters;
    }
    if (result !== undefined) {
      data.result = JSON.stringify(result);
      const afterResultSelector = d.ResultSelector === undefined ? result : await step(ctx, { Parameters: d.ResultSelector }, result);
      if (afterResultSelector !== undefined) {
        data.afterResultSelector = JSON.stringify(afterResultSelector);
        const afterResultPath = await step(ctx, { Result: afterResultSelector, ResultPath: d.ResultPath }, value);
        if (afterResultPath !== undefined) data.afterResultPath = JSON.stringify(afterResultPath);
      }
    }
    out.inspectionData = data;
    return out;
  },
};
