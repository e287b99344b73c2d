// Time on the endpoint: Waits really wait by default (the server's RealClock); --virtual-time
// runs them without waiting.
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createMachine, serve, sfnClient, waitForEnd } from './harness';

const waitFor = (seconds: number) => ({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: seconds, Next: 'Done' }, Done: { Type: 'Succeed' } } });

describe('time', () => {
  it('lets a Wait take real time by default', async () => {
    const server = await serve();
    const sfn = sfnClient(server);
    try {
      const arn = await createMachine(sfn, waitFor(1));
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
      await new Promise((r) => setTimeout(r, 300));
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
      const d = await waitForEnd(sfn, executionArn as string, 5_000);
      expect(d.status).toBe('SUCCEEDED');
      expect(d.stopDate!.getTime() - d.startDate!.getTime()).toBeGreaterThanOrEqual(990);
    } finally {
      sfn.destroy();
      await server.close();
    }
  });

  it('runs a day-long Wait at once on the virtual clock, with a day between start and stop', async () => {
    const server = await serve({ virtualTime: true });
    const sfn = sfnClient(server);
    try {
      const arn = await createMachine(sfn, waitFor(86_400));
      const t0 = Date.now();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
      const d = await waitForEnd(sfn, executionArn as string, 5_000);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(d.stopDate!.getTime() - d.startDate!.getTime()).toBe(86_400_000);
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});
