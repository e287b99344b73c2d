// Task: calls a resource through the invoker the caller supplied. `lambda:invoke` returns AWS's
// result wrapper; a bare function ARN returns the payload; `.waitForTaskToken` waits for a callback.
import { causes } from '../causes';
import { ExecutionStop, SetupError, StatesError, StatesErrors } from '../errors';
import type { DataScope } from '../data/scope';
import { freezeDeep } from '../data/isolate';
import { EventKind } from '../history';
import { PendingCall, type StateRunner, type StateScope, type StepResult, type TaskRequest } from '../runtime';
import type { Json } from '../types';
import { dataFlow, numberOrExpression, type Maybe, type StateCompiler } from './common';
import { invokeLambda } from './lambda';
import { CopySite, ownCopy } from '../scheduler';

/** How a Resource ARN is served. */
export type ResourceKind =
  | { kind: 'lambda-invoke'; pattern: Pattern }
  | { kind: 'lambda-function'; functionName: string; copies?: { event: CopySite; result: CopySite } }
  | { kind: 'service'; service: string; action: string; pattern: Pattern }
  | { kind: 'activity' };
type Pattern = 'request-response' | 'sync' | 'wait-for-task-token';

/** Classifies a Task's Resource ARN; undefined when it is not one Step Functions accepts. */
export function classifyResource(resource: string): ResourceKind | undefined {
  const [, service, action, suffix] = /^arn:[\w-]+:states:::([\w-]+):([\w.:-]+?)(\.sync(?::2)?|\.waitForTaskToken)?$/.exec(resource) ?? [];
  if (service !== undefined && action !== undefined) {
    const pattern: Pattern = suffix === undefined ? 'request-response' : suffix.startsWith('.sync') ? 'sync' : 'wait-for-task-token';
    if (service === 'lambda' && action === 'invoke') return { kind: 'lambda-invoke', pattern };
    return { kind: 'service', service, action, pattern };
  }
  if (/^arn:[\w-]+:lambda:[\w-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/.test(resource)) return { kind: 'lambda-function', functionName: resource };
  if (/^arn:[\w-]+:states:[\w-]+:\d{12}:activity:[\w.-]+$/.test(resource)) return { kind: 'activity' };
  return undefined;
}

/** Turns whatever a Lambda handler threw into the error and cause AWS reports for the Node.js runtime. */
export function lambdaError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  if (e instanceof Error) {
    const trace = (e.stack ?? '')
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    return new StatesError(e.name || 'Error', JSON.stringify({ errorType: e.name || 'Error', errorMessage: e.message, trace }));
  }
  return new StatesError('Lambda.Unknown', `The Lambda function failed with a non-Error value: ${JSON.stringify(e) ?? String(e)}`);
}

function readSeconds(c: StateCompiler, field: 'TimeoutSeconds' | 'HeartbeatSeconds') {
  const fixed = numberOrExpression(c, field);
  const path = c.dynamic(`${field}Path`, false);
  if (!fixed && !path) return undefined;
  return async (raw: Json, scope: DataScope): Promise<number | undefined> => {
    const v = fixed ? await fixed(raw, scope) : path ? path(raw, scope) : undefined;
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw fixed
        ? scope.evaluationError(causes.fieldMustBe(field, 'a positive integer', v))
        : scope.runtimeError(causes.pathValueNotValid(field, v, 'positive integer', String(c.def[`${field}Path`])));
    }
    return v;
  };
}

