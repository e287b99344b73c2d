// `npm run bench`: builds the benchmark with esbuild, runs every engine in its own processes side
// by side, and prints a table (or, with --json, one JSON object) with the ratios Stepwise/peer and
// Stepwise/handwritten. A throughput figure is the median of several rounds in one pass; engines
// take turns over several passes, and each engine's figure is that of its fastest pass. Machines
// are shared and noisy, so compare ratios from one run rather than absolute numbers across runs.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { BOOKKEEPING, HISTORY_OFF } from './workloads';
import { serverTable, serverWorkload } from './server-workload';

type Engine = 'stepwise' | 'peer' | 'handwritten';
const ENGINES: Engine[] = ['stepwise', 'peer', 'handwritten'];
const OUT = join(__dirname, '..', '.bench');
const COLD_RUNS = 9;
const SETUP_RUNS = 3;
const THROUGHPUT = ['order', 'chain', 'intrinsics', 'wide map'];
const passArg = process.argv.find((a) => a.startsWith('--passes='));
/** Throughput passes per engine (`--passes=N`, default 5). */
const PASSES = passArg ? Math.max(1, Number.parseInt(passArg.slice('--passes='.length), 10) || 1) : 5;
const json = process.argv.includes('--json');

function log(text: string): void {
  if (!json) process.stdout.write(text);
  else process.stderr.write(text);
}

// jsonata stays a separate module, as in an installed package: the interpreter loads it only for
// JSONata states, and a cold start should not pay for parsing it.
function build(): void {
  const entries = ['worker', 'cold-stepwise', 'cold-peer', 'cold-handwritten'].map((n) => join(__dirname, `${n}.ts`));
  buildSync({
    entryPoints: entries,
    outdir: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['aws-local-stepfunctions', 'jsonata'],
    logLevel: 'error',
    minify: false,
  });
}

function runWorker(engine: Engine, mode: 'throughput' | 'concurrent' | 'concurrent-history-off', timeoutMs: number): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', join(OUT, 'worker.js'), engine, mode], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 2 ** 20,
  });
  if (r.error || r.status !== 0) {
    const why =
      r.error?.message.includes('ETIMEDOUT') || r.signal === 'SIGTERM'
        ? `did not finish within ${timeoutMs / 1000} s`
        : (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ');
    return { error: why };
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
}

function coldStart(engine: Engine): Record<string, unknown> {
  const times: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(OUT, `cold-${engine}.js`)], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-2).join(' | ') };
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { wallMs: times[Math.floor(times.length / 2)], runs: COLD_RUNS };
}

/**
 * The pass with the most executions/s (its latencies with it), and every pass's rate. The fastest
 * rather than the median: on the shared 2-vCPU machines this runs on, a vCPU has spells of
 * several seconds in which allocation-heavy code runs at about half speed (a plain JS loop that
 * copies small objects shows them too, and a register-only loop does not), so a pass measures
 * either an engine's speed or the spell. With the median of three passes the verdict went to
 * whichever engine the spells missed; an engine's fastest pass is its speed on an undisturbed
 * vCPU, taken the same way for every engine.
 */
function bestPass(runs: Record<string, unknown>[]): Record<string, unknown> {
  const ok = runs.filter((r) => typeof r.executionsPerSec === 'number').sort((a, b) => (b.executionsPerSec as number) - (a.executionsPerSec as number));
  if (ok.length === 0) return runs[0] ?? { error: 'missing' };
  return { ...ok[0], passes: runs.map((r) => (typeof r.executionsPerSec === 'number' ? r.executionsPerSec : null)) };
}

/** Test setup: building and synthesizing the order stack with `new App()` and with testApp(), median of three fresh processes each. */
function testSetup(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const mode of ['full', 'test'] as const) {
    const times: number[] = [];
    for (let i = 0; i < SETUP_RUNS; i++) {
      // tsx rather than the esbuild bundle: the constructs find the handlers relative to their own source.
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'setup.ts'), mode], {
        encoding: 'utf8',
        timeout: 120_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (r.status !== 0) {
        out[mode] = { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-2).join(' | ') };
        break;
      }
      times.push((JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { wallMs: number }).wallMs);
    }
    times.sort((a, b) => a - b);
    out[mode] ??= { wallMs: times[Math.floor((times.length - 1) / 2)], runs: times.length };
  }
  return out;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : null);

