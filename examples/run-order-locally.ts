// `npm start`: synthesizes the Standard order stack in-process, reads the state machine out of
// the template, and runs it with the interpreter against the real handlers and a local DynamoDB
// (dynalite on loopback). No AWS account, no Docker. The 24-hour Wait passes in virtual time.
import { execute, type Json } from '../lib/asl';
import { sampleOrder, startLocalDynamo } from '../test/helpers/dynamodb';
import { loadOrderWorkflow } from '../test/helpers/order-local';

async function main(): Promise<number> {
  const workflow = await loadOrderWorkflow('STANDARD');
  const dynamo = await startLocalDynamo();
  try {
    await dynamo.setStock('sku-book', 10);
    await dynamo.setStock('sku-lamp', 3);
    const input = sampleOrder() as Json;
    process.stdout.write(`Running the Standard order workflow locally on order ${JSON.stringify((input as { orderId: string }).orderId)}\n\n`);
    const started = process.hrtime.bigint();
    const result = await execute(workflow.machine, input, { stateMachineName: 'StepwiseOrdersStandard', seed: 1, lambda: workflow.lambda });
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