export function compileTask(c: StateCompiler): StateRunner {
  const resource = typeof c.def.Resource === 'string' ? c.def.Resource : '';
  const classified = classifyResource(resource);
  // A function ARN's Task keeps copy sites of its own for its events and results (see CopySite).
  const kind: ResourceKind | undefined =
    classified?.kind === 'lambda-function' ? { ...classified, copies: { event: new CopySite(), result: new CopySite() } } : classified;
  const flow = dataFlow(c, { parameters: true, resultSelector: true, resultPath: true });
  const timeout = readSeconds(c, 'TimeoutSeconds');
  const heartbeat = readSeconds(c, 'HeartbeatSeconds');
  const next = c.next;
  const waits = kind !== undefined && 'pattern' in kind && kind.pattern === 'wait-for-task-token';
  const resourceType = kind?.kind === 'service' ? kind.service : 'lambda';
  const shortResource = resource.replace(/^arn:[\w-]+:states:::[\w-]+:/, '');
  const bare = kind?.kind === 'lambda-function';
  const prefix = bare ? 'LambdaFunction' : 'Task';
  const ids = bare ? undefined : { resourceType, resource: shortResource };
  const events = {
    scheduled: `${prefix}Scheduled`,
    started: `${prefix}Started`,
    succeeded: `${prefix}Succeeded`,
    failed: `${prefix}Failed`,
    timedOut: `${prefix}TimedOut`,
  };

  const failed = (e: unknown, scope: StateScope): never => {
    // A setup problem aborts the run (the scheduler rejects the result): no Task event, no Retry/Catch.
    if (e instanceof ExecutionStop || e instanceof SetupError) throw e;
    const err = e instanceof StatesError ? e : lambdaError(e);
    const timedOut = err.error === StatesErrors.Timeout || err.error === StatesErrors.HeartbeatTimeout;
    scope.record(timedOut ? events.timedOut : events.failed, { ...ids, error: err.error, cause: err.cause });
    throw err;
  };
  // Event kinds built once (see StateScope.recordEvent); the scheduled one depends on the region.
  const succeededKind = new EventKind(events.succeeded, ids ? { ...ids, output: undefined } : { output: undefined }, 'output');
  const startedKind = new EventKind(events.started, ids);
  let scheduledKind: EventKind | undefined;
  // The result is the execution's own: a copy (an in-process Lambda's, a mock's or a `tasks`
  // handler's: see kept; a callback's, made by sendTaskSuccess) or parsed JSON text.
  const succeeded = (input: Json, result: Json, scope: StateScope): Maybe<StepResult> => {
    const size = scope.resultSize;
    scope.resultSize = undefined;
    scope.recordEvent(succeededKind, result);
    return flow.finish(input, result, scope, next, size);
  };
  const schedule = (
    parameters: Json,
    scope: StateScope,
    token: string | undefined,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
  ): TaskRequest => {
    const region = scope.runtime.region;
    if (timeoutSeconds !== undefined || heartbeatSeconds !== undefined) {
      scope.record(
        events.scheduled,
        bare
          ? { resource, input: parameters, timeoutInSeconds: timeoutSeconds }
          : { resourceType, resource: shortResource, region, parameters, timeoutInSeconds: timeoutSeconds, heartbeatInSeconds: heartbeatSeconds },
      );
    } else {
      if (scheduledKind?.details?.region !== (bare ? undefined : region)) scheduledKind = undefined;
      scheduledKind ??= bare
        ? new EventKind(events.scheduled, { resource, input: undefined }, 'input')
        : new EventKind(events.scheduled, { resourceType, resource: shortResource, region, parameters: undefined }, 'parameters');
      scope.recordEvent(scheduledKind, parameters);
    }
    scope.recordEvent(startedKind);
    // Not frozen yet: whatever the request goes to freezes it first (see shared), except an
    // in-process Lambda handler, which gets a copy instead (lambda.ts).
    return { stateName: c.name, resource, parameters, taskToken: token, retryCount: scope.retryCount, timeoutSeconds };
  };

  // The general path: callbacks, timeouts and JSONata arguments.
  const slow = async (input: Json, scope: StateScope): Promise<StepResult> => {
    // With a callback, the token must be visible to Parameters/Arguments as $$.Task.Token.
    const token = waits ? scope.runtime.newTaskToken() : undefined;
    const parameters = await flow.args(input, token === undefined ? scope : scope.withTaskToken(token));
    const timeoutSeconds = timeout ? await timeout(input, scope) : undefined;
    const heartbeatSeconds = heartbeat ? await heartbeat(input, scope) : undefined;
    const request = schedule(parameters, scope, token, timeoutSeconds, heartbeatSeconds);
    const rt = scope.runtime;
    let result: Json;
    // Whether the result came from a mock: it is copied then (see kept).
    let fromCaller = false;
    try {
      const mocked = rt.mock?.(shared(request));
      if (mocked !== undefined) {
        if ('error' in mocked) throw new StatesError(mocked.error, mocked.cause);
        result = mocked.output;
        fromCaller = true;
      } else {
        const call = invoke(kind, request, scope);
        let value = await withTimeout(call instanceof PendingCall ? call.settled(scope) : Promise.resolve(call), timeoutSeconds, waits, scope);
        if (token !== undefined) {
          scope.record('TaskSubmitted', { ...ids, output: value });
          value = await rt.awaitCallback(token, scope, timeoutSeconds, heartbeatSeconds);
        }
        result = value;
      }
    } catch (e) {
      return failed(e, scope);
    }
    return succeeded(input, fromCaller ? kept(result) : result, scope);
  };

  if (waits || timeout || heartbeat || flow.jsonata) return slow;
  // The common path (a request-response call, JSONPath, no timeout) chains promises directly:
  // no async frames, one hop per call.
  return (input, scope) => {
    const request = schedule(flow.args(input, scope) as Json, scope, undefined, undefined, undefined);
    const mock = scope.runtime.mock;
    const mocked = mock === undefined ? undefined : mock(shared(request));
    if (mocked !== undefined) {
      if ('error' in mocked) return failed(new StatesError(mocked.error, mocked.cause), scope);
      return succeeded(input, kept(mocked.output), scope);
    }
    let call: Json | Promise<Json> | PendingCall;
    try {
      call = invoke(kind, request, scope);
    } catch (e) {
      return failed(e, scope);
    }
    if (call instanceof Promise || call instanceof PendingCall) return scope.awaitTask(call, succeeded, failed);
    return succeeded(input, call, scope);
  };
}

