// Runs the Lambda functions a state machine calls: the handler's source in-process, the esbuild
// bundle from the cloud assembly, inline code, or the deployed function through the Lambda API.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaServiceError, SetupError, nodeRuntimeError, nodeRuntimeResult, type LambdaInvocation, type LambdaInvoker, type LambdaResponse } from '../asl';
import { apiMessages } from '../asl/causes';
import type { LocalFunction } from './state-machines';

/** How to run a function. `auto`: the TypeScript source when a TS loader is active, else the bundle. */
export type HandlerMode = 'auto' | 'source' | 'asset' | 'aws';

/** Options for running functions. */
export interface LambdaRunnerOptions {
  /** @default 'auto' */
  readonly mode?: HandlerMode;
  /** Variables added to (and overriding) every function's environment. */
  readonly environment?: Record<string, string>;
  /** Express at-least-once delivery: run every invocation twice and keep the second result. @default false */
  readonly replay?: boolean;
  /** For mode `aws`: the client, and deployed names by logical id or construct path. */
  readonly lambdaClient?: LambdaClient;
  readonly deployedNames?: Record<string, string>;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** The account in ARNs of functions that are not found. @default '123456789012' */
  readonly accountId?: string;
}

type Handler = (event: unknown, context: LambdaContext) => unknown;

/** The context object Node.js handlers receive. */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

function tsLoaderActive(): boolean {
  // tsx registers a .ts require hook; Jest transforms TypeScript itself.
  return Boolean((require.extensions as Record<string, unknown>)['.ts']) || process.env.JEST_WORKER_ID !== undefined;
}

function chooseSource(fn: LocalFunction, mode: HandlerMode): { file: string; exportName: string } {
  const [fileBase, exportName] = splitHandler(fn.handler);
  const asset = fn.assetDir ? join(fn.assetDir, `${fileBase}.js`) : undefined;
  const sourceOk = fn.entry !== undefined && existsSync(fn.entry) && (!/\.tsx?$/.test(fn.entry) || tsLoaderActive());
  if (mode === 'source' || (mode === 'auto' && sourceOk)) {
    if (!fn.entry)
      throw new SetupError(
        `Function ${fn.constructPath ?? fn.logicalId} has no known source entry (entries are known for Stepwise's constructs and for NodejsFunctions of a Stack passed to loadStateMachine); use mode 'asset'`,
      );
    if (!existsSync(fn.entry)) throw new SetupError(`The source of function ${fn.constructPath ?? fn.logicalId} was not found at ${fn.entry}`);
    // Source entries export the same name as the bundle's handler.
    return { file: fn.entry, exportName };
  }
  if (asset && existsSync(asset)) return { file: asset, exportName };
  if (fn.inlineCode !== undefined) {
    const dir = join(tmpdir(), `stepwise-inline-${createHash('sha256').update(fn.inlineCode).digest('hex').slice(0, 16)}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${fileBase}.js`);
    if (!existsSync(file)) writeFileSync(file, fn.inlineCode);
    return { file, exportName };
  }
  throw new SetupError(
    `No code found to run function ${fn.constructPath ?? fn.logicalId}: no bundled asset${fn.assetDir ? ` at ${asset}` : ''} (an app that skips bundling, such as testApp(), has none: use testApp({ bundling: true })), no inline code${fn.entry ? `, and its source ${fn.entry} needs a TypeScript loader (run under tsx or Jest)` : ''}`,
  );
}

function splitHandler(handler: string): [string, string] {
  const i = handler.lastIndexOf('.');
  return i < 0 ? [handler, 'handler'] : [handler.slice(0, i), handler.slice(i + 1)];
}

async function loadHandler(file: string, exportName: string, fn: LocalFunction): Promise<Handler> {
  const mod = (await import(file)) as Record<string, unknown>;
  const h = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof h !== 'function') throw new SetupError(`${file} does not export a function '${exportName}' (handler of ${fn.constructPath ?? fn.logicalId})`);
  return h as Handler;
}

// In-process handlers share process.env. Each invocation sets its function's variables; the
// originals come back only when no invocation is running, so concurrent Map iterations and
// Parallel branches never see a variable vanish mid-call.
let activeInvocations = 0;
const originalEnv = new Map<string, string | undefined>();

function enterEnvironment(env: Record<string, string>): void {
  activeInvocations += 1;
  for (const [k, v] of Object.entries(env)) {
    if (!originalEnv.has(k)) originalEnv.set(k, process.env[k]);
    process.env[k] = v;
  }
}

