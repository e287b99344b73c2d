// Lambda Tasks: what Step Functions makes of a Lambda Invoke response. The invoker (in-process,
// bundle, real Lambda) only answers as the Invoke API does; the envelope of `lambda:invoke`,
// error names and causes, the result size limit and the Task timeout are decided here, as the
// recorded task cases show (shared/conformance/task-cases, README "Facts the recordings show").
import { apiMessages, causes } from '../causes';
import { ExecutionStop, SetupError, StatesError, StatesErrors } from '../errors';
import { freezeDeep } from '../data/isolate';
import { byteSizeExceeds, payloadSize } from '../data/size';
import { copiedSizeBound, copyPlainJson, copyPlainJsonMeasured, NOT_PLAIN, type CopySite } from '../scheduler';
import { PendingCall, type LambdaHandler, type LambdaInvocation, type LambdaInvoker, type LambdaResponse, type StateScope, type TaskRequest } from '../runtime';
import type { Json, JsonObject } from '../types';

/** The largest Task result Step Functions accepts (256 KiB). */
const RESULT_LIMIT = 256 * 1024;

/**
 * An error of the Lambda Invoke API itself (not of the function), as an SDK raises it: the Task
 * fails with `Lambda.<errorCode>` and the cause the Java SDK writes, e.g. `Function not found:
 * arn:...:function:f:$LATEST (Service: AWSLambda; Status Code: 404; Error Code:
 * ResourceNotFoundException; Request ID: ...; Proxy: null)`.
 */
export class LambdaServiceError extends Error {
  constructor(
    /** The API's error code, e.g. `ResourceNotFoundException`, `TooManyRequestsException`. */
    readonly errorCode: string,
    message: string,
    readonly statusCode: number = 500,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'LambdaServiceError';
  }
}

/** How a Task calls Lambda: through `lambda:invoke` (an envelope around the result) or a function ARN (the bare result). */
export type LambdaTarget =
  | { readonly kind: 'lambda-invoke' }
  | {
      readonly kind: 'lambda-function';
      readonly functionName: string;
      /** Where an in-process handler's events and results are copied (see CopySite), when the Task keeps them. */
      readonly copies?: { readonly event: CopySite; readonly result: CopySite };
    };

/** The body the Node.js runtime writes for a result: `JSON.stringify`, with `undefined` as `null`. */
export function nodeRuntimeResult(result: unknown): string {
  return JSON.stringify(result === undefined ? null : result) ?? 'null';
}

/** The error payload the Node.js runtime writes for a thrown value: `{"errorType","errorMessage","trace"}`. */
export function nodeRuntimeError(e: unknown): { errorType: string; payload: string } {
  if (e instanceof Error) {
    const errorType = e.name || 'Error';
    return { errorType, payload: JSON.stringify({ errorType, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }) };
  }
  // The runtime reports a non-Error as its type and its string form, with no trace.
  const errorType = typeof e;
  return { errorType, payload: JSON.stringify({ errorType, errorMessage: String(e), trace: [] }) };
}

const nodeInvokers = new WeakMap<LambdaHandler, LambdaInvoker>();

/**
 * Runs a plain function as the Node.js Lambda runtime would answer for it: the event parsed from
 * the request body, the result as `JSON.stringify` text, a thrown Error as an `Unhandled` function
 * error. A thrown StatesError fails the Task with exactly that error (a test's shortcut).
 */
