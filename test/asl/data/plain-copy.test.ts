// The copies an in-process Lambda handler's events and results take (lib/asl/scheduler.ts
// copyPlainJson): equal to JSON text's round trip, sharing nothing, whether an object is copied by
// the generic walk or by a copier generated for its keys (arrays of like objects, a CopySite).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Json } from '../../../lib/asl';
import { sizeBound } from '../../../lib/asl/data/size';
import { compile, execute, startExecution } from '../../../lib/asl';
import { copiedSizeBound, CopySite, copyPlainJson, copyPlainJsonMeasured, NOT_PLAIN, shapeCount } from '../../../lib/asl/scheduler';

// Keys that a generated object literal must quote right; few, so arrays repeat shapes.
const KEYS = ['sku', 'qty', '', '1', '01', 'a"b', 'back\\slash', 'line\nbreak', 'sep\u2028', 'constructor', 'ünï'];
const ODD: unknown[] = [undefined, Number.NaN, -0, Number.POSITIVE_INFINITY, new Date(0), () => 1, 10n];

interface Case {
  value: unknown;
  odd: boolean;
  /** The records, each with its own oddness (for copies one record at a time). */
  records?: Case[];
}

/** Records drawn from KEYS (often the same keys in the same order), with an odd member now and then. */
function records(oddRate: number): fc.Arbitrary<Case> {
  const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
  const member = fc.oneof(
    { weight: 12, arbitrary: scalar.map((v) => ({ value: v as unknown, odd: Object.is(v, -0) })) },
    { weight: oddRate, arbitrary: fc.constantFrom(...ODD).map((v) => ({ value: v, odd: true })) },
    { weight: 2, arbitrary: fc.array(scalar, { maxLength: 3 }).map((v) => ({ value: v as unknown, odd: v.some((x) => Object.is(x, -0)) })) },
  );
  const keySets = fc.constantFrom(['sku', 'qty'], ['sku', 'qty'], ['qty', 'sku'], KEYS.slice(2), ['sku'], KEYS);
  const record = keySets.chain((keys) =>
    fc.tuple(...keys.map(() => member)).map((members) => {
      const value: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        value[k] = members[i]?.value;
      });
      return { value: value as unknown, odd: members.some((m) => m.odd) };
    }),
  );
  return fc.array(record, { maxLength: 12 }).map((rs) => ({
    value: { items: rs.map((r) => r.value), first: rs[0]?.value ?? null },
    odd: rs.some((r) => r.odd),
    records: rs,
  }));
}

// A copy shares no object with the original and is plain, writable data (nothing frozen: the
// execution keeps its values unchanged by never writing to them, see scheduler.ts).
function expectPrivate(copy: unknown, original: unknown): void {
  if (copy === null || typeof copy !== 'object') return;
  expect(copy).not.toBe(original);
  expect(Object.isFrozen(copy)).toBe(false);
  expect(Object.getPrototypeOf(copy)).toBe(Array.isArray(copy) ? Array.prototype : Object.prototype);
  for (const k of Object.keys(copy)) expectPrivate((copy as Record<string, unknown>)[k], (original as Record<string, unknown>)[k]);
}

function check({ value, odd }: Case, site?: CopySite): void {
  const plain = copyPlainJson(value, site);
  const measured = copyPlainJsonMeasured(value, site);
  if (odd) {
    // JSON text would drop or change a member: the caller takes the wire format instead.
    expect(plain).toBe(NOT_PLAIN);
    expect(measured).toBe(NOT_PLAIN);
    return;
  }
  const text = JSON.stringify(value);
  expect(JSON.stringify(plain)).toBe(text);
  expect(JSON.stringify(measured)).toBe(text);
  expect(Object.keys((plain as { first: object }).first ?? {})).toEqual(Object.keys((value as { first: object }).first ?? {}));
  expect(copiedSizeBound()).toBe(sizeBound(measured as Json));
  expectPrivate(plain, value);
  expectPrivate(measured, value);
}

