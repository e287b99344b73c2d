import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ErrorNames } from '../../lambda/domain/error-names';
import { compile, type StateDefinition } from '../../lib/asl';
import { ApprovalMode, OrderWorkflow } from '../../lib/constructs/order-workflow';
import { ENTRY_METADATA } from '../../lib/constructs/order-functions';
import { OrderStack } from '../../lib/constructs/order-stack';
import { definitionOf, normalizeIds } from '../helpers/template';

// GIVEN one synthesized app with both stacks (bundling runs once per function).
const app = new App();
const standard = new OrderStack(app, 'Standard', { workflow: { stateMachineType: sfn.StateMachineType.STANDARD } });
const express = new OrderStack(app, 'Express', { workflow: { stateMachineType: sfn.StateMachineType.EXPRESS } });
const standardTemplate = Template.fromStack(standard);
const expressTemplate = Template.fromStack(express);
const standardDef = definitionOf(standardTemplate);
const expressDef = definitionOf(expressTemplate);

function allStates(def: { States: Record<string, StateDefinition> }): [string, StateDefinition][] {
  return Object.entries(def.States).flatMap(([name, s]) => [
    [name, s] as [string, StateDefinition],
    ...(s.Branches ?? []).flatMap((b) => allStates(b)),
    ...(s.ItemProcessor ? allStates(s.ItemProcessor) : []),
  ]);
}
const types = (def: typeof standardDef) => new Set(allStates(def).map(([, s]) => s.Type));

describe('OrderWorkflow (Standard)', () => {
  it('is a STANDARD state machine with X-Ray tracing and ALL-level logging', () => {
    standardTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
    });
  });

  it('uses all eight state types', () => {
    expect([...types(standardDef)].sort()).toEqual(['Choice', 'Fail', 'Map', 'Parallel', 'Pass', 'Succeed', 'Task', 'Wait']);
  });

  it('has every step of the workflow', () => {
    const names = allStates(standardDef).map(([n]) => n);
    for (const n of ['ValidateOrder', 'Normalize', 'NeedsApproval', 'RequestApproval', 'ApprovalDecision', 'PreChecks', 'CheckCredit', 'CheckInventory', 'ProcessPayment', 'ReserveInventory', 'ReserveItem', 'ShipOrder', 'SendConfirmation', 'WaitForDelivery', 'SendReminder', 'ReleaseInventory', 'RefundPayment', 'RecordOrderCompleted', 'PublishOrderConfirmed', 'RecordOrderFailed', 'OrderCompleted', 'OrderFailed']) {
      expect(names).toContain(n);
    }
  });

  it('is a definition the Stepwise interpreter accepts as STANDARD', () => {
    expect(() => compile(standardDef, { type: 'STANDARD' })).not.toThrow();
  });

  it('retries transient payment failures with back-off and jitter, and catches declines', () => {
    const pay = standardDef.States.ProcessPayment as StateDefinition;
    expect(pay.Retry).toContainEqual({ ErrorEquals: [ErrorNames.PaymentTransient], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' });
    expect(pay.Catch).toContainEqual({ ErrorEquals: [ErrorNames.PaymentDeclined, ErrorNames.PaymentTransient], ResultPath: '$.error', Next: 'RecordOrderFailed' });
  });

  it('compensates reservation and shipping failures by releasing stock, then refunding', () => {
    expect((standardDef.States.ReserveInventory as StateDefinition).Catch?.[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'ReleaseInventory' });
    expect((standardDef.States.ShipOrder as StateDefinition).Catch?.[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'ReleaseInventory' });
    expect(standardDef.States.ReleaseInventory?.Next).toBe('RefundPayment');
    expect(standardDef.States.RefundPayment?.Next).toBe('RecordOrderFailed');
  });

  it('records the final status with a direct DynamoDB integration and publishes OrderConfirmed to its bus', () => {
    expect(standardDef.States.RecordOrderFailed).toMatchObject({ Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', ResultPath: null, Next: 'OrderFailed' });
    expect(standardDef.States.SendReminder?.Next).toBe('RecordOrderCompleted');
    expect(standardDef.States.RecordOrderCompleted).toMatchObject({ Resource: 'arn:aws:states:::dynamodb:putItem', Next: 'PublishOrderConfirmed' });
    expect(standardDef.States.PublishOrderConfirmed).toMatchObject({ Resource: 'arn:aws:states:::events:putEvents', ResultPath: null, Next: 'OrderCompleted' });
    const entry = (standardDef.States.PublishOrderConfirmed?.Parameters as { Entries: Record<string, unknown>[] }).Entries[0];
    expect(entry).toMatchObject({ Source: 'stepwise.orders', DetailType: 'OrderConfirmed' });
    // An order that failed validation has no trustworthy id: it is not recorded.
    expect((standardDef.States.ValidateOrder as StateDefinition).Catch?.[0]).toMatchObject({ Next: 'OrderFailed' });
  });

  it('gives the state machine only PutItem on the orders table and PutEvents on its bus for them', () => {
    const policies = standardTemplate.findResources('AWS::IAM::Policy');
    const role = Object.values(policies).find((p) => JSON.stringify(p).includes('events:PutEvents'));
    const statements = (role?.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }).PolicyDocument.Statement;
    const forAction = (action: string) => statements.filter((st) => ([] as string[]).concat(st.Action).includes(action));
    expect(forAction('events:PutEvents')).toHaveLength(1);
    expect(JSON.stringify(forAction('events:PutEvents')[0]?.Resource)).toMatch(/OrderEvents/);
    expect(forAction('dynamodb:PutItem')).toHaveLength(1);
    expect(JSON.stringify(forAction('dynamodb:PutItem')[0]?.Resource)).toMatch(/OrdersTable/);
    expect(JSON.stringify(forAction('dynamodb:PutItem')[0]?.Resource)).not.toMatch(/InventoryTable/);
    expect(statements.some((st) => ([] as string[]).concat(st.Action).some((a) => a === '*' || a.endsWith(':*')))).toBe(false);
  });

  it('waits 24 hours before the reminder and uses a task token for approval', () => {
    expect(standardDef.States.WaitForDelivery).toMatchObject({ Type: 'Wait', Seconds: 86400 });
    expect(standardDef.States.RequestApproval).toMatchObject({ Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', TimeoutSeconds: 604800 });
  });

  it('bundles every function with esbuild on Node.js 22 and records its entry', () => {
    standardTemplate.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Handler: 'index.handler' }, 11);
    const fn = standard.workflow.functions.processPayment as lambda.Function;
    expect(fn.node.metadata.find((m) => m.type === ENTRY_METADATA)?.data).toMatch(/lambda\/process-payment\.ts$/);
  });

  it('lets the state machine invoke only its own functions', () => {
    const policies = standardTemplate.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('StateMachineRole') }] } });
    const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
    const invokes = statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
    expect(invokes.length).toBeGreaterThan(0);
    for (const s of invokes) expect(JSON.stringify(s.Resource)).not.toContain('"*"');
  });

  it('gives the credit check no table access and the inventory check read-only access', () => {
    const policies = Object.values(standardTemplate.findResources('AWS::IAM::Policy')) as { Properties: { PolicyName: string; PolicyDocument: { Statement: { Action: string | string[] }[] } } }[];
    const of = (prefix: string) => policies.filter((p) => p.Properties.PolicyName.startsWith(prefix)).flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()));
    expect(of('OrderWorkflowCheckCreditFunction').filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(of('OrderWorkflowCheckInventoryFunction').filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    expect(of('OrderWorkflowReserveInventoryFunction')).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']));
  });

  it('creates the orders and inventory tables with point-in-time recovery', () => {
    standardTemplate.resourceCountIs('AWS::DynamoDB::Table', 2);
    standardTemplate.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }], PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  });

  it('matches the definition snapshot', () => {
    expect(normalizeIds(standardDef)).toMatchSnapshot();
  });
});

