// ReserveItem (one Map iteration per line item): reserves stock once per order and SKU
// (Powertools idempotency in front of the conditional write).
import { idempotent } from './domain/idempotency';
import { reserve } from './domain/inventory';
import { ReserveEvent, type LineItem } from './domain/order';
import { stepHandler } from './domain/step-handler';

const reserveOnce = idempotent(
  { step: 'reserve', key: '[orderId, item.sku]', validate: 'item.quantity' },
  ({ orderId, item }: { orderId: string; item: LineItem }) => reserve(orderId, item),
);

export const handler = stepHandler('ReserveItem', ReserveEvent, (event, context) => reserveOnce(event, context));
