// Starts a local endpoint on a free loopback port and gives SDK clients pointed at it.
import { SFNClient, CreateStateMachineCommand, DescribeExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { startServer, type ServerOptions, type StepwiseServer } from '../../lib/server/server';

export const ROLE = 'arn:aws:iam::123456789012:role/StepwiseTest';

/** A client as an application would configure one, with `disableHostPrefix` for the sync- operations. */
export function sfnClient(server: StepwiseServer): SFNClient {
  return new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
}

/** Starts a server on 127.0.0.1 with port 0 (and virtual time unless told otherwise). */
export function serve(options: ServerOptions = {}): Promise<StepwiseServer> {
  return startServer({ port: 0, host: '127.0.0.1', ...options });
}

let n = 0;

/** Creates a state machine with a unique name; returns its ARN. */
export async function createMachine(sfn: SFNClient, definition: object, type: 'STANDARD' | 'EXPRESS' = 'STANDARD', prefix = 'sm'): Promise<string> {
  n += 1;
  const r = await sfn.send(new CreateStateMachineCommand({ name: `${prefix}-${n}`, definition: JSON.stringify(definition), roleArn: ROLE, type }));
  return r.stateMachineArn as string;
}

/** Polls DescribeExecution until the execution leaves RUNNING. */
export async function waitForEnd(sfn: SFNClient, executionArn: string, timeoutMs = 10_000): Promise<DescribeExecutionCommandOutput> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    if (Date.now() > until) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Polls until `check` holds. */
export async function eventually<T>(get: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (check(v)) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The error a call rejects with, for assertions on name, message and HTTP status. */
export async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