describe('OrderWorkflow (Express)', () => {
  it('is an EXPRESS state machine', () => {
    expressTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' });
  });

  it('has no callback task and no 24-hour wait: seven state types', () => {
    expect([...types(expressDef)].sort()).toEqual(['Choice', 'Fail', 'Map', 'Parallel', 'Pass', 'Succeed', 'Task']);
    expect(JSON.stringify(expressDef)).not.toContain('waitForTaskToken');
    expect(() => compile(expressDef, { type: 'EXPRESS' })).not.toThrow();
  });

  it('fails orders above the threshold with ApprovalRequired instead of waiting', () => {
    expect(expressDef.States.NeedsApproval?.Choices?.[0]?.Next).toBe('ApprovalUnavailable');
    expect(expressDef.States.ApprovalUnavailable).toMatchObject({ Type: 'Pass', Parameters: { Error: 'ApprovalRequired' }, Next: 'RecordOrderFailed' });
  });

  it('creates no function for the approval and reminder steps', () => {
    expressTemplate.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x' }, 9);
  });

  it('matches the definition snapshot', () => {
    expect(normalizeIds(expressDef)).toMatchSnapshot();
  });
});

/** The whole template with asset hashes replaced, so a code change does not churn the snapshot. */
function stableTemplate(t: Template): unknown {
  return JSON.parse(JSON.stringify(t.toJSON()).replace(/[0-9a-f]{64}(\.zip)?/g, '<asset-hash>'));
}

describe('synthesized templates', () => {
  it('match their snapshots (asset hashes normalized)', () => {
    expect(stableTemplate(standardTemplate)).toMatchSnapshot('standard');
    expect(stableTemplate(expressTemplate)).toMatchSnapshot('express');
  });
});

describe('OrderWorkflow props', () => {
  const withProps = (props: ConstructorParameters<typeof OrderWorkflow>[2]) => () => new OrderWorkflow(new Stack(new App()), 'W', props);
  const fake = (stack: Stack) => lambda.Function.fromFunctionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:function:mine');

  it('fails for an Express workflow with callback approval, naming the fix', () => {
    expect(withProps({ stateMachineType: sfn.StateMachineType.EXPRESS, approvalMode: ApprovalMode.CALLBACK })).toThrow(/Express state machines cannot wait for a callback.*ApprovalMode.REJECT/);
  });

  it('fails for an Express workflow with a 24-hour reminder', () => {
    expect(withProps({ stateMachineType: sfn.StateMachineType.EXPRESS, reminderDelay: Duration.hours(24) })).toThrow(/reminderDelay .* Express/);
  });

  it('fails for a negative approval threshold', () => {
    expect(withProps({ approvalThreshold: -1 })).toThrow(/approvalThreshold/);
  });

  it('uses a function you supply instead of creating one', () => {
    const stack = new Stack(new App());
    const wf = new OrderWorkflow(stack, 'W', { functions: { shipOrder: fake(stack) }, tracingEnabled: false, logLevel: sfn.LogLevel.ERROR, stateMachineType: sfn.StateMachineType.EXPRESS, reminderDelay: Duration.minutes(1) });
    const t = Template.fromStack(stack);
    expect(wf.functions.shipOrder.functionName).toBe('mine');
    t.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x' }, 9);
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: false }, LoggingConfiguration: Match.objectLike({ Level: 'ERROR' }) });
    expect(definitionOf(t).States.WaitForDelivery).toMatchObject({ Seconds: 60 });
  });
});
