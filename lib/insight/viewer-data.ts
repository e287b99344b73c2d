// What the execution viewer shows, as plain JSON: the graph of the definition, what each state
// did on each visit, the edges taken and the timeline. Shared by the generator (Node) and the
// page's script (browser), which imports only its types.
import type { ExecutionResult } from '../asl';
import type { Json, MachineDefinition } from '../asl/types';
import { modelDefinition, type ModelMachine } from './model';
import { traceExecution, type StateVisit } from './trace';

/** A state of the drawn graph. */
export interface GraphState {
  readonly path: string;
  readonly name: string;
  readonly type: string;
  /** Outgoing edges: Next, each Choice branch, each Catch clause. */
  readonly edges: readonly { readonly to: string; readonly kind: 'next' | 'choice' | 'catch'; readonly label?: string }[];
  /** The state ends its machine (End, Succeed or Fail). */
  readonly terminal: boolean;
  readonly retriers: number;
  readonly branches: readonly GraphMachine[];
}

/** A machine, Parallel branch or Map processor of the graph. */
export interface GraphMachine {
  readonly parentPath: string;
  readonly startAt: string;
  readonly states: readonly GraphState[];
}

/** One visit of a state, as the details panel shows it. */
export interface VisitView {
  readonly eventId: number;
  readonly iteration?: number;
  /** ms since the execution started (virtual time unless run in real time). */
  readonly enteredAt: number;
  readonly exitedAt?: number;
  readonly outcome: StateVisit['outcome'];
  readonly attempts: number;
  readonly retries: number;
  readonly input?: Json;
  readonly output?: Json;
  readonly failures: readonly { readonly error?: string; readonly cause?: string; readonly retried: boolean; readonly event: string }[];
}

/** One row of the timeline. */
export interface TimelineEvent {
  readonly id: number;
  readonly at: number;
  readonly type: string;
  /** Path of the state the event belongs to. */
  readonly state?: string;
  readonly summary: string;
}

/** Everything the page draws. */
export interface ViewerData {
  readonly title: string;
  readonly status: ExecutionResult['status'];
  readonly error?: string;
  readonly cause?: string;
  readonly startDate: string;
  readonly durationMs: number;
  readonly graph: GraphMachine;
  readonly visits: Readonly<Record<string, readonly VisitView[]>>;
  /** Edges taken, as `from->to` paths (`start` and `end` for the execution's ends). */
  readonly taken: readonly string[];
  readonly events: readonly TimelineEvent[];
}

function graphOf(m: ModelMachine): GraphMachine {
  const pathOf = (name: string) => (m.parentPath ? `${m.parentPath}/${name}` : name);
  return {
    parentPath: m.parentPath,
    startAt: pathOf(m.startAt),
    states: m.states.map((s) => ({
      path: s.path,
      name: s.name,
      type: s.type,
      edges: [
        ...(s.next !== undefined ? [{ to: pathOf(s.next), kind: 'next' as const }] : []),
        ...s.choices.map((c) => ({ to: pathOf(c.next), kind: 'choice' as const, label: c.label })),
        ...s.catchers.map((c) => ({ to: pathOf(c.next), kind: 'catch' as const, label: `catch ${c.errorEquals.join(', ')}` })),
      ],
      terminal: s.definition.End === true || s.type === 'Succeed' || s.type === 'Fail',
      retriers: s.retriers.length,
      branches: s.branches.map(graphOf),
    })),
  };
}

const MAX_SUMMARY = 160;

function summarize(details: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ['error', 'cause', 'index', 'length', 'resource']) {
    const v = details[key];
    if (v !== undefined) parts.push(`${key}: ${String(v)}`);
  }
  const text = parts.join(', ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

/** Builds the viewer's data from a definition and an execution of it. */
export function viewerData(definition: MachineDefinition, result: ExecutionResult, title = 'Stepwise execution'): ViewerData {
  const trace = traceExecution(result);
  const visits: Record<string, VisitView[]> = {};
  const stateOfEvent = new Map<number, string>();
  const taken = new Set<string>();
  for (const v of trace.visits) {
    for (const e of v.events) stateOfEvent.set(e.id, v.path);
    (visits[v.path] ??= []).push({
      eventId: v.id,
      iteration: v.iteration,
      enteredAt: v.enteredAt,
      exitedAt: v.exitedAt,
      outcome: v.outcome,
      attempts: v.attempts,
      retries: Math.max(0, v.attempts - 1),
      input: v.input,
      output: v.output,
      failures: v.failures.map((f) => ({ error: f.error, cause: f.cause, retried: f.retried, event: f.eventType })),
    });
    if (v.previous) taken.add(`${v.previous.path}->${v.path}`);
    else if (!v.parent) taken.add(`start->${v.path}`);
    if (!v.parent && v.exitedAt !== undefined && v.next === undefined && result.status === 'SUCCEEDED') taken.add(`${v.path}->end`);
  }
  return {
    title,
    status: result.status,
    error: result.error,
    cause: result.cause,
    startDate: result.startDate.toISOString(),
    durationMs: trace.durationMs,
    graph: graphOf(modelDefinition(definition)),
    visits,
    taken: [...taken],
    events: trace.events.map((e) => ({ id: e.id, at: e.at, type: e.type, state: stateOfEvent.get(e.id), summary: summarize(e.details) })),
  };
}
