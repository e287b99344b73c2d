// ReleaseInventory (compensation): returns every reservation this order holds to stock; safe to repeat.
import { release } from './domain/inventory';
import { OrderStepEvent } from './domain/order';
import { stepHandler } from './domain/step-handler';

export const handler = stepHandler('ReleaseInventory', OrderStepEvent, async ({ order }): Promise<{ released: string[] }> => {
  const released: string[] = [];
  for (const item of order.items) if (await release(order.orderId, item.sku)) released.push(item.sku);
  return { released };
});
