// The local Step Functions endpoint: Node's http server speaking the awsJson1_0 protocol
// (`X-Amz-Target: AWSStepFunctions.<Operation>`) plus the Lambda Invoke API, on loopback by
// default. Requests may be signed or not: signatures are accepted and never checked.
// Node's http module is enough here: two routes, JSON in and out, no middleware to share.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiMessages } from '../asl/causes';
import { Outbox, type LocalResources } from '../local/integrations';
import type { LambdaRunnerOptions } from '../local/lambda-runner';
import type { MockConfigFile } from '../local/mocks';
import { LOCAL_ENV, stateMachinesOf, type LocalFunction, type LocalStateMachine } from '../local/state-machines';
import type { StackArtifact } from '../local/template';
import { ActivityQueues } from './activities';
import { activityActions } from './actions/activities';
import type { Action, ServerContext } from './actions/context';
import { executionActions, startIn } from './actions/executions';
import { createStateMachine, stateMachineActions } from './actions/state-machines';
import { tagActions } from './actions/tags';
import { testStateActions } from './actions/test-state';
import { taskActions } from './actions/tasks';
import { ApiError } from './errors';
import { ExecutionEngine, type InlineHandler } from './executions';
import { checkName } from './input';
import { handleInvoke, INVOKE_PATH } from './lambda';
import { Store, type StoredStateMachine } from './store';

/** Options of `startServer`. */
export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. @default 8083 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' (loopback only) */
  readonly host?: string;
  /** Stacks (e.g. `readCloudAssembly('cdk.out')`) whose state machines are created at start, bound to their handlers. */
  readonly stacks?: readonly StackArtifact[];
  /** How the stacks' Lambda handlers run (source, bundle, or a Lambda client for real Lambda). */
  readonly handlerOptions?: LambdaRunnerOptions;
  /** Lambda handlers served in-process by function name, for state machines created through the API. */
  readonly handlers?: Readonly<Record<string, InlineHandler>>;
  /** A Step Functions Local mock file; start `<stateMachineArn>#<TestCase>` to use a test case. */
  readonly mockFile?: MockConfigFile;
  /** Run executions on a virtual clock (Waits cost nothing) instead of wall-clock time. @default false */
  readonly virtualTime?: boolean;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** How long GetActivityTask waits for a task, in ms. @default 60000 (as AWS) */
  readonly activityPollMs?: number;
  /** Largest Step Functions request body, in bytes. @default 1 MiB (AWS's API request limit) */
  readonly maxRequestBytes?: number;
  /**
   * The local DynamoDB that DynamoDB Tasks use (e.g. a `startLocalDynamoDb(stacks)`); without it,
   * StartExecution refuses state machines with such Tasks (unless a mock test case covers them).
   */
  readonly dynamodb?: { readonly endpoint: string };
  /** Where SQS, SNS and EventBridge Tasks record what they send. @default a new Outbox */
  readonly outbox?: Outbox;
}

/** A running endpoint. */
export interface StepwiseServer {
  /** Base URL, e.g. `http://127.0.0.1:8083`: the SDK's `endpoint`, the CLI's `--endpoint-url`. */
  readonly url: string;
  readonly port: number;
  /** State machines created from the stacks, by name. */
  readonly stateMachines: ReadonlyMap<string, string>;
  /** What every execution's SQS, SNS and EventBridge Tasks sent (nothing leaves the machine). */
  readonly outbox: Outbox;
  /** Stops listening, answers waiting activity workers, stops running executions. */
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const NAMESPACE = 'com.amazonaws.sfn';
/** Lambda's synchronous invocation payload limit (6 MB). */
const MAX_INVOKE_BYTES = 6 * 1024 * 1024;

const ACTIONS: Record<string, Action> = { ...stateMachineActions, ...executionActions, ...taskActions, ...activityActions, ...tagActions, ...testStateActions };

/** Operations of the Step Functions API this endpoint serves. */
export const OPERATIONS: readonly string[] = Object.keys(ACTIONS).sort();

/** Reads a body up to `limit` bytes; beyond that, the rest is drained and `undefined` returned. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (!over) chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON with dates as epoch seconds, as awsJson1_0 encodes timestamps. */
function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(body);
}

