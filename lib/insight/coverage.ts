// State machine coverage: which states, Choice branches, Catch and Retry clauses and callback
// outcomes a set of executions exercised, read from their histories.
import { createHash } from 'node:crypto';
import { errorMatches } from '../asl/errors';
import type { ExecutionResult } from '../asl';
import type { MachineDefinition } from '../asl/types';
import { allStates, modelDefinition, type ModelState } from './model';
import { traceExecution, type StateVisit } from './trace';

/** What one or more executions of one state machine hit, by item key (see `coverageItems`). */
export interface CoverageHits {
  /** Executions read. */
  executions: number;
  /** Executions without a kept history (`history: false`): only their states count. */
  withoutHistory: number;
  /** Item key → number of times hit. */
  readonly hits: Record<string, number>;
}

/** The kind of a coverage item. */
export type CoverageKind = 'state' | 'choice' | 'catch' | 'retry' | 'callback';

/** One thing a test suite may or may not exercise. */
export interface CoverageItem {
  readonly key: string;
  readonly kind: CoverageKind;
  /** The state's path (`PreChecks/CheckCredit`). */
  readonly state: string;
  /** What it is, for people: `rule 0 ($.total > 1000) → RequestApproval`, `Catch [States.ALL] → OrderFailed`. */
  readonly label: string;
}

/** Coverage of one state machine over a set of executions. */
export interface MachineCoverage extends CoverageHits {
  /** How the machine is named in reports (construct path without the stack, and type). */
  readonly label: string;
  readonly definition: MachineDefinition;
}

/** Key of a Choice item: rules sharing a target are one branch (the history cannot tell them apart). */
function choiceItems(s: ModelState): CoverageItem[] {
  const byTarget = new Map<string, { rules: (number | 'Default')[]; labels: string[] }>();
  for (const c of s.choices) {
    const t = byTarget.get(c.next) ?? { rules: [], labels: [] };
    t.rules.push(c.rule);
    t.labels.push(c.rule === 'Default' ? 'Default' : `rule ${c.rule} (${c.label})`);
    byTarget.set(c.next, t);
  }
  return [...byTarget].map(([next, t]) => ({
    key: `choice:${s.path}#${t.rules.join(',')}`,
    kind: 'choice',
    state: s.path,
    label: `${t.labels.join(' or ')} → ${next}`,
  }));
}

/** Every coverage item of a definition, in definition order (nested states after their parent). */
export function coverageItems(definition: MachineDefinition): CoverageItem[] {
  const out: CoverageItem[] = [];
  for (const s of allStates(modelDefinition(definition))) {
    out.push({ key: `state:${s.path}`, kind: 'state', state: s.path, label: s.path });
    out.push(...choiceItems(s));
    for (const c of s.catchers)
      out.push({ key: `catch:${s.path}#${c.index}`, kind: 'catch', state: s.path, label: `Catch ${c.index} [${c.errorEquals.join(', ')}] → ${c.next}` });
    for (const r of s.retriers)
      out.push({ key: `retry:${s.path}#${r.index}`, kind: 'retry', state: s.path, label: `Retry ${r.index} [${r.errorEquals.join(', ')}]` });
    if (s.callback)
      for (const o of ['succeeded', 'failed', 'timedOut'])
        out.push({ key: `callback:${s.path}#${o}`, kind: 'callback', state: s.path, label: `callback ${o}` });
  }
  return out;
}

/** A short fingerprint of a definition's coverage items: two stacks with the same shape share coverage. */
export function shapeOf(definition: MachineDefinition): string {
  return createHash('sha256')
    .update(
      coverageItems(definition)
        .map((i) => i.key)
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 8);
}

function bump(hits: Record<string, number>, key: string): void {
  hits[key] = (hits[key] ?? 0) + 1;
}

/** The visit's state in the model, found by path (a history from another definition may not fit). */
function stateOf(states: Map<string, ModelState>, v: StateVisit): ModelState | undefined {
  return states.get(v.path);
}

