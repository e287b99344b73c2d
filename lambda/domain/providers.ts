// Deterministic simulations of the payment, credit and shipping providers, behind small
// interfaces, so tests (and local runs) can drive every branch by choosing the input.
import { CreditCheckFailedError, PaymentDeclinedError, PaymentTransientError, ShippingFailedError } from './errors';
import type { Order } from './order';

/** Card tokens with special behaviour; any other token is approved. */
export const TestCards = {
  /** Always declined. */
  decline: 'tok_decline',
  /** Fails transiently on the first attempt, then succeeds. */
  flaky: 'tok_flaky',
  /** Fails transiently on every attempt. */
  down: 'tok_down',
} as const;

/** Customers with special behaviour in the credit check. */
export const TestCustomers = { badCredit: 'cust_bad_credit' } as const;

/** Charges a card. */
export interface PaymentProvider {
  charge(order: Order, attempt: number): Promise<{ paymentId: string }>;
  refund(paymentId: string, amount: number): Promise<{ refundId: string }>;
}

/** Books a shipment. */
export interface ShippingProvider {
  ship(order: Order): Promise<{ trackingNumber: string; carrier: string }>;
}

export const simulatedPayments: PaymentProvider = {
  async charge(order, attempt) {
    const token = order.payment.token;
    if (token === TestCards.decline) throw new PaymentDeclinedError(`card ${token} was declined for order ${order.orderId}`);
    if (token === TestCards.down || (token === TestCards.flaky && attempt === 0)) {
      throw new PaymentTransientError(`payment provider unavailable (attempt ${attempt + 1}) for order ${order.orderId}`);
    }
    return { paymentId: `pay_${order.orderId}` };
  },
  async refund(paymentId) {
    return { refundId: `ref_${paymentId}` };
  },
};

export const simulatedShipping: ShippingProvider = {
  async ship(order) {
    // Country "ZZ" stands for a destination the carrier does not serve.
    if (order.address.country === 'ZZ') throw new ShippingFailedError(`no carrier serves country ZZ for order ${order.orderId}`);
    return { trackingNumber: `TRK-${order.orderId}`, carrier: 'SimulatedExpress' };
  },
};

/** Credit check: a fixed list of customers fails. */
export async function checkCredit(order: Order): Promise<{ approved: true; limit: number }> {
  if (order.customerId === TestCustomers.badCredit) throw new CreditCheckFailedError(`customer ${order.customerId} failed the credit check`);
  return { approved: true, limit: 1_000_000 };
}
