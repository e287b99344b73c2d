// The public API outside Jest (plain node): both state machines from the cloud assembly, bundles run.
import { readFileSync } from 'node:fs';
import { fromCloudAssembly, readCloudAssembly, startLocalDynamoDb } from 'stepwise-cdk/testing';
import { compile } from 'stepwise-cdk';

async function main(): Promise<void> {
  const greeting = fromCloudAssembly('cdk.out', 'Greeting');
  const g = await greeting.run<{ name: string }, { message: string; kind: string }>({ name: 'Grace Hopper' });
  const db = await startLocalDynamoDb(readCloudAssembly('cdk.out'));
  try {
    const seed = JSON.parse(readFileSync('seed.json', 'utf8')) as Record<string, Record<string, unknown>[]>;
    for (const [table, items] of Object.entries(seed)) await db.put(table, items);
    const orders = fromCloudAssembly('cdk.out', 'Shop');
    const o = await orders.run(JSON.parse(readFileSync('order.json', 'utf8')), { handlers: { environment: db.environment }, dynamodb: db });
    console.log(JSON.stringify({ greeting: g.status, message: g.output?.message, order: o.status, orderError: o.error ?? null, compile: typeof compile }));
  } finally {
    await db.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
