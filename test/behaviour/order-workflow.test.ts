// Where the two halves meet: the synthesized order workflow, loaded from the CDK stacks with
// Stepwise's own testing tools, runs against the real handlers and a local DynamoDB.
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { VirtualClock, type ExecutionResult, type Json, type StateDefinition, type MachineDefinition } from '../../lib/asl';
import { OrderStack } from '../../lib/constructs/order-stack';
import { readStack } from '../../lib/local/assembly';
import {
  loadStateMachine,
  Outbox,
  startLocalDynamoDb,
  stepwiseMatchers,
  testApp,
  type LocalDynamoDb,
  type LocalRunOptions,
  type LocalWorkflow,
  type SentMessage,
} from '../../lib/testing';
import { sampleOrder } from '../helpers/dynamodb';

expect.extend(stepwiseMatchers);

// testApp: no bundling (the handlers run from their TypeScript source) and no CloudFormation
// validation at synth, which the construct tests cover.
const app = testApp();
const standardStack = new OrderStack(app, 'BehaviourStandard', { workflow: { stateMachineType: sfn.StateMachineType.STANDARD } });
const expressStack = new OrderStack(app, 'BehaviourExpress', { workflow: { stateMachineType: sfn.StateMachineType.EXPRESS } });
let standard: LocalWorkflow;
let express: LocalWorkflow;
let dynamo: LocalDynamoDb;
let doc: DynamoDBDocumentClient;
let n = 0;
const visited = { STANDARD: new Set<string>(), EXPRESS: new Set<string>() };

beforeAll(async () => {
  standard = loadStateMachine(standardStack);
  express = loadStateMachine(expressStack);
  dynamo = await startLocalDynamoDb([readStack(standardStack), readStack(expressStack)]);
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }),
  );
});
afterAll(() => dynamo.stop());

const wf = (type: 'STANDARD' | 'EXPRESS') => (type === 'STANDARD' ? standard : express);

const ordersTable = () => dynamo.tables[Object.keys(dynamo.tables).find((k) => k.includes('OrdersTable')) as string];

/**
 * What every path leaves behind: a completed order has its status item COMPLETED and exactly one
 * OrderConfirmed event; a failed (validated) order has its status item FAILED with the error and
 * no event; an order that failed validation has neither.
 */
async function expectOutcomeRecorded(r: ExecutionResult, input: Json, sent: readonly SentMessage[]): Promise<void> {
  const orderId = (input as { orderId?: string }).orderId;
  const item = (await doc.send(new GetCommand({ TableName: ordersTable(), Key: { pk: `status#${orderId}` } }))).Item;
  const confirmed = sent.filter((m) => m.service === 'events' && (m.message as { DetailType?: string }).DetailType === 'OrderConfirmed');
  if (r.status === 'SUCCEEDED') {
    expect(item).toMatchObject({ status: 'COMPLETED', executionId: r.executionArn });
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]?.message).toMatchObject({
      Source: 'stepwise.orders',
      Detail: { orderId, paymentId: `pay_${orderId}`, trackingNumber: expect.any(String) },
    });
  } else if (r.error === 'InvalidOrderError') {
    expect(item).toBeUndefined();
    expect(sent).toEqual([]);
  } else {
    expect(item).toMatchObject({ status: 'FAILED', error: r.error, executionId: r.executionArn });
    expect(confirmed).toEqual([]);
  }
}

/** Runs, checks what the run recorded and published, and records which states the run covered. */
async function run(type: 'STANDARD' | 'EXPRESS', input: Json, options: LocalRunOptions = {}): Promise<ExecutionResult> {
  const r = await wf(type).run(input, { ...options, handlers: { environment: dynamo.environment }, dynamodb: dynamo });
  for (const s of r.statesEntered) visited[type].add(s);
  await expectOutcomeRecorded(r, input, r.sent);
  return r;
}

