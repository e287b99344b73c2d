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
 * Append-only event log of one execution, kept in parallel arrays (no object per event) because
 * every state records two events on the interpreter's hot path.
 */
export class HistoryRecorder {
  private readonly types: string[] = [];
  private readonly times: number[] = [];
  private readonly prevs: number[] = [];
  private readonly details: (RawDetails | undefined)[] = [];
  // State Entered/Exited events keep their name and payload here instead of a details object.
  private readonly names: (string | undefined)[] = [];
  private readonly payloads: (Json | undefined)[] = [];

  /** Number of events recorded so far; the next event's id is `size + 1`. */
  get size(): number {
    return this.types.length;
  }

  /** Records an event after `prev` and returns its id. */
  add(type: string, time: number, prev: number, details?: RawDetails): number {
    this.types.push(type);
    this.times.push(time);
    this.prevs.push(prev);
    this.details.push(details);
    this.names.push(undefined);
    this.payloads.push(undefined);
    return this.types.length;
  }

  /** Records a StateEntered (payload = input) or StateExited (payload = output) event. */
  addState(type: string, time: number, prev: number, name: string, payload: Json): number {
    this.types.push(type);
    this.times.push(time);
    this.prevs.push(prev);
    this.details.push(undefined);
    this.names.push(name);
    this.payloads.push(payload);
    return this.types.length;
  }

  /** Names of the states entered, in order (from the StateEntered events). */
  statesEntered(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.types.length; i++) {
      if ((this.types[i] as string).endsWith('StateEntered')) out.push((this.names[i] ?? (this.details[i] as RawDetails).name) as string);
    }
    return out;
  }

  /** Renders the events in GetExecutionHistory's shape. */
  toEvents(): HistoryEvent[] {
    return this.types.map((type, i) => {
      const event: HistoryEvent = { id: i + 1, previousEventId: this.prevs[i] as number, timestamp: new Date(this.times[i] as number), type };
      const name = this.names[i];
      const d = name === undefined ? this.details[i] : type.endsWith('Entered') ? { name, input: this.payloads[i] } : { name, output: this.payloads[i] };
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
