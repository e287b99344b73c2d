// DynamoDB: the optimized getItem/putItem/updateItem/deleteItem integrations and
// `aws-sdk:dynamodb:*`, served by the local DynamoDB Stepwise starts (lib/local/dynamodb.ts).
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
import type * as ddb from '@aws-sdk/client-dynamodb';

// The SDK loads with the first DynamoDB Task: runs without one never pay for it.
let sdk: typeof ddb | undefined;
function ddbSdk(): typeof ddb {
  sdk ??= require('@aws-sdk/client-dynamodb') as typeof ddb;
  return sdk;
}
import type { Json, JsonObject, TaskRequest } from '../../asl';
import { StatesError } from '../../asl';
import { isObject, parametersOf, sdkMetadata, serviceError, type Integration, type IntegrationContext, type Pattern } from './common';

const COMMON = ['TableName', 'ReturnConsumedCapacity', 'ExpressionAttributeNames'];
const WRITE = [
  ...COMMON,
  'ConditionExpression',
  'ConditionalOperator',
  'Expected',
  'ExpressionAttributeValues',
  'ReturnItemCollectionMetrics',
  'ReturnValues',
  'ReturnValuesOnConditionCheckFailure',
];
/** The request fields of the optimized actions (the DynamoDB API's). */
const OPTIMIZED: Record<string, ReadonlySet<string>> = {
  getItem: new Set([...COMMON, 'Key', 'AttributesToGet', 'ConsistentRead', 'ProjectionExpression']),
  putItem: new Set([...WRITE, 'Item']),
  updateItem: new Set([...WRITE, 'Key', 'AttributeUpdates', 'UpdateExpression']),
  deleteItem: new Set([...WRITE, 'Key']),
};

const NAMES = { optimized: 'DynamoDB', sdk: 'DynamoDb', v1Service: 'AmazonDynamoDBv2' };

const clients = new Map<string, ddb.DynamoDBClient>();
function client(endpoint: string, region: string): ddb.DynamoDBClient {
  let c = clients.get(endpoint);
  if (!c) {
    c = new (ddbSdk().DynamoDBClient)({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    clients.set(endpoint, c);
  }
  return c;
}

/** The SDK command class of an API action (`putItem` → PutItemCommand), if DynamoDB has it. */
function commandOf(action: string): (new (input: unknown) => ddb.DynamoDBClient extends { send(c: infer C): unknown } ? C : never) | undefined {
  const name = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const cmd = (ddbSdk() as unknown as Record<string, unknown>)[name];
  return typeof cmd === 'function' ? (cmd as never) : undefined;
}

// Binary attribute values travel as base64 text in JSON; the SDK wants bytes.
function toSdk(v: Json): unknown {
  if (Array.isArray(v)) return v.map(toSdk);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'B' && typeof x === 'string') out[k] = Buffer.from(x, 'base64');
    else if (k === 'BS' && Array.isArray(x) && x.every((s) => typeof s === 'string')) out[k] = (x as string[]).map((s) => Buffer.from(s, 'base64'));
    else out[k] = toSdk(x as Json);
  }
  return out;
}

function toJson(v: unknown): Json {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  if (v === null || typeof v !== 'object') return v === undefined ? null : (v as Json);
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (k !== '$metadata' && x !== undefined) out[k] = toJson(x);
  return out;
}

export const dynamodb: Integration = {
  refuse(action, pattern, sdk) {
    if (!sdk && !OPTIMIZED[action])
      return `the optimized DynamoDB integration has no action '${action}' (it has ${Object.keys(OPTIMIZED).join(', ')}; use arn:aws:states:::aws-sdk:dynamodb:${action} for any other)`;
    if (sdk && !commandOf(action)) return `DynamoDB has no API action '${action}'`;
    if (pattern === 'sync' || pattern === 'sync:2') return 'DynamoDB integrations do not support .sync';
    if (!sdk && pattern !== 'request-response') return 'the optimized DynamoDB integration supports only request-response';
    return undefined;
  },
  parameters(action, sdk) {
    return sdk ? undefined : OPTIMIZED[action];
  },
  async call(action, _pattern: Pattern, sdk, request: TaskRequest, ctx: IntegrationContext) {
    const p = parametersOf(request);
    const endpoint = ctx.dynamodbEndpoint;
    if (!endpoint) throw new StatesError('States.Runtime', `The state '${request.stateName}' calls DynamoDB but no local DynamoDB runs`);
    const Command = commandOf(action) as new (input: unknown) => Parameters<ddb.DynamoDBClient['send']>[0];
    let out: unknown;
    try {
      out = await client(endpoint, ctx.region).send(new Command(toSdk(p)));
    } catch (e) {
      const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
      if (!(e instanceof Error) || err.$metadata === undefined) throw e;
      let code = err.name ?? 'UnknownError';
      // The Java SDK v1 has no class for an unmodelled error: it raises AmazonDynamoDBException.
      if (!sdk && code === 'ValidationException') code = 'AmazonDynamoDBException';
      throw serviceError(NAMES, sdk, code, err.message ?? '', err.$metadata.httpStatusCode ?? 400, err.$metadata.requestId ?? ctx.random.uuid());
    }
    const result = toJson(out) as JsonObject;
    return sdk ? result : { ...result, ...sdkMetadata(ctx, result, 'application/x-amz-json-1.0') };
  },
};
