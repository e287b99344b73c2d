// ShipOrder: books one shipment per order (Powertools idempotency); an unserved destination fails with ShippingFailedError.
import { idempotent } from './domain/idempotency';
import { OrderStepEvent, type Order } from './domain/order';
import { simulatedShipping } from './domain/providers';
import { stepHandler } from './domain/step-handler';

const ship = idempotent(
  // A duplicate must ship to the same address.
  { step: 'ship', key: 'order.orderId', validate: 'order.address' },
  ({ order }: { order: Order }) => simulatedShipping.ship(order),
);

export const handler = stepHandler('ShipOrder', OrderStepEvent, (event, context) => ship(event, context));