/** Records what one execution hit into `into` (created when absent) and returns it. */
export function addExecution(
  definition: MachineDefinition,
  result: ExecutionResult,
  into: CoverageHits = { executions: 0, withoutHistory: 0, hits: {} },
): CoverageHits {
  into.executions += 1;
  if (result.history.length === 0) {
    // No history (history: false): statesEntered names states without their path, so only
    // top-level and uniquely named states can be credited.
    into.withoutHistory += 1;
    const byName = new Map(allStates(modelDefinition(definition)).map((s) => [s.name, s.path]));
    for (const name of new Set(result.statesEntered)) {
      const path = byName.get(name);
      if (path) bump(into.hits, `state:${path}`);
    }
    return into;
  }
  const states = new Map(allStates(modelDefinition(definition)).map((s) => [s.path, s]));
  for (const v of traceExecution(result).visits) {
    const s = stateOf(states, v);
    if (!s) continue;
    bump(into.hits, `state:${s.path}`);
    if (s.type === 'Choice' && v.next !== undefined) {
      const item = choiceItems(s).find((i) => i.label.endsWith(`→ ${v.next}`));
      if (item) bump(into.hits, item.key);
    }
    for (const f of v.failures) {
      if (!f.retried) continue;
      // The first retrier whose ErrorEquals matches decides, as AWS evaluates them in order.
      const r = s.retriers.find((x) => errorMatches(x.errorEquals, f.error));
      if (r) bump(into.hits, `retry:${s.path}#${r.index}`);
    }
    const caughtBy = catcherTaken(s, v);
    if (caughtBy !== undefined) bump(into.hits, `catch:${s.path}#${caughtBy}`);
    if (s.callback && v.callback) bump(into.hits, `callback:${s.path}#${v.callback}`);
  }
  return into;
}

/** The Catch clause a visit left through, if it did. */
function catcherTaken(s: ModelState, v: StateVisit): number | undefined {
  if (s.catchers.length === 0 || v.next === undefined) return undefined;
  const candidates = s.catchers.filter((c) => c.next === v.next);
  if (candidates.length === 0) return undefined;
  // Leaving for a Catch target that is also the state's Next is a catch only after a failure.
  if (v.next === s.next && v.lastOutcome !== 'failure') return undefined;
  const last = [...v.failures].reverse().find((f) => !f.retried);
  return (candidates.find((c) => errorMatches(c.errorEquals, last?.error)) ?? candidates[0])?.index;
}

/** Adds `b`'s hits into `a`. */
export function mergeHits(a: CoverageHits, b: CoverageHits): CoverageHits {
  a.executions += b.executions;
  a.withoutHistory += b.withoutHistory;
  for (const [k, n] of Object.entries(b.hits)) a.hits[k] = (a.hits[k] ?? 0) + n;
  return a;
}

/** Covered and total items of one kind. */
export interface CoverageRatio {
  readonly covered: number;
  readonly total: number;
  /** Percentage, 100 when there is nothing to cover. */
  readonly percent: number;
}

/** A machine's coverage summed up, with what was missed. */
export interface CoverageSummary {
  readonly label: string;
  readonly executions: number;
  readonly withoutHistory: number;
  readonly ratios: Record<CoverageKind, CoverageRatio>;
  readonly items: readonly (CoverageItem & { readonly hits: number })[];
  readonly missed: readonly CoverageItem[];
}

const KINDS: readonly CoverageKind[] = ['state', 'choice', 'catch', 'retry', 'callback'];

/** Sums up a machine's coverage. */
export function summarizeCoverage(m: MachineCoverage): CoverageSummary {
  const items = coverageItems(m.definition).map((i) => ({ ...i, hits: m.hits[i.key] ?? 0 }));
  const ratios = {} as Record<CoverageKind, CoverageRatio>;
  for (const kind of KINDS) {
    const of = items.filter((i) => i.kind === kind);
    const covered = of.filter((i) => i.hits > 0).length;
    ratios[kind] = { covered, total: of.length, percent: of.length === 0 ? 100 : (100 * covered) / of.length };
  }
  return { label: m.label, executions: m.executions, withoutHistory: m.withoutHistory, ratios, items, missed: items.filter((i) => i.hits === 0) };
}