function leaveEnvironment(): void {
  activeInvocations -= 1;
  if (activeInvocations > 0) return;
  for (const [k, v] of originalEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  originalEnv.clear();
}

/** Runs a handler with its environment, a realistic context and its timeout; answers as the Node.js runtime does. */
async function runInProcess(handler: Handler, fn: LocalFunction, invocation: LambdaInvocation, extraEnv: Record<string, string>): Promise<LambdaResponse> {
  const requestId = randomUUID();
  if (invocation.invocationType === 'DryRun') return { statusCode: 204, payload: '', requestId };
  let event: unknown;
  try {
    event = JSON.parse(invocation.payload);
  } catch (e) {
    // Lambda refuses a request body that is not JSON before any function runs.
    throw new LambdaServiceError('InvalidRequestContentException', apiMessages.lambdaBodyNotJson((e as Error).message), 400, requestId);
  }
  const env = { AWS_LAMBDA_FUNCTION_NAME: fn.functionName, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb), ...fn.environment, ...extraEnv };
  enterEnvironment(env);
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const context: LambdaContext = {
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, '')}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = Symbol('timeout');
  try {
    const timeout = new Promise<typeof timedOut>((resolve) => {
      timer = setTimeout(() => resolve(timedOut), fn.timeoutSeconds * 1000);
      timer.unref?.();
    });
    let out: unknown;
    try {
      out = await Promise.race([Promise.resolve(handler(event, context)), timeout]);
    } catch (e) {
      return { payload: nodeRuntimeError(e).payload, functionError: 'Unhandled', requestId };
    }
    if (out === timedOut) {
      const errorMessage = `${new Date().toISOString()} ${requestId} Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`;
      return { payload: JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage }), functionError: 'Unhandled', requestId };
    }
    if (invocation.invocationType === 'Event') return { statusCode: 202, payload: '', requestId };
    return { payload: nodeRuntimeResult(out), requestId };
  } finally {
    if (timer) clearTimeout(timer);
    leaveEnvironment();
  }
}

async function runRemote(client: LambdaClient, name: string, invocation: LambdaInvocation): Promise<LambdaResponse> {
  // The SDK loads only in mode 'aws': local runs never pay for it (nor see its Node.js warnings).
  const sdk = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
  try {
    const res = await client.send(
      new sdk.InvokeCommand({
        FunctionName: name,
        Payload: Buffer.from(invocation.payload),
        InvocationType: invocation.invocationType,
        LogType: invocation.logType,
        Qualifier: invocation.qualifier,
        ClientContext: invocation.clientContext,
      }),
    );
    return {
      statusCode: res.StatusCode,
      executedVersion: res.ExecutedVersion,
      payload: res.Payload ? Buffer.from(res.Payload).toString('utf8') : '',
      functionError: res.FunctionError,
      requestId: res.$metadata.requestId,
      logResult: res.LogResult,
    };
  } catch (e) {
    // An API error (unknown function, throttling...) becomes Lambda.<Code> with the Java SDK's cause.
    if (e instanceof sdk.LambdaServiceException) throw new LambdaServiceError(e.name, e.message, e.$metadata.httpStatusCode ?? 500, e.$metadata.requestId);
    throw e;
  }
}

function newLambdaClient(region: string): LambdaClient {
  const sdk = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
  return new sdk.LambdaClient({ region });
}

/** Builds the interpreter's Lambda invoker for a stack's functions. */
export function createLambdaInvoker(functions: ReadonlyMap<string, LocalFunction>, options: LambdaRunnerOptions = {}): LambdaInvoker {
  const mode = options.mode ?? 'auto';
  const handlers = new Map<string, Promise<Handler>>();
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const client = mode === 'aws' ? (options.lambdaClient ?? newLambdaClient(region)) : undefined;
  const lookup = (invocation: LambdaInvocation): LocalFunction => {
    const name = invocation.functionName;
    // A qualified name or ARN (`:$LATEST`, `:3`, `:live`) runs the same local code.
    const fn = functions.get(name) ?? functions.get(name.replace(/:[^:]+$/, ''));
    if (fn) return fn;
    // With no function at all (a definition file run on its own) nothing could ever answer: a setup
    // problem, not the workflow's behaviour, so it aborts the run instead of failing the Task.
    if (functions.size === 0) {
      throw new SetupError(
        `No code to run the Lambda function ${name}: no Lambda functions are known to this run: mock the task (--mock, or the mocks option), or run a state machine of a synthesized app`,
      );
    }
    // As Lambda reports it (task case test_no_such_function under lambda:invoke).
    const arn = /^arn:[\w-]+:lambda:([\w-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(name);
    const [fnRegion, account, fnName, qualifier] = arn
      ? [arn[1], arn[2], arn[3], arn[4]]
      : [region, options.accountId ?? '123456789012', name.split(':')[0], name.split(':')[1]];
    throw new LambdaServiceError(
      'ResourceNotFoundException',
      apiMessages.lambdaFunctionNotFound(`arn:aws:lambda:${fnRegion}:${account}:function:${fnName}:${invocation.qualifier ?? qualifier ?? '$LATEST'}`),
      404,
      randomUUID(),
    );
  };
  return async (invocation) => {
    const fn = lookup(invocation);
    if (client) {
      const deployed = options.deployedNames?.[fn.logicalId] ?? (fn.constructPath ? options.deployedNames?.[fn.constructPath] : undefined) ?? fn.functionName;
      if (options.replay) await runRemote(client, deployed, invocation);
      return runRemote(client, deployed, invocation);
    }
    let loading = handlers.get(fn.logicalId);
    if (!loading) {
      const { file, exportName } = chooseSource(fn, mode);
      loading = loadHandler(file, exportName, fn);
      handlers.set(fn.logicalId, loading);
    }
    const handler = await loading;
    if (options.replay) await runInProcess(handler, fn, invocation, options.environment ?? {});
    return runInProcess(handler, fn, invocation, options.environment ?? {});
  };
}