describe('copyPlainJson and copyPlainJsonMeasured', () => {
  it('give what JSON text gives, or refuse, for arrays of like records (copied by generated copiers)', () => {
    fc.assert(
      fc.property(records(1), (c) => check(c)),
      { numRuns: 400, seed: 13 },
    );
  });

  it('give the same through a CopySite that sees record after record, alike or not', () => {
    const site = new CopySite();
    fc.assert(
      fc.property(records(1), (c) => {
        for (const r of c.records ?? []) check(r, site);
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  it('refuse a __proto__ key in a later element of a run of like objects', () => {
    const tricky = { sku: 'x' };
    Object.defineProperty(tricky, '__proto__', { value: { own: true }, enumerable: true });
    const items = [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }, tricky];
    expect(copyPlainJson(items)).toBe(NOT_PLAIN);
    expect(copyPlainJsonMeasured(items)).toBe(NOT_PLAIN);
    // A site sees objects one at a time: two alike with a __proto__ key must not make a shape of it.
    const site = new CopySite();
    for (const item of items.slice(0, 3)) expect(copyPlainJson(item, site)).toEqual(item);
    const twin = { sku: 'y' };
    Object.defineProperty(twin, '__proto__', { value: { own: true }, enumerable: true });
    for (const odd of [tricky, twin, tricky]) {
      expect(copyPlainJson(odd, site)).toBe(NOT_PLAIN);
      expect(copyPlainJsonMeasured(odd, site)).toBe(NOT_PLAIN);
    }
  });

  it('stop at the depth bound inside generated copiers too (64 levels: past it the caller takes JSON text)', () => {
    const nested = (wraps: number): unknown => {
      let v: unknown = [{ v: 1 }, { v: 2 }, { v: 3 }];
      for (let i = 0; i < wraps; i++) v = [v];
      return v;
    };
    // Objects at depth 63 are copied, at depth 64 refused: by the generated copier as by the walk.
    expect(copyPlainJson(nested(62))).toEqual(nested(62));
    expect(copyPlainJsonMeasured(nested(62))).toEqual(nested(62));
    expect(copyPlainJson(nested(63))).toBe(NOT_PLAIN);
    expect(copyPlainJsonMeasured(nested(63))).toBe(NOT_PLAIN);
    expect(copyPlainJson([{ w: nested(62) }, { w: 1 }])).toBe(NOT_PLAIN);
  });

  it('copy a Proxy whose keys change from one enumeration to the next without looping forever', () => {
    let flip = false;
    const shifty = new Proxy({ sku: 'x', qty: 1 } as Record<string, unknown>, {
      ownKeys: (target) => {
        flip = !flip;
        return flip ? Reflect.ownKeys(target) : ['qty', 'sku'];
      },
    });
    const items = [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }, shifty, { sku: 'c', qty: 3 }];
    for (const copy of [copyPlainJson(items), copyPlainJsonMeasured(items)]) {
      expect(copy).not.toBe(NOT_PLAIN);
      expect((copy as Json[])[3]).toEqual({ sku: 'c', qty: 3 });
      expect(Object.keys((copy as Record<string, unknown>[])[2] ?? {}).sort()).toEqual(['qty', 'sku']);
    }
  });

  it('make no shape of long keys: a payload over the size limit fails as such, and nothing of it is kept', async () => {
    const before = shapeCount();
    const key = 'k'.repeat(300_000);
    const pass = compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const r = await execute(pass, [{ [key]: 1 }, { [key]: 2 }, { [key]: 3 }]);
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.DataLimitExceeded');
    const site = new CopySite();
    for (let i = 0; i < 3; i++) expect(copyPlainJsonMeasured({ [key]: i }, site)).toEqual({ [key]: i });
    expect(shapeCount()).toBe(before);
    // Short keys still make one: the cache is not full here.
    copyPlainJson([{ short: 1 }, { short: 2 }]);
    expect(shapeCount()).toBe(before + 1);
  });

  it('copy any number of different shapes (the generated copiers are bounded, the copies are not)', () => {
    const before = shapeCount();
    for (let i = 0; i < 700; i++) {
      const items = [
        { [`k${i}`]: i, z: 'a' },
        { [`k${i}`]: i + 1, z: 'b' },
        { [`k${i}`]: i + 2, z: 'c' },
      ];
      expect(copyPlainJson(items)).toEqual(items);
      expect(copyPlainJsonMeasured(items)).toEqual(items);
    }
    expect(shapeCount()).toBeGreaterThan(before);
    expect(shapeCount()).toBe(512);
  });

  it('keep the size of a copy right when a getter of what it copies starts another copy (another execution)', async () => {
    const pass = compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const value = {
      a: { big: 'x'.repeat(300_000) },
      get z() {
        expect(copyPlainJsonMeasured({ small: 1 })).toEqual({ small: 1 });
        return 1;
      },
    };
    const copy = copyPlainJsonMeasured(value);
    expect(copiedSizeBound()).toBe(sizeBound(copy as Json));
    // The same through executions: the input is copied as the execution is started.
    const r = await execute(pass, {
      a: { big: 'x'.repeat(300_000) },
      get z() {
        startExecution(pass, 1);
        return 1;
      },
    } as unknown as Json);
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.DataLimitExceeded');
  });

  it('copy the same where code generation is disallowed', () => {
    const script = join(__dirname, '..', '..', 'fixtures', 'copy-without-codegen.ts');
    const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('same');
    expect(r.status).toBe(0);
  });
});
