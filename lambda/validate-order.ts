// ValidateOrder: checks the incoming order and records it; a malformed order fails with InvalidOrderError.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { OrderMetrics } from './domain/observability';
import { OrderSchema, type Order } from './domain/order';
import { stepHandler } from './domain/step-handler';
import { db, isConditionFailure, ordersTable } from './domain/store';

export const handler = stepHandler('ValidateOrder', OrderSchema, async (order, _context, { count }): Promise<Order> => {
  try {
    await db().send(
      new PutCommand({
        TableName: ordersTable(),
        Item: { pk: `ORDER#${order.orderId}`, order, status: 'RECEIVED' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    count(OrderMetrics.placed);
  } catch (e) {
    // A repeated delivery of the same order is fine: the first write stands.
    if (!isConditionFailure(e)) throw e;
  }
  return order;
});
