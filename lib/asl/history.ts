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
 * Append-only event log of one execution. Every state records several events on the interpreter's
 * hot path, so an event is five slots in one flat array plus its time, and its details are a
 * shared, never-mutated object (built once per state) with at most one per-event field beside it
 * (`key: value`, e.g. `output`): no object is allocated per event.
 */
export class HistoryRecorder {
  private static readonly SLOTS = 5;
  // [type, previousEventId, details, key, value] per event; times apart so they stay unboxed doubles.
  private readonly log: (string | number | RawDetails | Json | undefined)[] = [];
  private readonly times: number[] = [];

  /** Number of events recorded so far; the next event's id is `size + 1`. */
  get size(): number {
    return this.times.length;
  }

  /**
   * Records an event after `prev` and returns its id. Its details are `details` plus, when `key`
   * is given, `key: value`; `details` must not be mutated afterwards (it is kept by reference).
   */
  add(type: string, time: number, prev: number, details?: RawDetails, key?: string, value?: Json): number {
    this.log.push(type, prev, details, key, value);
    return this.times.push(time);
  }

  /** Names of the states entered, in order (from the StateEntered events). */
  statesEntered(): string[] {
    const out: string[] = [];
    const s = HistoryRecorder.SLOTS;
    for (let i = 0; i < this.log.length; i += s) {
      if ((this.log[i] as string).endsWith('StateEntered')) out.push((this.log[i + 2] as RawDetails).name as string);
    }
    return out;
  }

  /** The raw details of event `index` (zero-based): the shared details with the event's own field. */
  rawDetails(index: number): RawDetails | undefined {
    const at = index * HistoryRecorder.SLOTS;
    const details = this.log[at + 2] as RawDetails | undefined;
    const key = this.log[at + 3] as string | undefined;
    return key === undefined ? details : { ...details, [key]: this.log[at + 4] as Json };
  }

  /** Renders the events in GetExecutionHistory's shape. */
  toEvents(): HistoryEvent[] {
    return this.times.map((time, i) => {
      const at = i * HistoryRecorder.SLOTS;
      const type = this.log[at] as string;
      const event: HistoryEvent = { id: i + 1, previousEventId: this.log[at + 1] as number, timestamp: new Date(time), type };
      const d = this.rawDetails(i);
      if (d) {
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
        event[detailsKey(type)] = out;
      }
      return event;
    });
  }
}
