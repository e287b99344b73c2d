// The error names the handlers throw and the state machine's Retry/Catch match on: one list,
// imported by both sides so a rename cannot silently break the wiring.

export const ErrorNames = {
  InvalidOrder: 'InvalidOrderError',
  CreditCheckFailed: 'CreditCheckFailedError',
  OutOfStock: 'OutOfStockError',
  PaymentDeclined: 'PaymentDeclinedError',
  PaymentTransient: 'PaymentTransientError',
  ShippingFailed: 'ShippingFailedError',
} as const;

export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];
