// The SDK against `stepwise serve` (README "Serve the Step Functions API locally"), type-checked by
// `npm test`. Start the server first: npx stepwise serve --app cdk.out --local-dynamodb --seed examples/orders/seed.json
import { ListStateMachinesCommand, SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';

export async function main(): Promise<void> {
  const sfn = new SFNClient({
    endpoint: 'http://127.0.0.1:8083',
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, // signed, never checked
    // StartSyncExecution and TestState go to a `sync-` host prefix (sync-127.0.0.1), which does not
    // resolve locally: keep the endpoint's host as given.
    disableHostPrefix: true,
  });
  const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
  const express = stateMachines.find((m) => m.type === 'EXPRESS');
  const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express?.stateMachineArn, input: JSON.stringify({ orderId: 'o-1' }) }));
  console.log(r.status, r.output ?? r.error);
}

/** The same, in-process, as a test does it: a free port, an inline handler, closed at the end. */
export async function inProcess(): Promise<void> {
  const { startServer } = await import('../lib/server/server');
  const server = await startServer({ port: 0, handlers: { pay: async () => ({ paid: true }) } });
  const sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, disableHostPrefix: true });
  try {
    await sfn.send(new ListStateMachinesCommand({}));
  } finally {
    sfn.destroy();
    await server.close();
  }
}
