import fc from 'fast-check';
import type { Json } from '../../../lib/asl';
import { compile, execute } from '../../../lib/asl';
import { byteSizeExceeds, jsonByteLength, payloadSize, sizeBound, sizeBoundSharing } from '../../../lib/asl/data/size';

const exact = (v: Json) => Buffer.byteLength(JSON.stringify(v));
// Strings of any UTF-16 code units: quotes, backslashes, control characters, astral characters and lone surrogates.
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('payload sizes', () => {
  it('measures the UTF-8 length of any value as JSON.stringify writes it', () => {
    fc.assert(
      fc.property(json, (v) => jsonByteLength(v) === exact(v)),
      { numRuns: 2000 },
    );
  });

  it('measures escapes, astral characters, lone surrogates and long strings exactly', () => {
    const cases: Json[] = [
      '"\\\b\f\n\r\t\u0001\u001f',
      '😀',
      '\ud800',
      'x\udc00y',
      'é'.repeat(100),
      'plain text '.repeat(20),
      `${'a'.repeat(70)}"`,
      { '\u0000': [1.5e300, -0, 1e21, true, null] },
    ];
    for (const v of cases) expect(jsonByteLength(v)).toBe(exact(v));
  });

  it('counts a big part carried into new values correctly in each of them', () => {
    const big: Json = { rows: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `row ${i}` })) };
    const first = jsonByteLength({ doc: big, n: 1 });
    // The big part is the same object, so it counts the same inside any new value.
    expect(jsonByteLength({ doc: big, n: 22, extra: 'x' })).toBe(exact({ doc: big, n: 22, extra: 'x' }));
    expect(first).toBe(exact({ doc: big, n: 1 }));
  });

  it('estimates at least half of the real size, even for text made of control characters', () => {
    fc.assert(
      fc.property(json, (v) => sizeBound(v) * 2 >= exact(v)),
      { numRuns: 2000 },
    );
    expect(sizeBound('\u0001'.repeat(1000)) * 2).toBeGreaterThanOrEqual(exact('\u0001'.repeat(1000)));
  });

  it('checks exactly only when twice the estimate is over the limit', () => {
    const text = 'a'.repeat(50_000);
    // Estimate 150,002: twice that is over 256 KiB, so the exact length (50,002) is used.
    expect(payloadSize(text, 256 * 1024)).toBe(50_002);
    // A small estimate is trusted as it is.
    expect(payloadSize({ a: 1 }, 256 * 1024)).toBe(sizeBound({ a: 1 }));
    expect(byteSizeExceeds('\u0001'.repeat(50_000), 256 * 1024)).toBe(true);
    expect(byteSizeExceeds('a'.repeat(250_000), 256 * 1024)).toBe(false);
    expect(byteSizeExceeds('a'.repeat(270_000), 256 * 1024)).toBe(true);
  });

  it('takes the known bound of a part it holds instead of walking it again (sizeBoundSharing)', () => {
    fc.assert(
      fc.property(json, json, (part, other) => {
        const whole: Json = { a: part, b: [other, part] };
        // With the part's own bound, the same as walking everything.
        if (sizeBoundSharing(whole, part, sizeBound(part)) !== sizeBound(whole)) return false;
        if (part === null || typeof part !== 'object') return sizeBoundSharing(whole, part, 1e6) === sizeBound(whole);
        // The part, wherever it is, counts as the bound given for it (here 10,000 more, twice).
        return sizeBoundSharing(whole, part, sizeBound(part) + 10_000) === sizeBound(whole) + 20_000;
      }),
      { numRuns: 500 },
    );
    const part = { x: 'y' };
    expect(sizeBoundSharing({ p: part }, part, undefined)).toBe(sizeBound({ p: part }));
    // Nothing is remembered after the call.
    sizeBoundSharing({ p: part }, part, 99_999);
    expect(sizeBound({ p: part })).toBeLessThan(99_999);
  });

  it('still fails a template output over 256 KiB that embeds its input twice', async () => {
    // The input's bound is carried into the output's: twice 150,000 characters is over the limit.
    const machine = compile({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'a.$': '$', 'b.$': '$.s' }, End: true } } });
    const over = await execute(machine, { s: 'x'.repeat(150_000) });
    expect(over).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    const within = await execute(machine, { s: 'x'.repeat(100_000) });
    expect(within.status).toBe('SUCCEEDED');
  });
});