export function nodeRuntimeInvoker(handler: LambdaHandler): LambdaInvoker {
  let invoker = nodeInvokers.get(handler);
  if (invoker) return invoker;
  invoker = (inv: LambdaInvocation): LambdaResponse | Promise<LambdaResponse> => {
    if (inv.invocationType === 'DryRun') return { statusCode: 204, payload: '' };
    // No closures per call: under tsx/esbuild keepNames each named closure costs an
    // Object.defineProperty ('set natives' in a profile of the order workload).
    const ok = inv.invocationType === 'Event' ? eventAccepted : requestAnswered;
    let event: Json;
    try {
      event = JSON.parse(inv.payload) as Json;
    } catch (e) {
      // Lambda refuses a request body that is not JSON before any function runs.
      throw new LambdaServiceError('InvalidRequestContentException', apiMessages.lambdaBodyNotJson((e as Error).message), 400);
    }
    try {
      const out = handler(inv.functionName, event, inv.request);
      return out instanceof Promise ? out.then(ok, functionFailed) : ok(out);
    } catch (e) {
      return functionFailed(e);
    }
  };
  nodeInvokers.set(handler, invoker);
  return invoker;
}

function requestAnswered(out: Json): LambdaResponse {
  return { payload: nodeRuntimeResult(out) };
}

function eventAccepted(): LambdaResponse {
  return { statusCode: 202, payload: '' };
}

