// Coverage read from histories: states (nested ones too), Choice branches, Retry and Catch clauses
// and callbacks, counted on a small machine whose every path the tests know by heart.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, execute, VirtualClock, type ExecutionResult, type Json, type MachineDefinition } from '../../lib/asl';
import { addExecution, checkThreshold, coverageHtml, coverageItems, formatCoverageTable, mergeHits, summarizeCoverage } from '../../lib/insight/coverage';
import { COVERAGE_DIR_ENV, COVERAGE_FILES_ENV, recordExecution } from '../../lib/testing/coverage-recorder';
import { readRecords } from '../../lib/testing/coverage-reporter';
import StepwiseCoverageReporter from '../../lib/testing/coverage-reporter';
import { shop, shopTasks } from './fixtures';

const run = (input: Json, chargeErrors: string[] = []) => execute(compile(shop), input, { seed: 1, tasks: shopTasks(chargeErrors) });

describe('coverage of one execution', () => {
  it('counts the states entered, nested Parallel and Map states by path', async () => {
    const hits = addExecution(shop, await run({ kind: 'plain', total: 5, items: [{ sku: 'a' }, { sku: 'b' }] })).hits;
    expect(hits['state:Route']).toBe(1);
    expect(hits['state:Checks/Fetch']).toBe(1);
    expect(hits['state:Checks/Check']).toBe(1);
    // Two Map iterations enter Reserve twice.
    expect(hits['state:Items/Reserve']).toBe(2);
    expect(hits['state:Rejected']).toBeUndefined();
    // The Default branch was taken; no retry or catch fired.
    expect(hits['choice:Route#Default']).toBeUndefined();
    expect(Object.keys(hits).filter((k) => !k.startsWith('state:'))).toEqual(['choice:Route#0,1,Default']);
  });

  it('counts Choice rules that share a target as one branch, and a rule with its own target alone', async () => {
    const keys = coverageItems(shop).filter((i) => i.kind === 'choice');
    expect(keys.map((k) => k.label)).toEqual([
      'rule 0 ($.kind == "gift") or rule 1 ($.kind == "promo") or Default → Checks',
      'rule 2 ($.total > 1000) → Rejected',
    ]);
    const hits = addExecution(shop, await run({ kind: 'plain', total: 5000, items: [] })).hits;
    expect(hits['choice:Route#2']).toBe(1);
    expect(hits['state:Rejected']).toBe(1);
  });

  it('credits the first retrier whose ErrorEquals matches, once per retry', async () => {
    // Busy, Busy (Retry 0 twice), then Other (Retry 1 once), then success.
    const r = await run({ kind: 'plain', total: 5, items: [] }, ['Busy', 'Busy', 'Other']);
    expect(r.status).toBe('SUCCEEDED');
    const hits = addExecution(shop, r).hits;
    expect(hits['retry:Charge#0']).toBe(2);
    expect(hits['retry:Charge#1']).toBe(1);
    expect(hits['catch:Charge#0']).toBeUndefined();
  });

  it('credits the Catch clause that matches the final error, after retries run out', async () => {
    const declined = addExecution(shop, await run({ kind: 'plain', total: 5, items: [] }, ['Declined', 'Declined'])).hits;
    // Declined is retried once by Retry 1 (States.ALL, MaxAttempts 1), then caught by Catch 0.
    expect(declined).toMatchObject({ 'retry:Charge#1': 1, 'catch:Charge#0': 1, 'state:Rejected': 1 });
    expect(declined['catch:Charge#1']).toBeUndefined();
    const other = addExecution(shop, await run({ kind: 'plain', total: 5, items: [] }, ['Other', 'Other'])).hits;
    expect(other).toMatchObject({ 'retry:Charge#1': 1, 'catch:Charge#1': 1 });
    expect(other['catch:Charge#0']).toBeUndefined();
  });

  it('credits a Map Catch when an iteration fails', async () => {
    const hits = addExecution(shop, await run({ kind: 'plain', total: 5, items: [{ sku: 'a' }, { sku: 'none' }] })).hits;
    expect(hits['catch:Items#0']).toBe(1);
    expect(hits['state:Done']).toBeUndefined();
  });

  it('counts callback outcomes: completed, failed and timed out', async () => {
    const def: MachineDefinition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          TimeoutSeconds: 60,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'No' }],
          End: true,
        },
        No: { Type: 'Fail' },
      },
    };
    const machine = compile(def);
    const ask = async (answer: 'ok' | 'fail' | 'silence'): Promise<ExecutionResult> => {
      const clock = new VirtualClock(0);
      const { startExecution } = await import('../../lib/asl');
      const exec = startExecution(
        machine,
        {},
        {
          clock,
          tasks: () => ({}),
          onTaskToken: (token) =>
            setImmediate(() =>
              answer === 'ok'
                ? exec.sendTaskSuccess(token, { yes: true })
                : answer === 'fail'
                  ? exec.sendTaskFailure(token, 'Nope', 'said no')
                  : clock.advance(61_000),
            ),
        },
      );
      return exec.result;
    };
    const total = { executions: 0, withoutHistory: 0, hits: {} };
    for (const a of ['ok', 'fail', 'silence', 'silence'] as const) mergeHits(total, addExecution(def, await ask(a)));
    expect(total.hits).toMatchObject({ 'callback:Ask#succeeded': 1, 'callback:Ask#failed': 1, 'callback:Ask#timedOut': 2, 'catch:Ask#0': 3 });
  });

  it('credits only states (by name) for a run without history', async () => {
    const r = await execute(compile(shop), { kind: 'plain', total: 5, items: [{ sku: 'a' }] }, { seed: 1, tasks: shopTasks(), history: false });
    const hits = addExecution(shop, r);
    expect(hits.withoutHistory).toBe(1);
    expect(hits.hits['state:Items/Reserve']).toBe(1);
    expect(Object.keys(hits.hits).every((k) => k.startsWith('state:'))).toBe(true);
  });
});

