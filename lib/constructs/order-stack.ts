// The stack bin/app.ts deploys: one OrderWorkflow, plus cdk-nag-reviewed suppressions.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { OrderWorkflow, type OrderWorkflowProps } from './order-workflow';

/** Properties of an OrderStack. */
export interface OrderStackProps extends StackProps {
  /** Properties of the workflow. @default - OrderWorkflow's defaults (STANDARD) */
  readonly workflow?: OrderWorkflowProps;
}

/** A deployable stack holding one order workflow. */
export class OrderStack extends Stack {
  /** The workflow. */
  public readonly workflow: OrderWorkflow;

  constructor(scope: Construct, id: string, props: OrderStackProps = {}) {
    super(scope, id, props);
    this.workflow = new OrderWorkflow(this, 'OrderWorkflow', props.workflow);
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'InventoryTableName', { value: this.workflow.inventoryTable.tableName });
    new CfnOutput(this, 'WorkflowType', { value: props.workflow?.stateMachineType ?? sfn.StateMachineType.STANDARD });
  }
}
