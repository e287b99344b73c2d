// Loading state machines for tests: from an in-memory CDK Stack or a synthesized cloud assembly.
import type { Stack } from 'aws-cdk-lib';
import { readCloudAssembly, readStack } from '../local/assembly';
import type { Environment } from '../local/resolve';
import { findStateMachine, LOCAL_ENV, stateMachinesOf } from '../local/state-machines';
import { LocalWorkflow } from '../local/workflow';

/**
 * Every state machine of a stack, bound to the stack's own handlers.
 * @example
 * const [orders] = loadStateMachines(new OrderStack(new App(), 'Test'));
 * const result = await orders.run({ orderId: 'o-1', ... });
 */
export function loadStateMachines(stack: Stack, env: Environment = LOCAL_ENV): LocalWorkflow[] {
  return stateMachinesOf(readStack(stack), env).map((m) => new LocalWorkflow(m));
}

/** One state machine of a stack, chosen by construct path or id when there are several. */
export function loadStateMachine(stack: Stack, selector?: string, env: Environment = LOCAL_ENV): LocalWorkflow {
  return new LocalWorkflow(findStateMachine(stateMachinesOf(readStack(stack), env), selector));
}

/** State machines of a synthesized cloud assembly (`cdk.out`), optionally one chosen by selector. */
export function fromCloudAssembly(dir: string, selector?: string, env: Environment = LOCAL_ENV): LocalWorkflow {
  const machines = readCloudAssembly(dir).flatMap((s) => stateMachinesOf(s, env));
  return new LocalWorkflow(findStateMachine(machines, selector));
}
