// The order's charge as a business record (`PAYMENT#<orderId>` in the orders table): what a refund
// looks up. Idempotency records expire; this one stays.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, ordersTable } from './store';

/** Records an order's charge. */
export async function recordPayment(orderId: string, paymentId: string, amount: number): Promise<void> {
  await db().send(new PutCommand({ TableName: ordersTable(), Item: { pk: `PAYMENT#${orderId}`, paymentId, amount, at: new Date().toISOString() } }));
}

/** The id of an order's charge, if it was charged. */
export async function paymentOf(orderId: string): Promise<string | undefined> {
  const r = await db().send(new GetCommand({ TableName: ordersTable(), Key: { pk: `PAYMENT#${orderId}` }, ConsistentRead: true }));
  return typeof r.Item?.paymentId === 'string' ? r.Item.paymentId : undefined;
}
