// DynamoDB access: table names from the environment the construct sets, and one traced client
// whose endpoint can point at a local DynamoDB-compatible server.
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let clients: { raw: DynamoDBClient; doc: DynamoDBDocumentClient } | undefined;
let clientEndpoint: string | undefined;
let tracer: Tracer | undefined;

/** The client and its document client, created once per container (and again if the endpoint changes). */
function clientsFor(): { raw: DynamoDBClient; doc: DynamoDBDocumentClient } {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!clients || clientEndpoint !== endpoint) {
    clientEndpoint = endpoint;
    tracer ??= new Tracer();
    // X-Ray subsegments for every DynamoDB call; a no-op where tracing is off (outside Lambda).
    const raw = tracer.captureAWSv3Client(new DynamoDBClient(endpoint ? { endpoint, maxAttempts: 2 } : {}));
    clients = { raw, doc: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }) };
  }
  return clients;
}

/** The document client. */
export const db = (): DynamoDBDocumentClient => clientsFor().doc;
/** The plain client (for Powertools' idempotency persistence layer). */
export const dynamoClient = (): DynamoDBClient => clientsFor().raw;

function table(variable: string): string {
  const name = process.env[variable];
  if (!name) throw new Error(`The environment variable ${variable} is not set; the OrderWorkflow construct sets it on every function that needs it`);
  return name;
}

/** Orders table: orders, payments, approvals and reservations, keyed by `pk`. */
export const ordersTable = () => table('ORDERS_TABLE');
/** Inventory table: stock per `sku`. */
export const inventoryTable = () => table('INVENTORY_TABLE');
/** Idempotency table: Powertools' records (`id`, TTL attribute `expiration`). */
export const idempotencyTable = () => table('IDEMPOTENCY_TABLE');

/** True for DynamoDB's failed-condition error. */
export function isConditionFailure(e: unknown): boolean {
  return e instanceof Error && e.name === 'ConditionalCheckFailedException';
}
