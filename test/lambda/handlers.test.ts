import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { handler as checkCreditHandler } from '../../lambda/check-credit';
import { handler as checkInventoryHandler } from '../../lambda/check-inventory';
import { ErrorNames } from '../../lambda/domain/error-names';
import { parseOrder } from '../../lambda/domain/order';
import { simulatedPayments, TestCards, TestCustomers } from '../../lambda/domain/providers';
import { handler as processPaymentHandler } from '../../lambda/process-payment';
import { handler as refundPaymentHandler } from '../../lambda/refund-payment';
import { handler as releaseInventoryHandler } from '../../lambda/release-inventory';
import { handler as requestApprovalHandler } from '../../lambda/request-approval';
import { handler as reserveInventoryHandler } from '../../lambda/reserve-inventory';
import { handler as sendConfirmationHandler } from '../../lambda/send-confirmation';
import { handler as shipOrderHandler } from '../../lambda/ship-order';
import { handler as validateOrderHandler } from '../../lambda/validate-order';
import { lambdaContext, sampleOrder, startLocalDynamo, type LocalDynamo } from '../helpers/dynamodb';

// Each handler as Lambda calls it: with a context (Powertools reads its remaining time).
const invoke =
  <R>(handler: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<R>) =>
  (event: unknown): Promise<R> =>
    handler(event, lambdaContext());
const checkCredit = invoke(checkCreditHandler);
const checkInventory = invoke(checkInventoryHandler);
const processPayment = invoke(processPaymentHandler);
const refundPayment = invoke(refundPaymentHandler);
const releaseInventory = invoke(releaseInventoryHandler);
const requestApproval = invoke(requestApprovalHandler);
const reserveInventory = invoke(reserveInventoryHandler);
const sendConfirmation = invoke(sendConfirmationHandler);
const shipOrder = invoke(shipOrderHandler);
const validateOrder = invoke(validateOrderHandler);

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.stop());

const stock = async (sku: string) => (await dynamo.doc.send(new GetCommand({ TableName: process.env.INVENTORY_TABLE, Key: { sku } }))).Item?.stock;
const order = (overrides: Record<string, unknown> = {}) => parseOrder(sampleOrder(overrides));

describe('validate-order', () => {
  it('returns the order with its total and records it', async () => {
    const out = await validateOrder(sampleOrder({ orderId: 'v-1' }));
    expect(out.total).toBe(2 * 1500 + 4200);
    const stored = await dynamo.doc.send(new GetCommand({ TableName: process.env.ORDERS_TABLE, Key: { pk: 'ORDER#v-1' } }));
    expect(stored.Item?.status).toBe('RECEIVED');
  });

  it.each<[string, unknown, RegExp]>([
    ['a non-object event', 'order', /the order must be a JSON object/],
    ['a missing orderId', sampleOrder({ orderId: undefined }), /^orderId must be a non-empty string/],
    ['an empty item list', sampleOrder({ items: [] }), /items must be a non-empty array/],
    ['a zero quantity', sampleOrder({ items: [{ sku: 'a', quantity: 0, unitPrice: 1 }] }), /items\[0\]\.quantity must be a positive integer, got 0/],
    ['a fractional price', sampleOrder({ items: [{ sku: 'a', quantity: 1, unitPrice: 9.99 }] }), /items\[0\]\.unitPrice must be a whole number of cents/],
    [
      'a duplicated SKU',
      sampleOrder({
        items: [
          { sku: 'a', quantity: 1, unitPrice: 1 },
          { sku: 'a', quantity: 1, unitPrice: 1 },
        ],
      }),
      /items\[1\]\.sku a appears twice/,
    ],
    [
      'a bad country code',
      sampleOrder({ address: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'Britain' } }),
      /address\.country has an invalid format/,
    ],
    ['a missing payment token', sampleOrder({ payment: {} }), /payment\.token must be a non-empty string/],
  ])('rejects %s with InvalidOrderError naming the field', async (_name, event, message) => {
    await expect(validateOrder(event)).rejects.toMatchObject({ name: ErrorNames.InvalidOrder, message: expect.stringMatching(message) });
  });
});