describe('coverage summary', () => {
  it('sums up ratios, lists what was missed and checks thresholds', async () => {
    const hits = addExecution(shop, await run({ kind: 'plain', total: 5, items: [{ sku: 'a' }] }));
    const s = summarizeCoverage({ label: 'Shop (STANDARD)', definition: shop, ...hits });
    // 8 states: Route, Checks, Fetch, Check, Charge, Items, Reserve, Done, Rejected = 9; Rejected missed.
    expect(s.ratios.state).toEqual({ covered: 8, total: 9, percent: (100 * 8) / 9 });
    expect(s.ratios.choice).toMatchObject({ covered: 1, total: 2 });
    expect(s.ratios.catch).toMatchObject({ covered: 0, total: 3, percent: 0 });
    expect(s.ratios.callback).toMatchObject({ total: 0, percent: 100 });
    expect(s.missed.map((m) => m.key)).toContain('state:Rejected');
    expect(checkThreshold([s], { states: 80 })).toEqual([]);
    expect(checkThreshold([s], { states: 100, catches: 50 })).toEqual([
      'Shop (STANDARD): states 88.9% (8/9) is below the threshold of 100%',
      'Shop (STANDARD): catches 0% (0/3) is below the threshold of 50%',
    ]);
    const table = formatCoverageTable([s]);
    expect(table).toContain('| Shop (STANDARD) |    1 | 88.9% 8/9 |');
    expect(table).toContain('  - state Rejected');
    expect(table).toContain('  - Charge: Catch 0 [Declined] → Rejected');
    const html = coverageHtml([s]);
    expect(html).toContain('<tr class="miss"><td>state</td><td></td><td>Rejected</td><td>0</td></tr>');
  });
});