function main(): void {
  log('Building the benchmark...\n');
  build();
  const workloads: Record<string, { engines: Record<string, Record<string, unknown>>; ratios: { vsPeer: number | null; vsHandwritten: number | null } }> = {};
  const throughputs: Record<Engine, Record<string, Record<string, unknown>>> = { stepwise: {}, peer: {}, handwritten: {} };
  // Engines take turns, pass after pass, so a slow spell of the (shared) machine does not land on
  // one engine only; each engine's figures are those of its fastest pass (see bestPass).
  const passes: Record<Engine, Record<string, Record<string, unknown>[]>> = { stepwise: {}, peer: {}, handwritten: {} };
  for (let pass = 1; pass <= PASSES; pass++) {
    for (const e of ENGINES) {
      log(`  ${e}: throughput workloads (pass ${pass} of ${PASSES})...\n`);
      const t = runWorker(e, 'throughput', 300_000);
      const names = e === 'stepwise' ? [...THROUGHPUT, HISTORY_OFF] : e === 'handwritten' ? [...THROUGHPUT, BOOKKEEPING] : THROUGHPUT;
      for (const w of names) (passes[e][w] ??= []).push((t.error ? { error: t.error } : (t[w] as Record<string, unknown>)) ?? { error: 'missing' });
    }
  }
  for (const e of ENGINES) for (const w of THROUGHPUT) throughputs[e][w] = bestPass(passes[e][w] ?? []);
  for (const w of THROUGHPUT) {
    const engines = Object.fromEntries(ENGINES.map((e) => [e, throughputs[e][w] as Record<string, unknown>]));
    const rate = (e: Engine) => num(engines[e]?.executionsPerSec);
    workloads[w] = { engines, ratios: { vsPeer: ratio(rate('stepwise'), rate('peer')), vsHandwritten: ratio(rate('stepwise'), rate('handwritten')) } };
  }
  const concurrentEngines: Record<string, Record<string, unknown>> = {};
  for (const e of ENGINES) {
    log(`  ${e}: 10,000 concurrent executions...\n`);
    concurrentEngines[e] = runWorker(e, 'concurrent', 120_000);
  }
  const wall = (e: Engine) => num(concurrentEngines[e]?.wallMs);
  workloads.concurrent = {
    engines: concurrentEngines,
    ratios: { vsPeer: ratio(wall('peer'), wall('stepwise')), vsHandwritten: ratio(wall('handwritten'), wall('stepwise')) },
  };
  log('  stepwise, history off: 10,000 concurrent executions...\n');
  const offOrder = bestPass(passes.stepwise[HISTORY_OFF] ?? []);
  const offConcurrent = runWorker('stepwise', 'concurrent-history-off', 120_000);
  const orderRate = (r: Record<string, unknown> | undefined) => num(r?.executionsPerSec);
  // Stepwise with `history: false`, the load-test mode: not an engine of its own, so not in `workloads`.
  const historyOff: Record<'order' | 'concurrent', Record<string, unknown> & { vsPeer: number | null; vsHandwritten: number | null }> = {
    order: {
      ...offOrder,
      vsPeer: ratio(orderRate(offOrder), orderRate(throughputs.peer.order)),
      vsHandwritten: ratio(orderRate(offOrder), orderRate(throughputs.handwritten.order)),
    },
    concurrent: {
      ...offConcurrent,
      vsPeer: ratio(wall('peer'), num(offConcurrent.wallMs)),
      vsHandwritten: ratio(wall('handwritten'), num(offConcurrent.wallMs)),
    },
  };
  // The handwritten order plus Stepwise's history and payload checks: the most an engine that keeps
  // them can reach (see bench/bookkeeping.ts), and how close Stepwise comes to it.
  const bookOrder = bestPass(passes.handwritten[BOOKKEEPING] ?? []);
  const bookkeeping: Record<string, unknown> & { vsHandwritten: number | null; stepwiseVsThis: number | null } = {
    ...bookOrder,
    vsHandwritten: ratio(orderRate(bookOrder), orderRate(throughputs.handwritten.order)),
    stepwiseVsThis: ratio(orderRate(throughputs.stepwise.order), orderRate(bookOrder)),
  };
  const coldEngines: Record<string, Record<string, unknown>> = {};
  for (const e of ENGINES) {
    log(`  ${e}: cold start...\n`);
    coldEngines[e] = coldStart(e);
  }
  const cold = (e: Engine) => num(coldEngines[e]?.wallMs);
  workloads['cold start'] = {
    engines: coldEngines,
    ratios: { vsPeer: ratio(cold('peer'), cold('stepwise')), vsHandwritten: ratio(cold('handwritten'), cold('stepwise')) },
  };

  log('  test setup: order stack with new App() and with testApp()...\n');
  const setup = testSetup();

  log('  server: the order workflow through stepwise serve and the SDK...\n');
  const server = serverWorkload();

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30) },
    note: 'ratios are Stepwise relative to each engine, higher is better: executions/s for throughput workloads, inverse wall time for concurrent and cold start',
    workloads,
    /** Stepwise with `history: false` (load-test mode) on the order workload, with its ratios. */
    stepwiseHistoryOff: historyOff,
    /**
     * The handwritten order workflow plus the history events and payload checks Stepwise makes (no
     * interpreter): `vsHandwritten` is the bound for any engine keeping them, `stepwiseVsThis` how
     * close Stepwise comes to it.
     */
    handwrittenWithBookkeeping: { order: bookkeeping },
    /** Building and synthesizing the order stack, as a test file's setup does (not an engine comparison). */
    testSetup: { newApp: setup.full, testApp: setup.test },
    /** The order workflow through `stepwise serve` and @aws-sdk/client-sfn (bench/server.ts). */
    server,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const f = (v: unknown, digits = 0) =>
    num(v) === undefined ? '-' : (num(v) as number).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const x = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)}×`);
  log(`\nStepwise benchmark — ${report.date}, Node ${report.node}, ${report.machine.cpus} × ${report.machine.model}, ${report.machine.memoryGb} GiB\n\n`);
  log('| workload | engine | executions/s | transitions/s | p50 ms | p95 ms |\n|---|---|---:|---:|---:|---:|\n');
  for (const w of THROUGHPUT) {
    for (const e of ENGINES) {
      const r = workloads[w]?.engines[e] ?? {};
      log(
        `| ${w} | ${e} | ${r.error ? `error: ${String(r.error).slice(0, 60)}` : f(r.executionsPerSec, 1)} | ${f(r.transitionsPerSec)} | ${f(r.p50Ms, 3)} | ${f(r.p95Ms, 3)} |\n`,
      );
    }
  }
  log('\n| workload | engine | wall ms | peak heap MB | peak RSS MB |\n|---|---|---:|---:|---:|\n');
  for (const e of ENGINES) {
    const r = concurrentEngines[e] ?? {};
    log(`| concurrent (10,000) | ${e} | ${r.error ? `error: ${String(r.error).slice(0, 60)}` : f(r.wallMs)} | ${f(r.peakHeapMb)} | ${f(r.peakRssMb)} |\n`);
  }
  for (const e of ENGINES) {
    const r = coldEngines[e] ?? {};
    log(`| cold start | ${e} | ${r.error ? `error: ${String(r.error).slice(0, 60)}` : f(r.wallMs, 1)} | | |\n`);
  }
  log(
    '\n| Stepwise, history: false | executions/s | p50 ms | wall ms (10,000 concurrent) | peak RSS MB | / peer | / handwritten |\n|---|---:|---:|---:|---:|---:|---:|\n',
  );
  log(
    `| order | ${f(historyOff.order.executionsPerSec, 1)} | ${f(historyOff.order.p50Ms, 3)} | | | ${x(historyOff.order.vsPeer)} | ${x(historyOff.order.vsHandwritten)} |\n`,
  );
  log(
    `| concurrent (10,000) | | | ${f(historyOff.concurrent.wallMs)} | ${f(historyOff.concurrent.peakRssMb)} | ${x(historyOff.concurrent.vsPeer)} | ${x(historyOff.concurrent.vsHandwritten)} |\n`,
  );
  log(
    "\n| order, handwritten + Stepwise's history and payload checks | executions/s | p50 ms | / handwritten | Stepwise / this |\n|---|---:|---:|---:|---:|\n",
  );
  log(
    `| ${bookkeeping.error ? `error: ${String(bookkeeping.error).slice(0, 60)}` : 'order'} | ${f(bookkeeping.executionsPerSec, 1)} | ${f(bookkeeping.p50Ms, 3)} | ${x(bookkeeping.vsHandwritten)} | ${x(bookkeeping.stepwiseVsThis)} |\n`,
  );
  log('\n| test setup: build + synth the order stack | wall ms |\n|---|---:|\n');
  log(
    `| new App() (bundling, CloudFormation validation) | ${setup.full?.error ? `error: ${String(setup.full.error).slice(0, 60)}` : f(setup.full?.wallMs)} |\n`,
  );
  log(`| testApp() | ${setup.test?.error ? `error: ${String(setup.test.error).slice(0, 60)}` : f(setup.test?.wallMs)} |\n`);
  log(serverTable(server));
  log('\n| workload | Stepwise / peer | Stepwise / handwritten |\n|---|---:|---:|\n');
  for (const [w, v] of Object.entries(workloads)) log(`| ${w} | ${x(v.ratios.vsPeer)} | ${x(v.ratios.vsHandwritten)} |\n`);
}

main();
