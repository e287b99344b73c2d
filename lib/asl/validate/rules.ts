// Static checks that CreateStateMachine performs (and a few it should): each check reports
// problems with JSON pointers, and all of them run before compilation fails.
import type { DefinitionProblem } from '../compile';
import { isJsonataExpression } from '../data/jsonata';
import { pointerEscape } from '../data/payload-template';
import { classifyResource } from '../states/task';
import { parseTimestamp } from '../states/timestamp';
import type { MachineDefinition, QueryLanguage, StateDefinition, StateType, WorkflowType } from '../types';

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const IO = ['InputPath', 'OutputPath'];
const FLOW = ['Next', 'End'];
const ERRORS = ['Retry', 'Catch'];

/** Fields each state type accepts in a JSONPath state machine. */
const ALLOWED: Record<StateType, ReadonlySet<string>> = {
  Pass: new Set([...COMMON, ...IO, ...FLOW, 'Parameters', 'Result', 'ResultPath']),
  Task: new Set([...COMMON, ...IO, ...FLOW, ...ERRORS, 'Resource', 'Parameters', 'ResultSelector', 'ResultPath', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials']),
  Choice: new Set([...COMMON, ...IO, 'Choices', 'Default']),
  Wait: new Set([...COMMON, ...IO, ...FLOW, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']),
  Succeed: new Set([...COMMON, ...IO]),
  Fail: new Set([...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Parallel: new Set([...COMMON, ...IO, ...FLOW, ...ERRORS, 'Branches', 'Parameters', 'ResultSelector', 'ResultPath']),
  Map: new Set([
    ...COMMON, ...IO, ...FLOW, ...ERRORS, 'ItemProcessor', 'Iterator', 'ItemsPath', 'ItemSelector', 'Parameters', 'ResultSelector', 'ResultPath',
    'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'ToleratedFailurePercentage',
    'ToleratedFailurePercentagePath', 'ItemBatcher', 'ItemReader', 'ResultWriter', 'Label',
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
    ...COMMON, ...FLOW, ...ERRORS, 'ItemProcessor', 'Iterator', 'Items', 'ItemSelector', 'MaxConcurrency', 'ToleratedFailureCount',
    'ToleratedFailurePercentage', 'ItemBatcher', 'ItemReader', 'ResultWriter', 'Label', 'Output', 'Assign',
  ]),
};

/** Fields that exist only in JSONata states. */
const JSONATA_ONLY = new Set(['Arguments', 'Output', 'Items', 'Condition']);


const STATE_TYPES = new Set(Object.keys(ALLOWED));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks StartAt and States; returns false when the machine cannot be examined further. */
export function checkMachineShape(def: unknown, pointer: string, problems: DefinitionProblem[]): boolean {
  if (!isObject(def)) {
    problems.push({ pointer, message: 'A state machine definition must be a JSON object with StartAt and States' });
    return false;
  }
  let ok = true;
  if (typeof def.StartAt !== 'string') {
    problems.push({ pointer: `${pointer}/StartAt`, message: 'StartAt is required and must name the first state' });
    ok = false;
  }
  if (!isObject(def.States) || Object.keys(def.States).length === 0) {
    problems.push({ pointer: `${pointer}/States`, message: 'States is required and must be an object with at least one state' });
    return false;
  }
  if (ok && !(def.StartAt as string in def.States)) {
    problems.push({ pointer: `${pointer}/StartAt`, message: `StartAt names '${def.StartAt}', which is not a state in States` });
    ok = false;
  }
  if (def.QueryLanguage !== undefined && def.QueryLanguage !== 'JSONPath' && def.QueryLanguage !== 'JSONata') {
    problems.push({ pointer: `${pointer}/QueryLanguage`, message: `QueryLanguage must be JSONPath or JSONata, got ${JSON.stringify(def.QueryLanguage)}` });
    ok = false;
  }
  if (def.TimeoutSeconds !== undefined && (!Number.isInteger(def.TimeoutSeconds) || (def.TimeoutSeconds as number) <= 0)) {
    problems.push({ pointer: `${pointer}/TimeoutSeconds`, message: `TimeoutSeconds must be a positive integer, got ${JSON.stringify(def.TimeoutSeconds)}` });
  }
  return ok;
}

function checkNextTarget(target: unknown, field: string, states: Record<string, unknown>, problems: DefinitionProblem[]): void {
  if (typeof target !== 'string') problems.push({ pointer: field, message: 'must be the name of a state' });
  else if (!(target in states)) problems.push({ pointer: field, message: `names '${target}', which is not a state in this machine (a branch or processor can only go to its own states)` });
}

function checkPositiveInt(v: unknown, field: string, problems: DefinitionProblem[], min = 1): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
    problems.push({ pointer: field, message: `must be an integer of at least ${min}, got ${JSON.stringify(v)}` });
  }
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
  if (name.length > 80) p('', `State names must be at most 80 characters; '${name.slice(0, 20)}…' has ${name.length}`);
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
    if (NOT_SUPPORTED[key] && allowed.has(key)) p(key, NOT_SUPPORTED[key] as string);
    else if (key === 'Assign' && !jsonata && t !== 'Succeed' && t !== 'Fail') continue;
    else if (!allowed.has(key)) {
      if (jsonata && (ALLOWED[t].has(key) || key === 'Assign')) p(key, `Field '${key}' is a JSONPath field and cannot be used in a JSONata state; use Arguments, Output or {% %} expressions instead`);
      else if (!jsonata && JSONATA_ONLY.has(key) && ALLOWED_JSONATA[t].has(key)) p(key, `Field '${key}' is a JSONata field; set "QueryLanguage": "JSONata" on the state or the machine to use it`);
      else p(key, `Field '${key}' is not supported by ${t} states`);
    }
  }
  if (def.QueryLanguage !== undefined && def.QueryLanguage !== 'JSONPath' && def.QueryLanguage !== 'JSONata') p('QueryLanguage', `QueryLanguage must be JSONPath or JSONata, got ${JSON.stringify(def.QueryLanguage)}`);
  if (machineLanguage === 'JSONata' && def.QueryLanguage === 'JSONPath') p('QueryLanguage', 'A state cannot use JSONPath when the state machine\'s QueryLanguage is JSONata');
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
    def.Retry.forEach((r: unknown, i: number) => checkRetrier(r, `${pointer}/Retry/${i}`, i === (def.Retry as unknown[]).length - 1, problems));
  } else if (def.Retry !== undefined) p('Retry', 'Retry must be an array of retriers');
  if (Array.isArray(def.Catch)) {
    def.Catch.forEach((k: unknown, i: number) => {
      const kp = `${pointer}/Catch/${i}`;
      if (!isObject(k)) return problems.push({ pointer: kp, message: 'A catcher must be an object with ErrorEquals and Next' });
      checkErrorEquals(k.ErrorEquals, kp, i === (def.Catch as unknown[]).length - 1, problems);
      checkNextTarget(k.Next, `${kp}/Next`, states, problems);
      if (jsonata && k.ResultPath !== undefined) problems.push({ pointer: `${kp}/ResultPath`, message: 'ResultPath is a JSONPath field; a JSONata catcher uses Output (with $states.errorOutput)' });
      if (!jsonata && k.Output !== undefined) problems.push({ pointer: `${kp}/Output`, message: 'Output is a JSONata field; a JSONPath catcher uses ResultPath' });
      return undefined;
    });
  } else if (def.Catch !== undefined) p('Catch', 'Catch must be an array of catchers');

  switch (t) {
    case 'Task': {
      if (typeof def.Resource !== 'string') p('Resource', 'A Task state needs a Resource ARN');
      else {
        const kind = classifyResource(def.Resource);
        if (!kind) p('Resource', `'${def.Resource}' is not a Resource ARN that Step Functions accepts (a Lambda function ARN, an activity ARN, or arn:aws:states:::service:action)`);
        else if (type === 'EXPRESS' && 'pattern' in kind && kind.pattern !== 'request-response') {
          p('Resource', `Express state machines do not support the ${kind.pattern === 'sync' ? '.sync (run a job)' : '.waitForTaskToken (callback)'} integration pattern; use a STANDARD state machine`);
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
      if (def.Timestamp !== undefined && !isJsonataExpression(def.Timestamp) && (typeof def.Timestamp !== 'string' || parseTimestamp(def.Timestamp) === undefined)) {
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
      if (!isJsonataExpression(def.MaxConcurrency)) checkPositiveInt(def.MaxConcurrency, `${pointer}/MaxConcurrency`, problems, 0);
      if (!isJsonataExpression(def.ToleratedFailureCount)) checkPositiveInt(def.ToleratedFailureCount, `${pointer}/ToleratedFailureCount`, problems, 0);
      const pct = def.ToleratedFailurePercentage;
      if (pct !== undefined && !isJsonataExpression(pct) && (typeof pct !== 'number' || pct < 0 || pct > 100)) p('ToleratedFailurePercentage', `must be a number from 0 to 100, got ${JSON.stringify(pct)}`);
      if (def.ItemBatcher !== undefined) {
        if (!isObject(def.ItemBatcher)) p('ItemBatcher', 'ItemBatcher must be an object');
        else {
          for (const k of Object.keys(def.ItemBatcher)) {
            if (!['MaxItemsPerBatch', 'MaxInputBytesPerBatch', 'BatchInput'].includes(k)) p(`ItemBatcher/${k}`, `ItemBatcher field '${k}' is not supported locally; use MaxItemsPerBatch, MaxInputBytesPerBatch or BatchInput`);
          }
          checkPositiveInt(def.ItemBatcher.MaxItemsPerBatch, `${pointer}/ItemBatcher/MaxItemsPerBatch`, problems);
          checkPositiveInt(def.ItemBatcher.MaxInputBytesPerBatch, `${pointer}/ItemBatcher/MaxInputBytesPerBatch`, problems);
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
  if (v.includes('States.ALL') && v.length > 1) problems.push({ pointer: `${pointer}/ErrorEquals`, message: 'States.ALL must appear alone in its ErrorEquals' });
  if (v.includes('States.ALL') && !last) problems.push({ pointer: `${pointer}/ErrorEquals`, message: 'A rule with States.ALL must be the last one' });
}

function checkRetrier(r: unknown, pointer: string, last: boolean, problems: DefinitionProblem[]): void {
  if (!isObject(r)) {
    problems.push({ pointer, message: 'A retrier must be an object with ErrorEquals' });
    return;
  }
  checkErrorEquals(r.ErrorEquals, pointer, last, problems);
  checkPositiveInt(r.IntervalSeconds, `${pointer}/IntervalSeconds`, problems);
  checkPositiveInt(r.MaxAttempts, `${pointer}/MaxAttempts`, problems, 0);
  checkPositiveInt(r.MaxDelaySeconds, `${pointer}/MaxDelaySeconds`, problems);
  if (r.BackoffRate !== undefined && (typeof r.BackoffRate !== 'number' || r.BackoffRate < 1)) {
    problems.push({ pointer: `${pointer}/BackoffRate`, message: `BackoffRate must be a number of at least 1.0, got ${JSON.stringify(r.BackoffRate)}` });
  }
  if (r.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') {
    problems.push({ pointer: `${pointer}/JitterStrategy`, message: `JitterStrategy must be FULL or NONE, got ${JSON.stringify(r.JitterStrategy)}` });
  }
  for (const k of Object.keys(r)) {
    if (!['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'].includes(k)) {
      problems.push({ pointer: `${pointer}/${k}`, message: `Field '${k}' is not supported in a retrier` });
    }
  }
}

/** Reports states that no path from StartAt reaches (AWS refuses them). */
export function checkReachability(m: MachineDefinition, pointer: string, problems: DefinitionProblem[]): void {
  const seen = new Set<string>();
  const queue = [m.StartAt];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const s = m.States[name] as StateDefinition | undefined;
    if (!isObject(s)) continue;
    const targets = [s.Next, s.Default, ...(Array.isArray(s.Choices) ? s.Choices.map((c) => c?.Next) : []), ...(Array.isArray(s.Catch) ? s.Catch.map((c) => c?.Next) : [])];
    for (const t of targets) if (typeof t === 'string' && t in m.States) queue.push(t);
  }
  for (const name of Object.keys(m.States)) {
    if (!seen.has(name)) problems.push({ pointer: `${pointer}/States/${pointerEscape(name)}`, message: `State '${name}' is not reachable from StartAt '${m.StartAt}'` });
  }
}
