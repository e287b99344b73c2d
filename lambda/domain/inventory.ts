// Stock operations. Reservation uses a reservation record as the idempotency marker and a
// conditional decrement, so stock never goes negative under concurrency.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { OutOfStockError } from './errors';
import type { LineItem } from './order';
import { db, inventoryTable, isConditionFailure, ordersTable } from './store';

const reservationKey = (orderId: string, sku: string) => `RESERVATION#${orderId}#${sku}`;

/** Current stock of a SKU (0 when unknown). */
export async function stockOf(sku: string): Promise<number> {
  const r = await db().send(new GetCommand({ TableName: inventoryTable(), Key: { sku }, ConsistentRead: true }));
  return typeof r.Item?.stock === 'number' ? r.Item.stock : 0;
}

/** Reserves one line item for an order; a repeated call for the same order and SKU changes nothing. */
export async function reserve(orderId: string, item: LineItem): Promise<{ sku: string; reserved: number; duplicate: boolean }> {
  try {
    await db().send(
      new PutCommand({
        TableName: ordersTable(),
        Item: { pk: reservationKey(orderId, item.sku), quantity: item.quantity, state: 'PENDING' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) return { sku: item.sku, reserved: item.quantity, duplicate: true };
    throw e;
  }
  try {
    await db().send(
      new UpdateCommand({
        TableName: inventoryTable(),
        Key: { sku: item.sku },
        UpdateExpression: 'SET stock = stock - :q',
        ConditionExpression: 'attribute_exists(sku) AND stock >= :q',
        ExpressionAttributeValues: { ':q': item.quantity },
      }),
    );
  } catch (e) {
    // Undo the marker so a later retry (after restocking) can reserve again.
    await db().send(new DeleteCommand({ TableName: ordersTable(), Key: { pk: reservationKey(orderId, item.sku) } }));
    if (isConditionFailure(e)) throw new OutOfStockError(`not enough stock of ${item.sku} for order ${orderId} (wanted ${item.quantity})`);
    throw e;
  }
  return { sku: item.sku, reserved: item.quantity, duplicate: false };
}

/** Releases an order's reservation of a SKU, if there is one; safe to repeat. */
export async function release(orderId: string, sku: string): Promise<boolean> {
  let quantity: number;
  try {
    const r = await db().send(
      new DeleteCommand({
        TableName: ordersTable(),
        Key: { pk: reservationKey(orderId, sku) },
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_OLD',
      }),
    );
    quantity = Number(r.Attributes?.quantity ?? 0);
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
  await db().send(
    new UpdateCommand({
      TableName: inventoryTable(),
      Key: { sku },
      UpdateExpression: 'SET stock = stock + :q',
      ExpressionAttributeValues: { ':q': quantity },
    }),
  );
  return true;
}
