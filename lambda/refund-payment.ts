// RefundPayment (compensation): refunds the order's charge if there is one, once (Powertools idempotency).
import { idempotent } from './domain/idempotency';
import { OrderMetrics, observability } from './domain/observability';
import { OrderStepEvent, type Order } from './domain/order';
import { paymentOf } from './domain/payments';
import { simulatedPayments } from './domain/providers';
import { stepHandler } from './domain/step-handler';

const tools = observability();

const refund = idempotent({ step: 'refund', key: 'order.orderId' }, async ({ order }: { order: Order }) => {
  // Counted here, in the last step of every compensation, once per order.
  tools().count(OrderMetrics.compensated);
  const paymentId = await paymentOf(order.orderId);
  if (!paymentId) return { refunded: false };
  const { refundId } = await simulatedPayments.refund(paymentId, order.total);
  return { refunded: true, refundId };
});

export const handler = stepHandler('RefundPayment', OrderStepEvent, (event, context) => refund(event, context), tools);
