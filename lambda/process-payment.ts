// ProcessPayment: charges once per order (Powertools idempotency); declines and transient failures are typed errors.
import { PaymentDeclinedError } from './domain/errors';
import { idempotent } from './domain/idempotency';
import { OrderMetrics } from './domain/observability';
import { PaymentEvent, type Order } from './domain/order';
import { recordPayment } from './domain/payments';
import { simulatedPayments } from './domain/providers';
import { stepHandler } from './domain/step-handler';

const charge = idempotent(
  // A duplicate must be for the same amount and card, or it is refused rather than answered with another charge's result.
  { step: 'payment', key: 'order.orderId', validate: '[order.total, order.currency, order.payment.token]' },
  async ({ order, attempt }: { order: Order; attempt: number }) => {
    const { paymentId } = await simulatedPayments.charge(order, attempt);
    await recordPayment(order.orderId, paymentId, order.total);
    return { paymentId, amount: order.total, currency: order.currency };
  },
);

export const handler = stepHandler('ProcessPayment', PaymentEvent, async (event, context, { count }) => {
  try {
    return await charge(event, context);
  } catch (e) {
    if (e instanceof PaymentDeclinedError) count(OrderMetrics.declined);
    throw e;
  }
});
