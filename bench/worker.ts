// One engine's benchmark process: `node worker.js <engine> throughput|concurrent`. Prints one
// JSON line with its measurements; the orchestrator (run.ts) compares engines.
import { getHeapStatistics } from 'node:v8';
import type { Json } from '../lib/asl';
import { prepareHandwritten, preparePeer, prepareStepwise, type EngineName, type Prepared } from './engines';
import { orderWithBookkeeping } from './bookkeeping';
import { BOOKKEEPING, HISTORY_OFF, WORKLOADS, orderDefinition, orderHandwritten, orderInput, probe, type Workload } from './workloads';

const ROUNDS = 5;
const ROUND_MS = 400;
const WORKLOAD_BUDGET_MS = 20_000;
// Executions before the timed rounds, so they measure steady-state throughput: in a fresh process
// Stepwise's first few thousand order executions run slower (the first hundreds 10-30×) while V8
// optimizes the interpreter; the handwritten code, far smaller, warms up within ~500. Cold start
// is measured apart.
const WARMUP_MS = 1_000;

function prepare(engine: EngineName, w: Pick<Workload, 'definition' | 'handwritten'>, history = true): Promise<Prepared> {
  if (engine === 'stepwise') return prepareStepwise(w.definition, history);
  if (engine === 'peer') return preparePeer(w.definition);
  return prepareHandwritten(w.handwritten);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number);
};

async function throughput(engine: EngineName): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const runs: { w: Workload; name: string; history: boolean }[] = WORKLOADS.map((w) => ({ w, name: w.name, history: true }));
  const order = WORKLOADS[0] as Workload;
  if (engine === 'stepwise') runs.splice(1, 0, { w: order, name: HISTORY_OFF, history: false });
  if (engine === 'handwritten') runs.splice(1, 0, { w: { ...order, handwritten: orderWithBookkeeping }, name: BOOKKEEPING, history: true });
  for (const { w, name, history } of runs) {
    const p = await prepare(engine, w, history);
    const started = performance.now();
    let warmups = 0;
    do {
      await p.run(JSON.parse(JSON.stringify(w.input)) as Json);
      warmups += 1;
    } while (performance.now() - started < WARMUP_MS);
    const latencies: number[] = [];
    const rates: number[] = [];
    for (let r = 0; r < ROUNDS && performance.now() - started < WORKLOAD_BUDGET_MS; r++) {
      // Every execution gets an input of its own, parsed from JSON as a real one arrives (and no
      // engine can reuse what it learned about the previous one); made outside the timing.
      const text = JSON.stringify(w.input);
      let input = JSON.parse(text) as Json;
      let busy = 0;
      let n = 0;
      while (n < 2 || busy < ROUND_MS) {
        const s = performance.now();
        await p.run(input);
        const took = performance.now() - s;
        latencies.push(took);
        busy += took;
        n += 1;
        if (performance.now() - started > WORKLOAD_BUDGET_MS) break;
        input = JSON.parse(text) as Json;
      }
      rates.push(n / (busy / 1000));
    }
    const execPerSec = median(rates);
    out[name] = {
      executionsPerSec: execPerSec,
      transitionsPerSec: execPerSec * w.transitions,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      rounds: rates.length,
      warmupExecutions: warmups,
      samples: latencies.length,
    };
  }
  return out;
}

async function concurrent(engine: EngineName, history: boolean): Promise<Record<string, unknown>> {
  const COUNT = 10_000;
  const p = await prepare(engine, { definition: orderDefinition, handwritten: orderHandwritten }, history);
  await p.run(orderInput);
  let peakHeap = getHeapStatistics().used_heap_size;
  // Every engine runs the executions in microtasks without yielding to timers, so the heap is
  // sampled from the shared task functions (every 64th call), the same way for every engine.
  let calls = 0;
  probe.onTask = () => {
    if ((calls++ & 63) === 0) peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  };
  const text = JSON.stringify(orderInput);
  const inputs = Array.from({ length: COUNT }, () => JSON.parse(text) as Json);
  const t0 = performance.now();
  const runs: Promise<Json>[] = [];
  for (let i = 0; i < COUNT; i++) runs.push(p.run(inputs[i] as Json));
  await Promise.all(runs);
  const wallMs = performance.now() - t0;
  probe.onTask = undefined;
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  return {
    executions: COUNT,
    wallMs,
    executionsPerSec: COUNT / (wallMs / 1000),
    peakHeapMb: peakHeap / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function main(): Promise<void> {
  const [engine, mode] = process.argv.slice(2) as [EngineName, string];
  const result = mode === 'throughput' ? await throughput(engine) : await concurrent(engine, mode !== 'concurrent-history-off');
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
