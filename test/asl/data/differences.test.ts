import { compile, execute, type Json } from '../../../lib/asl';

// The differences from AWS that README.md ("Where Stepwise differs from AWS on data") documents:
// if one of these starts failing, the behaviour changed and the README must change with it.
const passThrough = compile({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$.v', 'n.$': 'States.MathAdd($.n, 0)' }, End: true } } });

describe('documented differences from AWS', () => {
  it('loses precision on integers beyond 2^53 (AWS keeps them)', async () => {
    const input = JSON.parse('{"v": 12345678901234567891, "n": 9007199254740993}') as Json;
    const r = await execute(passThrough, input);
    expect(JSON.stringify(r.output)).toBe('{"v":12345678901234567000,"n":9007199254740992}');
  });

  it('puts integer-like keys first, in ascending order (AWS keeps the given order)', async () => {
    const input = JSON.parse('{"v": {"b": 1, "2": 2, "a": 0, "1": 3}, "n": 0}') as Json;
    const r = await execute(passThrough, input);
    expect(Object.keys((r.output as { v: object }).v)).toEqual(['1', '2', 'b', 'a']);
  });

  it('unwraps a one-element JSONata sequence as JSONata 2.0.6 (the version AWS runs) does; [] keeps an array', async () => {
    const machine = compile({
      QueryLanguage: 'JSONata',
      StartAt: 'S',
      States: {
        S: {
          Type: 'Pass',
          Output: {
            one: '{% $map([5], function($v) { $v }) %}',
            kept: '{% $map([5], function($v) { $v })[] %}',
            filtered: '{% $filter([1, 2], function($v) { $v = 2 })[] %}',
            path: '{% $states.input.a.x[] %}',
          },
          End: true,
        },
      },
    });
    const r = await execute(machine, { a: [{ x: 1 }] });
    expect(r.output).toEqual({ one: 5, kept: [5], filtered: [2], path: [1] });
  });
});
