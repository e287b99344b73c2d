// RequestApproval (Standard only): stores the task token where an approver can find it; the
// workflow waits until SendTaskSuccess/SendTaskFailure arrives with that token.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ApprovalEvent } from './domain/order';
import { stepHandler } from './domain/step-handler';
import { db, ordersTable } from './domain/store';

export const handler = stepHandler('RequestApproval', ApprovalEvent, async ({ order, taskToken }): Promise<{ requested: true }> => {
  await db().send(new PutCommand({ TableName: ordersTable(), Item: { pk: `APPROVAL#${order.orderId}`, taskToken, total: order.total } }));
  return { requested: true };
});