/** A fresh order with its own SKUs in stock. */
async function freshOrder(overrides: Record<string, unknown> = {}, stock = { book: 10, lamp: 10 }): Promise<Record<string, unknown>> {
  n += 1;
  const [book, lamp] = [`book-${n}`, `lamp-${n}`];
  await dynamo.put('InventoryTable', [
    { sku: book, stock: stock.book },
    { sku: lamp, stock: stock.lamp },
  ]);
  return sampleOrder({
    orderId: `b-${n}`,
    items: [
      { sku: book, quantity: 2, unitPrice: 1500 },
      { sku: lamp, quantity: 1, unitPrice: 4200 },
    ],
    ...overrides,
  });
}
const stockOf = async (sku: string) =>
  (await doc.send(new GetCommand({ TableName: dynamo.tables[Object.keys(dynamo.tables).find((k) => k.includes('InventoryTable')) as string], Key: { sku } })))
    .Item?.stock as number;
const skus = (order: Record<string, unknown>) => (order.items as { sku: string }[]).map((i) => i.sku) as [string, string];
const bigOrder = async () => {
  const order = await freshOrder();
  return { ...order, items: [{ sku: skus(order)[0], quantity: 1, unitPrice: 150_000 }] };
};

describe.each([['STANDARD'], ['EXPRESS']] as const)('order workflow (%s)', (type) => {
  it('completes a normal order: pays, reserves, ships and confirms', async () => {
    const order = await freshOrder();
    const clock = new VirtualClock(0);
    const r = await run(type, order as Json, { clock });
    expect(r).toSucceed();
    expect(r.output).toMatchObject({
      payment: { paymentId: `pay_${order.orderId}` },
      shipment: { carrier: 'SimulatedExpress' },
      confirmation: { messageId: `msg_confirm_${order.orderId}` },
    });
    expect([await stockOf(skus(order)[0]), await stockOf(skus(order)[1])]).toEqual([8, 9]);
    if (type === 'STANDARD') {
      // The 24-hour Wait passes in virtual time.
      expect(r).toHaveTransitionedThrough(['SendConfirmation', 'WaitForDelivery', 'SendReminder', 'OrderCompleted']);
      expect(clock.now()).toBe(86_400_000);
    } else {
      expect(r).not.toHaveVisited('WaitForDelivery');
    }
  });

  it('fails a declined payment without reserving stock', async () => {
    const r = await run(type, (await freshOrder({ payment: { token: 'tok_decline' } })) as Json);
    expect(r).toFailWith('PaymentDeclinedError');
    expect(r).not.toHaveVisited('ReserveInventory');
  });

  it('retries a transient payment failure and then succeeds', async () => {
    const r = await run(type, (await freshOrder({ payment: { token: 'tok_flaky' } })) as Json);
    expect(r).toSucceed();
    expect(r.history.filter((e) => e.type === 'TaskFailed')).toHaveLength(1);
  });

  it('fails the order when the payment provider stays down after three retries', async () => {
    const r = await run(type, (await freshOrder({ payment: { token: 'tok_down' } })) as Json);
    expect(r).toFailWith('PaymentTransientError');
    expect(r.history.filter((e) => e.type === 'TaskFailed')).toHaveLength(4);
  });

  it('fails the credit check before charging', async () => {
    const r = await run(type, (await freshOrder({ customerId: 'cust_bad_credit' })) as Json);
    expect(r).toFailWith('CreditCheckFailedError');
    expect(r).not.toHaveVisited('ProcessPayment');
  });

  it('releases reserved stock and refunds when one line item runs out during reservation', async () => {
    const order = await freshOrder({}, { book: 10, lamp: 0 });
    // Another order took the last lamp after the pre-check passed: mock the check to pass so
    // only the reservation notices.
    const r = await run(type, order as Json, { mocks: { CheckInventory: { Return: { StatusCode: 200, Payload: { available: true } } } } });
    expect(r).toFailWith('OutOfStockError');
    expect(r).toHaveTransitionedThrough(['ReserveInventory', 'ReleaseInventory', 'RefundPayment', 'OrderFailed']);
    expect(await stockOf(skus(order)[0])).toBe(10);
  });

  it('releases stock and refunds when shipping fails', async () => {
    const order = await freshOrder({ address: { name: 'n', line1: 'l', city: 'c', postalCode: 'p', country: 'ZZ' } });
    const r = await run(type, order as Json);
    expect(r).toFailWith('ShippingFailedError');
    expect(r.statesEntered.slice(-4)).toEqual(['ReleaseInventory', 'RefundPayment', 'RecordOrderFailed', 'OrderFailed']);
    expect(r.output).toBeUndefined();
    expect([await stockOf(skus(order)[0]), await stockOf(skus(order)[1])]).toEqual([10, 10]);
  });

  it('rejects a malformed order with an error naming the field', async () => {
    const r = await run(type, { orderId: 'x' });
    expect(r).toFailWith('InvalidOrderError', /customerId must be a non-empty string/);
  });
});

