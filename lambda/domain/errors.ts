// Domain errors. Each sets `name` explicitly (bundlers may rename classes); that name is what
// Lambda reports as errorType and what the state machine's Retry/Catch match.
import { ErrorNames } from './error-names';

export { ErrorNames } from './error-names';

/** The order event is malformed; the message names the bad field. */
export class InvalidOrderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = ErrorNames.InvalidOrder;
  }
}

/** The customer failed the credit check. */
export class CreditCheckFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = ErrorNames.CreditCheckFailed;
  }
}

/** Not enough stock for a line item. */
export class OutOfStockError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = ErrorNames.OutOfStock;
  }
}

/** The payment provider declined the charge (final: do not retry). */
export class PaymentDeclinedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = ErrorNames.PaymentDeclined;
  }
}

/** The payment provider failed transiently (retry with back-off). */
export class PaymentTransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = ErrorNames.PaymentTransient;
  }
}

/** The carrier refused the shipment. */
export class ShippingFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = ErrorNames.ShippingFailed;
  }
}
