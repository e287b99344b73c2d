// RefundPayment (compensation): refunds the order's charge if there is one; safe to repeat.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { idempotent } from './domain/idempotency';
import { orderFrom } from './domain/order';
import { simulatedPayments } from './domain/providers';
import { db, ordersTable } from './domain/store';

export async function handler(event: unknown): Promise<{ refunded: boolean; refundId?: string }> {
  const order = orderFrom(event);
  const charge = await db().send(new GetCommand({ TableName: ordersTable(), Key: { pk: `IDEMPOTENCY#payment#${order.orderId}` }, ConsistentRead: true }));
  const paymentId = (charge.Item?.result as { paymentId?: string } | undefined)?.paymentId;
  if (!paymentId) return { refunded: false };
  return idempotent('refund', order.orderId, async () => {
    const { refundId } = await simulatedPayments.refund(paymentId, order.total);
    return { refunded: true, refundId };
  });
}
