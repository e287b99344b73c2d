import { compile, DefinitionError, execute, validate, type Json, type MachineDefinition } from '../../../lib/asl';
import { evaluatePath, parseJsonPath } from '../../../lib/asl/data/json-path';
import { stringMatches } from '../../../lib/asl/states/choice';

// Expressions are bounded in time and memory, and the bound cannot be switched off from inside.
// Each case here hung, exhausted the heap, overflowed the stack or took seconds before.

const jsonata = (expr: string): MachineDefinition =>
  ({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: `{% ${expr} %}`, End: true } } }) as unknown as MachineDefinition;
const evalJsonata = async (expr: string, input: Json = {}) => execute(compile(jsonata(expr)), input);
const jsonPath = (params: Json): MachineDefinition =>
  ({ StartAt: 'S', States: { S: { Type: 'Pass', Parameters: params, End: true } } }) as unknown as MachineDefinition;
const evalParams = async (params: Json, input: Json = {}) => execute(compile(jsonPath(params)), input);
const refused = (def: MachineDefinition) =>
  validate(def)
    .map((p) => p.message)
    .join('\n');

/** Nested one level per element: { x: [ { x: [ ... { a: 1 } ] } ] }. */
const nested = (depth: number): Json => {
  let d: Json = { a: 1 };
  for (let i = 0; i < depth; i++) d = { x: [d] };
  return d;
};

describe('JSONata budget', () => {
  const deepRecursion = '$f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(2000)';

  it('stops deep recursion', async () => {
    const r = await evalJsonata(`(${deepRecursion})`);
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(r.cause).toContain('depth limit');
  });

  it('cannot be switched off by binding the variable that held it', async () => {
    const r = await evalJsonata(`($__stepwiseBudget := {"depth": -1000000000, "started": 9000000000000000}; ${deepRecursion})`);
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
  });

  it.each(['($e := $eval; $e("1+1"))', '"1+1" ~> $eval', '$lookup({"f": $eval}, "f")("1+1")'])('refuses $eval however it is reached: %s', (expr) => {
    expect(() => compile(jsonata(expr))).toThrow(DefinitionError);
    expect(refused(jsonata(expr))).toContain('$eval');
  });

  it('matches a catastrophic-backtracking regex in linear time', async () => {
    const started = Date.now();
    const r = await evalJsonata('$contains($states.input.s, /^(a+)+$/)', { s: `${'a'.repeat(28)}b` });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: false });
    // Backtracking takes about 10 s at 28 characters; RE2 takes milliseconds.
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('keeps regular expressions working ($match, $replace, $split, flags)', async () => {
    const r = await evalJsonata(
      '{"m": $match("a1b22", /\\d+/).match, "r": $replace("Hello", /l+/i, "L"), "s": $split("a1b2c", /[0-9]/), "c": $contains("ABC", /b/i)}',
    );
    expect(r.output).toEqual({ m: ['1', '22'], r: 'HeLo', s: ['a', 'b', 'c'], c: true });
  });

  it('refuses, at compile time, a regex RE2 cannot run (a back-reference)', () => {
    expect(refused(jsonata('$contains("aa", /(a)\\1/)'))).toMatch(/regular expression/);
  });

  it.each([
    ['$pad("", 120000000, "x")', '$pad'],
    ['[1..10000000]', 'range'],
    [
      '($s := "0123456789"; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $length($s))',
      'string',
    ],
  ])('fails %s with States.QueryEvaluationError before it exhausts memory', async (expr, what) => {
    const r = await evalJsonata(expr);
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(r.cause).toContain('budget');
    expect(r.cause).toContain(what);
  });

  it('still pads, ranges and concatenates within the budget', async () => {
    const r = await evalJsonata('{"p": $pad("ab", -5, "xy"), "q": "7" ~> $pad(3, "0"), "n": $count([1..100000]), "s": $length($pad("", 100000, "x") & "y")}');
    expect(r.output).toEqual({ p: 'xyxab', q: '700', n: 100000, s: 100001 });
  });
});

