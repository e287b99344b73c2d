// Payload isolation. AWS serializes every payload, so nothing a handler receives or returns can
// alias the definition, the history, the caller's input or another execution. Locally an
// in-process handler gets its own copy of its event, its result is copied, and the caller gets a
// copy of the output (the copy walks are in scheduler.ts, the fast path for plain data); mocks
// and `tasks` handlers get frozen parameters, and what they return is frozen. The execution's
// own values are not frozen, only never written to. These are the general walks: freezing what
// is handed out, and copying what the fast path refuses (undefined members, very deep values).
// Both walks are iterative and bounded by LIMITS.maxPayloadDepth, so no payload overflows the stack.
import { LIMITS, tooDeep } from '../limits';
import type { Json, JsonObject } from '../types';

/**
 * Freezes a value and everything in it, stopping at parts already frozen: within the execution's
 * values (all copies or compiled constants) a frozen part was frozen whole by this walk or at
 * compile time. Returns the value.
 * @throws StatesError (States.Runtime) when it is nested deeper than LIMITS.maxPayloadDepth
 */
export function freezeDeep<T extends Json | undefined>(value: T, what = 'payload'): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const stack: (object | number)[] = [value as object, 1];
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const v = stack.pop() as object;
    if (depth > LIMITS.maxPayloadDepth) throw tooDeep(what);
    Object.freeze(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) stack.push(x, depth + 1);
      }
    } else {
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) stack.push(x, depth + 1);
      }
    }
  }
  return value;
}

/**
 * A copy of a JSON value that shares nothing with it (as JSON text would: `undefined` members
 * are left out, undefined array slots become null).
 * @throws StatesError (States.Runtime) when it is nested deeper than LIMITS.maxPayloadDepth
 */
export function cloneJson(value: Json, what = 'payload'): Json {
  if (value === null || typeof value !== 'object') return value;
  const root: Json = Array.isArray(value) ? [] : {};
  // Each entry: a source container, its copy, and its depth.
  const stack: [object, Json[] | JsonObject, number][] = [[value, root as Json[] | JsonObject, 1]];
  while (stack.length > 0) {
    const [src, dst, depth] = stack.pop() as [object, Json[] | JsonObject, number];
    if (depth > LIMITS.maxPayloadDepth) throw tooDeep(what);
    if (Array.isArray(src)) {
      const out = dst as Json[];
      for (let i = 0; i < src.length; i++) out.push(copyOf(src[i], depth, stack) ?? null);
    } else {
      const out = dst as JsonObject;
      for (const k in src) {
        const c = copyOf((src as Record<string, Json | undefined>)[k], depth, stack);
        if (c === undefined) continue;
        // Assigning `__proto__` would set the copy's prototype instead of adding the key.
        if (k === '__proto__') Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
        else out[k] = c;
      }
    }
  }
  return root;
}

function copyOf(x: Json | undefined, depth: number, stack: [object, Json[] | JsonObject, number][]): Json | undefined {
  if (x === null || typeof x !== 'object') return x;
  const c: Json[] | JsonObject = Array.isArray(x) ? [] : {};
  stack.push([x, c, depth + 1]);
  return c;
}
