import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ErrorNames } from '../../lambda/domain/error-names';
import { MetricNames } from '../../lambda/domain/metric-names';
import { compile, type StateDefinition } from '../../lib/asl';
import { ApprovalMode, OrderWorkflow } from '../../lib/constructs/order-workflow';
import { ENTRY_METADATA } from '../../lib/constructs/order-functions';
import { OrderStack } from '../../lib/constructs/order-stack';
import { testApp } from '../../lib/testing';
import { definitionOf, normalizeIds } from '../helpers/template';

// GIVEN one app with both stacks. These tests read templates, not bundles: testApp skips esbuild
// (order-functions.test.ts bundles a handler and runs it).
const app = testApp();
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

type PolicyResource = { Properties: { PolicyName: string; PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } };
const IDEMPOTENCY_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

/** DynamoDB actions a step's function may take, by table (logical id without its hash), sorted. */
function tableActions(t: Template, step: string): Record<string, string[]> {
  const policies = Object.values(t.findResources('AWS::IAM::Policy')) as PolicyResource[];
  const out: Record<string, string[]> = {};
  for (const p of policies.filter((p) => p.Properties.PolicyName.startsWith(`OrderWorkflow${step}Function`))) {
    for (const st of p.Properties.PolicyDocument.Statement) {
      const actions = [st.Action].flat().filter((a) => a.startsWith('dynamodb:'));
      if (actions.length === 0) continue;
      const table = /OrderWorkflow(\w+Table)[0-9A-F]{8}/.exec(JSON.stringify(st.Resource))?.[1] ?? JSON.stringify(st.Resource);
      out[table] = [...(out[table] ?? []), ...actions].sort();
    }
  }
  return out;
}

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
    for (const n of [
      'ValidateOrder',
      'Normalize',
      'NeedsApproval',
      'RequestApproval',
      'ApprovalDecision',
      'PreChecks',
      'CheckCredit',
      'CheckInventory',
      'ProcessPayment',
      'ReserveInventory',
      'ReserveItem',
      'ShipOrder',
      'SendConfirmation',
      'WaitForDelivery',
      'SendReminder',
      'ReleaseInventory',
      'RefundPayment',
      'RecordOrderCompleted',
      'PublishOrderConfirmed',
      'RecordOrderFailed',
      'OrderCompleted',
      'OrderFailed',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('is a definition the Stepwise interpreter accepts as STANDARD', () => {
    expect(() => compile(standardDef, { type: 'STANDARD' })).not.toThrow();
  });

  it('retries transient payment failures with back-off and jitter, and catches declines', () => {
    const pay = standardDef.States.ProcessPayment as StateDefinition;
    expect(pay.Retry).toContainEqual({
      ErrorEquals: [ErrorNames.PaymentTransient],
      IntervalSeconds: 1,
      MaxAttempts: 3,
      BackoffRate: 2,
      MaxDelaySeconds: 10,
      JitterStrategy: 'FULL',
    });
    expect(pay.Catch).toContainEqual({
      ErrorEquals: [ErrorNames.PaymentDeclined, ErrorNames.PaymentTransient],
      ResultPath: '$.error',
      Next: 'RecordOrderFailed',
    });
  });

  it('compensates reservation and shipping failures by releasing stock, then refunding', () => {
    expect((standardDef.States.ReserveInventory as StateDefinition).Catch?.[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'ReleaseInventory' });
    expect((standardDef.States.ShipOrder as StateDefinition).Catch?.[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'ReleaseInventory' });
    expect(standardDef.States.ReleaseInventory?.Next).toBe('RefundPayment');
    expect(standardDef.States.RefundPayment?.Next).toBe('RecordOrderFailed');
  });

  it('records the final status with a direct DynamoDB integration and publishes OrderConfirmed to its bus', () => {
    expect(standardDef.States.RecordOrderFailed).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      ResultPath: null,
      Next: 'OrderFailed',
    });
    expect(standardDef.States.SendReminder?.Next).toBe('RecordOrderCompleted');
    expect(standardDef.States.RecordOrderCompleted).toMatchObject({ Resource: 'arn:aws:states:::dynamodb:putItem', Next: 'PublishOrderConfirmed' });
    expect(standardDef.States.PublishOrderConfirmed).toMatchObject({ Resource: 'arn:aws:states:::events:putEvents', ResultPath: null, Next: 'OrderCompleted' });
    const entry = (standardDef.States.PublishOrderConfirmed!.Parameters as { Entries: Record<string, unknown>[] }).Entries[0];
    expect(entry).toMatchObject({ Source: 'stepwise.orders', DetailType: 'OrderConfirmed' });
    // An order that failed validation has no trustworthy id: it is not recorded.
    expect((standardDef.States.ValidateOrder as StateDefinition).Catch?.[0]).toMatchObject({ Next: 'OrderFailed' });
  });

  it('gives the state machine only PutItem on the orders table and PutEvents on its bus for them', () => {
    const policies = standardTemplate.findResources('AWS::IAM::Policy');
    const role = Object.values(policies).find((p) => JSON.stringify(p).includes('events:PutEvents'));
    const statements = (role!.Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } }).PolicyDocument.Statement;
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

  it('runs every function on Node.js 22 (ARM, 256 MB, 10 s, active tracing, JSON logs) and records its entry', () => {
    standardTemplate.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      {
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' }),
      },
      11,
    );
    const fn = standard.workflow.functions.processPayment as lambda.Function;
    expect(fn.node.metadata.find((m) => m.type === ENTRY_METADATA)?.data).toMatch(/lambda\/process-payment\.ts$/);
  });

  it('lets the state machine invoke only its own functions', () => {
    const policies = standardTemplate.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('StateMachineRole') }] } });
    const statements = Object.values(policies).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement,
    );
    const invokes = statements.filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
    expect(invokes.length).toBeGreaterThan(0);
    for (const s of invokes) expect(JSON.stringify(s.Resource)).not.toContain('"*"');
  });

  it('gives the credit check no table access and the inventory check read-only access', () => {
    expect(tableActions(standardTemplate, 'CheckCredit')).toEqual({});
    expect(tableActions(standardTemplate, 'CheckInventory')).toEqual({ InventoryTable: ['dynamodb:GetItem'] });
    expect(tableActions(standardTemplate, 'ReserveInventory')).toEqual({
      OrdersTable: ['dynamodb:DeleteItem', 'dynamodb:PutItem'],
      InventoryTable: ['dynamodb:UpdateItem'],
      IdempotencyTable: IDEMPOTENCY_ACTIONS,
    });
  });

  it('grants the idempotency table only to the steps that use it, with the four actions Powertools needs', () => {
    const users = ['ProcessPayment', 'ReserveInventory', 'ShipOrder', 'SendConfirmation', 'SendReminder', 'RefundPayment'];
    for (const step of users) expect(tableActions(standardTemplate, step).IdempotencyTable).toEqual(IDEMPOTENCY_ACTIONS);
    for (const step of ['ValidateOrder', 'CheckCredit', 'CheckInventory', 'RequestApproval', 'ReleaseInventory'])
      expect(tableActions(standardTemplate, step).IdempotencyTable).toBeUndefined();
    // The charge is recorded for the refund; nothing else of the payment steps touches the orders table.
    expect(tableActions(standardTemplate, 'ProcessPayment').OrdersTable).toEqual(['dynamodb:PutItem']);
    expect(tableActions(standardTemplate, 'RefundPayment').OrdersTable).toEqual(['dynamodb:GetItem']);
    expect(tableActions(standardTemplate, 'ShipOrder').OrdersTable).toBeUndefined();
  });

  it('creates the orders, inventory and idempotency tables: on demand, encrypted, with point-in-time recovery, retained', () => {
    standardTemplate.resourceCountIs('AWS::DynamoDB::Table', 3);
    const common = {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    };
    for (const key of ['pk', 'sku'])
      standardTemplate.hasResourceProperties('AWS::DynamoDB::Table', { ...common, KeySchema: [{ AttributeName: key, KeyType: 'HASH' }] });
    // The layout Powertools' DynamoDB persistence layer expects: key `id`, TTL on `expiration`.
    standardTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      ...common,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    expect(Object.values(standardTemplate.findResources('AWS::DynamoDB::Table')).map((t) => t.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
  });

  it('gives every function its tables and the POWERTOOLS_* settings, with responses kept out of traces', () => {
    standardTemplate.allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          ORDERS_TABLE: { Ref: Match.stringLikeRegexp('OrdersTable') },
          INVENTORY_TABLE: { Ref: Match.stringLikeRegexp('InventoryTable') },
          IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('IdempotencyTable') },
          POWERTOOLS_SERVICE_NAME: 'orders',
          POWERTOOLS_METRICS_NAMESPACE: 'StepwiseOrders',
          POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('keeps logs for a month and outputs the state machine ARN, inventory table and type', () => {
    standardTemplate.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    standardTemplate.resourceCountIs('AWS::Logs::LogGroup', 12);
    expect(Object.keys(standardTemplate.findOutputs('*')).sort()).toEqual(['InventoryTableName', 'StateMachineArn', 'WorkflowType']);
    standardTemplate.hasOutput('WorkflowType', { Value: 'STANDARD' });
  });

  it('retries a delivery that meets the idempotency lock on every idempotent step', () => {
    const retried = allStates(standardDef).filter(([, s]) => s.Retry?.some((r) => r.ErrorEquals.includes(ErrorNames.IdempotencyInProgress)));
    expect(retried.map(([n]) => n).sort()).toEqual(['ProcessPayment', 'RefundPayment', 'ReserveItem', 'SendConfirmation', 'SendReminder', 'ShipOrder']);
    for (const [, s] of retried)
      expect(s.Retry).toContainEqual({ ErrorEquals: [ErrorNames.IdempotencyInProgress], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 2 });
  });

  it('creates no alarms unless asked', () => {
    standardTemplate.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(standard.workflow.alarms).toEqual([]);
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

describe('OrderWorkflow props', () => {
  const withProps = (props: ConstructorParameters<typeof OrderWorkflow>[2]) => () => new OrderWorkflow(new Stack(testApp()), 'W', props);
  const fake = (stack: Stack) => lambda.Function.fromFunctionArn(stack, 'Mine', 'arn:aws:lambda:us-east-1:123456789012:function:mine');

  it('fails for an Express workflow with callback approval, naming the fix', () => {
    expect(withProps({ stateMachineType: sfn.StateMachineType.EXPRESS, approvalMode: ApprovalMode.CALLBACK })).toThrow(
      /Express state machines cannot wait for a callback.*ApprovalMode.REJECT/,
    );
  });

  it('fails for an Express workflow with a 24-hour reminder', () => {
    expect(withProps({ stateMachineType: sfn.StateMachineType.EXPRESS, reminderDelay: Duration.hours(24) })).toThrow(/reminderDelay .* Express/);
  });

  it('fails for a negative approval threshold', () => {
    expect(withProps({ approvalThreshold: -1 })).toThrow(/approvalThreshold/);
  });

  it('uses a function you supply instead of creating one', () => {
    const stack = new Stack(testApp());
    const wf = new OrderWorkflow(stack, 'W', {
      functions: { shipOrder: fake(stack) },
      tracingEnabled: false,
      logLevel: sfn.LogLevel.ERROR,
      stateMachineType: sfn.StateMachineType.EXPRESS,
      reminderDelay: Duration.minutes(1),
    });
    const t = Template.fromStack(stack);
    expect(wf.functions.shipOrder.functionName).toBe('mine');
    t.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x' }, 9);
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: false },
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR' }),
    });
    expect(definitionOf(t).States.WaitForDelivery).toMatchObject({ Seconds: 60 });
  });
});

describe('OrderWorkflow operations props', () => {
  const build = (props: ConstructorParameters<typeof OrderWorkflow>[2]) => {
    const stack = new Stack(testApp());
    const workflow = new OrderWorkflow(stack, 'W', props);
    return { workflow, template: Template.fromStack(stack), stack };
  };

  it("alarms on failed, timed-out and throttled executions and on each function's errors when alarms is true", () => {
    // GIVEN / WHEN
    const { workflow, template } = build({ stateMachineType: sfn.StateMachineType.EXPRESS, alarms: true });
    // THEN three execution alarms and one per function (nine for Express)
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3 + 9);
    expect(workflow.alarms).toHaveLength(12);
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: Match.stringLikeRegexp('StateMachine') } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum' }, 9);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('ProcessPaymentFunction') } }],
    });
    // No topic: the alarms have no actions.
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('AlarmActions');
  });

  it('notifies the SNS topic when an alarm fires and when it recovers', () => {
    const stack = new Stack(testApp());
    const topic = new sns.Topic(stack, 'Pager');
    new OrderWorkflow(stack, 'W', { alarms: { functionErrors: false, period: Duration.minutes(1), threshold: 3 }, alarmTopic: topic });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Pager') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('Pager') }],
      Period: 60,
      Threshold: 3,
    });
  });

  it('alarms on function errors only when executions is false', () => {
    const { template } = build({ alarms: { executions: false } });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 11);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda' });
  });

  it('fails for an alarm topic without alarms, naming the fix', () => {
    const stack = new Stack(testApp());
    const topic = sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:us-east-1:123456789012:pager');
    expect(() => new OrderWorkflow(stack, 'W', { alarmTopic: topic })).toThrow(/alarmTopic is set but alarms is not; set alarms: true/);
  });

  it('fails for an alarm threshold below one', () => {
    expect(() => build({ alarms: { threshold: 0 } })).toThrow(/alarms.threshold must be a number ≥ 1, got 0/);
  });

  it("exposes the state machine's metrics and the handlers' business metrics", () => {
    const { workflow, stack } = build({ serviceName: 'shop', metricsNamespace: 'Shop' });
    const arn = stack.resolve(workflow.stateMachine.stateMachineArn);
    const sm = (m: { namespace: string; metricName: string; dimensions?: Record<string, unknown> }) => ({
      namespace: m.namespace,
      metricName: m.metricName,
      dims: stack.resolve(m.dimensions),
    });
    expect(sm(workflow.metricFailed())).toEqual({ namespace: 'AWS/States', metricName: 'ExecutionsFailed', dims: { StateMachineArn: arn } });
    expect(sm(workflow.metricTimedOut())).toMatchObject({ metricName: 'ExecutionsTimedOut' });
    expect(sm(workflow.metricThrottled())).toMatchObject({ metricName: 'ExecutionThrottled' });
    expect(sm(workflow.metricSucceeded())).toMatchObject({ metricName: 'ExecutionsSucceeded' });
    expect(sm(workflow.metricStarted())).toMatchObject({ metricName: 'ExecutionsStarted' });
    expect(sm(workflow.metricAborted())).toMatchObject({ metricName: 'ExecutionsAborted' });
    expect(sm(workflow.metricTime())).toMatchObject({ metricName: 'ExecutionTime' });
    expect(sm(workflow.metricOrdersPlaced())).toEqual({ namespace: 'Shop', metricName: MetricNames.OrdersPlaced, dims: { service: 'shop' } });
    expect(workflow.metricOrdersDeclined().metricName).toBe(MetricNames.OrdersDeclined);
    expect(workflow.metricOrdersCompensated({ period: Duration.hours(1) })).toMatchObject({
      metricName: MetricNames.OrdersCompensated,
      period: Duration.hours(1),
      statistic: 'Sum',
    });
  });
});
