// DynamoDB access: table names from the environment the construct sets, and a document client
// whose endpoint can point at a local DynamoDB-compatible server.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let client: DynamoDBDocumentClient | undefined;
let clientEndpoint: string | undefined;

/** The document client, created once per container (and again if the endpoint changes). */
export function db(): DynamoDBDocumentClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!client || clientEndpoint !== endpoint) {
    clientEndpoint = endpoint;
    client = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint, maxAttempts: 2 } : {}), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return client;
}

function table(variable: string): string {
  const name = process.env[variable];
  if (!name) throw new Error(`The environment variable ${variable} is not set; the OrderWorkflow construct sets it on every function`);
  return name;
}

/** Orders table: orders and per-step records, keyed by `pk`. */
export const ordersTable = () => table('ORDERS_TABLE');
/** Inventory table: stock per `sku`. */
export const inventoryTable = () => table('INVENTORY_TABLE');

/** True for DynamoDB's failed-condition error. */
export function isConditionFailure(e: unknown): boolean {
  return e instanceof Error && e.name === 'ConditionalCheckFailedException';
}
