// Array intrinsics: States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique.
import { deepEqual } from '../json-path';
import type { Json } from '../../types';
import { intrinsicFailure, type IntrinsicFunction } from './signature';

/** JSON text with object keys sorted: equal for values deepEqual calls equal. */
function canonicalJson(v: Json): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) Object.defineProperty(sorted, k, { value: (x as Record<string, unknown>)[k], enumerable: true });
    return sorted;
  });
}

/** AWS caps States.ArrayRange at 1,000 elements. */
const MAX_RANGE = 1000;

export const arrayFunctions: IntrinsicFunction[] = [
  { name: 'States.Array', params: [], rest: 'any', impl: (args) => args },
  {
    name: 'States.ArrayPartition',
    params: ['array', 'integer'],
    impl: ([arr, size]) => {
      const a = arr as Json[];
      const n = size as number;
      if (n <= 0) throw intrinsicFailure('States.ArrayPartition', `chunk size must be greater than 0, got ${n}`);
      const out: Json[] = [];
      for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
      return out;
    },
  },
  {
    name: 'States.ArrayContains',
    params: ['array', 'any'],
    impl: ([arr, value]) => (arr as Json[]).some((x) => deepEqual(x, value as Json)),
  },
  {
    name: 'States.ArrayRange',
    params: ['integer', 'integer', 'integer'],
    impl: ([start, end, step]) => {
      const s = start as number;
      const e = end as number;
      const st = step as number;
      if (st === 0) throw intrinsicFailure('States.ArrayRange', 'step must not be 0');
      const out: number[] = [];
      for (let v = s; st > 0 ? v <= e : v >= e; v += st) {
        out.push(v);
        if (out.length > MAX_RANGE) throw intrinsicFailure('States.ArrayRange', `the range would have more than ${MAX_RANGE} elements`);
      }
      return out;
    },
  },
  {
    name: 'States.ArrayGetItem',
    params: ['array', 'integer'],
    impl: ([arr, index]) => {
      const a = arr as Json[];
      const i = index as number;
      const item = i < 0 ? undefined : a[i];
      if (item === undefined) throw intrinsicFailure('States.ArrayGetItem', `index ${i} is out of bounds for an array of length ${a.length}`);
      return item;
    },
  },
  { name: 'States.ArrayLength', params: ['array'], impl: ([arr]) => (arr as Json[]).length },
  {
    name: 'States.ArrayUnique',
    params: ['array'],
    // One pass with a set of canonical keys: comparing each element with every kept one was
    // quadratic (seconds for a 256 KB array).
    impl: ([arr]) => {
      const out: Json[] = [];
      const seen = new Set<unknown>();
      for (const x of arr as Json[]) {
        const key = x !== null && typeof x === 'object' ? `o${canonicalJson(x)}` : typeof x === 'string' ? `s${x}` : x;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(x);
      }
      return out;
    },
  },
];
