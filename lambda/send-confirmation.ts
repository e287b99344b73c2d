// SendConfirmation: records one confirmation message per order (idempotent).
import { idempotent } from './domain/idempotency';
import { orderFrom } from './domain/order';

export async function handler(event: unknown): Promise<{ messageId: string; to: string }> {
  const order = orderFrom(event);
  return idempotent('confirm', order.orderId, async () => ({ messageId: `msg_confirm_${order.orderId}`, to: order.customerId }));
}
