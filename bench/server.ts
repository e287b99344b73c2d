// The server workload's process: `node --import tsx bench/server.ts`. Starts the local endpoint
// in-process on loopback, drives the order workflow through the real @aws-sdk/client-sfn, and
// prints one JSON line: executions/s and latencies for Express (StartSyncExecution) and Standard
// (StartExecution, then DescribeExecution polling until it ends), and the process's peak RSS.
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { startServer } from '../lib/server/server';
import { TASKS } from './tasks';
import { orderDefinition, orderInput } from './workloads';

/** Requests in flight at once (one SDK client, keep-alive connections). */
const CONCURRENCY = 16;
const WARMUP_MS = 1_000;
const MEASURE_MS = 4_000;
/** DescribeExecution polling interval for Standard executions. */
const POLL_MS = 2;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number);
};

async function main(): Promise<void> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const server = await startServer({ port: 0, handlers: TASKS });
  const sfn = new SFNClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
  const create = async (name: string, type: 'STANDARD' | 'EXPRESS') =>
    (
      await sfn.send(
        new CreateStateMachineCommand({ name, type, definition: JSON.stringify(orderDefinition), roleArn: 'arn:aws:iam::123456789012:role/bench' }),
      )
    ).stateMachineArn as string;
  const express = await create('BenchOrderExpress', 'EXPRESS');
  const standard = await create('BenchOrderStandard', 'STANDARD');
  const input = JSON.stringify(orderInput);

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const oneExpress = async () => {
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express, input }));
    if (r.status !== 'SUCCEEDED') throw new Error(`Express execution ${r.status}: ${r.error} ${r.cause}`);
  };
  const oneStandard = async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: standard, input }));
    for (;;) {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (d.status === 'SUCCEEDED') return;
      if (d.status !== 'RUNNING') throw new Error(`Standard execution ${d.status}: ${d.error} ${d.cause}`);
      await sleep(POLL_MS);
    }
  };

  /** Keeps CONCURRENCY executions in flight for `ms`; latencies of those started in the window. */
  const drive = async (one: () => Promise<void>, ms: number) => {
    const latencies: number[] = [];
    const until = performance.now() + ms;
    const t0 = performance.now();
    let done = 0;
    const lane = async () => {
      while (performance.now() < until) {
        const s = performance.now();
        await one();
        latencies.push(performance.now() - s);
        done += 1;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    const wall = performance.now() - t0;
    return { executions: done, executionsPerSec: (done / wall) * 1000, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) };
  };

  const out: Record<string, unknown> = { concurrency: CONCURRENCY, measureMs: MEASURE_MS };
  for (const [name, one] of [
    ['express', oneExpress],
    ['standard', oneStandard],
  ] as const) {
    await drive(one, WARMUP_MS);
    out[name] = await drive(one, MEASURE_MS);
  }
  clearInterval(sampler);
  out.peakRssMb = Math.round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20);
  sfn.destroy();
  await server.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
