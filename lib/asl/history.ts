// Execution history in the shape of GetExecutionHistory. Events are recorded cheaply (values by
// reference, as values are immutable) and rendered to AWS's string-typed details on demand.
import type { Json } from './types';

/** Event details: payload fields hold JSON strings, as GetExecutionHistory returns them. */
export type EventDetails = Record<string, string | number | boolean | Record<string, boolean> | Record<string, string> | undefined>;

/** One history event, as `@aws-sdk/client-sfn` GetExecutionHistory returns it. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [detailsKey: string]: number | Date | string | EventDetails;
}

/** Raw details: payload fields may still be JSON values, rendered as strings later. */
export type RawDetails = Record<string, Json | undefined>;

/** Payload fields that AWS reports as JSON text with a `<field>Details: { truncated }` sibling. */
const PAYLOAD_FIELDS = new Set(['input', 'output', 'parameters', 'result']);

/** The detail key AWS uses for an event type, e.g. `PassStateEntered` → `stateEnteredEventDetails`. */
export function detailsKey(type: string): string {
  const m = /^(?:Pass|Task|Choice|Wait|Succeed|Fail|Parallel|Map)State(Entered|Exited)$/.exec(type);
  if (m) return `state${m[1]}EventDetails`;
  return `${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`;
}

/**
 * A kind of event: its type, details shared by every event of the kind (never mutated), and the
 * name of the one field each event adds (e.g. `output`). Built once per state, so recording an
 * event allocates nothing.
 */
export class EventKind {
  /** The state's name, when this is a StateEntered kind (kept even when events are not). */
  readonly enters: string | undefined;

  constructor(
    readonly type: string,
    readonly details?: RawDetails,
    readonly key?: string,
  ) {
    this.enters = type.endsWith('StateEntered') ? (details?.name as string) : undefined;
  }

  /** The details of one event of this kind whose own field holds `value`. */
  detailsWith(value: Json | undefined): RawDetails | undefined {
    return this.key === undefined ? this.details : { ...this.details, [this.key]: value };
  }
}

/** Events in the first chunk of a log, and in every later one. */
const FIRST_CHUNK = 16;
const CHUNK = 64;

/**
 * Append-only event log of one execution: three slots per event (kind, previous event id, value)
 * in fixed-size chunks (never copied as the log grows, unlike one growing array), and times stored
 * only where they change (virtual time rarely moves). Every state records several events on the
 * interpreter's hot path, and histories stay alive with their results.
 */
export class HistoryRecorder {
  /**
   * @param keep whether events are stored; without, only their number and the names of the
   *   states entered are (see ExecuteOptions.history).
   */
  constructor(private readonly keep = true) {}

  private readonly entered: string[] = [];
  private readonly chunks: (EventKind | number | Json | undefined)[][] = [];
  private chunk: (EventKind | number | Json | undefined)[] = [];
  private slot = 0;
  private readonly timeFrom: number[] = [];
  private readonly timeValue: number[] = [];
  private lastTime = NaN;
  private count = 0;

  /** Number of events recorded so far; the next event's id is `size + 1`. */
  get size(): number {
    return this.count;
  }

  /** Records an event after `prev` and returns its id. */
  add(kind: EventKind, time: number, prev: number, value?: Json): number {
    if (!this.keep) {
      if (kind.enters !== undefined) this.entered.push(kind.enters);
      return ++this.count;
    }
    let chunk = this.chunk;
    if (this.slot === chunk.length) {
      chunk = this.chunk = new Array<EventKind | number | Json | undefined>((this.count === 0 ? FIRST_CHUNK : CHUNK) * 3);
      this.chunks.push(chunk);
      this.slot = 0;
    }
    chunk[this.slot] = kind;
    chunk[this.slot + 1] = prev;
    chunk[this.slot + 2] = value;
    this.slot += 3;
    if (time !== this.lastTime) {
      this.lastTime = time;
      this.timeFrom.push(this.count);
      this.timeValue.push(time);
    }
    return ++this.count;
  }

  /** Slot `field` (0 kind, 1 previous id, 2 value) of event `index` (zero-based). */
  private read(index: number, field: number): EventKind | number | Json | undefined {
    if (index < FIRST_CHUNK) return this.chunks[0]?.[index * 3 + field];
    const later = index - FIRST_CHUNK;
    return this.chunks[1 + Math.floor(later / CHUNK)]?.[(later % CHUNK) * 3 + field];
  }

  /** Names of the states entered, in order (from the StateEntered events). */
  statesEntered(): string[] {
    if (!this.keep) return [...this.entered];
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) {
      const name = (this.read(i, 0) as EventKind).enters;
      if (name !== undefined) out.push(name);
    }
    return out;
  }

  /** The raw details of event `index` (zero-based): the kind's details with the event's own field. */
  rawDetails(index: number): RawDetails | undefined {
    return (this.read(index, 0) as EventKind).detailsWith(this.read(index, 2) as Json);
  }

  /** Renders the events in GetExecutionHistory's shape (none when they were not kept). */
  toEvents(): HistoryEvent[] {
    const events: HistoryEvent[] = [];
    if (!this.keep) return events;
    let t = -1;
    for (let i = 0; i < this.count; i++) {
      if (this.timeFrom[t + 1] === i) t += 1;
      const type = (this.read(i, 0) as EventKind).type;
      const time = this.timeValue[t];
      if (time === undefined) throw new Error(`HistoryRecorder: no time was recorded for event ${i + 1}`);
      const event: HistoryEvent = { id: i + 1, previousEventId: this.read(i, 1) as number, timestamp: new Date(time), type };
      const d = this.rawDetails(i);
      if (d) {
        const out = renderDetails(d);
        event[detailsKey(type)] = out;
      }
      events.push(event);
    }
    return events;
  }
}

/**
 * Renders an event's raw details as GetExecutionHistory shows them: payloads and assigned
 * variables as JSON text with their `…Details: { truncated: false }`, other values as they are.
 */
export function renderDetails(d: RawDetails): EventDetails {
  const out: EventDetails = {};
  for (const [k, v] of Object.entries(d)) {
    if (v === undefined) continue;
    if (k === 'assignedVariables') {
      const vars: Record<string, string> = {};
      for (const [name, value] of Object.entries(v as Record<string, Json>)) vars[name] = JSON.stringify(value);
      out[k] = vars;
      out.assignedVariablesDetails = { truncated: false };
    } else if (PAYLOAD_FIELDS.has(k)) {
      out[k] = JSON.stringify(v);
      out[`${k}Details`] = { truncated: false };
    } else {
      out[k] = v as string | number | boolean;
    }
  }
  return out;
}