describe('JSONPath budget', () => {
  it('fails nested filters over a kilobyte of input with States.Runtime instead of taking seconds', async () => {
    const input = nested(200);
    expect(JSON.stringify(input).length).toBeLessThan(2000);
    const r = await evalParams({ 'v.$': '$..[?(@..[?(@..a)])]' }, input);
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.cause).toContain('visited more than');
  });

  it('walks input nested 10,000 deep with .. without a stack overflow', () => {
    expect(evaluatePath(parseJsonPath('$..a'), nested(10_000))).toEqual([1]);
  });

  it('compares values nested 10,000 deep in a filter without a stack overflow', () => {
    const doc = { items: [nested(10_000), { a: 2 }], ref: nested(10_000) };
    expect((evaluatePath(parseJsonPath('$.items[?(@ == $.ref)]'), doc) as Json[]).length).toBe(1);
  });

  it('refuses filters nested more than 16 deep', () => {
    const path = `$${'[?(@'.repeat(17)}.a${')]'.repeat(17)}`;
    expect(() => parseJsonPath(path)).toThrow(/nested at most 16/);
  });
});

describe('JSONPath filter operators AWS (Jayway) supports', () => {
  const doc: Json = {
    items: [
      { n: 'apple', t: ['a', 'b'] },
      { n: 'Banana', t: [] },
      { n: 'cherry', t: ['c'] },
    ],
  };
  it.each([
    ['$.items[?(@.n =~ /.*an.*/i)].n', ['Banana']],
    ['$.items[?(@.n =~ /an/)].n', []],
    ["$.items[?(@.n in ['apple', 'cherry'])].n", ['apple', 'cherry']],
    ["$.items[?(@.n nin ['apple'])].n", ['Banana', 'cherry']],
    ["$.items[?(@.t subsetof ['a', 'b', 'c'])].n", ['apple', 'Banana', 'cherry']],
    ["$.items[?(@.t anyof ['c', 'x'])].n", ['cherry']],
    ["$.items[?(@.t noneof ['c'])].n", ['apple', 'Banana']],
    ['$.items[?(@.t size 1)].n', ['cherry']],
    ['$.items[?(@.n size 5)].n', ['apple']],
    ['$.items[?(@.t empty true)].n', ['Banana']],
  ])('%s', (path, expected) => {
    expect(evaluatePath(parseJsonPath(path), doc)).toEqual(expected);
  });

  it('refuses an operator it does not have by name', () => {
    expect(() => parseJsonPath("$.items[?(@.n contains 'a')]")).toThrow(/'contains' is not supported/);
  });
});

describe('intrinsics cost', () => {
  it('StringMatches with a 5 KB pattern on a 255 KB string takes milliseconds, not seconds', () => {
    // A matcher that backtracks character by character retries the 5,000 a's at every position:
    // over 15 s on this machine.
    const value = 'a'.repeat(255_000);
    const started = Date.now();
    expect(stringMatches(value, `*${'a'.repeat(5_000)}b*`)).toBe(false);
    expect(stringMatches(value, `*${'a'.repeat(5_000)}*`)).toBe(true);
    expect(stringMatches(`${value}b`, `*${'a'.repeat(5_000)}b`)).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it.each([
    ['abc', 'abc', true],
    ['abc', 'a*c', true],
    ['abc', '*', true],
    ['', '*', true],
    ['abc', 'a*b*c', true],
    ['ac', 'a*b*c', false],
    ['aXbXc', '*X*X*', true],
    ['a*c', 'a\\*c', true],
    ['abc', 'a\\*c', false],
    ['a\\c', 'a\\\\c', true],
    ['aa', 'a*a*a', false],
  ])('StringMatches(%j, %j) is %s', (value, pattern, expected) => {
    expect(stringMatches(value, pattern)).toBe(expected);
  });

  it('ArrayUnique keeps first occurrences, ignoring key order, in one pass', async () => {
    const r = await evalParams({ 'u.$': 'States.ArrayUnique($.a)' }, { a: [1, '1', { x: 1, y: 2 }, { y: 2, x: 1 }, [1], [1], null, null, true, 'true'] });
    expect(r.output).toEqual({ u: [1, '1', { x: 1, y: 2 }, [1], null, true, 'true'] });
    const big = Array.from({ length: 20_000 }, (_, i) => ({ id: i % 10_000 }));
    const started = Date.now();
    const u = await evalParams({ 'n.$': 'States.ArrayLength(States.ArrayUnique($.a))' }, { a: big });
    expect(u.output).toEqual({ n: 10_000 });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('StringSplit splits on any delimiter character, astral ones included', async () => {
    const r = await evalParams({ 'a.$': "States.StringSplit($.s, ',;')", 'b.$': "States.StringSplit($.t, '😀')" }, { s: ',a,;b;;c😀d,', t: 'x😀y' });
    expect(r.output).toEqual({ a: ['a', 'b', 'c😀d'], b: ['x', 'y'] });
  });
});
