// The test API as a TypeScript user meets it: typed runs and mocks, and setup problems that reject
// the run instead of passing for the workflow's behaviour.
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { SetupError } from '../../lib/asl';
import { lambdaReturns, loadStateMachine, stepwiseMatchers, testApp, type LocalWorkflow } from '../../lib/testing';
import { foreignStack } from '../fixtures/foreign/app';

expect.extend(stepwiseMatchers);

// Ordinary interfaces: no index signature.
interface Order {
  id: string;
  total: number;
}
interface Receipt {
  id: string;
  charged: number;
  status: 'charged' | 'failed';
}

function shop(): LocalWorkflow {
  const stack = new Stack(testApp(), 'Shop');
  const charge = new lambda.Function(stack, 'Charge', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline("exports.handler = async (e) => ({ id: e.id, charged: e.total, status: 'charged' });"),
  });
  const pay = new tasks.LambdaInvoke(stack, 'Pay', { lambdaFunction: charge, outputPath: '$.Payload', retryOnServiceExceptions: false });
  pay.addCatch(new sfn.Pass(stack, 'Failed', { result: sfn.Result.fromObject({ status: 'failed' }) }), { errors: ['States.ALL'] });
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Start').next(pay)) });
  return loadStateMachine(stack);
}

describe('typed runs', () => {
  const workflow = shop();

  it('takes and returns ordinary interfaces', async () => {
    const result = await workflow.run<Order, Receipt>({ id: 'o-1', total: 40 });
    expect(result).toSucceed();
    const receipt: Receipt | undefined = result.output;
    expect(receipt).toEqual({ id: 'o-1', charged: 40, status: 'charged' });
  });

  it('mocks a LambdaInvoke task with what the function returns (lambdaReturns wraps it as AWS does)', async () => {
    const result = await workflow.run<Order, Receipt>(
      { id: 'o-2', total: 5 },
      { mocks: { Pay: lambdaReturns<Receipt>({ id: 'o-2', charged: 0, status: 'failed' }) } },
    );
    expect(result.output).toEqual({ id: 'o-2', charged: 0, status: 'failed' });
  });
});

describe('setup problems reject the run', () => {
  const workflow = shop();

  it('refuses a mock of a state that does not exist, listing the Task states', async () => {
    await expect(workflow.run({ id: 'o', total: 1 }, { mocks: { Payy: { Return: {} } } })).rejects.toThrow(
      new SetupError("A mock names the state 'Payy', which state machine Shop/Machine does not have; its Task states: Pay"),
    );
  });

  it('refuses a mock of a state that is not a Task', async () => {
    await expect(workflow.run({ id: 'o', total: 1 }, { mocks: { Start: { Return: {} } } })).rejects.toThrow(
      /'Start', a Pass state: only Task states can be mocked/,
    );
  });

  it('refuses a mock that returns something that is not JSON, and no Catch sees it', async () => {
    await expect(workflow.run({ id: 'o', total: 1 }, { mocks: { Pay: { Return: { at: new Date(0) } } } })).rejects.toThrow(
      /mock of state 'Pay' returns a value that is not JSON/,
    );
  });

  it("rejects with 'No code found' for a function with no code to run", async () => {
    // The foreign app's function, in an app that skips bundling, asked to run from its bundle.
    const run = loadStateMachine(foreignStack(testApp())).run({ numbers: [1], label: 'x' }, { handlers: { mode: 'asset' } });
    await expect(run).rejects.toBeInstanceOf(SetupError);
    await expect(run).rejects.toThrow(/No code found to run function Foreign\/Doubler/);
  });

  it('rejects where a States.ALL catcher would have swallowed the setup problem', async () => {
    expect(workflow.stateMachine.definition.States.Pay?.Catch?.[0]?.ErrorEquals).toEqual(['States.ALL']);
    // An inline function has no source entry to run.
    await expect(workflow.run({ id: 'o', total: 1 }, { handlers: { mode: 'source' } })).rejects.toThrow(/Function Shop\/Charge has no known source entry/);
  });
});
