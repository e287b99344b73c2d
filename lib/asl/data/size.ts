// Payload sizes against Step Functions' byte limits, checked after every state. An upper bound is
// cheap; the exact UTF-8 length (JSON.stringify) is computed only when the bound is over the limit.
import type { Json } from '../types';

// Size bounds of large containers, cached per object: values are immutable and ResultPath copies
// only the objects along its path, so a big array (Map items, results) is walked once, not per state.
const sizeCache = new WeakMap<object, number>();
const CACHE_FROM = 16;

/**
 * A cheap estimate of the UTF-8 length of a value's JSON text: an upper bound for text without
 * control characters, and at least half the real length for any text (see mightExceed).
 */
export function sizeBound(x: Json): number {
  if (typeof x === 'string') return x.length * 3 + 2;
  if (x === null || typeof x !== 'object') return 24;
  return containerBound(x);
}

// Leaves are sized inline: most nodes of a payload are strings, numbers and booleans, and a call
// per leaf was most of the cost of checking every state's output.
function containerBound(x: object): number {
  let size = 2;
  if (Array.isArray(x)) {
    const big = x.length >= CACHE_FROM;
    if (big) {
      const cached = sizeCache.get(x);
      if (cached !== undefined) return cached;
    }
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as Json;
      size += 1 + (typeof v === 'string' ? v.length * 3 + 2 : v === null || typeof v !== 'object' ? 24 : containerBound(v));
    }
    if (big) sizeCache.set(x, size);
    return size;
  }
  const o = x as Record<string, Json>;
  for (const k in o) {
    const v = o[k] as Json;
    size += k.length * 3 + 4 + (typeof v === 'string' ? v.length * 3 + 2 : v === null || typeof v !== 'object' ? 24 : containerBound(v));
  }
  return size;
}

/**
 * Whether a value's UTF-8 JSON exceeds `limit` bytes: exact only when the cheap bound (computed
 * here unless the caller has one) says it might.
 */
export function byteSizeExceeds(v: Json, limit: number, bound: number = sizeBound(v)): boolean {
  if (!mightExceed(bound, limit)) return false;
  return Buffer.byteLength(JSON.stringify(v) ?? '') > limit;
}

/**
 * Whether a value with this bound might be over `limit` bytes. The bound counts 3 bytes a
 * character, but JSON writes a control character as 6 (`\u0001`): the real size is at most twice
 * the bound, so only a bound over half the limit needs the exact check.
 */
export function mightExceed(bound: number, limit: number): boolean {
  return bound * 2 > limit;
}
