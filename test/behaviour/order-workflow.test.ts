// Where the two halves meet: the synthesized order workflow runs on the interpreter against the
// real handlers and a real DynamoDB-compatible server.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { execute, startExecution, VirtualClock, type Json } from '../../lib/asl';
import { sampleOrder, startLocalDynamo, type LocalDynamo } from '../helpers/dynamodb';
import { loadOrderWorkflow, type LocalOrderWorkflow } from '../helpers/order-local';

let dynamo: LocalDynamo;
let standard: LocalOrderWorkflow;
let express: LocalOrderWorkflow;
let n = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  [standard, express] = await Promise.all([loadOrderWorkflow('STANDARD'), loadOrderWorkflow('EXPRESS')]);
});
afterAll(() => dynamo.stop());

/** A fresh order id and stock, so tests do not share state. */
async function freshOrder(overrides: Record<string, unknown> = {}, stock = { book: 10, lamp: 10 }): Promise<Record<string, unknown>> {
  n += 1;
  const book = `book-${n}`;
  const lamp = `lamp-${n}`;
  await dynamo.setStock(book, stock.book);
  await dynamo.setStock(lamp, stock.lamp);
  return sampleOrder({ orderId: `b-${n}`, items: [{ sku: book, quantity: 2, unitPrice: 1500 }, { sku: lamp, quantity: 1, unitPrice: 4200 }], ...overrides });
}
const stockOf = async (sku: string) => (await dynamo.doc.send(new GetCommand({ TableName: process.env.INVENTORY_TABLE, Key: { sku } }))).Item?.stock as number;
const skus = (order: Record<string, unknown>) => (order.items as { sku: string }[]).map((i) => i.sku);

describe.each([['STANDARD'], ['EXPRESS']] as const)('order workflow (%s)', (type) => {
  const wf = () => (type === 'STANDARD' ? standard : express);

  it('completes a normal order: pays, reserves, ships and confirms', async () => {
    const order = await freshOrder();
    const clock = new VirtualClock(0);
    const r = await execute(wf().machine, order as Json, { lambda: wf().lambda, clock });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toMatchObject({ payment: { paymentId: `pay_${order.orderId}` }, shipment: { carrier: 'SimulatedExpress' }, confirmation: { messageId: `msg_confirm_${order.orderId}` } });
    const [book, lamp] = skus(order) as [string, string];
    expect([await stockOf(book), await stockOf(lamp)]).toEqual([8, 9]);
    if (type === 'STANDARD') {
      expect(r.statesEntered).toContain('WaitForDelivery');
      expect(clock.now()).toBe(86_400_000);
    } else {
      expect(r.statesEntered).not.toContain('WaitForDelivery');
    }
  });

  it('fails a declined payment without reserving stock', async () => {
    const order = await freshOrder({ payment: { token: 'tok_decline' } });
    const r = await execute(wf().machine, order as Json, { lambda: wf().lambda });
    expect(r).toMatchObject({ status: 'FAILED', error: 'PaymentDeclinedError' });
    expect(r.statesEntered).not.toContain('ReserveInventory');
  });

  it('retries a transient payment failure and then succeeds', async () => {
    const order = await freshOrder({ payment: { token: 'tok_flaky' } });
    const r = await execute(wf().machine, order as Json, { lambda: wf().lambda });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.statesEntered.filter((s) => s === 'ProcessPayment')).toHaveLength(1);
    expect(r.history.filter((e) => e.type === 'TaskFailed')).toHaveLength(1);
  });

  it('releases reserved stock and refunds when one line item is out of stock', async () => {
    const order = await freshOrder({}, { book: 10, lamp: 1 });
    // Another order takes the last lamp after the pre-check: only the reservation can notice.
    const r = startExecution(wf().machine, order as Json, {
      lambda: async (fn, payload, req) => {
        if (req.stateName === 'ReserveItem' && (payload as { item: { sku: string } }).item.sku.startsWith('lamp')) await dynamo.setStock((payload as { item: { sku: string } }).item.sku, 0);
        return wf().lambda(fn, payload, req);
      },
    });
    const result = await r.result;
    expect(result).toMatchObject({ status: 'FAILED', error: 'OutOfStockError' });
    expect(result.statesEntered).toEqual(expect.arrayContaining(['ReleaseInventory', 'RefundPayment', 'OrderFailed']));
    expect(await stockOf(skus(order)[0] as string)).toBe(10);
  });

  it('releases stock and refunds when shipping fails', async () => {
    const order = await freshOrder({ address: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'ZZ' } });
    const r = await execute(wf().machine, order as Json, { lambda: wf().lambda });
    expect(r).toMatchObject({ status: 'FAILED', error: 'ShippingFailedError' });
    expect(r.statesEntered.slice(-3)).toEqual(['ReleaseInventory', 'RefundPayment', 'OrderFailed']);
    expect([await stockOf(skus(order)[0] as string), await stockOf(skus(order)[1] as string)]).toEqual([10, 10]);
  });

  it('rejects a malformed order with a clear error', async () => {
    const r = await execute(wf().machine, { orderId: 'x' }, { lambda: wf().lambda });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('InvalidOrderError');
    expect(JSON.parse(r.cause as string).errorMessage).toMatch(/customerId must be a non-empty string/);
  });
});

describe('approval above the threshold', () => {
  const big = { items: [{ sku: 'placeholder', quantity: 1, unitPrice: 150_000 }] };

  it('Standard waits for the approver and continues when approved', async () => {
    const order = await freshOrder();
    const sku = skus(order)[0] as string;
    const exec = startExecution(standard.machine, { ...order, items: [{ ...big.items[0], sku }] } as Json, {
      lambda: standard.lambda,
      onTaskToken: (token) => setImmediate(() => exec.sendTaskSuccess(token, { approved: true })),
    });
    const r = await exec.result;
    expect(r.status).toBe('SUCCEEDED');
    expect(r.statesEntered).toEqual(expect.arrayContaining(['RequestApproval', 'ApprovalDecision', 'PreChecks']));
  });

  it('Standard fails the order when the approver declines', async () => {
    const order = await freshOrder();
    const exec = startExecution(standard.machine, { ...order, items: [{ ...big.items[0], sku: skus(order)[0] }] } as Json, {
      lambda: standard.lambda,
      onTaskToken: (token) => setImmediate(() => exec.sendTaskSuccess(token, { approved: false })),
    });
    expect(await exec.result).toMatchObject({ status: 'FAILED', error: 'ApprovalRejected' });
  });

  it('Express fails the order with ApprovalRequired instead of waiting', async () => {
    const order = await freshOrder();
    const r = await execute(express.machine, { ...order, items: [{ ...big.items[0], sku: skus(order)[0] }] } as Json, { lambda: express.lambda });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('ApprovalRequired');
    expect(r.cause).toContain('Order total 150000 is above the approval threshold of 100000');
  });
});
