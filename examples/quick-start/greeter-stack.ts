// README quick start: an existing CDK app's own state machine (type-checked by `npm test`).
import { join } from 'node:path';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

export class GreeterStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const greet = new nodejs.NodejsFunction(this, 'Greet', { entry: join(__dirname, 'greet.ts') });
    const sayHello = new tasks.LambdaInvoke(this, 'SayHello', { lambdaFunction: greet, payloadResponseOnly: true });
    const refused = new sfn.Fail(this, 'Refused', { error: 'NoName' });
    sayHello.addCatch(refused, { errors: ['States.ALL'] });
    new sfn.StateMachine(this, 'Greeting', { definitionBody: sfn.DefinitionBody.fromChainable(sayHello) });
  }
}
