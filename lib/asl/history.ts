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

interface RawEvent {
  type: string;
  time: number;
  prev: number;
  details?: RawDetails;
}

/** Payload fields that AWS reports as JSON text with a `<field>Details: { truncated }` sibling. */
const PAYLOAD_FIELDS = new Set(['input', 'output', 'parameters', 'result']);

/** The detail key AWS uses for an event type, e.g. `PassStateEntered` → `stateEnteredEventDetails`. */
export function detailsKey(type: string): string {
  const m = /^(?:Pass|Task|Choice|Wait|Succeed|Fail|Parallel|Map)State(Entered|Exited)$/.exec(type);
  if (m) return `state${m[1]}EventDetails`;
  return `${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`;
}

/** Append-only event log of one execution. */
export class HistoryRecorder {
  private readonly events: RawEvent[] = [];

  /** Number of events recorded so far; the next event's id is `size + 1`. */
  get size(): number {
    return this.events.length;
  }

  /** Records an event after `prev` and returns its id. */
  add(type: string, time: number, prev: number, details?: RawDetails): number {
    this.events.push({ type, time, prev, details });
    return this.events.length;
  }

  /** Renders the events in GetExecutionHistory's shape. */
  toEvents(): HistoryEvent[] {
    return this.events.map((e, i) => {
      const event: HistoryEvent = { id: i + 1, previousEventId: e.prev, timestamp: new Date(e.time), type: e.type };
      if (e.details) {
        const out: EventDetails = {};
        for (const [k, v] of Object.entries(e.details)) {
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
        event[detailsKey(e.type)] = out;
      }
      return event;
    });
  }
}
