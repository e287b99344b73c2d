// `npm start`: synthesizes the Standard order stack in-process, reads the state machine out of
// the template, and runs it with the interpreter against the real handlers and a local DynamoDB
// (dynalite on loopback). No AWS account, no Docker. The 24-hour Wait passes in virtual time.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { compile, execute, type Json } from '../lib/asl';
import { handlerEntry, type OrderStep } from '../lib/constructs/order-functions';
import { OrderStack } from '../lib/constructs/order-stack';
import { sampleOrder, startLocalDynamo } from '../test/helpers/dynamodb';
import { definitionOf } from '../test/helpers/template';

type Handler = (event: unknown) => Promise<Json>;

async function main(): Promise<number> {
  const app = new App();
  const stack = new OrderStack(app, 'StepwiseOrdersStandard', { workflow: { stateMachineType: sfn.StateMachineType.STANDARD } });
  const definition = definitionOf(Template.fromStack(stack));

  // fn:<LogicalId> (how definitionOf writes a function ARN) → the step's handler module.
  const handlers = new Map<string, Handler>();
  for (const [step, fn] of Object.entries(stack.workflow.functions) as [OrderStep, lambda.Function][]) {
    const logicalId = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    handlers.set(`fn:${logicalId}`, (await import(handlerEntry(step))).handler as Handler);
  }

  const dynamo = await startLocalDynamo();
  try {
    await dynamo.setStock('sku-book', 10);
    await dynamo.setStock('sku-lamp', 3);
    const input = sampleOrder() as Json;
    process.stdout.write(`Running the Standard order workflow locally on order ${JSON.stringify((input as { orderId: string }).orderId)}\n\n`);
    const started = process.hrtime.bigint();
    const result = await execute(compile(definition, { type: 'STANDARD' }), input, {
      stateMachineName: 'StepwiseOrdersStandard',
      seed: 1,
      lambda: async (functionName, payload) => {
        const h = handlers.get(functionName);
        if (!h) throw new Error(`No handler is bound to ${functionName}`);
        return h(payload);
      },
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const t0 = result.startDate.getTime();
    for (const e of result.history) {
      if (!e.type.endsWith('StateEntered')) continue;
      const name = (e.stateEnteredEventDetails as { name: string }).name;
      const at = (e.timestamp.getTime() - t0) / 1000;
      process.stdout.write(`  +${at.toFixed(0).padStart(6)}s  ${e.type.replace('StateEntered', '').padEnd(9)} ${name}\n`);
    }
    process.stdout.write(`\nstatus: ${result.status}  (${result.history.length} events, ${ms.toFixed(0)} ms real time, ${((result.stopDate.getTime() - t0) / 3600_000).toFixed(1)} h virtual time)\n`);
    if (result.status === 'SUCCEEDED') process.stdout.write(`output: ${JSON.stringify(result.output, null, 2)}\n`);
    else process.stdout.write(`error: ${result.error}\ncause: ${result.cause}\n`);
    return result.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await dynamo.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
