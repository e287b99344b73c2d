// String intrinsics: States.Format and States.StringSplit.
import type { Json } from '../../types';
import { intrinsicFailure, type IntrinsicFunction } from './signature';

/**
 * Renders a value the way AWS's States.Format does: strings raw, objects and arrays in Java's
 * `Map`/`List` toString form (`{a=1, b=[x, y]}`), as the conformance cases recorded.
 */
export function formatValue(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${formatValue(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

export const stringFunctions: IntrinsicFunction[] = [
  {
    name: 'States.Format',
    params: ['string'],
    rest: 'any',
    impl: ([template, ...values]) => {
      const t = template as string;
      let out = '';
      let next = 0;
      for (let i = 0; i < t.length; i++) {
        const c = t[i];
        if (c === '\\' && (t[i + 1] === '{' || t[i + 1] === '}')) {
          out += t[i + 1];
          i += 1;
        } else if (c === '{' && t[i + 1] === '}') {
          const value = values[next];
          if (value === undefined) {
            throw intrinsicFailure('States.Format', `the template has more {} placeholders than the ${values.length} values given`);
          }
          out += formatValue(value);
          next += 1;
          i += 1;
        } else {
          out += c;
        }
      }
      if (next < values.length) {
        throw intrinsicFailure('States.Format', `${values.length} values were given for ${next} {} placeholders`);
      }
      return out;
    },
  },
  {
    name: 'States.StringSplit',
    params: ['string', 'string'],
    impl: ([str, delimiters]) => {
      // AWS splits on any one of the delimiter characters and drops empty pieces. A set of the
      // delimiters and slices of the input keep it linear however long both strings are.
      const d = new Set(delimiters as string);
      const s = str as string;
      const out: string[] = [];
      let from = 0;
      let i = 0;
      for (const ch of s) {
        if (d.has(ch)) {
          if (i > from) out.push(s.slice(from, i));
          from = i + ch.length;
        }
        i += ch.length;
      }
      if (s.length > from) out.push(s.slice(from));
      return out;
    },
  },
];
