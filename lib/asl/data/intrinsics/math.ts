// Math intrinsics: States.MathRandom and States.MathAdd.
import { intrinsicFailure, type IntrinsicFunction } from './signature';

export const mathFunctions: IntrinsicFunction[] = [
  {
    name: 'States.MathRandom',
    params: ['integer', 'integer', 'integer'],
    optional: 1,
    impl: ([start, end, seed], env) => {
      const s = start as number;
      const e = end as number;
      if (e <= s) throw intrinsicFailure('States.MathRandom', `the end (${e}) must be greater than the start (${s})`);
      // With an explicit seed the result is a pure function of it, as AWS documents.
      let r = env.random();
      if (typeof seed === 'number') {
        const x = Math.sin(seed) * 10000;
        r = x - Math.floor(x);
      }
      return s + Math.floor(r * (e - s));
    },
  },
  {
    name: 'States.MathAdd',
    params: ['number', 'number'],
    // AWS rounds each operand half up to an integer before adding (conformance: test_math_add).
    impl: ([a, b]) => Math.round(a as number) + Math.round(b as number) || 0,
  },
];
