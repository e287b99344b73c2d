// ShipOrder: books one shipment per order (idempotent); an unserved destination fails with ShippingFailedError.
import { idempotent } from './domain/idempotency';
import { orderFrom } from './domain/order';
import { simulatedShipping } from './domain/providers';

export async function handler(event: unknown): Promise<{ trackingNumber: string; carrier: string }> {
  const order = orderFrom(event);
  return idempotent('ship', order.orderId, () => simulatedShipping.ship(order));
}
