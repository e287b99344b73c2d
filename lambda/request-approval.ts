// RequestApproval (Standard only): stores the task token where an approver can find it; the
// workflow waits until SendTaskSuccess/SendTaskFailure arrives with that token.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidOrderError } from './domain/errors';
import { orderFrom } from './domain/order';
import { db, ordersTable } from './domain/store';

export async function handler(event: unknown): Promise<{ requested: true }> {
  const order = orderFrom(event);
  const token = (event as { taskToken?: unknown }).taskToken;
  if (typeof token !== 'string' || token === '') throw new InvalidOrderError('taskToken must be the callback token from $$.Task.Token');
  await db().send(new PutCommand({ TableName: ordersTable(), Item: { pk: `APPROVAL#${order.orderId}`, taskToken: token, total: order.total } }));
  return { requested: true };
}