describe('approval above the threshold', () => {
  it('Standard waits for the approver and continues when approved', async () => {
    const order = (await bigOrder()) as Json;
    const outbox = new Outbox();
    const exec = standard.start(order, {
      handlers: { environment: dynamo.environment },
      dynamodb: dynamo,
      outbox,
      onTaskToken: (token) => setImmediate(() => exec.sendTaskSuccess(token, { approved: true })),
    });
    const r = await exec.result;
    for (const s of r.statesEntered) visited.STANDARD.add(s);
    await expectOutcomeRecorded(r, order, outbox.sent);
    expect(r).toSucceed();
    expect(r).toHaveTransitionedThrough(['NeedsApproval', 'RequestApproval', 'ApprovalDecision', 'PreChecks']);
  });

  it('Standard fails the order when the approver declines', async () => {
    const order = (await bigOrder()) as Json;
    const outbox = new Outbox();
    const exec = standard.start(order, {
      handlers: { environment: dynamo.environment },
      dynamodb: dynamo,
      outbox,
      onTaskToken: (token) => setImmediate(() => exec.sendTaskSuccess(token, { approved: false })),
    });
    const r = await exec.result;
    for (const s of r.statesEntered) visited.STANDARD.add(s);
    await expectOutcomeRecorded(r, order, outbox.sent);
    expect(r).toFailWith('ApprovalRejected');
    expect(r).toHaveVisited('ApprovalRejected');
  });

  it('Express fails the order with ApprovalRequired instead of waiting', async () => {
    const r = await run('EXPRESS', (await bigOrder()) as Json);
    expect(r).toFailWith('ApprovalRequired', /Order total 150000 is above the approval threshold of 100000/);
  });
});

describe('Express at-least-once delivery', () => {
  it('leaves stock and payments correct when every task is delivered twice', async () => {
    const order = await freshOrder();
    const r = await run('EXPRESS', order as Json, { replay: true });
    expect(r).toSucceed();
    expect([await stockOf(skus(order)[0]), await stockOf(skus(order)[1])]).toEqual([8, 9]);
    const charge = await doc.send(new GetCommand({ TableName: ordersTable(), Key: { pk: `PAYMENT#${order.orderId}` } }));
    expect(charge.Item).toMatchObject({ paymentId: `pay_${order.orderId}`, amount: 7200 });
    expect(r.output).toMatchObject({ payment: { paymentId: `pay_${order.orderId}`, amount: 7200 } });
  });
});

describe('coverage of the suite', () => {
  const allStates = (def: MachineDefinition): string[] =>
    Object.entries(def.States).flatMap(([name, s]: [string, StateDefinition]) => [
      name,
      ...(s.Branches ?? []).flatMap(allStates),
      ...(s.ItemProcessor ? allStates(s.ItemProcessor) : []),
    ]);

  it.each([['STANDARD'], ['EXPRESS']] as const)('visits every state of the %s state machine', (type) => {
    const missing = allStates(wf(type).stateMachine.definition).filter((s) => !visited[type].has(s));
    expect(missing).toEqual([]);
  });
});
