// Cost estimates checked by hand: each test writes out the arithmetic AWS's pricing implies
// (us-east-1, 2026-12-01) for a machine small enough to count on fingers.
import { compile, execute, type Json, type MachineDefinition } from '../../lib/asl';
import { estimateCost, executionCost, expressDurationPrice, formatCostEstimate, measureTaskTimes } from '../../lib/insight/cost';
import { shop, shopTasks } from './fixtures';

// Pass → Wait 2 s → Task → Succeed.
const line: MachineDefinition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 2, Next: 'Work' },
    Work: { Type: 'Task', Resource: 'arn:aws:states:::shop:work', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};
const runLine = (input: Json = {}) => execute(compile(line), input, { seed: 1, tasks: () => ({ ok: true }) });
const runShop = (input: Json, errors: string[] = []) => execute(compile(shop), input, { seed: 1, tasks: shopTasks(errors) });

describe('Standard: billed state transitions', () => {
  it('bills one transition per state entered and applies the 4,000 free transitions to the month', async () => {
    const e = estimateCost(line, [await runLine()], { executionsPerMonth: 10_000 });
    // 4 states entered → 4 transitions; 4 × $0.000025 = $0.0001 an execution.
    expect(e.standard.transitions).toBe(4);
    expect(e.standard.perExecution).toBeCloseTo(0.0001, 10);
    // 10,000 × 4 = 40,000 transitions − 4,000 free = 36,000 × $0.000025 = $0.90.
    expect(e.standard.monthlyTransitions).toBe(40_000);
    expect(e.standard.perMonth).toBeCloseTo(0.9, 10);
    // 100 executions: 400 transitions, all within the free tier.
    expect(estimateCost(line, [await runLine()], { executionsPerMonth: 100 }).standard.perMonth).toBe(0);
  });

  it('counts retries as transitions, and states inside Parallel branches and Map iterations', async () => {
    // Route, Checks, Fetch, Check, Charge, Items, Reserve × 2, Done = 9 states entered;
    // Charge fails once with Busy and is retried: 9 + 1 = 10 transitions.
    const c = executionCost(await runShop({ kind: 'x', total: 5, items: [{ sku: 'a' }, { sku: 'b' }] }, ['Busy']));
    expect(c).toMatchObject({ status: 'SUCCEEDED', retries: 1, transitions: 10 });
  });

  it('averages several executions', async () => {
    // A rejected order: Route, Rejected = 2 transitions; with the 10 above, the mean is 6.
    const e = estimateCost(
      shop,
      [await runShop({ kind: 'x', total: 5, items: [{ sku: 'a' }, { sku: 'b' }] }, ['Busy']), await runShop({ kind: 'x', total: 5000, items: [] })],
      { executionsPerMonth: 1_000_000 },
    );
    expect(e.standard.transitions).toBe(6);
    // 1,000,000 × 6 = 6,000,000 − 4,000 = 5,996,000 × $0.000025 = $149.90.
    expect(e.standard.perMonth).toBeCloseTo(149.9, 8);
  });
});

describe('Express: requests and duration × memory', () => {
  it('rounds duration up to 100 ms and memory up to 64 MB, priced at the first tier', async () => {
    const e = estimateCost(line, [await runLine()], { executionsPerMonth: 10_000, taskMs: 150 });
    // Duration: Wait 2,000 ms + Work 150 ms = 2,150 ms → billed 2,200 ms.
    expect(e.executions[0]?.durationMs).toBe(2150);
    expect(e.express.billedDurationMs).toBe(2200);
    // Memory: 50 MB + a few hundred bytes of definition (no Parallel/Map) → 64 MB billed.
    expect(e.express.estimatedMemoryMb).toBeGreaterThan(50);
    expect(e.express.estimatedMemoryMb).toBeLessThan(50.01);
    expect(e.express.billedMemoryMb).toBe(64);
    // 64/1024 GB × 2.2 s / 3600 = 0.0625 × 0.000611 = 3.8194e-5 GB-hours an execution.
    expect(e.express.gbHoursPerExecution).toBeCloseTo((0.0625 * 2.2) / 3600, 12);
    // Per execution: $0.000001 request + 3.8194e-5 × $0.06 = $0.0000022917 → $0.0000032917.
    expect(e.express.perExecution).toBeCloseTo(0.000001 + ((0.0625 * 2.2) / 3600) * 0.06, 12);
    // Month: 10,000 requests = $0.01; 0.38194 GB-hours × $0.06 = $0.022917; total $0.032917.
    expect(e.express.requestsPerMonth).toBeCloseTo(0.01, 10);
    expect(e.express.durationPerMonth).toBeCloseTo(0.0229167, 6);
    expect(e.express.perMonth).toBeCloseTo(0.0329167, 6);
  });

  it('times a Parallel or Map as its longest branch, and adds retry back-off and every attempt', async () => {
    // taskMs 100: Checks = max(Fetch 0, Check 100) = 100; Charge = 1,000 ms back-off (Retry 0,
    // IntervalSeconds 1) + 2 attempts × 100 = 1,200; Items = max(100, 100) = 100 → 1,400 ms.
    const c = executionCost(await runShop({ kind: 'x', total: 5, items: [{ sku: 'a' }, { sku: 'b' }] }, ['Busy']), { taskMs: 100 });
    expect(c.durationMs).toBe(1400);
    expect(c.billedDurationMs).toBe(1400);
  });

  it('estimates memory as AWS does: 50 MB + definition + payload × Parallel/Map states', async () => {
    const big = 'x'.repeat(200_000);
    const r = await runShop({ kind: 'x', total: 5, items: [{ sku: 'a' }], note: big });
    const e = estimateCost(shop, [r]);
    const definitionBytes = Buffer.byteLength(JSON.stringify(shop));
    // The largest payload is the input with the note (a bit over 200,000 bytes), and shop has
    // two Parallel/Map states (Checks, Items).
    const dataMb = (e.express.estimatedMemoryMb - 50) * 1024 * 1024 - definitionBytes;
    expect(dataMb / 2).toBeGreaterThan(200_000);
    expect(dataMb / 2).toBeLessThan(201_000);
    expect(e.express.billedMemoryMb).toBe(64);
    // A given memory replaces the estimate: 100 MB is billed as two 64 MB chunks.
    expect(estimateCost(shop, [r], { memoryMb: 100 }).express.billedMemoryMb).toBe(128);
  });

  it('prices GB-hours by tier: $0.06 for the first 1,000, $0.03 for the next 4,000, $0.01642 beyond', () => {
    expect(expressDurationPrice(500)).toBeCloseTo(30, 10);
    // 1,000 × 0.06 + 4,000 × 0.03 + 1,000 × 0.01642 = 60 + 120 + 16.42 = 196.42.
    expect(expressDurationPrice(6000)).toBeCloseTo(196.42, 10);
  });
});

