// The scratch app: Stepwise's OrderWorkflow reused, and a state machine of the app's own.
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { OrderWorkflow } from 'stepwise-cdk/constructs';

export function orderStack(app: App): Stack {
  const stack = new Stack(app, 'Shop');
  new OrderWorkflow(stack, 'Orders');
  return stack;
}

export function greeterStack(app: App): Stack {
  const stack = new Stack(app, 'Greeter');
  const greet = new nodejs.NodejsFunction(stack, 'Greet', {
    entry: join(__dirname, '..', 'handlers', 'greet.ts'),
    runtime: lambda.Runtime.NODEJS_22_X,
    environment: { GREETING: 'hello' },
  });
  const call = new tasks.LambdaInvoke(stack, 'SayHello', { lambdaFunction: greet, payloadResponseOnly: true });
  const long = new sfn.Pass(stack, 'LongName', { parameters: { 'message.$': '$.greeting', kind: 'long' } });
  const short = new sfn.Pass(stack, 'ShortName', { parameters: { 'message.$': '$.greeting', kind: 'short' } });
  const approve = new tasks.LambdaInvoke(stack, 'WaitForHuman', {
    lambdaFunction: greet,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ name: 'approver', token: sfn.JsonPath.taskToken }),
  });
  const chain = call.next(new sfn.Choice(stack, 'IsLong').when(sfn.Condition.booleanEquals('$.long', true), long).when(sfn.Condition.stringEquals('$.greeting', 'hello, wait'), approve).otherwise(short));
  new sfn.StateMachine(stack, 'Greeting', { definitionBody: sfn.DefinitionBody.fromChainable(chain) });
  return stack;
}
