// A real DynamoDB-compatible server (dynalite) on loopback, with the workflow's two tables.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (opts: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => import('node:http').Server;

/** A running local DynamoDB with the orders and inventory tables; sets the handlers' environment. */
export interface LocalDynamo {
  endpoint: string;
  doc: DynamoDBDocumentClient;
  setStock(sku: string, stock: number): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.DYNAMODB_ENDPOINT = endpoint;
  counter += 1;
  const orders = `orders-${counter}`;
  const inventory = `inventory-${counter}`;
  process.env.ORDERS_TABLE = orders;
  process.env.INVENTORY_TABLE = inventory;
  const client = new DynamoDBClient({ endpoint });
  for (const [name, key] of [[orders, 'pk'], [inventory, 'sku']] as const) {
    await client.send(new CreateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }], KeySchema: [{ AttributeName: key, KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  }
  const doc = DynamoDBDocumentClient.from(client);
  return {
    endpoint,
    doc,
    setStock: async (sku, stock) => {
      await doc.send(new PutCommand({ TableName: inventory, Item: { sku, stock } }));
    },
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
