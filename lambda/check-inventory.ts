// CheckInventory (inside PreChecks): a read-only check that every line item is in stock now.
import { OutOfStockError } from './domain/errors';
import { stockOf } from './domain/inventory';
import { OrderStepEvent } from './domain/order';
import { stepHandler } from './domain/step-handler';

export const handler = stepHandler('CheckInventory', OrderStepEvent, async ({ order }): Promise<{ available: true }> => {
  for (const item of order.items) {
    const stock = await stockOf(item.sku);
    if (stock < item.quantity) throw new OutOfStockError(`only ${stock} of ${item.sku} in stock, order ${order.orderId} wants ${item.quantity}`);
  }
  return { available: true };
});
