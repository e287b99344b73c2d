// ProcessPayment: charges once per order (idempotent); declines and transient failures are typed errors.
import { InvalidOrderError } from './domain/errors';
import { idempotent } from './domain/idempotency';
import { orderFrom } from './domain/order';
import { simulatedPayments } from './domain/providers';

export async function handler(event: unknown): Promise<{ paymentId: string; amount: number; currency: string }> {
  const order = orderFrom(event);
  const attempt = (event as { attempt?: unknown }).attempt ?? 0;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 0) throw new InvalidOrderError(`attempt must be a retry count (integer ≥ 0), got ${JSON.stringify(attempt)}`);
  return idempotent('payment', order.orderId, async () => {
    const { paymentId } = await simulatedPayments.charge(order, attempt);
    return { paymentId, amount: order.total, currency: order.currency };
  });
}
