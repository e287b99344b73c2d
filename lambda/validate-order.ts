// ValidateOrder: checks the incoming order and records it; a malformed order fails with InvalidOrderError.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseOrder, type Order } from './domain/order';
import { db, isConditionFailure, ordersTable } from './domain/store';

export async function handler(event: unknown): Promise<Order> {
  const order = parseOrder(event);
  try {
    await db().send(new PutCommand({ TableName: ordersTable(), Item: { pk: `ORDER#${order.orderId}`, order, status: 'RECEIVED' }, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (e) {
    // A repeated delivery of the same order is fine: the first write stands.
    if (!isConditionFailure(e)) throw e;
  }
  return order;
}
