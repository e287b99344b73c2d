// SendReminder (after WaitForDelivery, Standard only): one delivery reminder per order (Powertools idempotency).
import { idempotent } from './domain/idempotency';
import { OrderStepEvent, type Order } from './domain/order';
import { stepHandler } from './domain/step-handler';

const remind = idempotent({ step: 'reminder', key: 'order.orderId' }, async ({ order }: { order: Order }) => ({ messageId: `msg_reminder_${order.orderId}` }));

export const handler = stepHandler('SendReminder', OrderStepEvent, (event, context) => remind(event, context));