function functionFailed(e: unknown): LambdaResponse {
  if (e instanceof StatesError || e instanceof ExecutionStop || e instanceof SetupError) throw e;
  return { payload: nodeRuntimeError(e).payload, functionError: 'Unhandled' };
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const INVOKE_FIELDS = new Set(['FunctionName', 'Payload', 'InvocationType', 'LogType', 'Qualifier', 'ClientContext']);

/** The Invoke request a Task makes: from `lambda:invoke` Parameters/Arguments, or a function ARN and the effective input. */
function invocationOf(target: LambdaTarget, request: TaskRequest, scope: StateScope): LambdaInvocation {
  if (target.kind === 'lambda-function') return { functionName: target.functionName, payload: JSON.stringify(request.parameters) ?? 'null', request };
  const p = request.parameters;
  if (!isObject(p) || typeof p.FunctionName !== 'string') {
    throw scope.runtimeError(
      `The field 'FunctionName' is required by arn:aws:states:::lambda:invoke and must be a string, got ${JSON.stringify(isObject(p) ? p.FunctionName : p) ?? 'nothing'}`,
    );
  }
  for (const k of Object.keys(p)) {
    if (!INVOKE_FIELDS.has(k))
      throw scope.runtimeError(`The field '${k}' is not a parameter of arn:aws:states:::lambda:invoke (allowed: ${[...INVOKE_FIELDS].join(', ')})`);
  }
  const text = (field: string, allowed?: readonly string[]): string | undefined => {
    const v = p[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || (allowed && !allowed.includes(v))) {
      throw scope.runtimeError(
        `The field '${field}' of arn:aws:states:::lambda:invoke must be ${allowed ? `one of ${allowed.join(', ')}` : 'a string'}, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  };
  return {
    functionName: p.FunctionName,
    // A null (or absent) Payload reaches the function as {} (task case test_no_such_function);
    // a string is the request body itself, not JSON-encoded again (test_invoke_json_values_*).
    payload: p.Payload === undefined || p.Payload === null ? '{}' : typeof p.Payload === 'string' ? p.Payload : JSON.stringify(p.Payload),
    invocationType: text('InvocationType', ['RequestResponse', 'Event', 'DryRun']) as LambdaInvocation['invocationType'],
    logType: text('LogType', ['None', 'Tail']) as LambdaInvocation['logType'],
    qualifier: text('Qualifier'),
    clientContext: text('ClientContext'),
    request,
  };
}

/** The invoker of an execution: its raw invoker, else its plain functions run as the Node.js runtime would. */
function invokerOf(scope: StateScope, stateName: string): LambdaInvoker {
  const rt = scope.runtime;
  if (rt.lambdaInvoker) return rt.lambdaInvoker;
  if (rt.lambda) return nodeRuntimeInvoker(rt.lambda);
  throw new StatesError(
    StatesErrors.Runtime,
    `No Lambda invoker was given to run the state '${stateName}': pass the \`lambda\` (or \`lambdaInvoker\`) option to execute()`,
  );
}

/** Turns a failed Invoke call into the Task's error. */
function callFailed(e: unknown, scope: StateScope): never {
  if (e instanceof StatesError || e instanceof ExecutionStop || e instanceof SetupError) throw e;
  const sdk = e as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string } } | undefined;
  if (e instanceof LambdaServiceError || (e instanceof Error && sdk?.$metadata !== undefined)) {
    const code = e instanceof LambdaServiceError ? e.errorCode : e.name;
    const status = e instanceof LambdaServiceError ? e.statusCode : (sdk?.$metadata?.httpStatusCode ?? 500);
    const requestId = (e instanceof LambdaServiceError ? e.requestId : sdk?.$metadata?.requestId) ?? scope.runtime.random.uuid();
    throw new StatesError(`Lambda.${code}`, causes.lambdaServiceException(e.message, status, code, requestId));
  }
  // The call never reached Lambda (a broken client, a network failure): what the SDK names so.
  throw new StatesError('Lambda.SdkClientException', e instanceof Error ? e.message : String(e));
}

/** Parses a body as JSON, or undefined when it is not JSON. */
function parseBody(text: string): Json | undefined {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

// The order AWS lists AllHttpHeaders in (recorded envelopes); HttpHeaders are sorted by name.
const ALL_HEADERS_ORDER = [
  'X-Amz-Executed-Version',
  'x-amzn-Remapped-Content-Length',
  'Connection',
  'x-amzn-RequestId',
  'Content-Length',
  'Date',
  'X-Amzn-Trace-Id',
  'Content-Type',
];

function headersOf(res: LambdaResponse, requestId: string, version: string, scope: StateScope): Record<string, string> {
  if (res.headers) return { ...res.headers };
  const now = scope.runtime.clock.now();
  const trace = scope.runtime.random.uuid().replace(/-/g, '').slice(0, 24);
  const headers: Record<string, string> = {
    'X-Amz-Executed-Version': version,
    'x-amzn-Remapped-Content-Length': '0',
    Connection: 'keep-alive',
    'x-amzn-RequestId': requestId,
    'Content-Length': String(new TextEncoder().encode(res.payload).length),
    Date: new Date(now).toUTCString(),
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(now / 1000).toString(16)}-${trace};Sampled=0`,
    'Content-Type': 'application/json',
  };
  if (res.logResult !== undefined) headers['X-Amz-Log-Result'] = res.logResult;
  return headers;
}

/** The result of `arn:aws:states:::lambda:invoke`: the Invoke response with the SDK's metadata. */
function envelope(res: LambdaResponse, payload: Json, scope: StateScope): JsonObject {
  const requestId = res.requestId ?? scope.runtime.random.uuid();
  const version = res.executedVersion ?? '$LATEST';
  const status = res.statusCode ?? 200;
  const headers = headersOf(res, requestId, version, scope);
  const names = Object.keys(headers);
  const ordered = [...ALL_HEADERS_ORDER.filter((h) => names.includes(h)), ...names.filter((h) => !ALL_HEADERS_ORDER.includes(h))];
  const all: JsonObject = {};
  for (const h of ordered) {
    const v = headers[h];
    if (v !== undefined) all[h] = [v];
  }
  const sorted: JsonObject = {};
  for (const h of [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
    const v = headers[h];
    if (v !== undefined) sorted[h] = v;
  }
  const logResult = res.logResult ?? headers['X-Amz-Log-Result'];
  const out: JsonObject = { ExecutedVersion: version };
  if (logResult !== undefined) out.LogResult = logResult;
  out.Payload = payload;
  out.SdkHttpMetadata = { AllHttpHeaders: all, HttpHeaders: sorted, HttpStatusCode: status };
  out.SdkResponseMetadata = { RequestId: requestId };
  out.StatusCode = status;
  return out;
}

/** What the Task gets from a response: its result, or its error. */
function settle(target: LambdaTarget, res: LambdaResponse, scope: StateScope): Json {
  if (res.functionError !== undefined) {
    const body = parseBody(res.payload);
    const error = isObject(body) && typeof body.errorType === 'string' && body.errorType !== '' ? body.errorType : 'Lambda.Unknown';
    // After a function ARN the cause is the payload verbatim; after lambda:invoke it is the same
    // JSON re-serialized compactly, key order kept (task cases test_raise_exception, both kinds).
    const cause = target.kind === 'lambda-function' || body === undefined ? res.payload : JSON.stringify(body);
    throw new StatesError(error, cause);
  }
  const body = parseBody(res.payload);
  // A body that is not JSON (a function returning bytes) arrives as the text itself.
  const payload: Json = body === undefined ? res.payload : body;
  if (target.kind === 'lambda-function' && body === undefined && res.payload === '') return null;
  const result = target.kind === 'lambda-invoke' ? envelope(res, payload, scope) : payload;
  if (byteSizeExceeds(result, RESULT_LIMIT)) {
    const name = target.kind === 'lambda-invoke' ? 'lambda' : target.functionName;
    throw new StatesError(StatesErrors.DataLimitExceeded, causes.dataLimitExceeded(name));
  }
  return result;
}

/** Lets the response's simulated duration pass on the clock; past the Task's TimeoutSeconds it is a timeout. */
function elapse(target: LambdaTarget, res: LambdaResponse, request: TaskRequest, scope: StateScope): Json | Promise<Json> {
  const seconds = res.durationSeconds ?? 0;
  if (seconds <= 0) return settle(target, res, scope);
  const timeout = request.timeoutSeconds;
  const timedOut = timeout !== undefined && seconds >= timeout;
  const slept = scope.runtime.clock.sleep((timedOut ? timeout : seconds) * 1000);
  const after = (): Json => {
    // A Task timeout has no cause (task cases test_fixed_timeout_service_lambda*).
    if (timedOut) throw new StatesError(StatesErrors.Timeout, causes.lambdaTaskTimedOut());
    return settle(target, res, scope);
  };
  return slept instanceof Promise ? slept.then(after) : after();
}

/**
 * Calls a Lambda function for a Task and returns the Task's result (or a promise of it); throws
 * its error as a StatesError.
 */
export function invokeLambda(target: LambdaTarget, request: TaskRequest, scope: StateScope): Json | Promise<Json> | PendingCall {
  const rt = scope.runtime;
  if (target.kind === 'lambda-function' && rt.lambda && !rt.lambdaInvoker) {
    const event = copyPlainJson(request.parameters, target.copies?.event);
    if (event !== NOT_PLAIN) {
      // On this path the handler's request carries its own copy too, never the execution's data
      // (a mock may have seen, and kept, the request: it then gets a request of its own). An
      // invoker, below, gets the execution's parameters frozen, and serializes them.
      const own = rt.mock === undefined ? request : { ...request };
      (own as { parameters: Json }).parameters = event;
      return callInProcess(rt.lambda, target, event, own, scope);
    }
  }
  freezeDeep(request.parameters);
  const invoker = invokerOf(scope, request.stateName);
  const invocation = invocationOf(target, request, scope);
  let res: LambdaResponse | Promise<LambdaResponse>;
  try {
    res = invoker(invocation);
  } catch (e) {
    return callFailed(e, scope);
  }
  if (res instanceof Promise)
    return res.then(
      (r) => elapse(target, wellFormed(r, request), request, scope),
      (e: unknown) => callFailed(e, scope),
    );
  return elapse(target, wellFormed(res, request), request, scope);
}

/**
 * The invoker's response, checked: its payload and headers must be text, as on the wire (an
 * object would go into the execution's data as the invoker's own, shared with it).
 * @throws SetupError naming the state when the invoker broke that contract
 */
function wellFormed(res: LambdaResponse, request: TaskRequest): LambdaResponse {
  const bad =
    res === null || typeof res !== 'object'
      ? `${String(res)} instead of a response`
      : typeof res.payload !== 'string'
        ? `a payload that is not a string (${typeof res.payload})`
        : res.headers != null && Object.values(res.headers).some((v) => typeof v !== 'string')
          ? 'a header value that is not a string'
          : undefined;
  if (bad !== undefined) {
    throw new SetupError(
      `The Lambda invoker for the state '${request.stateName}' returned ${bad}: an invoker returns the response body and headers as text (LambdaResponse).`,
    );
  }
  return res;
}

/**
 * A plain function behind a function ARN, called with plain data (see scheduler.ts copyPlainJson):
 * the handler gets its own copy of the event and the Task its own copy of the result, the values
 * the Node.js runtime's JSON text would give; a result that is not plain data, and every error,
 * take the runtime's wire format exactly as nodeRuntimeInvoker writes it.
 */
function callInProcess(
  handler: LambdaHandler,
  target: LambdaTarget & { kind: 'lambda-function' },
  event: Json,
  request: TaskRequest,
  scope: StateScope,
): Json | Promise<Json> | PendingCall {
  let out: Json | Promise<Json>;
  try {
    out = handler(target.functionName, event, request);
  } catch (e) {
    return settleFailure(target, e, request, scope);
  }
  if (out instanceof Promise) return new InProcessCall(out, target, request);
  const copy = copyPlainJsonMeasured(out === undefined ? null : out, target.copies?.result);
  if (copy !== NOT_PLAIN) return checkedResult(target, copy, scope);
  let res: LambdaResponse;
  try {
    res = requestAnswered(out);
  } catch (e) {
    // As through nodeRuntimeInvoker: a returned value that cannot be serialized is a function error.
    return settleFailure(target, e, request, scope);
  }
  return elapse(target, res, request, scope);
}

/** A handler's pending promise: its value is copied and checked, its error settled, when the thread resumes. */
class InProcessCall extends PendingCall {
  constructor(
    promise: Promise<unknown>,
    private readonly target: LambdaTarget & { kind: 'lambda-function' },
    private readonly request: TaskRequest,
  ) {
    super(promise);
  }

  value(v: unknown, scope: StateScope): Json | Promise<Json> {
    const copy = copyPlainJsonMeasured(v === undefined ? null : v, this.target.copies?.result);
    // The bound goes with the call, not the scope: a call given up on (a Task timeout on the slow
    // path) may settle while the thread runs a later Task, which must not take this bound.
    if (copy !== NOT_PLAIN) return checkedResult(this.target, copy, this);
    let res: LambdaResponse;
    try {
      res = requestAnswered(v as Json);
    } catch (e) {
      // As through nodeRuntimeInvoker: a resolved value that cannot be serialized fails the call.
      return callFailed(e, scope);
    }
    return elapse(this.target, res, this.request, scope);
  }

  error(e: unknown, scope: StateScope): Json | Promise<Json> {
    return settleFailure(this.target, e, this.request, scope);
  }
}

function settleFailure(target: LambdaTarget, e: unknown, request: TaskRequest, scope: StateScope): Json | Promise<Json> {
  let res: LambdaResponse;
  try {
    res = functionFailed(e);
  } catch (thrown) {
    return callFailed(thrown, scope);
  }
  return elapse(target, res, request, scope);
}

/**
 * The result, checked against the Lambda size limit; its size bound goes to `sink` (the Task's
 * scope when the Task takes the result at once, the PendingCall when the thread resumes with it).
 */
function checkedResult(target: LambdaTarget & { kind: 'lambda-function' }, result: Json, sink: { resultSize: number | undefined }): Json {
  // The copy measured the result on the way (copiedSizeBound): the Task carries that bound on
  // instead of walking the result again.
  const bound = copiedSizeBound();
  if (payloadSize(result, RESULT_LIMIT, bound) > RESULT_LIMIT) {
    throw new StatesError(StatesErrors.DataLimitExceeded, causes.dataLimitExceeded(target.functionName));
  }
  sink.resultSize = bound;
  return result;
}
