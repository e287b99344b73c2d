import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OrderStack } from '../../lib/constructs/order-stack';
import { testApp } from '../../lib/testing';

// The acknowledgements (each with its reason) live in OrderWorkflow itself, so apps that reuse
// the construct inherit them. See OrderWorkflow.acknowledgeNagFindings. The rules read constructs,
// not bundles, so the apps skip bundling (testApp); order-workflow.test.ts synthesizes for real.
describe('cdk-nag AwsSolutions', () => {
  for (const type of [sfn.StateMachineType.STANDARD, sfn.StateMachineType.EXPRESS]) {
    it(`passes for the ${type} stack with only the construct's reasoned acknowledgements`, () => {
      // GIVEN
      const app = testApp();
      new OrderStack(app, `Nag${type}`, { workflow: { stateMachineType: type } });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      // WHEN / THEN: a finding that is not acknowledged makes synth throw
      expect(() => app.synth()).not.toThrow();
    });
  }

  it('passes with the alarms and their topic turned on', () => {
    const app = testApp();
    const pager = sns.Topic.fromTopicArn(new Stack(app, 'Paging'), 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');
    const stack = new OrderStack(app, 'NagAlarms', { workflow: { alarms: true, alarmTopic: pager } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
    expect(stack.workflow.alarms.length).toBeGreaterThan(0);
  });

  it('fails synth for a finding nobody acknowledged', () => {
    const app = testApp();
    const stack = new OrderStack(app, 'NagExtra', { workflow: { stateMachineType: sfn.StateMachineType.EXPRESS } });
    // An extra managed policy on the state machine role is a real IAM4 finding.
    stack.workflow.stateMachine.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});
