// RFC 3339 timestamps as Step Functions accepts them (Wait, Timestamp* comparisons).

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** Days in each month of a year (February by the Gregorian leap-year rule). */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

interface Parts {
  /** Whole milliseconds since the epoch. */
  readonly millis: number;
  /** Nanoseconds beyond `millis` (0–999,999), from fraction digits past the third. */
  readonly nanos: number;
}

function parse(s: string): Parts | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // Date.parse rolls impossible dates over (2026-02-30 becomes March 2); AWS refuses them.
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8];
  if (zone === undefined || (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59))) return undefined;
  const fraction = (m[7] ?? '').padEnd(9, '0').slice(0, 9);
  const whole = Date.parse(`${s.slice(0, 19)}${zone}`);
  if (Number.isNaN(whole)) return undefined;
  return { millis: whole + Number(fraction.slice(0, 3)), nanos: Number(fraction.slice(3)) };
}

/**
 * Milliseconds since the epoch (fractions below a millisecond dropped), or undefined when the
 * string is not an RFC 3339 date-time with an offset, or names a date that does not exist
 * (`2026-02-30`, `2025-02-29`).
 */
export function parseTimestamp(s: string): number | undefined {
  return parse(s)?.millis;
}

/**
 * Orders two timestamps at full precision (nanoseconds, as AWS compares them; JavaScript dates
 * stop at milliseconds): negative, zero or positive, or undefined when either is not a timestamp.
 */
export function compareTimestamps(a: string, b: string): number | undefined {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  return x.millis !== y.millis ? x.millis - y.millis : x.nanos - y.nanos;
}

/**
 * The instant a Wait state's Timestamp (or TimestampPath) waits until: AWS "considers the time
 * value up to seconds and truncates milliseconds"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html).
 */
export function waitTimestamp(s: string): number | undefined {
  const t = parseTimestamp(s);
  return t === undefined ? undefined : Math.floor(t / 1000) * 1000;
}
