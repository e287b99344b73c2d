// A state machine built with aws-cdk-lib's JSONata factories and `assign`, synthesized, then run
// by the interpreter: the CDK's JSONata output must execute faithfully.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { compile, execute, type Json } from '../../lib/asl';
import { testApp } from '../../lib/testing';
import { definitionOf } from '../helpers/template';

function buildStack(): Stack {
  const stack = new Stack(testApp(), 'JsonataApp');
  const price = new lambda.Function(stack, 'PriceFn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (e) => ({ unit: e.sku === "gold" ? 100 : 10 });'),
  });
  const setup = sfn.Pass.jsonata(stack, 'Setup', { assign: { discount: '{% $states.input.vip ? 0.2 : 0 %}', qty: '{% $states.input.qty %}' } });
  const quote = tasks.LambdaInvoke.jsonata(stack, 'Quote', {
    lambdaFunction: price,
    payload: sfn.TaskInput.fromObject({ sku: '{% $states.input.sku %}' }),
    assign: { unit: '{% $states.result.Payload.unit %}' },
    outputs: '{% $states.input %}',
  });
  const total = sfn.Pass.jsonata(stack, 'Total', { outputs: { total: '{% $unit * $qty * (1 - $discount) %}' } });
  const big = sfn.Pass.jsonata(stack, 'Big', { outputs: { total: '{% $states.input.total %}', review: true } });
  const choice = sfn.Choice.jsonata(stack, 'NeedsReview')
    .when(sfn.Condition.jsonata('{% $states.input.total > 500 %}'), big)
    .otherwise(new sfn.Succeed(stack, 'Done'));
  new sfn.StateMachine(stack, 'Machine', {
    queryLanguage: sfn.QueryLanguage.JSONATA,
    definitionBody: sfn.DefinitionBody.fromChainable(setup.next(quote).next(total).next(choice)),
  });
  return stack;
}

describe('a CDK-built JSONata state machine', () => {
  const definition = definitionOf(Template.fromStack(buildStack()));
  // The inline handler above, run in-process: what the deployed function would return.
  const lambdaInvoker = (_fn: string, payload: Json) => ({ unit: (payload as { sku: string }).sku === 'gold' ? 100 : 10 });

  it('is synthesized with JSONata and assign', () => {
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(definition.States.Setup?.Assign).toEqual({ discount: '{% $states.input.vip ? 0.2 : 0 %}', qty: '{% $states.input.qty %}' });
    expect(definition.States.Quote?.Arguments).toMatchObject({ Payload: { sku: '{% $states.input.sku %}' } });
  });

  it('runs locally with the expected output', async () => {
    const machine = compile(definition);
    const cheap = await execute(machine, { sku: 'tin', qty: 3, vip: false }, { lambda: lambdaInvoker });
    expect(cheap).toMatchObject({ status: 'SUCCEEDED', output: { total: 30 } });
    const gold = await execute(machine, { sku: 'gold', qty: 10, vip: true }, { lambda: lambdaInvoker });
    expect(gold).toMatchObject({ status: 'SUCCEEDED', output: { total: 800, review: true } });
    expect(gold.statesEntered).toEqual(['Setup', 'Quote', 'Total', 'NeedsReview', 'Big']);
  });
});
