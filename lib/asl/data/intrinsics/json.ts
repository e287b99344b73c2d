// JSON intrinsics: States.StringToJson, States.JsonToString, States.JsonMerge.
import type { Json, JsonObject } from '../../types';
import { intrinsicFailure, type IntrinsicFunction } from './signature';

export const jsonFunctions: IntrinsicFunction[] = [
  {
    name: 'States.StringToJson',
    params: ['string'],
    impl: ([s]) => {
      // AWS reads the string with Jackson, which gives no value (null) for empty or blank text
      // where JSON.parse throws.
      if (/^[ \t\r\n]*$/.test(s as string)) return null;
      try {
        return JSON.parse(s as string) as Json;
      } catch {
        throw intrinsicFailure('States.StringToJson', `the string is not valid JSON: ${JSON.stringify(s)}`);
      }
    },
  },
  { name: 'States.JsonToString', params: ['any'], impl: ([v]) => JSON.stringify(v) },
  {
    name: 'States.JsonMerge',
    params: ['object', 'object', 'boolean'],
    impl: ([a, b, deep]) => {
      // AWS supports only the shallow mode; `true` is refused rather than approximated.
      if (deep !== false) throw intrinsicFailure('States.JsonMerge', 'deep merging is not supported; the third argument must be false');
      return { ...(a as JsonObject), ...(b as JsonObject) };
    },
  },
];
