import { createHash } from 'node:crypto';
import { compile, DefinitionError, type Json } from '../../../lib/asl';
import { pass } from '../../helpers/asl';

async function call(expr: string, input: Json = {}): Promise<Json | string> {
  const r = await pass({ Parameters: { 'r.$': expr } }, input);
  return r.status === 'SUCCEEDED' ? (r.output as { r: Json }).r : `${r.error}`;
}

describe('intrinsic functions', () => {
  it.each<[string, Json, Json | string]>([
    ["States.Format('Hello {}, you owe {}', $.n, $.v)", { n: 'Ana', v: 1.5 }, 'Hello Ana, you owe 1.5'],
    ["States.Format('{}', $.o)", { o: { a: 1, b: [1, 'x'] } }, '{a=1, b=[1, x]}'],
    ["States.Format('\\{} {}', 'x')", {}, '{} x'],
    ["States.Format('{} {}', 'only one')", {}, 'States.IntrinsicFailure'],
    ['States.StringToJson(\'{"a":[1]}\')', {}, { a: [1] }],
    ["States.StringToJson('not json')", {}, 'States.IntrinsicFailure'],
    ['States.JsonToString($.o)', { o: { a: [1, null] } }, '{"a":[1,null]}'],
    ["States.Array(1, 'two', $.t, null)", { t: true }, [1, 'two', true, null]],
    ['States.ArrayPartition($.a, 2)', { a: [1, 2, 3, 4, 5] }, [[1, 2], [3, 4], [5]]],
    ['States.ArrayPartition($.a, 0)', { a: [1] }, 'States.IntrinsicFailure'],
    ['States.ArrayContains($.a, $.v)', { a: [{ x: 1 }, 2], v: { x: 1 } }, true],
    ['States.ArrayRange(1, 9, 2)', {}, [1, 3, 5, 7, 9]],
    ['States.ArrayRange(5, 1, -2)', {}, [5, 3, 1]],
    ['States.ArrayRange(0, 2000, 1)', {}, 'States.IntrinsicFailure'],
    ['States.ArrayRange(1, 2, 0)', {}, 'States.IntrinsicFailure'],
    ['States.ArrayGetItem($.a, 1)', { a: ['x', 'y'] }, 'y'],
    ['States.ArrayGetItem($.a, 5)', { a: ['x'] }, 'States.IntrinsicFailure'],
    ['States.ArrayLength($.a)', { a: [1, 2, 3] }, 3],
    ['States.ArrayLength($.a)', { a: 'nope' }, 'States.IntrinsicFailure'],
    ['States.ArrayUnique($.a)', { a: [1, 1, { k: 1 }, { k: 1 }, '1'] }, [1, { k: 1 }, '1']],
    ["States.Base64Encode('Data to encode')", {}, 'RGF0YSB0byBlbmNvZGU='],
    ["States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", {}, 'Data to encode'],
    ["States.Base64Decode('***')", {}, 'States.IntrinsicFailure'],
    ["States.Hash('input data', 'SHA-256')", {}, sha256('input data')],
    ["States.Hash('x', 'CRC32')", {}, 'States.IntrinsicFailure'],
    ["States.Hash('x', 'constructor')", {}, 'States.IntrinsicFailure'],
    ['States.JsonMerge($.a, $.b, false)', { a: { x: 1, n: { p: 1 } }, b: { y: 2, n: { q: 2 } } }, { x: 1, y: 2, n: { q: 2 } }],
    ['States.JsonMerge($.a, $.b, true)', { a: {}, b: {} }, 'States.IntrinsicFailure'],
    ['States.MathAdd($.a, $.b)', { a: 1.5, b: -0.5 }, 2],
    ["States.MathAdd('1', 2)", {}, 'States.IntrinsicFailure'],
    ["States.StringSplit('a,b;;c', ',;')", {}, ['a', 'b', 'c']],
    ["States.ArrayGetItem(States.StringSplit('x-y', '-'), 1)", {}, 'y'],
    ['States.Format($.missing)', {}, 'States.Runtime'],
  ])('%s', async (expr, input, expected) => {
    expect(await call(expr, input)).toEqual(expected);
  });

  it('States.MathRandom stays in [start, end) and repeats with a seed', async () => {
    const a = await call('States.MathRandom(1, 10)');
    expect(a).toBeGreaterThanOrEqual(1);
    expect(a).toBeLessThan(10);
    expect(await call('States.MathRandom(0, 1000, 42)')).toEqual(await call('States.MathRandom(0, 1000, 42)'));
  });

  it('States.UUID returns a v4 UUID, repeatable with the execution seed', async () => {
    const u = await call('States.UUID()');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await call('States.UUID()')).toBe(u);
  });

  it.each(["States.Nope('x')", 'States.ArrayLength()', "States.Format('x'", 'States.UUID(1)'])('refuses %s at compile time', (expr) => {
    expect(() => compile({ StartAt: 'S', States: { S: { Type: 'Pass', Parameters: { 'r.$': expr }, End: true } } })).toThrow(DefinitionError);
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
