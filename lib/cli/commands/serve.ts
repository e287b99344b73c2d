// `stepwise serve`: the local Step Functions endpoint (lib/server) until interrupted, with the
// state machines of a synthesized CDK app created at start and bound to their handlers.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DefinitionError } from '../../asl';
import { readCloudAssembly } from '../../local/assembly';
import type { LocalDynamoDb } from '../../local/dynamodb';
import type { HandlerMode } from '../../local/lambda-runner';
import { readMockConfig, type MockConfigFile } from '../../local/mocks';
import { startServer, type StepwiseServer } from '../../server/server';
import { ApiError } from '../../server/errors';
import { ExitCode } from '../exit-codes';
import { startSeededDynamoDb, type Io } from '../io';

/** Options of `stepwise serve`. */
export interface ServeOptions {
  /** @default 8083 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Cloud assembly whose state machines are created at start. */
  readonly app?: string;
  /** Step Functions Local mock file; start `<stateMachineArn>#<TestCase>` to use a test case. */
  readonly mock?: string;
  /** Waits and retries take no real time. */
  readonly virtualTime?: boolean;
  readonly handlers?: HandlerMode;
  /** With `--handlers aws`: the Lambda endpoint to invoke (e.g. another `stepwise serve`). */
  readonly lambdaEndpoint?: string;
  /** Start a local DynamoDB with the app's tables for the handlers. */
  readonly localDynamodb?: boolean;
  /** Items for the local tables: `{ "<table logical id or part of it>": [items] }`. */
  readonly seed?: string;
}

/** Resolves on SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/**
 * Serves until `until` resolves (Ctrl-C by default); prints the endpoint URL and the ARNs of the
 * app's state machines. Returns LOAD_ERROR when the app, the mock file or the port cannot be used.
 */
export async function serveCommand(options: ServeOptions, io: Io, until: Promise<void> = untilSignal()): Promise<ExitCode> {
  let mockFile: MockConfigFile | undefined;
  let stacks: ReturnType<typeof readCloudAssembly> = [];
  let dynamo: LocalDynamoDb | undefined;
  let server: StepwiseServer;
  try {
    if (options.mock) mockFile = readMockConfig(options.mock);
    if (options.app) stacks = readCloudAssembly(options.app);
    if (options.lambdaEndpoint && options.handlers !== 'aws') throw new Error('--lambda-endpoint is used with --handlers aws');
    if (options.seed && !options.localDynamodb) throw new Error('--seed fills the tables of --local-dynamodb: add --local-dynamodb');
    if (options.localDynamodb) {
      dynamo = await startSeededDynamoDb(stacks, options.seed, io);
    }
    const lambdaClient = options.lambdaEndpoint
      ? new LambdaClient({ endpoint: options.lambdaEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })
      : undefined;
    server = await startServer({
      port: options.port ?? 8083,
      host: options.host ?? '127.0.0.1',
      stacks,
      mockFile,
      virtualTime: options.virtualTime ?? false,
      handlerOptions: { mode: options.handlers, environment: dynamo?.environment, lambdaClient },
      dynamodb: dynamo,
    });
  } catch (e) {
    await dynamo?.stop();
    const message = e instanceof DefinitionError || e instanceof ApiError ? `A state machine of the app is invalid: ${e.message}` : (e as Error).message;
    io.err(`${message}\n`);
    return ExitCode.LOAD_ERROR;
  }
  io.out(`Step Functions API and Lambda Invoke listening on ${server.url} (${options.virtualTime ? 'virtual' : 'real'} time)\n`);
  for (const [name, arn] of server.stateMachines) io.out(`  ${name.padEnd(36)} ${arn}\n`);
  io.out(`\n  aws stepfunctions --endpoint-url ${server.url} list-state-machines\n`);
  await until;
  await server.close();
  await dynamo?.stop();
  return ExitCode.OK;
}
