// RFC 3339 timestamps as Step Functions accepts them (Wait, Timestamp* comparisons).

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch, or undefined when the string is not an RFC 3339 date-time with an offset. */
export function parseTimestamp(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, , mo, d, h, mi, se] = m.map(Number) as number[];
  if ((mo as number) < 1 || (mo as number) > 12 || (d as number) < 1 || (d as number) > 31 || (h as number) > 23 || (mi as number) > 59 || (se as number) > 60) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
