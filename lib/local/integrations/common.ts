// What every local service integration shares: the outbox tests assert on, the SDK metadata
// optimized integrations add to their results, and AWS's error names for SDK exceptions.
import type { Execution, Json, JsonObject, SeededRandom, TaskRequest } from '../../asl';
import { StatesError } from '../../asl';
import { causes } from '../../asl/causes';
import type { LocalStateMachine } from '../state-machines';

/** A message a workflow sent to SQS, SNS or EventBridge, as recorded in the outbox. */
export interface SentMessage {
  readonly service: 'sqs' | 'sns' | 'events';
  /** Queue URL, topic ARN (or target/phone number) or event bus name. */
  readonly target: string;
  /** The message body (SQS, SNS: parsed when it is JSON) or the event entry (EventBridge). */
  readonly message: Json;
  /** The Task state that sent it. */
  readonly stateName: string;
  /** The id the service answered with (MessageId, EventId). */
  readonly id: string;
}

/** Where local runs record what they send; one per run unless a test shares one. */
export class Outbox {
  private readonly items: SentMessage[] = [];

  /** Everything sent so far, in order. */
  get sent(): readonly SentMessage[] {
    return this.items;
  }

  /** @internal */
  record(message: SentMessage): void {
    this.items.push(message);
  }

  /** Messages sent to one service (and target, when given: exact, or a part of the URL/ARN/name). */
  to(service: SentMessage['service'], target?: string): SentMessage[] {
    return this.items.filter(
      (m) => m.service === service && (target === undefined || m.target === target || m.target.endsWith(`/${target}`) || m.target.endsWith(`:${target}`)),
    );
  }
}

/** The resources of the app a state machine belongs to, as the integrations find them. */
export interface LocalResources {
  /** Table names (physical) of the stack. */
  readonly tables: ReadonlySet<string>;
  /** Queues by URL, ARN and name → the queue's URL. */
  readonly queues: ReadonlyMap<string, string>;
  /** Topic ARNs. */
  readonly topics: ReadonlySet<string>;
  /** Event buses by name and ARN → the bus name (`default` is always there). */
  readonly buses: ReadonlyMap<string, string>;
  /** The state machines of the same stack. */
  readonly stateMachines: () => readonly LocalStateMachine[];
}

/** What one run gives the integrations. */
export interface IntegrationContext {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly random: SeededRandom;
  /** The execution clock's time (ms since the epoch). */
  now(): number;
  readonly outbox: Outbox;
  readonly resources: LocalResources | undefined;
  /** The local DynamoDB endpoint, when one runs. */
  readonly dynamodbEndpoint: string | undefined;
  /** Starts a state machine of the app as a child execution. */
  startChild(machine: LocalStateMachine, input: Json, name: string | undefined, parent: TaskRequest): Execution;
  /**
   * Finds the execution waiting on a task token (for `sfn:sendTaskSuccess` and friends). A child
   * can answer before its parent has begun to wait, so this gives the parent a few turns.
   */
  executionForToken(token: string): Promise<Execution | undefined>;
}

/** One service: validates a Task's parameters before the run, and serves its calls. */
export interface Integration {
  /** Why this resource cannot run (unknown action, unsupported pattern), or undefined when it can. */
  refuse(action: string, pattern: Pattern, sdk: boolean): string | undefined;
  /** The parameter names the action accepts (checked before the run), or undefined to accept any. */
  parameters?(action: string, sdk: boolean): ReadonlySet<string> | undefined;
  call(action: string, pattern: Pattern, sdk: boolean, request: TaskRequest, ctx: IntegrationContext): Json | Promise<Json>;
}

export type Pattern = 'request-response' | 'sync' | 'sync:2' | 'wait-for-task-token';

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The request's parameters as an object, or a States.Runtime naming the resource. */
export function parametersOf(request: TaskRequest): JsonObject {
  if (!isObject(request.parameters))
    throw new StatesError(
      'States.Runtime',
      `The parameters of ${request.resource} (state '${request.stateName}') must be an object, got ${JSON.stringify(request.parameters)}`,
    );
  return request.parameters;
}

/** A required string parameter; AWS's SDK rejects the call without it. */
export function requiredString(p: JsonObject, field: string, request: TaskRequest, errorPrefix: string): string {
  const v = p[field];
  if (typeof v !== 'string' || v === '') {
    throw new StatesError(
      `${errorPrefix}.ValidationException`,
      `The field '${field}' of ${request.resource} (state '${request.stateName}') is required and must be a non-empty string, got ${JSON.stringify(v) ?? 'nothing'}`,
    );
  }
  return v;
}

/**
 * The metadata optimized integrations built on the Java SDK v1 add to the API response
 * (the same shape the lambda:invoke envelope carries).
 */
export function sdkMetadata(ctx: IntegrationContext, body: Json, contentType: string): JsonObject {
  const requestId = ctx.random.uuid();
  const length = String(Buffer.byteLength(JSON.stringify(body)));
  const headers: Record<string, string> = {
    'Content-Length': length,
    'Content-Type': contentType,
    Date: new Date().toUTCString(),
    'x-amzn-RequestId': requestId,
  };
  const all: JsonObject = {};
  for (const [k, v] of Object.entries(headers)) all[k] = [v];
  return { SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: headers, HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: requestId } };
}

/**
 * An error as AWS reports an SDK exception: `<Service>.<Exception>` and a cause in the SDK's
 * message shape, Java SDK v1 for optimized integrations (`Service: AmazonDynamoDBv2; Status Code:
 * 400; Error Code: ...; Request ID: ...; Proxy: null`), v2 for aws-sdk ones (`Service: DynamoDb,
 * Status Code: 400, Request ID: ...`).
 */
export function serviceError(
  names: { optimized: string; sdk: string; v1Service: string },
  sdk: boolean,
  code: string,
  message: string,
  status: number,
  requestId: string,
): StatesError {
  if (sdk) return new StatesError(`${names.sdk}.${code}`, causes.sdkServiceException(message, names.sdk, status, requestId));
  return new StatesError(`${names.optimized}.${code}`, causes.optimizedServiceException(message, names.v1Service, status, code, requestId));
}

/** The body of a message: strings as they are, anything else as JSON text (as Step Functions sends it). */
export function bodyText(v: Json | undefined): string {
  return typeof v === 'string' ? v : JSON.stringify(v ?? null);
}

/** A body parsed back when it is JSON, for the outbox. */
export function parsedBody(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
