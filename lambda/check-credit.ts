// CheckCredit (inside PreChecks): fails with CreditCheckFailedError for customers who fail.
import { OrderStepEvent } from './domain/order';
import { checkCredit } from './domain/providers';
import { stepHandler } from './domain/step-handler';

export const handler = stepHandler('CheckCredit', OrderStepEvent, async ({ order }) => checkCredit(order));
