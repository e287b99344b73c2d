// CheckCredit (inside PreChecks): fails with CreditCheckFailedError for customers who fail.
import { orderFrom } from './domain/order';
import { checkCredit } from './domain/providers';

export async function handler(event: unknown): Promise<{ approved: true; limit: number }> {
  return checkCredit(orderFrom(event));
}
