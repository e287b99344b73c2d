#!/usr/bin/env node
// CDK app (cdk.json "app"): the order workflow as a Standard and an Express stack.
import { App } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { OrderStack } from '../lib/constructs/order-stack';

const app = new App();
new OrderStack(app, 'StepwiseOrdersStandard', { workflow: { stateMachineType: sfn.StateMachineType.STANDARD, alarms: true } });
new OrderStack(app, 'StepwiseOrdersExpress', { workflow: { stateMachineType: sfn.StateMachineType.EXPRESS, alarms: true } });
app.synth();
