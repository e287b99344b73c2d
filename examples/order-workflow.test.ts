// README example: testing the order workflow with Jest (type-checked by `npm test`;
// test/behaviour/order-workflow.test.ts is the full suite).
import { OrderStack } from 'stepwise-cdk/constructs';
import { historySerializer, loadStateMachine, readStack, startLocalDynamoDb, stepwiseMatchers, testApp, type LocalDynamoDb } from 'stepwise-cdk/testing';

expect.extend(stepwiseMatchers);
expect.addSnapshotSerializer(historySerializer);

const stack = new OrderStack(testApp(), 'Test'); // or any App: new App() works too
const orders = loadStateMachine(stack); // or fromCloudAssembly('cdk.out', 'Orders')
let db: LocalDynamoDb;
beforeAll(async () => {
  db = await startLocalDynamoDb([readStack(stack)]); // the stack's tables, on loopback
});
afterAll(() => db.stop());

const order = {
  orderId: 'o-1',
  customerId: 'c-1',
  items: [{ sku: 'sku-book', quantity: 1, unitPrice: 1500 }],
  payment: { token: 'tok_visa' },
  address: { country: 'GB' },
};

test('a shipping failure releases the stock and refunds', async () => {
  const result = await orders.run(order, {
    handlers: { environment: db.environment },
    dynamodb: db, // serves the DynamoDB Tasks
    mocks: { ShipOrder: { Throw: { Error: 'ShippingFailedError', Cause: 'no carrier' } } },
  });
  expect(result).toFailWith('ShippingFailedError');
  expect(result).toHaveTransitionedThrough(['ShipOrder', 'ReleaseInventory', 'RefundPayment']);
  expect(result.history).toMatchSnapshot(); // ids, times, ARNs, UUIDs normalized
});
