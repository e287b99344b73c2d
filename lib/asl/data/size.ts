// Payload sizes against Step Functions' byte limits, checked after every state. An estimate is
// cheap and carried along; the exact UTF-8 length of the JSON text is computed only when the
// estimate cannot rule out the limit, reusing the lengths of big parts measured before.
import { LIMITS, tooDeep } from '../limits';
import type { Json } from '../types';

// Size bounds of large containers, cached per object: values are immutable and ResultPath copies
// only the objects along its path, so a big array (Map items, results) is walked once, not per state.
const sizeCache = new WeakMap<object, number>();
const CACHE_FROM = 16;

/**
 * A cheap estimate of the UTF-8 length of a value's JSON text: an upper bound for text without
 * control characters, and at least half the real length for any text (see payloadSize).
 */
export function sizeBound(x: Json): number {
  if (typeof x === 'string') return x.length * 3 + 2;
  if (x === null || typeof x !== 'object') return 24;
  return containerBound(x);
}

// A container whose bound is known (see sizeBoundSharing), found by identity while a walk runs.
let knownPart: object | undefined;
let knownPartBound = 0;

/**
 * sizeBound of a value that may hold `part`, whose bound is `partBound`: the part is not walked
 * again. A template that embeds its state's input (`'order.$': '$'`) builds such a value.
 */
export function sizeBoundSharing(x: Json, part: Json, partBound: number | undefined): number {
  if (partBound === undefined || part === null || typeof part !== 'object') return sizeBound(x);
  knownPart = part;
  knownPartBound = partBound;
  try {
    return sizeBound(x);
  } finally {
    knownPart = undefined;
  }
}

// Leaves are sized inline: most nodes of a payload are strings, numbers and booleans, and a call
// per leaf was most of the cost of checking every state's output.
function containerBound(x: object, depth = 1): number {
  if (x === knownPart) return knownPartBound;
  // Bounded depth: a payload cannot overflow the stack here (see LIMITS.maxPayloadDepth).
  if (depth > LIMITS.maxPayloadDepth) throw tooDeep('payload');
  let size = 2;
  if (Array.isArray(x)) {
    const big = x.length >= CACHE_FROM;
    if (big) {
      const cached = sizeCache.get(x);
      if (cached !== undefined) return cached;
    }
    for (let i = 0; i < x.length; i++) {
      const v: Json | undefined = x[i];
      size += 1 + (typeof v === 'string' ? v.length * 3 + 2 : v === null || typeof v !== 'object' ? 24 : containerBound(v, depth + 1));
    }
    if (big) sizeCache.set(x, size);
    return size;
  }
  const o = x as Record<string, Json>;
  for (const k in o) {
    const v = o[k];
    size += k.length * 3 + 4 + (typeof v === 'string' ? v.length * 3 + 2 : v === null || typeof v !== 'object' ? 24 : containerBound(v, depth + 1));
  }
  return size;
}

/**
 * The size to carry for a payload checked against `limit`: the estimate (from sizeBound, or carried
 * along merges) when even twice it is within the limit, the exact JSON length otherwise. The
 * estimate counts 3 bytes a character but JSON writes a control character as 6 (`\u0001`), so
 * the real size is at most twice it. A result over `limit` means the payload is over.
 */
export function payloadSize(v: Json, limit: number, estimate: number = sizeBound(v)): number {
  return estimate * 2 <= limit ? estimate : jsonByteLength(v);
}

/** Whether a value's UTF-8 JSON exceeds `limit` bytes (see payloadSize). */
export function byteSizeExceeds(v: Json, limit: number): boolean {
  return payloadSize(v, limit) > limit;
}

// Exact lengths of containers of at least EXACT_CACHE_FROM bytes: a payload carried from state to
// state keeps its big parts, so each check walks only what changed.
const exactCache = new WeakMap<object, number>();
const EXACT_CACHE_FROM = 1024;

/** The UTF-8 length of a value's JSON text, as `Buffer.byteLength(JSON.stringify(v))` counts it. */
export function jsonByteLength(v: Json, depth = 0): number {
  if (typeof v === 'string') return stringBytes(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).length : 4;
  if (typeof v === 'boolean') return v ? 4 : 5;
  if (v === null || typeof v !== 'object') return 4;
  const cached = exactCache.get(v);
  if (cached !== undefined) return cached;
  if (depth > LIMITS.maxPayloadDepth) throw tooDeep('payload');
  let size = 2;
  if (Array.isArray(v)) {
    // Commas between the items; an undefined slot is written as null.
    if (v.length > 1) size += v.length - 1;
    for (const x of v) size += x === undefined ? 4 : jsonByteLength(x, depth + 1);
  } else {
    let first = true;
    for (const k in v) {
      const x = (v as Record<string, Json | undefined>)[k];
      if (x === undefined) continue;
      size += (first ? 0 : 1) + stringBytes(k) + 1 + jsonByteLength(x, depth + 1);
      first = false;
    }
  }
  if (size >= EXACT_CACHE_FROM) exactCache.set(v, size);
  return size;
}

// Characters JSON.stringify writes other than as their UTF-8 bytes: quote, backslash, control
// characters, and surrogates (a lone one becomes \udxxx).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class lists the control characters JSON escapes, on purpose.
const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;

function stringBytes(s: string): number {
  // Long plain strings: the native UTF-8 count.
  if (s.length > 64 && !NEEDS_CARE.test(s)) return Buffer.byteLength(s, 'utf8') + 2;
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20) n += c === 34 || c === 92 ? 2 : 1;
      else n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    } else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i += 1;
      } else n += 6;
    } else if (c >= 0xdc00 && c <= 0xdfff) n += 6;
    else n += 3;
  }
  return n;
}
