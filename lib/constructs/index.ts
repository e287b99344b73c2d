// Entry point `stepwise-cdk/constructs`: the deployable half (needs aws-cdk-lib and constructs).
export { OrderWorkflow, ApprovalMode } from './order-workflow';
export type { OrderWorkflowProps, OrderWorkflowAlarmsProps } from './order-workflow';
export { OrderStack } from './order-stack';
export type { OrderStackProps } from './order-stack';
export { ORDER_STEPS, ENTRY_METADATA } from './order-functions';
export type { OrderFunctions, OrderStep } from './order-functions';
