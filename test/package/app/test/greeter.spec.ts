// The app's own Jest test: its state machine runs with its handler from TypeScript source (no
// extra code), and Stepwise's OrderWorkflow runs with a mock.
import { App } from 'aws-cdk-lib';
import { lambdaReturns, loadStateMachine, stepwiseMatchers, testApp } from 'stepwise-cdk/testing';
import { greeterStack, orderStack } from '../lib/shop';

expect.extend(stepwiseMatchers);

interface Greeting {
  name: string;
}
interface Message {
  message: string;
  kind: 'long' | 'short';
}

describe('the app', () => {
  const app = new App();
  const greeter = loadStateMachine(greeterStack(app));

  it('greets through its own handler', async () => {
    const result = await greeter.run<Greeting, Message>({ name: 'Grace Hopper' });
    expect(result).toSucceed();
    expect(result.output?.message).toBe('hello, Grace Hopper');
    expect(result.output?.kind).toBe('long');
  });

  it('refuses a mock of a state it does not have', async () => {
    await expect(greeter.run<Greeting>({ name: 'x' }, { mocks: { SayHi: lambdaReturns({}) } })).rejects.toThrow(/SayHi/);
  });

  it('reuses the OrderWorkflow with a mocked step', async () => {
    // testApp(): no bundling; Stepwise's own handlers run from the package's compiled entries.
    const orders = loadStateMachine(orderStack(testApp()));
    const result = await orders.run({ orderId: 'o-1', customerId: 'c', items: [], payment: { token: 'tok_visa' }, address: {} }, {
      // The order's status records are direct DynamoDB tasks: mocked here, as there is no local DynamoDB.
      mocks: { ValidateOrder: { Throw: { Error: 'InvalidOrderError', Cause: 'no items' } }, RecordOrderFailed: { Return: {} }, RecordOrderCompleted: { Return: {} } },
    });
    expect(result).toFailWith('InvalidOrderError');
  });
});
