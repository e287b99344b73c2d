// Runs the Lambda functions a state machine calls: the handler's source in-process, the esbuild
// bundle from the cloud assembly, inline code, or the deployed function through the Lambda API.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { SetupError, StatesError, type Json, type LambdaInvoker } from '../asl';
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
    if (!fn.entry) throw new SetupError(`Function ${fn.constructPath ?? fn.logicalId} has no known source entry (entries are known for Stepwise's constructs and for NodejsFunctions of a Stack passed to loadStateMachine); use mode 'asset'`);
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

/** Runs a handler with its environment, a realistic context and its timeout. */
async function runInProcess(handler: Handler, fn: LocalFunction, event: Json, extraEnv: Record<string, string>): Promise<Json> {
  const env = { AWS_LAMBDA_FUNCTION_NAME: fn.functionName, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb), ...fn.environment, ...extraEnv };
  enterEnvironment(env);
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  const requestId = randomUUID();
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
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const message = `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`;
        reject(new StatesError('Sandbox.Timedout', JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: message })));
      }, fn.timeoutSeconds * 1000);
      timer.unref?.();
    });
    const out = await Promise.race([Promise.resolve(handler(structuredClone(event), context)), timeout]);
    return out === undefined ? null : (JSON.parse(JSON.stringify(out)) as Json);
  } finally {
    if (timer) clearTimeout(timer);
    leaveEnvironment();
  }
}

async function runRemote(client: LambdaClient, name: string, event: Json): Promise<Json> {
  const { InvokeCommand } = await import('@aws-sdk/client-lambda');
  const res = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  const text = res.Payload ? Buffer.from(res.Payload).toString('utf8') : 'null';
  if (res.FunctionError) {
    let body: { errorType?: string; errorMessage?: string } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not JSON: report it as the cause below.
    }
    throw new StatesError(body.errorType ?? 'Lambda.Unknown', text);
  }
  return text === '' ? null : (JSON.parse(text) as Json);
}

function newLambdaClient(region: string): LambdaClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
  return new sdk.LambdaClient({ region });
}

/** Builds the interpreter's Lambda invoker for a stack's functions. */
export function createLambdaInvoker(functions: ReadonlyMap<string, LocalFunction>, options: LambdaRunnerOptions = {}): LambdaInvoker {
  const mode = options.mode ?? 'auto';
  const handlers = new Map<string, Promise<Handler>>();
  // The SDK loads only in mode 'aws': local runs never pay for it (nor see its Node.js warnings).
  const client = mode === 'aws' ? (options.lambdaClient ?? newLambdaClient(options.region ?? process.env.AWS_REGION ?? 'us-east-1')) : undefined;
  const lookup = (name: string): LocalFunction => {
    // A qualified name or ARN (`:$LATEST`, `:3`, `:live`) runs the same local code.
    const fn = functions.get(name) ?? functions.get(name.replace(/:[^:]+$/, ''));
    if (!fn) {
      const known = [...new Set([...functions.values()].map((f) => f.functionName))];
      throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${name} (${known.length > 0 ? `not a function of this stack; known: ${known.join(', ')}` : 'no Lambda functions are known to this run: mock the task, or run a state machine of a synthesized app'})`);
    }
    return fn;
  };
  return async (functionName, payload) => {
    const fn = lookup(functionName);
    if (client) {
      const deployed = options.deployedNames?.[fn.logicalId] ?? (fn.constructPath ? options.deployedNames?.[fn.constructPath] : undefined) ?? fn.functionName;
      if (options.replay) await runRemote(client, deployed, payload);
      return runRemote(client, deployed, payload);
    }
    let loading = handlers.get(fn.logicalId);
    if (!loading) {
      const { file, exportName } = chooseSource(fn, mode);
      loading = loadHandler(file, exportName, fn);
      handlers.set(fn.logicalId, loading);
    }
    const handler = await loading;
    if (options.replay) await runInProcess(handler, fn, payload, options.environment ?? {});
    return runInProcess(handler, fn, payload, options.environment ?? {});
  };
}