function replyError(res: ServerResponse, e: ApiError): void {
  reply(res, e.status, JSON.stringify(e.toBody(NAMESPACE)), { 'x-amzn-ErrorType': e.type });
}

/** Answers one Step Functions request. */
async function handleSfn(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, limit: number): Promise<void> {
  const body = await readBody(req, limit);
  if (body === undefined)
    return replyError(res, new ApiError('RequestEntityTooLargeException', `The request is larger than ${limit} bytes, the Step Functions API request limit`));
  const target = req.headers['x-amz-target'];
  if (typeof target !== 'string' || target.length === 0)
    return replyError(res, new ApiError('UnknownOperationException', 'The request has no X-Amz-Target header (expected AWSStepFunctions.<Operation>)'));
  if (!target.startsWith(TARGET_PREFIX))
    return replyError(
      res,
      new ApiError(
        'UnknownOperationException',
        `Unknown target '${target}': this endpoint serves AWSStepFunctions.<Operation> (and Lambda Invoke at /2015-03-31/functions/<name>/invocations)`,
      ),
    );
  const operation = target.slice(TARGET_PREFIX.length);
  const action = Object.hasOwn(ACTIONS, operation) ? ACTIONS[operation] : undefined;
  if (!action)
    return replyError(res, new ApiError('UnknownOperationException', `Unknown operation '${operation}'; stepwise serve serves: ${OPERATIONS.join(', ')}`));
  let input: unknown;
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (e) {
    return replyError(res, new ApiError('SerializationException', `The request body is not valid JSON: ${(e as Error).message}`));
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return replyError(res, new ApiError('SerializationException', 'The request body must be a JSON object'));
  const out = await action(ctx, input as Record<string, unknown>);
  reply(res, 200, encode(out ?? {}));
}

/**
 * The resources of every stack, for machines created through the API (which belong to no stack):
 * their Tasks reach any table, queue, topic and bus of the app, and the default bus.
 */
function mergeResources(machines: readonly LocalStateMachine[], region: string, accountId: string): Omit<LocalResources, 'stateMachines'> {
  const defaultBus = `arn:aws:events:${region}:${accountId}:event-bus/default`;
  const tables = new Set<string>();
  const queues = new Map<string, string>();
  const topics = new Set<string>();
  const buses = new Map<string, string>([
    ['default', 'default'],
    [defaultBus, 'default'],
  ]);
  for (const r of new Set(machines.map((m) => m.resources))) {
    if (!r) continue;
    for (const t of r.tables) tables.add(t);
    for (const [k, v] of r.queues) queues.set(k, v);
    for (const t of r.topics) topics.add(t);
    for (const [k, v] of r.buses) buses.set(k, v);
  }
  return { tables, queues, topics, buses };
}

/**
 * Starts the local Step Functions endpoint.
 * @example
 * const server = await startServer({ port: 0, stacks: readCloudAssembly('cdk.out') });
 * const sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', disableHostPrefix: true });
 */
export async function startServer(options: ServerOptions = {}): Promise<StepwiseServer> {
  const region = options.region ?? LOCAL_ENV.region;
  const accountId = options.accountId ?? LOCAL_ENV.account;
  const machines = (options.stacks ?? []).flatMap((s) => stateMachinesOf(s, { ...LOCAL_ENV, region, account: accountId }));
  const functions = new Map<string, LocalFunction>();
  for (const m of machines) for (const [k, f] of m.functions) functions.set(k, f);
  const store = new Store();
  const outbox = options.outbox ?? new Outbox();
  // The definition ARN of an app machine (how its stack's definitions name it) → its ARN here.
  const appArns = new Map<string, string>();
  const shared = mergeResources(machines, region, accountId);
  const asLocal = (sm: StoredStateMachine, arn: string): LocalStateMachine => ({
    stackName: '',
    logicalId: sm.name,
    name: sm.name,
    arn,
    type: sm.type,
    definition: sm.machine.definition,
    machine: sm.machine,
    functions: sm.functions ?? functions,
  });
  // states:startExecution finds its target among every machine of this endpoint, by ARN or name.
  const localMachines = (): LocalStateMachine[] => [
    ...[...store.stateMachines.values()].map((sm) => asLocal(sm, sm.arn)),
    ...[...appArns].flatMap(([alias, arn]) => {
      const sm = store.stateMachines.get(arn);
      return sm && alias !== arn ? [asLocal(sm, alias)] : [];
    }),
  ];
  const activities = new ActivityQueues((token) => engine.isOpen(token));
  const engine: ExecutionEngine = new ExecutionEngine({
    region,
    accountId,
    virtualTime: options.virtualTime ?? false,
    functions,
    inlineHandlers: options.handlers ?? {},
    handlerOptions: options.handlerOptions ?? {},
    mockFile: options.mockFile,
    activityTask: (request, token) => {
      if (!store.activities.has(request.resource)) {
        throw new ApiError(
          'ActivityDoesNotExist',
          `${apiMessages.activityDoesNotExist(request.resource)} (state '${request.stateName}'): create it with CreateActivity first`,
        );
      }
      activities.dispatch(request.resource, token, request.parameters);
    },
    integrations: {
      dynamodb: options.dynamodb,
      outbox,
      resources: (sm) => ({ ...(sm.resources ?? shared), stateMachines: localMachines }),
      startChild: (machine, input, name, clock) => {
        const sm = store.stateMachines.get(appArns.get(machine.arn) ?? machine.arn);
        if (!sm) throw new ApiError('StateMachineDoesNotExist', apiMessages.stateMachineDoesNotExist(machine.arn));
        const childName = name ?? randomUUID();
        checkName(childName, 'execution');
        return startIn(ctx, sm, childName, JSON.stringify(input), input, undefined, clock);
      },
    },
  });
  const ctx: ServerContext = { store, engine, activities, region, accountId, activityPollMs: options.activityPollMs ?? 60_000 };
  const created = new Map<string, string>();
  for (const m of machines) {
    // A machine without a physical name is named after its logical id, which repeats across
    // stacks of one app (Standard and Express order stacks): prefix the stack name, as
    // CloudFormation makes generated names unique.
    const name = m.name === m.logicalId ? `${m.stackName}-${m.logicalId}`.slice(0, 80) : m.name;
    if (created.has(name))
      throw new Error(`Two state machines of the app are both named '${name}' (${m.constructPath ?? m.logicalId}); give them distinct stateMachineName props`);
    const sm = createStateMachine(ctx, name, JSON.stringify(m.definition), m.type, `arn:aws:iam::${accountId}:role/StepwiseLocalRole`, {
      source: m.constructPath,
      functions: m.functions,
      resources: m.resources,
    });
    created.set(sm.name, sm.arn);
    appArns.set(m.arn, sm.arn);
  }
  const limit = options.maxRequestBytes ?? 1024 * 1024;

  const server: Server = createServer((req, res) => {
    const [path = '/'] = (req.url ?? '/').split('?');
    const invoked = INVOKE_PATH.exec(path)?.[1];
    const work = (async () => {
      if (req.method !== 'POST')
        return replyError(
          res,
          new ApiError(
            'UnknownOperationException',
            `${req.method} ${path} is not served: send POST / with X-Amz-Target, or POST /2015-03-31/functions/<name>/invocations`,
          ),
        );
      if (invoked !== undefined) {
        const body = await readBody(req, MAX_INVOKE_BYTES);
        if (body === undefined)
          return reply(res, 413, JSON.stringify({ Type: 'User', message: apiMessages.lambdaRequestTooLarge(MAX_INVOKE_BYTES) }), {
            'x-amzn-ErrorType': 'RequestTooLargeException',
          });
        return handleInvoke(engine, req, res, invoked, body);
      }
      if (path !== '/') return replyError(res, new ApiError('UnknownOperationException', `POST ${path} is not served: the Step Functions API is at POST /`));
      return handleSfn(ctx, req, res, limit);
    })();
    work.catch((e: unknown) => {
      if (e instanceof ApiError) return replyError(res, e);
      // A bug, not a crash: the client gets a 500 naming it and the server goes on.
      replyError(res, new ApiError('InternalFailure', `Internal error in stepwise serve: ${e instanceof Error ? e.message : String(e)}`));
    });
  });
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8083, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    stateMachines: created,
    outbox,
    async close() {
      activities.close();
      for (const run of [...engine.running]) engine.stop(run, 'Stepwise.ServerClosed', 'The local endpoint was closed.');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