describe('check-credit and check-inventory', () => {
  it('fails the credit check for the bad-credit customer', async () => {
    await expect(checkCredit({ order: order({ customerId: TestCustomers.badCredit }) })).rejects.toMatchObject({ name: ErrorNames.CreditCheckFailed });
    await expect(checkCredit({ order: order() })).resolves.toMatchObject({ approved: true });
  });

  it('reports OutOfStockError when stock is short, without changing it', async () => {
    await dynamo.setStock('sku-book', 1);
    await dynamo.setStock('sku-lamp', 5);
    await expect(checkInventory({ order: order() })).rejects.toMatchObject({
      name: ErrorNames.OutOfStock,
      message: expect.stringContaining('only 1 of sku-book'),
    });
    expect(await stock('sku-book')).toBe(1);
  });
});

describe('process-payment', () => {
  it('declines the decline card with PaymentDeclinedError', async () => {
    await expect(processPayment({ order: order({ orderId: 'p-decline', payment: { token: TestCards.decline } }), attempt: 0 })).rejects.toMatchObject({
      name: ErrorNames.PaymentDeclined,
    });
  });

  it('fails the flaky card transiently on the first attempt and succeeds on the retry', async () => {
    const o = order({ orderId: 'p-flaky', payment: { token: TestCards.flaky } });
    await expect(processPayment({ order: o, attempt: 0 })).rejects.toMatchObject({ name: ErrorNames.PaymentTransient });
    await expect(processPayment({ order: o, attempt: 1 })).resolves.toEqual({ paymentId: 'pay_p-flaky', amount: o.total, currency: 'USD' });
  });

  it('charges once when the same request is delivered twice at the same time: the duplicate meets the lock', async () => {
    // GIVEN a charge that is still running when the duplicate arrives
    const o = order({ orderId: 'p-dup' });
    const realCharge = simulatedPayments.charge.bind(simulatedPayments);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const charge = jest.spyOn(simulatedPayments, 'charge').mockImplementation(async (...args) => {
      // Without a lock the duplicate gets here too: let both go on (the test then counts two charges).
      if ((calls += 1) > 1) release();
      await gate;
      return realCharge(...args);
    });
    // WHEN both deliveries run concurrently (the lock holder waits until the other one is answered)
    const deliveries = [processPayment({ order: o, attempt: 0 }), processPayment({ order: o, attempt: 0 })];
    for (const d of deliveries) d.then(release, release);
    const settled = await Promise.allSettled(deliveries);
    // THEN one charged, the other failed with the lock's error (which the state machine retries)
    expect(charge).toHaveBeenCalledTimes(1);
    const result = { paymentId: 'pay_p-dup', amount: o.total, currency: 'USD' };
    expect(settled).toEqual(
      expect.arrayContaining([
        { status: 'fulfilled', value: result },
        { status: 'rejected', reason: expect.objectContaining({ name: ErrorNames.IdempotencyInProgress }) },
      ]),
    );
    // AND the retry gets the first delivery's result without charging again
    await expect(processPayment({ order: o, attempt: 1 })).resolves.toEqual(result);
    expect(charge).toHaveBeenCalledTimes(1);
    charge.mockRestore();
  });

  it('refuses a duplicate for a different amount instead of replaying another charge', async () => {
    await processPayment({ order: order({ orderId: 'p-val' }), attempt: 0 });
    const other = order({ orderId: 'p-val', items: [{ sku: 'sku-book', quantity: 9, unitPrice: 1500 }] });
    await expect(processPayment({ order: other, attempt: 0 })).rejects.toMatchObject({ name: 'IdempotencyValidationError' });
  });

  it('rejects a malformed attempt number', async () => {
    await expect(processPayment({ order: order(), attempt: 'x' })).rejects.toMatchObject({
      name: ErrorNames.InvalidOrder,
      message: expect.stringContaining('attempt'),
    });
  });
});

