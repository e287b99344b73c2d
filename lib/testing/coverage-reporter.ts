// The Stepwise coverage reporter for Jest: add it to `reporters` in jest.config and every
// execution run through the testing tools counts towards its state machine's coverage.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { MachineDefinition } from '../asl/types';
import {
  checkThreshold,
  coverageHtml,
  formatCoverageTable,
  mergeHits,
  summarizeCoverage,
  type CoverageSummary,
  type CoverageThreshold,
  type MachineCoverage,
} from '../insight/coverage';
import { COVERAGE_DIR_ENV, COVERAGE_FILES_ENV, type CoverageRecord } from './coverage-recorder';

/** Options of the reporter (the second element of its `reporters` entry). */
export interface CoverageReporterOptions {
  /** Folder for `stepwise-coverage.json` and `index.html`, relative to Jest's rootDir. @default 'stepwise-coverage' */
  readonly outputDirectory?: string;
  /** Report only machines whose label contains one of these strings. @default every machine run */
  readonly include?: readonly string[];
  /** Count only executions run by test files whose path contains one of these strings. @default every test file */
  readonly testFiles?: readonly string[];
  /**
   * Minimum percentages per machine; below any, the run fails. Checked only on a full run: a run
   * narrowed to some files or tests (a path pattern, -t, -o) reports without failing.
   * @default none
   */
  readonly threshold?: CoverageThreshold;
  /** Print the table after the run. @default true */
  readonly print?: boolean;
}

/** What `stepwise-coverage.json` holds. */
export interface CoverageReport {
  readonly machines: readonly (CoverageSummary & { readonly definition: MachineDefinition })[];
  readonly thresholdFailures: readonly string[];
}

/** Reads the records the workers wrote and merges them per machine. */
export function readRecords(dir: string, testFiles?: readonly string[]): MachineCoverage[] {
  const machines = new Map<
    string,
    { label: string; definition?: MachineDefinition; executions: number; withoutHistory: number; hits: Record<string, number> }
  >();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      const r = JSON.parse(line) as CoverageRecord;
      const known = machines.get(r.key);
      if (known) known.definition ??= r.definition;
      if (testFiles && !testFiles.some((f) => r.testPath?.split(sep).join('/').includes(f))) {
        // Keep the definition (written once per worker) for records from files that do count.
        if (!known && r.definition) machines.set(r.key, { label: r.label, definition: r.definition, executions: 0, withoutHistory: 0, hits: {} });
        continue;
      }
      let m = machines.get(r.key);
      if (!m) machines.set(r.key, (m = { label: r.label, executions: 0, withoutHistory: 0, hits: {} }));
      m.definition ??= r.definition;
      mergeHits(m, { executions: 1, withoutHistory: r.withoutHistory, hits: r.hits });
    }
  }
  // Two shapes under one label (e.g. a stack built with different props): tell them apart.
  const labels = new Map<string, number>();
  for (const m of machines.values()) labels.set(m.label, (labels.get(m.label) ?? 0) + 1);
  const seen = new Map<string, number>();
  return [...machines.entries()]
    .filter(([, m]) => m.definition !== undefined && m.executions > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, m]) => {
      const n = (seen.get(m.label) ?? 0) + 1;
      seen.set(m.label, n);
      const label = (labels.get(m.label) ?? 0) > 1 ? `${m.label} [shape ${key.split('@')[1]}]` : m.label;
      return { ...m, label, definition: m.definition as MachineDefinition };
    });
}

/**
 * A Jest reporter that prints state machine coverage after the run and writes
 * `stepwise-coverage.json` and `index.html` (see README, "Coverage").
 * @example
 * // jest.config.js
 * reporters: ['default', ['stepwise/dist/lib/testing/coverage-reporter', { threshold: { states: 100 } }]],
 */
export default class StepwiseCoverageReporter {
  private readonly dir: string;
  private readonly out: string;
  private error: Error | undefined;

  private readonly narrowed: boolean;

  constructor(
    globalConfig: {
      readonly rootDir: string;
      readonly testPathPatterns?: readonly string[];
      readonly testNamePattern?: string;
      readonly onlyChanged?: boolean;
      readonly findRelatedTests?: boolean;
    },
    private readonly options: CoverageReporterOptions = {},
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'stepwise-coverage-'));
    const out = options.outputDirectory ?? 'stepwise-coverage';
    this.narrowed =
      (globalConfig.testPathPatterns?.length ?? 0) > 0 || !!globalConfig.testNamePattern || !!globalConfig.onlyChanged || !!globalConfig.findRelatedTests;
    this.out = isAbsolute(out) ? out : join(globalConfig.rootDir, out);
    // Set before Jest starts its workers, which inherit the environment.
    process.env[COVERAGE_DIR_ENV] = this.dir;
    if (options.testFiles) process.env[COVERAGE_FILES_ENV] = JSON.stringify(options.testFiles);
    else delete process.env[COVERAGE_FILES_ENV];
  }

  onRunComplete(): void {
    try {
      const include = this.options.include;
      const machines = readRecords(this.dir, this.options.testFiles).filter((m) => !include || include.some((s) => m.label.includes(s)));
      const summarized = machines.map((m) => ({ summary: summarizeCoverage(m), definition: m.definition }));
      const summaries = summarized.map((s) => s.summary);
      const failures = this.options.threshold ? checkThreshold(summaries, this.options.threshold) : [];
      const enforced = failures.length > 0 && !this.narrowed;
      mkdirSync(this.out, { recursive: true });
      const report: CoverageReport = {
        machines: summarized.map(({ summary, definition }) => ({ ...summary, definition })),
        thresholdFailures: failures,
      };
      writeFileSync(join(this.out, 'stepwise-coverage.json'), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(this.out, 'index.html'), coverageHtml(summaries));
      if (this.options.print !== false) {
        const where = relative(process.cwd(), this.out) || '.';
        const table = summaries.length > 0 ? formatCoverageTable(summaries) : 'No state machine executions were recorded.';
        process.stdout.write(`\nStepwise state machine coverage\n${table}\n\nWritten to ${where}/stepwise-coverage.json and ${where}/index.html\n`);
      }
      if (failures.length > 0) {
        const note = enforced ? '' : ' (not enforced: this run was narrowed to some tests)';
        if (this.options.print !== false) process.stdout.write(`\nStepwise coverage threshold not met${note}:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
        if (enforced) this.error = new Error(`Stepwise coverage threshold not met: ${failures.join('; ')}`);
      }
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** Jest fails the run when a reporter reports an error here. */
  getLastError(): Error | undefined {
    return this.error;
  }
}
