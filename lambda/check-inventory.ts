// CheckInventory (inside PreChecks): a read-only check that every line item is in stock now.
import { OutOfStockError } from './domain/errors';
import { stockOf } from './domain/inventory';
import { orderFrom } from './domain/order';

export async function handler(event: unknown): Promise<{ available: true }> {
  const order = orderFrom(event);
  for (const item of order.items) {
    const stock = await stockOf(item.sku);
    if (stock < item.quantity) throw new OutOfStockError(`only ${stock} of ${item.sku} in stock, order ${order.orderId} wants ${item.quantity}`);
  }
  return { available: true };
}