/**
 * A result that came from the caller's code (a mock, a `tasks` handler), copied as JSON text
 * would give it: the caller may keep and change its object, and the history and the output keep
 * what it returned. (Freezing it in place did not reach inside objects it had frozen itself.)
 * @throws StatesError (States.Runtime) when JSON text cannot hold it
 */
function kept(result: Json): Json {
  return ownCopy(result, undefined, 'task result');
}

/**
 * The request, its parameters frozen: what a mock or a task handler receives cannot change the
 * definition's constants, the history or the input (the parameters are often the state's data).
 */
export function shared(request: TaskRequest): TaskRequest {
  freezeDeep(request.parameters);
  return request;
}

/** Calls the resource; returns its result or a promise of it, and throws its error as a StatesError. */
function invoke(kind: ResourceKind | undefined, request: TaskRequest, scope: StateScope): Json | Promise<Json> | PendingCall {
  const rt = scope.runtime;
  if (kind?.kind === 'lambda-invoke' || kind?.kind === 'lambda-function') return invokeLambda(kind, request, scope);
  if (!rt.tasks) {
    throw new StatesError(
      StatesErrors.Runtime,
      `No task handler was given for the resource '${request.resource}' of the state '${request.stateName}': pass the \`tasks\` option to execute()`,
    );
  }
  const taskError = (e: unknown): never => {
    if (e instanceof StatesError || e instanceof ExecutionStop || e instanceof SetupError) throw e;
    throw new StatesError(StatesErrors.TaskFailed, e instanceof Error ? e.message : String(e));
  };
  try {
    const ctx = scope.context() as { Execution?: { Id?: string }; StateMachine?: { Id?: string } };
    const out = rt.tasks({ ...shared(request), executionArn: ctx.Execution?.Id, stateMachineArn: ctx.StateMachine?.Id });
    return out instanceof Promise ? out.then(kept, taskError) : kept(out);
  } catch (e) {
    return taskError(e);
  }
}

/** The call, failed with States.Timeout after `seconds` on the execution's clock (virtual or real). */
function withTimeout(call: Promise<Json>, seconds: number | undefined, callbackFollows: boolean, scope: StateScope): Promise<Json> {
  // A callback task's timeout covers the whole wait and is enforced by awaitCallback.
  if (seconds === undefined || callbackFollows) return call;
  return new Promise((resolve, reject) => {
    scope.timer(seconds * 1000, () => reject(new StatesError(StatesErrors.Timeout, causes.taskTimedOut(seconds))), true);
    call.then(resolve, reject);
  });
}