describe('warnings and assumptions', () => {
  it('warns when the peak rate exceeds a StartExecution quota', async () => {
    const r = [await runLine()];
    expect(estimateCost(line, r, { executionsPerMonth: 100_000 }).warnings).toEqual([]);
    // 500/s: above Standard's refill of 300/s and, at 4 transitions each, 2,000 transitions/s > 1,500/s.
    const w500 = estimateCost(line, r, { peakPerSecond: 500 }).warnings;
    expect(w500).toHaveLength(2);
    expect(w500[0]).toMatch(/^Standard: 500 starts\/s exceeds the StartExecution quota \(refill 300\/s, bucket 1300\)/);
    expect(w500[1]).toMatch(/^Standard: 2,000 state transitions\/s exceeds the StateTransition quota/);
    expect(
      estimateCost(line, r, { peakPerSecond: 7000 }).warnings.some((w) =>
        /^Express: 7,000 starts\/s exceeds the StartExecution quota \(refill 6000\/s/.test(w),
      ),
    ).toBe(true);
  });

  it("warns when a run exceeds Express's 5 minutes", async () => {
    const long: MachineDefinition = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 301, End: true } } };
    const e = estimateCost(long, [await execute(compile(long), {}, { seed: 1 })]);
    expect(e.warnings).toEqual([expect.stringMatching(/^Express: an execution runs 301\.0 s, beyond Express's 300-second limit/)]);
  });

  it('prints the assumptions: prices and their date, the memory estimate, where handler times come from', async () => {
    const text = formatCostEstimate(estimateCost(line, [await runLine()], { executionsPerMonth: 10_000, measuredTaskMs: { Work: 12.5 } }));
    expect(text).toContain('us-east-1, as of 2026-12-01');
    expect(text).toMatch(/Express memory: AWS's estimate 50 MB \+ definition \(\d+ B\) \+ largest payload \(\d+ B\) × 0 Parallel\/Map states/);
    expect(text).toContain('measured on these local runs: Work 12.5 ms');
    // Express: 2,000 + 12.5 ms → 2,100 ms billed; 10,000 × 0.0625 GB × 2.1 s / 3600 = 0.3646 GB-hours
    // × $0.06 = $0.021875 duration + $0.01 requests = $0.031875.
    expect(text).toMatch(/per month \(10,000 executions\)\s+40,000 transitions\s+0\.3646 GB-hours/);
    expect(text).toMatch(/cost per month\s+\$0\.90\s+\$0\.03 \(\$0\.01 requests \+ \$0\.02 duration\)/);
  });

  it('warns that executions which did not succeed are priced as far as they ran', async () => {
    const failed = await runShop({ kind: 'x', total: 5000, items: [] });
    expect(failed.status).toBe('FAILED');
    expect(estimateCost(shop, [failed, await runShop({ kind: 'x', total: 5, items: [] })]).warnings).toEqual([
      '1 of 2 executions did not succeed (FAILED): they are priced as far as they ran',
    ]);
  });

  it('refuses to estimate from no execution', () => {
    expect(() => estimateCost(line, [])).toThrow(/needs at least one execution/);
  });
});

describe('measureTaskTimes', () => {
  it('averages the real time from entry to exit of each Task state by name', () => {
    let t = 0;
    const m = measureTaskTimes(() => t);
    m.onEvent({ type: 'TaskStateEntered', details: { name: 'A' } });
    t = 10;
    m.onEvent({ type: 'TaskStateEntered', details: { name: 'A' } });
    t = 30;
    m.onEvent({ type: 'TaskStateExited', details: { name: 'A' } });
    t = 50;
    m.onEvent({ type: 'TaskStateExited', details: { name: 'A' } });
    // First visit 0 → 30, second 10 → 50: (30 + 40) / 2 = 35.
    expect(m.result()).toEqual({ A: 35 });
  });
});
