// Binds the synthesized order workflow to its handlers for local runs: builds an OrderStack,
// reads its definition from the template and maps each function ARN to its handler module.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { compile, type CompiledStateMachine, type Json, type LambdaInvoker } from '../../lib/asl';
import { handlerEntry, type OrderStep } from '../../lib/constructs/order-functions';
import { OrderStack } from '../../lib/constructs/order-stack';
import { definitionOf } from './template';

/** A synthesized order workflow, compiled, with a Lambda invoker that runs the real handlers. */
export interface LocalOrderWorkflow {
  machine: CompiledStateMachine;
  lambda: LambdaInvoker;
  /** Which step each invocation went to, in order. */
  calls: OrderStep[];
}

export async function loadOrderWorkflow(type: 'STANDARD' | 'EXPRESS'): Promise<LocalOrderWorkflow> {
  const app = new App();
  const stack = new OrderStack(app, `StepwiseOrders${type}`, { workflow: { stateMachineType: type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD } });
  const machine = compile(definitionOf(Template.fromStack(stack)), { type });
  const handlers = new Map<string, { step: OrderStep; run: (event: unknown) => Promise<Json> }>();
  for (const [step, fn] of Object.entries(stack.workflow.functions) as [OrderStep, lambda.Function][]) {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    handlers.set(`fn:${logicalId}`, { step, run: (await import(handlerEntry(step))).handler });
  }
  const calls: OrderStep[] = [];
  return {
    machine,
    calls,
    lambda: async (functionName, payload) => {
      const h = handlers.get(functionName);
      if (!h) throw new Error(`No handler is bound to ${functionName}`);
      calls.push(h.step);
      return h.run(payload);
    },
  };
}