/** Minimum percentages; a machine below any of them fails the run. */
export interface CoverageThreshold {
  readonly states?: number;
  readonly choices?: number;
  readonly catches?: number;
  readonly retries?: number;
  readonly callbacks?: number;
}

const THRESHOLD_KINDS: Record<keyof CoverageThreshold, CoverageKind> = {
  states: 'state',
  choices: 'choice',
  catches: 'catch',
  retries: 'retry',
  callbacks: 'callback',
};

/** The threshold breaches, one line each (empty when every machine meets the threshold). */
export function checkThreshold(summaries: readonly CoverageSummary[], threshold: CoverageThreshold): string[] {
  const out: string[] = [];
  for (const s of summaries) {
    for (const [name, kind] of Object.entries(THRESHOLD_KINDS) as [keyof CoverageThreshold, CoverageKind][]) {
      const min = threshold[name];
      if (min === undefined) continue;
      const r = s.ratios[kind];
      if (r.percent < min) out.push(`${s.label}: ${name} ${fmt(r.percent)}% (${r.covered}/${r.total}) is below the threshold of ${min}%`);
    }
  }
  return out;
}

function fmt(p: number): string {
  return Number.isInteger(p) ? String(p) : p.toFixed(1);
}

function cell(r: CoverageRatio): string {
  return r.total === 0 ? '-' : `${fmt(r.percent)}% ${r.covered}/${r.total}`;
}

/** The coverage table printed after a run, with what was never exercised under it. */
export function formatCoverageTable(summaries: readonly CoverageSummary[]): string {
  const head = ['State machine', 'Runs', 'States', 'Choice branches', 'Catch', 'Retry', 'Callbacks'];
  const rows = summaries.map((s) => [s.label, String(s.executions), ...KINDS.map((k) => cell(s.ratios[k]))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`, ...rows.map(line)];
  for (const s of summaries) {
    if (s.missed.length === 0) continue;
    out.push('', `${s.label}: never exercised`);
    for (const m of s.missed) out.push(`  - ${m.kind === 'state' ? 'state' : `${m.state}:`} ${shortLabel(m.label)}`);
  }
  if (summaries.some((s) => s.withoutHistory > 0)) out.push('', 'Runs with history: false count only the states they entered.');
  return out.join('\n');
}

/** Long ErrorEquals lists (CDK's four Lambda errors) shortened to their first name and a count. */
function shortLabel(label: string): string {
  return label.replace(/\[([^\]]*)\]/, (all, list: string) => {
    const names = list.split(', ');
    return names.length > 2 ? `[${names[0]}, +${names.length - 1} more]` : all;
  });
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A self-contained HTML coverage report. */
export function coverageHtml(summaries: readonly CoverageSummary[], title = 'Stepwise state machine coverage'): string {
  const sections = summaries
    .map((s) => {
      const rows = s.items
        .map(
          (i) =>
            `<tr class="${i.hits > 0 ? 'hit' : 'miss'}"><td>${i.kind}</td><td>${esc(i.kind === 'state' ? '' : i.state)}</td><td>${esc(i.label)}</td><td>${i.hits}</td></tr>`,
        )
        .join('\n');
      const ratios = KINDS.map((k) => `<li>${k}: ${esc(cell(s.ratios[k]))}</li>`).join('');
      return `<section><h2>${esc(s.label)}</h2><p>${s.executions} executions</p><ul class="ratios">${ratios}</ul><table><thead><tr><th>kind</th><th>state</th><th>item</th><th>hits</th></tr></thead><tbody>${rows}</tbody></table></section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}
tr.hit td:last-child{background:#d9f5d9}tr.miss td{background:#fde2e2}.ratios{display:flex;gap:1.5rem;list-style:none;padding:0}
</style></head><body><h1>${esc(title)}</h1>${sections}</body></html>\n`;
}
