// SendConfirmation: records one confirmation message per order (Powertools idempotency).
import { idempotent } from './domain/idempotency';
import { ConfirmationEvent, type Order } from './domain/order';
import { stepHandler } from './domain/step-handler';

const confirm = idempotent({ step: 'confirm', key: 'order.orderId' }, async ({ order }: { order: Order }) => ({
  messageId: `msg_confirm_${order.orderId}`,
  to: order.customerId,
}));

export const handler = stepHandler('SendConfirmation', ConfirmationEvent, (event, context) => confirm(event, context));
