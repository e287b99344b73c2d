// A Jest snapshot serializer for execution histories: ids, timestamps, ARNs, UUIDs and task
// tokens are normalized so snapshots are stable across runs and machines.
import type { HistoryEvent } from '../asl';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TOKEN = /\b[0-9a-f]{64}\b/g;
const ARN = /arn:aws[\w-]*:([\w-]+):[\w-]*:\d{12}:([\w-]+)[:/]([^"\\\s,}]+)/g;

function isHistory(v: unknown): v is HistoryEvent[] {
  return Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'object' && e !== null && 'type' in e && 'previousEventId' in e && 'timestamp' in e);
}

/** Normalizes one string (ARNs, UUIDs, task tokens). */
export function normalizeText(text: string): string {
  return text
    .replace(ARN, (_m, service: string, kind: string) => `arn:<${service}:${kind}>`)
    .replace(TOKEN, '<task-token>')
    .replace(UUID, '<uuid>');
}

/** A history as plain data with stable values: timestamps become offsets from the first event. */
export function normalizeHistory(events: HistoryEvent[]): unknown[] {
  const t0 = events[0]?.timestamp.getTime() ?? 0;
  return events.map((e) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === 'timestamp') out.at = `+${(v as Date).getTime() - t0}ms`;
      else out[k] = JSON.parse(normalizeText(JSON.stringify(v)));
    }
    return out;
  });
}

/** Register with `expect.addSnapshotSerializer(historySerializer)`. */
export const historySerializer = {
  test(value: unknown): boolean {
    return isHistory(value);
  },
  serialize<C, R>(
    value: HistoryEvent[],
    config: C,
    indentation: string,
    depth: number,
    refs: R,
    printer: (val: unknown, config: C, indentation: string, depth: number, refs: R) => string,
  ): string {
    return printer(normalizeHistory(value), config, indentation, depth, refs);
  },
};
