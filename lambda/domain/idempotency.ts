// Idempotency per order and step (Express delivers at least once): the first run stores its
// result under `IDEMPOTENCY#<step>#<orderId>`; a repeated delivery returns the stored result.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, isConditionFailure, ordersTable } from './store';

/**
 * Runs `fn` once per (step, orderId). `fn` itself must be safe to run twice concurrently
 * (conditional writes), since two duplicate deliveries may both start before either records.
 */
export async function idempotent<T>(step: string, orderId: string, fn: () => Promise<T>): Promise<T> {
  const pk = `IDEMPOTENCY#${step}#${orderId}`;
  const seen = await db().send(new GetCommand({ TableName: ordersTable(), Key: { pk }, ConsistentRead: true }));
  if (seen.Item) return seen.Item.result as T;
  const result = await fn();
  try {
    await db().send(new PutCommand({ TableName: ordersTable(), Item: { pk, result, at: new Date().toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    const first = await db().send(new GetCommand({ TableName: ordersTable(), Key: { pk }, ConsistentRead: true }));
    return first.Item?.result as T;
  }
  return result;
}
