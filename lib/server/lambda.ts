// The Lambda Invoke endpoint (`POST /2015-03-31/functions/{name}/invocations`), serving the app's
// handlers and the inline ones, so code that calls Lambda through @aws-sdk/client-lambda, and
// Stepwise's own real-Lambda handler mode, can run against local handlers.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LambdaServiceError, StatesError, type Json } from '../asl';
import { apiMessages } from '../asl/causes';
import type { ExecutionEngine } from './executions';

/** Path of an Invoke request; the function name is URL-encoded (it may be an ARN). */
export const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': randomUUID(), ...headers });
  res.end(body);
}

/** Lambda's restJson1 error: `x-amzn-ErrorType` names it, the body carries Type and message. */
function lambdaError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, JSON.stringify({ Type: 'User', message }), { 'x-amzn-ErrorType': type });
}

/** The function error payload the Node.js runtime returns: `{ errorType, errorMessage, trace }`. */
function errorPayload(e: unknown): string {
  if (e instanceof StatesError) {
    // The local runner already renders the runtime's payload as the cause.
    if (e.cause?.startsWith('{')) return e.cause;
    return JSON.stringify({ errorType: e.error ?? 'Error', errorMessage: e.cause ?? '' });
  }
  if (e instanceof Error)
    return JSON.stringify({
      errorType: e.name || 'Error',
      errorMessage: e.message,
      trace: (e.stack ?? '')
        .split('\n')
        .slice(1)
        .map((l) => l.trim()),
    });
  return JSON.stringify({ errorType: 'Error', errorMessage: String(e) });
}

/** Answers one Invoke request whose body has been read. */
export async function handleInvoke(engine: ExecutionEngine, req: IncomingMessage, res: ServerResponse, encodedName: string, body: Buffer): Promise<void> {
  const name = decodeURIComponent(encodedName);
  if (!engine.serves(name)) return lambdaError(res, 404, 'ResourceNotFoundException', apiMessages.lambdaFunctionNotFound(name));
  const text = body.length === 0 ? '{}' : body.toString('utf8');
  let payload: Json;
  try {
    payload = JSON.parse(text) as Json;
  } catch (e) {
    return lambdaError(res, 400, 'InvalidRequestContentException', apiMessages.lambdaBodyNotJson((e as Error).message));
  }
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
    return lambdaError(res, 400, 'InvalidParameterValueException', `X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, got '${type}'`);
  }
  if (type === 'DryRun') return send(res, 204, '');
  const invoke = () =>
    Promise.resolve().then(() =>
      engine.lambda({
        functionName: name,
        payload: text,
        invocationType: 'RequestResponse',
        request: { stateName: '', resource: name, parameters: payload, retryCount: 0 },
      }),
    );
  if (type === 'Event') {
    // Asynchronous invocation: accepted at once; the handler's outcome is not reported.
    invoke().catch(() => undefined);
    return send(res, 202, '');
  }
  try {
    const out = await invoke();
    const headers: Record<string, string> = { 'X-Amz-Executed-Version': out.executedVersion ?? '$LATEST' };
    if (out.functionError !== undefined) headers['X-Amz-Function-Error'] = out.functionError;
    if (out.logResult !== undefined) headers['X-Amz-Log-Result'] = out.logResult;
    send(res, out.statusCode ?? 200, out.payload, headers);
  } catch (e) {
    if (e instanceof LambdaServiceError) return lambdaError(res, e.statusCode, e.errorCode, e.message);
    send(res, 200, errorPayload(e), { 'X-Amz-Executed-Version': '$LATEST', 'X-Amz-Function-Error': 'Unhandled' });
  }
}
