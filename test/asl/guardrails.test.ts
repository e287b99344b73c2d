import fc from 'fast-check';
import { compile, execute, StatesError, VirtualClock, type Json, type LambdaHandler } from '../../lib/asl';
import { compileResultPath } from '../../lib/asl/data/paths';
import { jsonByteLength, sizeBound } from '../../lib/asl/data/size';
import { compileRetrier, retryDelay } from '../../lib/asl/retry';
import type { DataScope } from '../../lib/asl/data/scope';

// Tests that pin what the cheaper tests around them could not: each fails if the mechanism it
// guards is removed (jitter deleted, the ResultPath growth set to 0).

describe('retry jitter', () => {
  const retrier = compileRetrier({
    ErrorEquals: ['States.ALL'],
    IntervalSeconds: 10,
    BackoffRate: 10,
    MaxAttempts: 3,
    MaxDelaySeconds: 15,
    JitterStrategy: 'FULL',
  });

  it('waits exactly the drawn fraction of the capped back-off', () => {
    const draws = [0.5, 0.25, 0.75];
    const attempts: number[] = [];
    const delays = draws.map((_, i) => retryDelay([retrier], attempts, 'E', () => draws[i] as number));
    // Back-off 10 s, 100 s, 1000 s capped at 15 s, each scaled by its draw.
    expect(delays).toEqual([5_000, 3_750, 11_250]);
    expect(retryDelay([retrier], attempts, 'E', () => 0.5)).toBeUndefined();
  });

  it('waits the whole capped back-off without jitter', () => {
    const none = compileRetrier({
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: 10,
      BackoffRate: 10,
      MaxAttempts: 3,
      MaxDelaySeconds: 15,
      JitterStrategy: 'NONE',
    });
    const attempts: number[] = [];
    expect([0, 1, 2].map(() => retryDelay([none], attempts, 'E', () => 0.5))).toEqual([10_000, 15_000, 15_000]);
  });

  it('draws the delays from the execution seed: the same seed waits the same, below every cap', async () => {
    const machine = compile({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 3, MaxDelaySeconds: 15, JitterStrategy: 'FULL' }],
          End: true,
        },
      },
    });
    const failing: LambdaHandler = () => Promise.reject(new Error('down'));
    const waited = async (seed: number) => {
      const clock = new VirtualClock(0);
      const r = await execute(machine, {}, { seed, clock, lambda: failing });
      expect(r.status).toBe('FAILED');
      return clock.now();
    };
    const first = await waited(7);
    expect(await waited(7)).toBe(first);
    // Without jitter the three waits add up to 10 + 15 + 15 s; with it, to less.
    expect(first).toBeLessThan(40_000);
    expect(first).toBeGreaterThan(0);
    const others = await Promise.all([1, 2, 3].map(waited));
    expect(new Set([first, ...others]).size).toBeGreaterThan(1);
  });
});

describe('the size bound carried through ResultPath merges', () => {
  // Keys with quotes, backslashes, control characters and astral characters (escaped in JSON).
  const keyChar = fc.oneof(fc.constantFrom('a', 'Z', '_', '"', '\\', '\n', '\u0001', 'é', '😀'), fc.string({ minLength: 1, maxLength: 1 }));
  const key = fc.array(keyChar, { minLength: 1, maxLength: 40 }).map((cs) => cs.join(''));
  const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 10 }));
  const value: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, leaf as fc.Arbitrary<Json>, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
  })).v;
  const quote = (k: string) => `['${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  const scope = {} as DataScope;

  it('bounds the merged output by the input, the result and the path growth', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 3 }), value, fc.array(key, { minLength: 1, maxLength: 3 }), (input, result, keys) => {
        const merge = compileResultPath(`$${keys.map(quote).join('')}`);
        let merged: Json;
        try {
          merged = merge(input, result, scope);
        } catch (e) {
          // A path through a value that is not an object: nothing to bound.
          expect(e).toBeInstanceOf(StatesError);
          return;
        }
        const bound = sizeBound(input) + sizeBound(result) + (merge.growth as number);
        // sizeBound is at least half the real size (control characters are written as 6 bytes).
        expect(bound * 2).toBeGreaterThanOrEqual(jsonByteLength(merged));
      }),
      { numRuns: 2000 },
    );
  });

  it('needs the growth: a long new key on a small input is more than input plus result', () => {
    const merge = compileResultPath(`$.${'k'.repeat(100)}`);
    const merged = merge({}, null, scope);
    expect(sizeBound({}) + sizeBound(null)).toBeLessThan(jsonByteLength(merged));
    expect(sizeBound({}) + sizeBound(null) + (merge.growth as number)).toBeGreaterThanOrEqual(jsonByteLength(merged));
  });
});
