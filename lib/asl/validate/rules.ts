// Static checks that CreateStateMachine performs (and a few it should): each check reports
// problems with JSON pointers, and all of them run before compilation fails.
import type { DefinitionProblem } from '../compile';
import { isJsonataExpression } from '../data/jsonata';
import { pointerEscape } from '../data/payload-template';
import { classifyResource } from '../states/task';
import { parseTimestamp } from '../states/timestamp';
import type { MachineDefinition, QueryLanguage, StateType, WorkflowType } from '../types';

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const IO = ['InputPath', 'OutputPath'];
const FLOW = ['Next', 'End'];
const ERRORS = ['Retry', 'Catch'];

/** Fields each state type accepts in a JSONPath state machine. */
const ALLOWED: Record<StateType, ReadonlySet<string>> = {
  Pass: new Set([...COMMON, ...IO, ...FLOW, 'Parameters', 'Result', 'ResultPath']),
  Task: new Set([
    ...COMMON,
    ...IO,
    ...FLOW,
    ...ERRORS,
    'Resource',
    'Parameters',
    'ResultSelector',
    'ResultPath',
    'TimeoutSeconds',
    'TimeoutSecondsPath',
    'HeartbeatSeconds',
    'HeartbeatSecondsPath',
    'Credentials',
  ]),
  Choice: new Set([...COMMON, ...IO, 'Choices', 'Default']),
  Wait: new Set([...COMMON, ...IO, ...FLOW, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']),
  Succeed: new Set([...COMMON, ...IO]),
  Fail: new Set([...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([...COMMON, ...IO, ...FLOW, ...ERRORS, 'Branches', 'Parameters', 'ResultSelector', 'ResultPath']),
  Map: new Set([
    ...COMMON,
    ...IO,
    ...FLOW,
    ...ERRORS,
    'ItemProcessor',
    'Iterator',
    'ItemsPath',
    'ItemSelector',
    'Parameters',
    'ResultSelector',
    'ResultPath',
    'MaxConcurrency',
    'MaxConcurrencyPath',
    'ToleratedFailureCount',
    'ToleratedFailureCountPath',
    'ToleratedFailurePercentage',
    'ToleratedFailurePercentagePath',
    'ItemBatcher',
    'ItemReader',
    'ResultWriter',
    'Label',
  ]),
};

/** Fields AWS accepts that Stepwise does not run yet: refused by name rather than ignored. */
const NOT_SUPPORTED: Record<string, string> = {
  ItemReader: 'Map ItemReader (reading items from S3) is not supported locally; pass the items in the state input and use ItemsPath',
  ResultWriter: 'Map ResultWriter (writing results to S3) is not supported locally; remove it to run this machine locally',
  Credentials: 'Task Credentials (cross-account role assumption) is not supported locally',
};

/** Fields each state type accepts in a JSONata state. */
const ALLOWED_JSONATA: Record<StateType, ReadonlySet<string>> = {
  Pass: new Set([...COMMON, ...FLOW, 'Output', 'Assign']),
  Task: new Set([...COMMON, ...FLOW, ...ERRORS, 'Resource', 'Arguments', 'Output', 'Assign', 'TimeoutSeconds', 'HeartbeatSeconds', 'Credentials']),
  Choice: new Set([...COMMON, 'Choices', 'Default', 'Output', 'Assign']),
  Wait: new Set([...COMMON, ...FLOW, 'Seconds', 'Timestamp', 'Output', 'Assign']),
  Succeed: new Set([...COMMON, 'Output']),
  Fail: new Set([...COMMON, 'Error', 'Cause']),
  Parallel: new Set([...COMMON, ...FLOW, ...ERRORS, 'Branches', 'Arguments', 'Output', 'Assign']),
  Map: new Set([
    ...COMMON,
    ...FLOW,
    ...ERRORS,
    'ItemProcessor',
    'Iterator',
    'Items',
    'ItemSelector',
    'MaxConcurrency',
    'ToleratedFailureCount',
    'ToleratedFailurePercentage',
    'ItemBatcher',
    'ItemReader',
    'ResultWriter',
    'Label',
    'Output',
    'Assign',
  ]),
};

/** Fields of a catcher (ResultPath for JSONPath, Output for JSONata: checked separately). */
const CATCHER_FIELDS = new Set(['ErrorEquals', 'Next', 'ResultPath', 'Output', 'Assign', 'Comment']);

/** Fields that exist only in JSONata states. */
const JSONATA_ONLY = new Set(['Arguments', 'Output', 'Items', 'Condition']);

const STATE_TYPES = new Set(Object.keys(ALLOWED));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The error codes ValidateStateMachineDefinition reports
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html);
 * a problem's message starts with its code, as CreateStateMachine's error text does
 * (`SCHEMA_VALIDATION_FAILED: ... at /States/A`).
 */
export type ProblemCode =
  | 'SCHEMA_VALIDATION_FAILED'
  | 'INVALID_JSON_DESCRIPTION'
  | 'INVALID_RESOURCE'
  | 'MISSING_END_STATE'
  | 'DUPLICATE_STATE_NAME'
  | 'INVALID_STATE_NAME'
  | 'MISSING_TRANSITION_TARGET'
  | 'TOO_DEEPLY_NESTED'
  | 'UNREACHABLE_STATE';

const CODED = /^[A-Z][A-Z_]+: /;

/** A message with its AWS error code in front (SCHEMA_VALIDATION_FAILED when it has none yet). */
export function withCode(message: string, code: ProblemCode = 'SCHEMA_VALIDATION_FAILED'): string {
  return CODED.test(message) ? message : `${code}: ${message}`;
}

/** The AWS error code a problem's message starts with. */
export function problemCode(problem: DefinitionProblem): string {
  return /^([A-Z][A-Z_]+): /.exec(problem.message)?.[1] ?? 'SCHEMA_VALIDATION_FAILED';
}

/** Own properties only: a state named `toString` or `__proto__` must not match Object.prototype. */
export function hasState(states: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(states, name);
}

/**
 * How deeply Parallel branches and Map processors may nest. AWS reports TOO_DEEPLY_NESTED without
 * documenting its limit; this one keeps every recursive walk of the definition (and of a run) far
 * from the stack's end, and real workflows far below it.
 */
export const MAX_NESTING = 100;

/** AWS's upper bound for Wait Seconds, TimeoutSeconds, HeartbeatSeconds, IntervalSeconds and MaxAttempts. */
export const MAX_SECONDS = 99_999_999;
/** MaxDelaySeconds must be below this (one year and a day, in seconds). */
const MAX_DELAY_LIMIT = 31_622_401;

/** Fields of a state machine, a Parallel branch, and a Map processor. */
const MACHINE_FIELDS = {
  top: new Set(['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage']),
  branch: new Set(['StartAt', 'States', 'Comment']),
  processor: new Set(['StartAt', 'States', 'Comment', 'ProcessorConfig']),
} as const;

/** Which kind of machine a pointer designates: the top level, a Parallel branch or a Map processor. */
export type MachineKind = keyof typeof MACHINE_FIELDS;

export function machineKind(pointer: string): MachineKind {
  if (pointer === '') return 'top';
  return /\/Branches\/\d+$/.test(pointer) ? 'branch' : 'processor';
}

/** Checks StartAt, States and the machine's other fields; returns false when it cannot be examined further. */
export function checkMachineShape(def: unknown, pointer: string, problems: DefinitionProblem[], kind: MachineKind = machineKind(pointer)): boolean {
  if (!isObject(def)) {
    problems.push({
      pointer,
      message: withCode(
        kind === 'top'
          ? 'A state machine definition must be a JSON object with StartAt and States'
          : 'A branch or item processor must be a JSON object with StartAt and States',
      ),
    });
    return false;
  }
  for (const key of Object.keys(def)) {
    if (MACHINE_FIELDS[kind].has(key)) continue;
    const where = kind === 'top' ? 'a state machine' : kind === 'branch' ? 'a Parallel branch' : 'a Map ItemProcessor';
    const hint = MACHINE_FIELDS.top.has(key)
      ? ` (${key} belongs at the top of the definition)`
      : key === 'ProcessorConfig'
        ? ' (only a Map ItemProcessor has ProcessorConfig)'
        : '';
    problems.push({ pointer: `${pointer}/${pointerEscape(key)}`, message: withCode(`The field "${key}" is not supported in ${where}${hint}`) });
  }
  let ok = true;
  if (typeof def.StartAt !== 'string') {
    problems.push({ pointer: `${pointer}/StartAt`, message: withCode('StartAt is required and must name the first state') });
    ok = false;
  }
  if (!isObject(def.States) || Object.keys(def.States).length === 0) {
    problems.push({ pointer: `${pointer}/States`, message: withCode('States is required and must be an object with at least one state') });
    return false;
  }
  if (ok && !hasState(def.States, def.StartAt as string)) {
    problems.push({
      pointer: `${pointer}/StartAt`,
      message: withCode(`Missing 'StartAt' target: StartAt names '${def.StartAt}', which is not a state in States`, 'MISSING_TRANSITION_TARGET'),
    });
    ok = false;
  }
  if (def.Version !== undefined && def.Version !== '1.0') {
    problems.push({
      pointer: `${pointer}/Version`,
      message: withCode(`Version must be "1.0" (the only version of the States language), got ${JSON.stringify(def.Version)}`),
    });
  }
  if (def.QueryLanguage !== undefined && def.QueryLanguage !== 'JSONPath' && def.QueryLanguage !== 'JSONata') {
    problems.push({
      pointer: `${pointer}/QueryLanguage`,
      message: withCode(`QueryLanguage must be JSONPath or JSONata, got ${JSON.stringify(def.QueryLanguage)}`),
    });
    ok = false;
  }
  checkInteger(def.TimeoutSeconds, `${pointer}/TimeoutSeconds`, problems, 1, MAX_SECONDS);
  if (kind === 'processor' && def.ProcessorConfig !== undefined) checkProcessorConfig(def.ProcessorConfig, `${pointer}/ProcessorConfig`, problems);
  return ok;
}

function checkProcessorConfig(config: unknown, pointer: string, problems: DefinitionProblem[]): void {
  if (!isObject(config)) {
    problems.push({ pointer, message: withCode('ProcessorConfig must be an object such as { "Mode": "INLINE" }') });
    return;
  }
  for (const key of Object.keys(config)) {
    if (key !== 'Mode' && key !== 'ExecutionType')
      problems.push({
        pointer: `${pointer}/${pointerEscape(key)}`,
        message: withCode(`The field "${key}" is not supported in ProcessorConfig; it has Mode and ExecutionType`),
      });
  }
  if (config.Mode !== undefined && config.Mode !== 'INLINE' && config.Mode !== 'DISTRIBUTED') {
    problems.push({ pointer: `${pointer}/Mode`, message: withCode(`ProcessorConfig.Mode must be INLINE or DISTRIBUTED, got ${JSON.stringify(config.Mode)}`) });
  }
  if (config.ExecutionType !== undefined) {
    if (config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') {
      problems.push({
        pointer: `${pointer}/ExecutionType`,
        message: withCode(`ProcessorConfig.ExecutionType must be STANDARD or EXPRESS, got ${JSON.stringify(config.ExecutionType)}`),
      });
    } else if (config.Mode !== 'DISTRIBUTED') {
      problems.push({ pointer: `${pointer}/ExecutionType`, message: withCode('ProcessorConfig.ExecutionType applies only to "Mode": "DISTRIBUTED"') });
    }
  }
}

function checkNextTarget(target: unknown, field: string, states: Record<string, unknown>, problems: DefinitionProblem[]): void {
  const name = field.slice(field.lastIndexOf('/') + 1);
  if (typeof target !== 'string') problems.push({ pointer: field, message: withCode(`${name} must be the name of a state, got ${JSON.stringify(target)}`) });
  else if (!hasState(states, target))
    problems.push({
      pointer: field,
      message: withCode(
        `Missing '${name}' target: '${target}' is not a state in this machine (a branch or processor can only go to its own states)`,
        'MISSING_TRANSITION_TARGET',
      ),
    });
}

/** An integer from min to max; NaN, Infinity and fractions (possible from JS callers) are refused too. */
function checkInteger(v: unknown, field: string, problems: DefinitionProblem[], min: number, max: number): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) {
    const name = field.slice(field.lastIndexOf('/') + 1);
    problems.push({
      pointer: field,
      message: withCode(
        `${name} must be an integer from ${min} to ${max.toLocaleString('en-US')}, got ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`,
      ),
    });
  }
}

function checkPositiveInt(v: unknown, field: string, problems: DefinitionProblem[], min = 1): void {
  checkInteger(v, field, problems, min, MAX_SECONDS);
}

/** A count with no AWS bound below JavaScript's safe integers (MaxConcurrency, batch sizes). */
function checkCount(v: unknown, field: string, problems: DefinitionProblem[], min: number): void {
  checkInteger(v, field, problems, min, Number.MAX_SAFE_INTEGER);
}

function checkExclusive(def: Record<string, unknown>, fields: string[], pointer: string, problems: DefinitionProblem[], required: boolean): void {
  const present = fields.filter((f) => def[f] !== undefined);
  if (present.length > 1) problems.push({ pointer: `${pointer}/${present[1]}`, message: `${present.join(' and ')} cannot be used together; keep one` });
  if (required && present.length === 0) problems.push({ pointer, message: `needs exactly one of ${fields.join(', ')}` });
}

/** Checks one state's shape; returns false when it cannot be compiled. */
export function checkState(
  name: string,
  def: unknown,
  pointer: string,
  states: Record<string, unknown>,
  problems: DefinitionProblem[],
  type: WorkflowType,
  language: QueryLanguage = 'JSONPath',
  machineLanguage: QueryLanguage = 'JSONPath',
): boolean {
  const p = (field: string, message: string) => problems.push({ pointer: field ? `${pointer}/${field}` : pointer, message });
  if (name.length > 80) p('', withCode(`State names must be at most 80 characters; '${name.slice(0, 20)}…' has ${name.length}`, 'INVALID_STATE_NAME'));
  if (!isObject(def)) {
    p('', 'A state must be a JSON object');
    return false;
  }
  if (typeof def.Type !== 'string' || !STATE_TYPES.has(def.Type)) {
    p('Type', `Unknown state type ${JSON.stringify(def.Type)}; expected one of ${[...STATE_TYPES].join(', ')}`);
    return false;
  }
  const t = def.Type as StateType;
  const jsonata = language === 'JSONata';
  const allowed = jsonata ? ALLOWED_JSONATA[t] : ALLOWED[t];
  for (const key of Object.keys(def)) {
    const unsupported = Object.hasOwn(NOT_SUPPORTED, key) ? NOT_SUPPORTED[key] : undefined;
    if (unsupported !== undefined && allowed.has(key)) p(key, unsupported);
    else if (key === 'Assign' && !jsonata && t !== 'Succeed' && t !== 'Fail') continue;
    else if (!allowed.has(key)) {
      if (jsonata && (ALLOWED[t].has(key) || key === 'Assign'))
        p(key, `Field '${key}' is a JSONPath field and cannot be used in a JSONata state; use Arguments, Output or {% %} expressions instead`);
      else if (!jsonata && JSONATA_ONLY.has(key) && ALLOWED_JSONATA[t].has(key))
        p(key, `Field '${key}' is a JSONata field; set "QueryLanguage": "JSONata" on the state or the machine to use it`);
      else p(pointerEscape(key), withCode(`The field "${key}" is not supported by ${t} states`));
    }
  }
  if (def.QueryLanguage !== undefined && def.QueryLanguage !== 'JSONPath' && def.QueryLanguage !== 'JSONata')
    p('QueryLanguage', `QueryLanguage must be JSONPath or JSONata, got ${JSON.stringify(def.QueryLanguage)}`);
  if (machineLanguage === 'JSONata' && def.QueryLanguage === 'JSONPath')
    p('QueryLanguage', "A state cannot use JSONPath when the state machine's QueryLanguage is JSONata");
  const terminal = t === 'Choice' || t === 'Succeed' || t === 'Fail';
  if (!terminal) {
    if (def.Next !== undefined && def.End !== undefined) p('End', 'A state cannot have both Next and End');
    else if (def.Next === undefined && def.End !== true) p('', `A ${t} state needs Next (the state to go to) or "End": true`);
    if (def.Next !== undefined) checkNextTarget(def.Next, `${pointer}/Next`, states, problems);
    if (def.End !== undefined && def.End !== true) p('End', 'End must be true when present');
  }
  for (const field of ['InputPath', 'OutputPath', 'ResultPath']) {
    const v = def[field];
    if (v !== undefined && v !== null && typeof v !== 'string') p(field, `${field} must be a path string or null, got ${JSON.stringify(v)}`);
  }
  if (Array.isArray(def.Retry)) {
    def.Retry.forEach((r: unknown, i: number) => {
      checkRetrier(r, `${pointer}/Retry/${i}`, i === (def.Retry as unknown[]).length - 1, problems);
    });
  } else if (def.Retry !== undefined) p('Retry', 'Retry must be an array of retriers');
  if (Array.isArray(def.Catch)) {
    def.Catch.forEach((k: unknown, i: number) => {
      const kp = `${pointer}/Catch/${i}`;
      if (!isObject(k)) {
        problems.push({ pointer: kp, message: 'A catcher must be an object with ErrorEquals and Next' });
        return;
      }
      checkErrorEquals(k.ErrorEquals, kp, i === (def.Catch as unknown[]).length - 1, problems);
      checkNextTarget(k.Next, `${kp}/Next`, states, problems);
      for (const key of Object.keys(k)) {
        if (!CATCHER_FIELDS.has(key))
          problems.push({ pointer: `${kp}/${pointerEscape(key)}`, message: withCode(`The field "${key}" is not supported in a catcher`) });
      }
      if (jsonata && k.ResultPath !== undefined)
        problems.push({ pointer: `${kp}/ResultPath`, message: 'ResultPath is a JSONPath field; a JSONata catcher uses Output (with $states.errorOutput)' });
      if (!jsonata && k.Output !== undefined)
        problems.push({ pointer: `${kp}/Output`, message: 'Output is a JSONata field; a JSONPath catcher uses ResultPath' });
    });
  } else if (def.Catch !== undefined) p('Catch', 'Catch must be an array of catchers');

  switch (t) {
    case 'Task': {
      if (typeof def.Resource !== 'string') p('Resource', 'A Task state needs a Resource ARN');
      else {
        const kind = classifyResource(def.Resource);
        // classifyResource reads `.sync:3` as part of the action name: any dot left in the action is
        // an integration pattern suffix AWS does not have.
        const suffix = kind?.kind === 'service' ? /\.[^.]*$/.exec(kind.action)?.[0] : undefined;
        if (!kind)
          p(
            'Resource',
            withCode(
              `Invalid resource: '${def.Resource}' is not a Resource ARN that Step Functions accepts (a Lambda function ARN, an activity ARN, or arn:aws:states:::service:action)`,
              'INVALID_RESOURCE',
            ),
          );
        else if (suffix !== undefined)
          p(
            'Resource',
            withCode(
              `Invalid resource: '${def.Resource}' ends in the unknown integration pattern '${suffix}'; use .sync, .sync:2 or .waitForTaskToken, or none for request-response`,
              'INVALID_RESOURCE',
            ),
          );
        else if (type === 'EXPRESS' && kind.kind === 'activity') {
          p(
            'Resource',
            withCode('Express state machines do not support activities; use a STANDARD state machine or a Lambda or service integration', 'INVALID_RESOURCE'),
          );
        } else if (type === 'EXPRESS' && 'pattern' in kind && kind.pattern !== 'request-response') {
          p(
            'Resource',
            withCode(
              `Express state machines do not support the ${kind.pattern === 'sync' ? '.sync (run a job)' : '.waitForTaskToken (callback)'} integration pattern; use a STANDARD state machine`,
              'INVALID_RESOURCE',
            ),
          );
        }
      }
      checkExclusive(def, ['TimeoutSeconds', 'TimeoutSecondsPath'], pointer, problems, false);
      checkExclusive(def, ['HeartbeatSeconds', 'HeartbeatSecondsPath'], pointer, problems, false);
      if (!isJsonataExpression(def.TimeoutSeconds)) checkPositiveInt(def.TimeoutSeconds, `${pointer}/TimeoutSeconds`, problems);
      if (!isJsonataExpression(def.HeartbeatSeconds)) checkPositiveInt(def.HeartbeatSeconds, `${pointer}/HeartbeatSeconds`, problems);
      if (typeof def.TimeoutSeconds === 'number' && typeof def.HeartbeatSeconds === 'number' && def.HeartbeatSeconds >= def.TimeoutSeconds) {
        p('HeartbeatSeconds', `HeartbeatSeconds (${def.HeartbeatSeconds}) must be smaller than TimeoutSeconds (${def.TimeoutSeconds})`);
      }
      break;
    }
    case 'Choice':
      if (def.Default !== undefined) checkNextTarget(def.Default, `${pointer}/Default`, states, problems);
      if (Array.isArray(def.Choices)) {
        def.Choices.forEach((r: unknown, i: number) => {
          if (isObject(r) && r.Next !== undefined) checkNextTarget(r.Next, `${pointer}/Choices/${i}/Next`, states, problems);
        });
      }
      break;
    case 'Wait':
      checkExclusive(def, ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'], pointer, problems, true);
      if (!isJsonataExpression(def.Seconds)) checkPositiveInt(def.Seconds, `${pointer}/Seconds`, problems, 0);
      if (
        def.Timestamp !== undefined &&
        !isJsonataExpression(def.Timestamp) &&
        (typeof def.Timestamp !== 'string' || parseTimestamp(def.Timestamp) === undefined)
      ) {
        p('Timestamp', `Timestamp must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z, got ${JSON.stringify(def.Timestamp)}`);
      }
      break;
    case 'Fail':
      checkExclusive(def, ['Error', 'ErrorPath'], pointer, problems, false);
      checkExclusive(def, ['Cause', 'CausePath'], pointer, problems, false);
      if (def.Error !== undefined && typeof def.Error !== 'string') p('Error', 'Error must be a string');
      if (def.Cause !== undefined && typeof def.Cause !== 'string') p('Cause', 'Cause must be a string');
      break;
    case 'Map': {
      checkExclusive(def, ['MaxConcurrency', 'MaxConcurrencyPath'], pointer, problems, false);
      checkExclusive(def, ['ToleratedFailureCount', 'ToleratedFailureCountPath'], pointer, problems, false);
      checkExclusive(def, ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'], pointer, problems, false);
      if (!isJsonataExpression(def.MaxConcurrency)) checkCount(def.MaxConcurrency, `${pointer}/MaxConcurrency`, problems, 0);
      if (!isJsonataExpression(def.ToleratedFailureCount)) checkCount(def.ToleratedFailureCount, `${pointer}/ToleratedFailureCount`, problems, 0);
      const pct = def.ToleratedFailurePercentage;
      if (pct !== undefined && !isJsonataExpression(pct) && (typeof pct !== 'number' || !(pct >= 0 && pct <= 100)))
        p('ToleratedFailurePercentage', `must be a number from 0 to 100, got ${JSON.stringify(pct)}`);
      if (def.ItemBatcher !== undefined) {
        if (!isObject(def.ItemBatcher)) p('ItemBatcher', 'ItemBatcher must be an object');
        else {
          for (const k of Object.keys(def.ItemBatcher)) {
            if (!['MaxItemsPerBatch', 'MaxInputBytesPerBatch', 'BatchInput'].includes(k))
              p(`ItemBatcher/${k}`, `ItemBatcher field '${k}' is not supported locally; use MaxItemsPerBatch, MaxInputBytesPerBatch or BatchInput`);
          }
          checkCount(def.ItemBatcher.MaxItemsPerBatch, `${pointer}/ItemBatcher/MaxItemsPerBatch`, problems, 1);
          checkCount(def.ItemBatcher.MaxInputBytesPerBatch, `${pointer}/ItemBatcher/MaxInputBytesPerBatch`, problems, 1);
        }
      }
      break;
    }
    default:
      break;
  }
  return true;
}

function checkErrorEquals(v: unknown, pointer: string, last: boolean, problems: DefinitionProblem[]): void {
  if (!Array.isArray(v) || v.length === 0 || !v.every((e) => typeof e === 'string')) {
    problems.push({ pointer: `${pointer}/ErrorEquals`, message: 'ErrorEquals must be a non-empty array of error names' });
    return;
  }
  if (v.includes('States.ALL') && v.length > 1)
    problems.push({ pointer: `${pointer}/ErrorEquals`, message: 'States.ALL must appear alone in its ErrorEquals' });
  if (v.includes('States.ALL') && !last) problems.push({ pointer: `${pointer}/ErrorEquals`, message: 'A rule with States.ALL must be the last one' });
}

function checkRetrier(r: unknown, pointer: string, last: boolean, problems: DefinitionProblem[]): void {
  if (!isObject(r)) {
    problems.push({ pointer, message: 'A retrier must be an object with ErrorEquals' });
    return;
  }
  checkErrorEquals(r.ErrorEquals, pointer, last, problems);
  // Bounds from https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error
  checkPositiveInt(r.IntervalSeconds, `${pointer}/IntervalSeconds`, problems);
  checkPositiveInt(r.MaxAttempts, `${pointer}/MaxAttempts`, problems, 0);
  checkInteger(r.MaxDelaySeconds, `${pointer}/MaxDelaySeconds`, problems, 1, MAX_DELAY_LIMIT - 1);
  if (
    r.BackoffRate !== undefined &&
    (typeof r.BackoffRate !== 'number' || !Number.isFinite(r.BackoffRate) || r.BackoffRate < 1 || r.BackoffRate > MAX_SECONDS)
  ) {
    problems.push({
      pointer: `${pointer}/BackoffRate`,
      message: withCode(
        `BackoffRate must be a finite number from 1.0 to ${MAX_SECONDS.toLocaleString('en-US')}, got ${typeof r.BackoffRate === 'number' ? String(r.BackoffRate) : JSON.stringify(r.BackoffRate)}`,
      ),
    });
  }
  if (r.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') {
    problems.push({ pointer: `${pointer}/JitterStrategy`, message: `JitterStrategy must be FULL or NONE, got ${JSON.stringify(r.JitterStrategy)}` });
  }
  for (const k of Object.keys(r)) {
    if (!['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'].includes(k)) {
      problems.push({ pointer: `${pointer}/${pointerEscape(k)}`, message: withCode(`The field "${k}" is not supported in a retrier`) });
    }
  }
}

/**
 * Reports states that no path from StartAt reaches (UNREACHABLE_STATE), and a machine whose
 * reachable states include no terminal one (MISSING_END_STATE: it could only loop).
 */
export function checkReachability(m: MachineDefinition, pointer: string, problems: DefinitionProblem[]): void {
  const seen = new Set<string>();
  const queue = [m.StartAt];
  let terminal = false;
  let dangling = false;
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const s = m.States[name];
    if (!isObject(s)) continue;
    if (s.End === true || s.Type === 'Succeed' || s.Type === 'Fail') terminal = true;
    const targets = [
      s.Next,
      s.Default,
      ...(Array.isArray(s.Choices) ? s.Choices.map((c) => c?.Next) : []),
      ...(Array.isArray(s.Catch) ? s.Catch.map((c) => c?.Next) : []),
    ];
    for (const t of targets) {
      if (typeof t === 'string' && hasState(m.States, t)) queue.push(t);
      else if (t !== undefined) dangling = true;
    }
  }
  for (const name of Object.keys(m.States)) {
    if (!seen.has(name))
      problems.push({
        pointer: `${pointer}/States/${pointerEscape(name)}`,
        message: withCode(`State '${name}' is not reachable from StartAt '${m.StartAt}'`, 'UNREACHABLE_STATE'),
      });
  }
  // A transition to no state is reported on its own; the walk from StartAt is then incomplete.
  if (!terminal && !dangling) {
    problems.push({
      pointer: pointer === '' ? '/States' : `${pointer}/States`,
      message: withCode(
        `Workflow has no terminal state: no state reachable from StartAt '${m.StartAt}' has "End": true or is a Succeed or Fail state, so it could only loop`,
        'MISSING_END_STATE',
      ),
    });
  }
}
