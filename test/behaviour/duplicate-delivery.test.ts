// Express delivers at least once: the same task may reach its function twice at the same time. The
// workflow runs against the Powertools handlers and a local DynamoDB; a second, concurrent delivery
// of one step is injected, and the side effect must happen once while the state machine's own
// delivery meets the idempotency lock, is retried, and ends with the first delivery's result.
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ErrorNames } from '../../lambda/domain/error-names';
import * as inventory from '../../lambda/domain/inventory';
import { simulatedPayments, simulatedShipping } from '../../lambda/domain/providers';
import { startExecution, type Json, type LambdaInvoker, type TaskHandler } from '../../lib/asl';
import { OrderStack } from '../../lib/constructs/order-stack';
import { readStack } from '../../lib/local/assembly';
import { createLambdaInvoker } from '../../lib/local/lambda-runner';
import { loadStateMachine, startLocalDynamoDb, stepwiseMatchers, testApp, type LocalDynamoDb, type LocalWorkflow } from '../../lib/testing';
import { sampleOrder } from '../helpers/dynamodb';

// jest.spyOn below patches inventory.reserve, which the ReserveItem handler imports. The test
// transform (swc) compiles a module's exports to read-only getters, so the module is replaced by a
// plain copy of itself (every function the real one) whose members a spy can patch.
jest.mock('../../lambda/domain/inventory', () => ({ __esModule: true, ...jest.requireActual('../../lambda/domain/inventory') }));

expect.extend(stepwiseMatchers);

const stack = new OrderStack(testApp(), 'DuplicateDelivery', { workflow: { stateMachineType: sfn.StateMachineType.EXPRESS } });
let workflow: LocalWorkflow;
let dynamo: LocalDynamoDb;
beforeAll(async () => {
  workflow = loadStateMachine(stack);
  dynamo = await startLocalDynamoDb([readStack(stack)]);
});
afterAll(() => dynamo.stop());
afterEach(() => jest.restoreAllMocks());

/**
 * Runs an order in which `state`'s first task is delivered twice concurrently. The extra delivery
 * starts first and takes the lock; its side effect (`effect`, a spy) waits until the state
 * machine's own delivery has been answered, so the overlap is certain rather than a timing accident.
 */
async function runWithConcurrentDuplicate<T extends object>(state: string, owner: T, method: keyof T & string, orderId: string) {
  let entered = () => {};
  const lockTaken = new Promise<void>((resolve) => (entered = resolve));
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const real = (owner[method] as (...a: unknown[]) => unknown).bind(owner);
  let calls = 0;
  const effect = jest.spyOn(owner as Record<string, (...a: unknown[]) => unknown>, method).mockImplementation(async (...args: unknown[]) => {
    entered();
    // Without a lock the duplicate gets here too: let both go on (the test then counts two calls).
    if ((calls += 1) > 1) release();
    await gate;
    return real(...args);
  });

  const invoke = createLambdaInvoker(workflow.stateMachine.functions, { environment: dynamo.environment });
  const firstResults: Json[] = [];
  let duplicated = false;
  const lambdaInvoker: LambdaInvoker = async (invocation) => {
    if (invocation.request.stateName !== state || duplicated) return invoke(invocation);
    duplicated = true;
    const first = Promise.resolve(invoke(invocation)).then((r) => {
      firstResults.push(JSON.parse(r.payload) as Json);
      return r;
    });
    await lockTaken;
    try {
      return await invoke(invocation);
    } finally {
      // Answer the state machine only once the first delivery is done, so its retry finds the result.
      release();
      await first;
    }
  };
  // The status record and the OrderConfirmed event (direct service integrations) are not what this
  // test is about: they answer with an empty result.
  const tasks: TaskHandler = () => ({});
  const order = sampleOrder({ orderId, items: [{ sku: `${orderId}-book`, quantity: 2, unitPrice: 1500 }] });
  await dynamo.put('InventoryTable', [{ sku: `${orderId}-book`, stock: 10 }]);
  const sm = workflow.stateMachine;
  const result = await startExecution(sm.machine, order as Json, { type: sm.type, stateMachineName: sm.name, lambdaInvoker, tasks }).result;
  return { result, first: firstResults[0], effect };
}

function failuresOf(result: { history: readonly { type: string; taskFailedEventDetails?: { error?: string } }[] }, error: string): number {
  return result.history.filter((e) => e.type === 'TaskFailed' && e.taskFailedEventDetails?.error === error).length;
}

describe('a task delivered twice at the same time', () => {
  it('charges the payment once; the state machine retries the duplicate and gets the first result', async () => {
    const { result, first, effect: charge } = await runWithConcurrentDuplicate('ProcessPayment', simulatedPayments, 'charge', 'dup-pay');
    expect(result).toSucceed();
    expect(charge).toHaveBeenCalledTimes(1);
    expect(failuresOf(result, ErrorNames.IdempotencyInProgress)).toBe(1);
    expect(result.output).toMatchObject({ payment: { paymentId: (first as { paymentId: string }).paymentId, amount: 3000 } });
  });

  it('reserves the stock once; the duplicate Map iteration is retried and gets the first result', async () => {
    const { result, first, effect: reserve } = await runWithConcurrentDuplicate('ReserveItem', inventory, 'reserve', 'dup-res');
    expect(result).toSucceed();
    expect(reserve).toHaveBeenCalledTimes(1);
    expect(failuresOf(result, ErrorNames.IdempotencyInProgress)).toBe(1);
    expect(result.output).toMatchObject({ reservations: [first] });
    const stock = await readStock(dynamo, 'dup-res-book');
    expect(stock).toBe(8);
  });

  it('books the shipment once; the duplicate is retried and gets the first result', async () => {
    const { result, first, effect: ship } = await runWithConcurrentDuplicate('ShipOrder', simulatedShipping, 'ship', 'dup-ship');
    expect(result).toSucceed();
    expect(ship).toHaveBeenCalledTimes(1);
    expect(failuresOf(result, ErrorNames.IdempotencyInProgress)).toBe(1);
    expect(result.output).toMatchObject({ shipment: first as Record<string, unknown> });
  });
});

async function readStock(db: LocalDynamoDb, sku: string): Promise<number | undefined> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } }),
  );
  const table = Object.entries(db.tables).find(([id]) => id.includes('InventoryTable'))?.[1];
  const r = await doc.send(new GetCommand({ TableName: table, Key: { sku } }));
  doc.destroy();
  return r.Item?.stock as number | undefined;
}
