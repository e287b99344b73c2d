// The error names the handlers throw and the state machine's Retry/Catch match on: one list,
// imported by both sides so a rename cannot silently break the wiring.

export const ErrorNames = {
  InvalidOrder: 'InvalidOrderError',
  CreditCheckFailed: 'CreditCheckFailedError',
  OutOfStock: 'OutOfStockError',
  PaymentDeclined: 'PaymentDeclinedError',
  PaymentTransient: 'PaymentTransientError',
  ShippingFailed: 'ShippingFailedError',
  /**
   * Powertools' idempotency lock: another delivery of the same step is still running. Thrown by
   * @aws-lambda-powertools/idempotency (it sets this name itself); the state machine retries it.
   */
  IdempotencyInProgress: 'IdempotencyAlreadyInProgressError',
} as const;

export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];