describe('reserve-inventory and release-inventory', () => {
  it('never lets two concurrent reservations take the last unit', async () => {
    await dynamo.setStock('sku-last', 1);
    const results = await Promise.allSettled([
      reserveInventory({ orderId: 'r-a', item: { sku: 'sku-last', quantity: 1, unitPrice: 100 } }),
      reserveInventory({ orderId: 'r-b', item: { sku: 'sku-last', quantity: 1, unitPrice: 100 } }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ name: ErrorNames.OutOfStock });
    expect(await stock('sku-last')).toBe(0);
  });

  it('reserves once when the same item is delivered twice, and releases once', async () => {
    await dynamo.setStock('sku-dup', 10);
    const item = { sku: 'sku-dup', quantity: 3, unitPrice: 100 };
    const first = await reserveInventory({ orderId: 'r-dup', item });
    const second = await reserveInventory({ orderId: 'r-dup', item });
    // The duplicate is answered with the first delivery's result.
    expect(second).toEqual(first);
    expect(first).toEqual({ sku: 'sku-dup', reserved: 3, duplicate: false });
    expect(await stock('sku-dup')).toBe(7);
    const o = order({ orderId: 'r-dup', items: [item] });
    expect(await releaseInventory({ order: o })).toEqual({ released: ['sku-dup'] });
    expect(await releaseInventory({ order: o })).toEqual({ released: [] });
    expect(await stock('sku-dup')).toBe(10);
  });

  it('fails for an unknown SKU with OutOfStockError and leaves no reservation behind', async () => {
    await expect(reserveInventory({ orderId: 'r-x', item: { sku: 'sku-none', quantity: 1, unitPrice: 1 } })).rejects.toMatchObject({
      name: ErrorNames.OutOfStock,
    });
    expect(await releaseInventory({ order: order({ orderId: 'r-x', items: [{ sku: 'sku-none', quantity: 1, unitPrice: 1 }] }) })).toEqual({ released: [] });
  });

  it('rejects a malformed item naming the field', async () => {
    await expect(reserveInventory({ orderId: 'r-m', item: { sku: 'a', quantity: -1, unitPrice: 1 } })).rejects.toMatchObject({
      name: ErrorNames.InvalidOrder,
      message: expect.stringContaining('quantity'),
    });
  });
});

describe('ship, confirm, refund, approval', () => {
  it('fails shipping to an unserved country with ShippingFailedError', async () => {
    const o = order({ orderId: 's-zz', address: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'ZZ' } });
    await expect(shipOrder({ order: o })).rejects.toMatchObject({ name: ErrorNames.ShippingFailed });
  });

  it('ships and confirms once per order', async () => {
    const o = order({ orderId: 's-ok' });
    const [a, b] = [await shipOrder({ order: o }), await shipOrder({ order: o })];
    expect(a).toEqual({ trackingNumber: 'TRK-s-ok', carrier: 'SimulatedExpress' });
    expect(b).toEqual(a);
    const shipment = { trackingNumber: a.trackingNumber, carrier: a.carrier };
    expect(await sendConfirmation({ order: o, shipment })).toEqual(await sendConfirmation({ order: o, shipment }));
  });

  it('refunds only an order that was charged, once', async () => {
    expect(await refundPayment({ order: order({ orderId: 'never-charged' }) })).toEqual({ refunded: false });
    const o = order({ orderId: 'f-1' });
    await processPayment({ order: o, attempt: 0 });
    const first = await refundPayment({ order: o });
    expect(first).toEqual({ refunded: true, refundId: 'ref_pay_f-1' });
    expect(await refundPayment({ order: o })).toEqual(first);
  });

  it('stores the approval task token and refuses a missing one', async () => {
    await expect(requestApproval({ order: order({ orderId: 'a-1' }), taskToken: 'tok-123' })).resolves.toEqual({ requested: true });
    const stored = await dynamo.doc.send(new GetCommand({ TableName: process.env.ORDERS_TABLE, Key: { pk: 'APPROVAL#a-1' } }));
    expect(stored.Item?.taskToken).toBe('tok-123');
    await expect(requestApproval({ order: order() })).rejects.toMatchObject({ name: ErrorNames.InvalidOrder });
  });
});
