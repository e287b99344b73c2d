// The server workload of `npm run bench`: the order workflow through the local endpoint and the
// real SDK (see bench/server.ts), in a fresh process. Run alone with `npx tsx bench/server-workload.ts`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs bench/server.ts in its own process; its JSON result, or `{ error }`. */
export function serverWorkload(): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'server.ts')], {
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ') };
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

/** The workload as a Markdown table. */
export function serverTable(r: Record<string, unknown>): string {
  if (r.error) return `\n| server workload | error: ${String(r.error).slice(0, 120)} |\n|---|---|\n`;
  const f = (v: unknown, digits = 0) =>
    typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-';
  const row = (label: string, x: Record<string, unknown> | undefined) =>
    `| ${label} | ${f(x?.executionsPerSec, 1)} | ${f(x?.p50Ms, 2)} | ${f(x?.p95Ms, 2)} | ${f(r.peakRssMb)} |\n`;
  return (
    `\n| order workflow through the SDK (${String(r.concurrency)} in flight, stepwise serve on loopback) | executions/s | p50 ms | p95 ms | peak RSS MB (server + client) |\n|---|---:|---:|---:|---:|\n` +
    row('Express: StartSyncExecution', r.express as Record<string, unknown>) +
    row('Standard: StartExecution + DescribeExecution polling', r.standard as Record<string, unknown>)
  );
}

if (require.main === module) process.stdout.write(serverTable(serverWorkload()));
