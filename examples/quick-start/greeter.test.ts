// README quick start: the app's Jest test (type-checked by `npm test`; the package test runs one like it).
import { App } from 'aws-cdk-lib';
import { lambdaReturns, loadStateMachine, stepwiseMatchers } from 'stepwise-cdk/testing';
import { GreeterStack } from './greeter-stack';

expect.extend(stepwiseMatchers);

interface Input {
  name: string;
}
interface Output {
  greeting: string;
}

const greeting = loadStateMachine(new GreeterStack(new App(), 'Greeter'));

test('greets by name, running greet.ts from source', async () => {
  const result = await greeting.run<Input, Output>({ name: 'Ada' });
  expect(result).toSucceed();
  expect(result.output?.greeting).toBe('hello, Ada');
});

test('fails without a name', async () => {
  const result = await greeting.run<Input, Output>({ name: '' });
  expect(result).toFailWith('NoName');
});

test('with the function mocked', async () => {
  const result = await greeting.run<Input, Output>(
    { name: 'Ada' },
    {
      mocks: { SayHello: lambdaReturns({ greeting: 'hi' }) }, // what the function returns, wrapped as lambda:invoke's result
    },
  );
  expect(result.output).toEqual({ greeting: 'hi' });
});
