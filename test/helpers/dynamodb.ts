// The order workflow's three tables on a real DynamoDB-compatible server (lib/local's dynalite
// runner), with the handlers' environment pointed at them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { startLocalDynamoDb } from '../../lib/local/dynamodb';
import type { CfnResource } from '../../lib/local/template';

/** A running local DynamoDB with the orders, inventory and idempotency tables; sets the handlers' environment. */
export interface LocalDynamo {
  endpoint: string;
  doc: DynamoDBDocumentClient;
  setStock(sku: string, stock: number): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

const table = (name: string, key: string): CfnResource => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: { TableName: name, KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }] },
});

export async function startLocalDynamo(): Promise<LocalDynamo> {
  counter += 1;
  const orders = `orders-${counter}`;
  const inventory = `inventory-${counter}`;
  const idempotency = `idempotency-${counter}`;
  const db = await startLocalDynamoDb([
    {
      stackName: 'HandlerTests',
      metadata: {},
      template: { Resources: { Orders: table(orders, 'pk'), Inventory: table(inventory, 'sku'), Idempotency: table(idempotency, 'id') } },
    },
  ]);
  Object.assign(process.env, db.environment, { ORDERS_TABLE: orders, INVENTORY_TABLE: inventory, IDEMPOTENCY_TABLE: idempotency });
  const client = new DynamoDBClient({ endpoint: db.endpoint });
  return {
    endpoint: db.endpoint,
    doc: DynamoDBDocumentClient.from(client),
    setStock: (sku, stock) => db.put('Inventory', [{ sku, stock }]),
    stop: async () => {
      client.destroy();
      await db.stop();
    },
  };
}

/** A valid order; override fields to drive branches. */
export function sampleOrder(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: 'o-1001',
    customerId: 'cust-42',
    items: [
      { sku: 'sku-book', quantity: 2, unitPrice: 1500 },
      { sku: 'sku-lamp', quantity: 1, unitPrice: 4200 },
    ],
    payment: { token: 'tok_visa' },
    address: { name: 'Ada Lovelace', line1: '12 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    ...overrides,
  };
}

/** A Lambda context as the runtime passes it (Powertools reads the remaining time for its idempotency lock). */
export function lambdaContext(functionName = 'test-function', timeoutMs = 10_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `req-${(requests += 1)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
let requests = 0;
