// SendReminder (after WaitForDelivery, Standard only): one delivery reminder per order (idempotent).
import { idempotent } from './domain/idempotency';
import { orderFrom } from './domain/order';

export async function handler(event: unknown): Promise<{ messageId: string }> {
  const order = orderFrom(event);
  return idempotent('reminder', order.orderId, async () => ({ messageId: `msg_reminder_${order.orderId}` }));
}
