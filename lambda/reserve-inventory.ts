// ReserveItem (one Map iteration per line item): reserves stock with a conditional write.
import { InvalidOrderError } from './domain/errors';
import { reserve } from './domain/inventory';
import { parseOrder } from './domain/order';

export async function handler(event: unknown): Promise<{ sku: string; reserved: number; duplicate: boolean }> {
  const e = (event ?? {}) as { orderId?: unknown; item?: unknown };
  if (typeof e.orderId !== 'string' || e.orderId === '') throw new InvalidOrderError('orderId must be a non-empty string');
  // Reuse the order validation for the single line item.
  const { items } = parseOrder({
    orderId: e.orderId,
    customerId: 'c',
    items: [e.item],
    payment: { token: 't' },
    address: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'US' },
  });
  return reserve(e.orderId, items[0] as (typeof items)[number]);
}
