// ReleaseInventory (compensation): returns every reservation this order holds to stock; safe to repeat.
import { release } from './domain/inventory';
import { orderFrom } from './domain/order';

export async function handler(event: unknown): Promise<{ released: string[] }> {
  const order = orderFrom(event);
  const released: string[] = [];
  for (const item of order.items) if (await release(order.orderId, item.sku)) released.push(item.sku);
  return { released };
}