describe('recording across Jest workers', () => {
  let dir: string;
  // This repository's own run records coverage too: put its folder back after each test.
  const outer = process.env[COVERAGE_DIR_ENV];
  const outerFiles = process.env[COVERAGE_FILES_ENV];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-cov-test-'));
    // This repository's config counts only test/behaviour/: let this file's records through.
    delete process.env[COVERAGE_FILES_ENV];
  });
  afterEach(() => {
    if (outer === undefined) delete process.env[COVERAGE_DIR_ENV];
    else process.env[COVERAGE_DIR_ENV] = outer;
    if (outerFiles === undefined) delete process.env[COVERAGE_FILES_ENV];
    else process.env[COVERAGE_FILES_ENV] = outerFiles;
    rmSync(dir, { recursive: true, force: true });
  });

  it('records nothing when the reporter is off', async () => {
    delete process.env[COVERAGE_DIR_ENV];
    recordExecution({ label: 'Shop', definition: shop }, await run({ kind: 'x', total: 1, items: [] }));
    process.env[COVERAGE_DIR_ENV] = dir;
    expect(readRecords(dir)).toEqual([]);
  });

  it('merges the records of every execution per machine, and filters by test file', async () => {
    process.env[COVERAGE_DIR_ENV] = dir;
    recordExecution({ label: 'Shop', definition: shop }, await run({ kind: 'x', total: 1, items: [] }));
    recordExecution({ label: 'Shop', definition: shop }, await run({ kind: 'x', total: 5000, items: [] }));
    const [m] = readRecords(dir);
    expect(m).toMatchObject({ label: 'Shop', executions: 2 });
    expect(m?.hits['state:Route']).toBe(2);
    expect(m?.hits['state:Rejected']).toBe(1);
    expect(readRecords(dir, ['test/insight/'])).toHaveLength(1);
    expect(readRecords(dir, ['test/elsewhere/'])).toEqual([]);
  });

  it('the reporter writes the JSON and HTML reports and fails a full run below the threshold', async () => {
    const out = join(dir, 'out');
    const reporter = new StepwiseCoverageReporter({ rootDir: dir }, { outputDirectory: out, threshold: { states: 100 }, print: false });
    recordExecution({ label: 'Shop', definition: shop }, await run({ kind: 'x', total: 1, items: [{ sku: 'a' }] }));
    reporter.onRunComplete();
    const report = JSON.parse(readFileSync(join(out, 'stepwise-coverage.json'), 'utf8'));
    expect(report.machines[0]).toMatchObject({ label: 'Shop', executions: 1, ratios: { state: { covered: 8, total: 9 } } });
    expect(report.thresholdFailures).toEqual(['Shop: states 88.9% (8/9) is below the threshold of 100%']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<h2>Shop</h2>');
    expect(reporter.getLastError()?.message).toMatch(/threshold not met/);
  });

  it('the recorder skips test files the reporter does not count', async () => {
    process.env[COVERAGE_DIR_ENV] = dir;
    process.env[COVERAGE_FILES_ENV] = JSON.stringify(['test/behaviour/']);
    recordExecution({ label: 'Shop', definition: shop }, await run({ kind: 'x', total: 1, items: [] }));
    expect(readRecords(dir)).toEqual([]);
    process.env[COVERAGE_FILES_ENV] = JSON.stringify(['test/insight/']);
    recordExecution({ label: 'Shop', definition: shop }, await run({ kind: 'x', total: 1, items: [] }));
    expect(readRecords(dir)).toHaveLength(1);
  });

  it('the reporter only reports, without failing, a run narrowed to some tests', async () => {
    const reporter = new StepwiseCoverageReporter({ rootDir: dir, testPathPatterns: ['insight'] }, { threshold: { states: 100 }, print: false });
    recordExecution({ label: 'Shop', definition: shop }, await run({ kind: 'x', total: 1, items: [] }));
    reporter.onRunComplete();
    expect(reporter.getLastError()).toBeUndefined();
  });
});
