import { evaluatePath, parseJsonPath, setAtPath } from '../../../lib/asl/data/json-path';
import type { Json } from '../../../lib/asl';
import { causes } from '../../../lib/asl/causes';
import { pass } from '../../helpers/asl';

const doc: Json = { a: { b: [10, 20, 30], 'x y': 1 }, items: [{ p: 5, n: 'a' }, { p: 15, n: 'b' }, { p: 25 }] };
const at = (path: string) => evaluatePath(parseJsonPath(path), doc);

describe('JSONPath', () => {
  it.each([
    ['$', doc],
    ['$.a.b[1]', 20],
    ['$.a.b[-1]', 30],
    ["$['a']['x y']", 1],
    ['$.a.b[*]', [10, 20, 30]],
    ['$.a.b[0:2]', [10, 20]],
    ['$.a.b[0,2]', [10, 30]],
    ['$.items[?(@.p > 10)].n', ['b']],
    ['$.items[?(@.n)].p', [5, 15]],
    ['$.items[?(@.p >= 5 && @.p < 20)].p', [5, 15]],
    ["$.items[?(@.n == 'a')].p", [5]],
    ['$..p', [5, 15, 25]],
    ['$.a.missing', undefined],
    ['$.a.b[7]', undefined],
  ])('%s', (path, expected) => {
    expect(at(path)).toEqual(expected);
  });

  it('returns an empty list for an indefinite path that matches nothing', () => {
    expect(at('$.items[?(@.p > 100)]')).toEqual([]);
  });

  it('distinguishes input, context and variable roots', () => {
    expect(parseJsonPath('$.a').root).toEqual({ kind: 'input' });
    expect(parseJsonPath('$$.Execution.Id').root).toEqual({ kind: 'context' });
    expect(parseJsonPath('$total.amount').root).toEqual({ kind: 'variable', name: 'total' });
  });

  it.each(['a.b', '$.a[', '$.a[?(@.x ~ 1)]', '$.length()', "$['unterminated]"])('rejects the malformed path %s', (p) => {
    expect(() => parseJsonPath(p)).toThrow(/Invalid JSONPath|must start/);
  });

  it('reads a definite path the same with its generated code as with the generic walk', () => {
    const values: Json[] = [
      doc,
      { a: null },
      { a: [1, 2] },
      [{ a: 1 }],
      { toString: 'own', constructor: { name: 'c' } },
      { __proto__x: 1, 'q"uo\\te': { '\u2028': 7 } },
      'text',
      null,
    ];
    const paths = [
      '$',
      '$.a',
      '$.a.b',
      '$.a.b[1]',
      '$.a.b[-1]',
      '$.a.b[-4]',
      '$[0].a',
      "$['x y']",
      '$.toString',
      '$.constructor.name',
      '$.hasOwnProperty',
      "$['q\"uo\\\\te']['\u2028']",
      '$.__proto__x',
      '$.a[0]',
    ];
    for (const source of paths) {
      const path = parseJsonPath(source);
      expect(path.read).toBeDefined();
      const generic = { ...path, read: undefined };
      for (const v of values) expect({ source, v, read: evaluatePath(path, v) }).toEqual({ source, v, read: evaluatePath(generic, v) });
    }
    expect(evaluatePath(parseJsonPath('$.a.b[-1]'), doc)).toBe(30);
    expect(evaluatePath(parseJsonPath('$.toString'), {})).toBeUndefined();
  });

  it('reads and builds the same where code generation from strings is disallowed', async () => {
    // As under node --disallow-code-generation-from-strings: the Function constructor throws.
    const original = globalThis.Function;
    globalThis.Function = function disallowed() {
      throw new EvalError('Code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    try {
      // Names no other test uses: generated readers are cached by path.
      const path = parseJsonPath('$.disallowedCodegen.inner[0]');
      expect(path.read).toBeUndefined();
      expect(evaluatePath(path, { disallowedCodegen: { inner: ['x'] } })).toBe('x');
      const r = await pass({ Parameters: { 'v.$': '$.disallowedCodegen.inner[0]', k: 1 } }, { disallowedCodegen: { inner: ['y'] } });
      expect(r.output).toEqual({ v: 'y', k: 1 });
    } finally {
      globalThis.Function = original;
    }
  });

  it('writes at a path by copying only the objects along it', () => {
    const target = { keep: { deep: 1 }, o: { x: 1 } };
    const out = setAtPath(target, parseJsonPath('$.o.y.z'), 2) as typeof target & { o: { y: { z: number } } };
    expect(out).toEqual({ keep: { deep: 1 }, o: { x: 1, y: { z: 2 } } });
    expect(out.keep).toBe(target.keep);
    expect(target).toEqual({ keep: { deep: 1 }, o: { x: 1 } });
  });
});

describe('data flow fields', () => {
  it('InputPath null gives an empty object', async () => {
    expect((await pass({ InputPath: null }, { a: 1 })).output).toEqual({});
  });

  it('OutputPath null gives an empty object', async () => {
    expect((await pass({ OutputPath: null }, { a: 1 })).output).toEqual({});
  });

  it('ResultPath null keeps the input and discards the result', async () => {
    expect((await pass({ Result: 5, ResultPath: null }, { a: 1 })).output).toEqual({ a: 1 });
  });

  it('ResultPath overwrites an existing field', async () => {
    expect((await pass({ Result: 5, ResultPath: '$.a' }, { a: 1 })).output).toEqual({ a: 5 });
  });

  it('ResultPath adds a new field after the existing ones and leaves the input untouched', async () => {
    const input = { a: 1, b: { c: 2 } };
    const r = await pass({ Result: 5, ResultPath: '$.b.d' }, input);
    expect(r.output).toEqual({ a: 1, b: { c: 2, d: 5 } });
    expect(Object.keys((r.output as { b: object }).b)).toEqual(['c', 'd']);
    expect(input).toEqual({ a: 1, b: { c: 2 } });
  });

  it('ResultPath treats __proto__ and inherited names as plain fields', async () => {
    const r = await pass({ Result: { x: 1 }, ResultPath: '$.constructor.v' }, { a: 1 });
    expect(r.output).toEqual({ a: 1, constructor: { v: { x: 1 } } });
    const proto = await pass({ Result: { polluted: true }, ResultPath: "$['__proto__']" }, JSON.parse('{"a": 1, "__proto__": 2}'));
    const out = proto.output as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: true });
    expect(out.a).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Into a frozen object with its own __proto__ key (the execution's input, a Task's result):
    // the copy's members are plain writable data, so the write lands.
    const frozen = await pass({ Result: 3, ResultPath: '$.a' }, JSON.parse('{"__proto__": 1, "a": 2}'));
    expect(frozen.status).toBe('SUCCEEDED');
    const written = frozen.output as Record<string, unknown>;
    expect([Object.getOwnPropertyDescriptor(written, '__proto__')?.value, written.a]).toEqual([1, 3]);
  });

  it('fails with an AWS-worded States.Runtime when InputPath finds nothing', async () => {
    const r = await pass({ InputPath: '$.missing' }, { a: 1 });
    expect([r.error, r.cause]).toEqual(['States.Runtime', causes.inState('S', 2, causes.pathNotFound('$.missing', "$['missing']"))]);
  });

  it('fails with States.Runtime when OutputPath finds nothing', async () => {
    expect((await pass({ OutputPath: '$.nope' }, {})).error).toBe('States.Runtime');
  });

  it('fails naming the field when a Parameters path finds nothing', async () => {
    const r = await pass({ Parameters: { 'v.$': '$.nope' } }, { a: 1 });
    expect([r.error, r.cause]).toEqual(['States.Runtime', causes.inState('S', 2, causes.jsonPathNotFound('$.nope', 'v.$', { a: 1 }))]);
  });

  it('fails with States.ResultPathMatchFailure when ResultPath crosses a non-object', async () => {
    const r = await pass({ Result: 1, ResultPath: '$.a.b' }, { a: 'text' });
    expect(r.error).toBe('States.ResultPathMatchFailure');
  });

  it('evaluates templates inside arrays and nested objects', async () => {
    const r = await pass({ Parameters: { list: [{ 'v.$': '$.a' }, 'lit'], nested: { 'w.$': '$.b' } } }, { a: 1, b: 2 });
    expect(r.output).toEqual({ list: [{ v: 1 }, 'lit'], nested: { w: 2 } });
  });

  it('builds template objects with any key, in order, including quotes, backslashes and __proto__', async () => {
    const keys = { 'a"b': 1, 'back\\slash': 2, '${x}': 3, '\u2028': 4, 'n.$': '$.n' };
    const r = await pass({ Parameters: keys }, { n: 5 });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a key that looks like a placeholder, on purpose
    expect(Object.keys(r.output as object)).toEqual(['a"b', 'back\\slash', '${x}', '\u2028', 'n']);
    expect(r.output).toEqual({ 'a"b': 1, 'back\\slash': 2, '${x}': 3, '\u2028': 4, n: 5 });
    const proto = await pass({ Parameters: JSON.parse('{"__proto__": {"polluted": true}, "k.$": "$.n"}') }, { n: 1 });
    const out = proto.output as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(out.k).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads the context object: execution, state and state machine', async () => {
    const r = await pass(
      { Parameters: { 'in.$': '$$.Execution.Input', 'state.$': '$$.State.Name', 'sm.$': '$$.StateMachine.Name', 'id.$': '$$.Execution.Id' } },
      { q: 1 },
    );
    expect(r.output).toMatchObject({ in: { q: 1 }, state: 'S', sm: 'StateMachine' });
    expect((r.output as { id: string }).id).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:StateMachine:/);
  });

  it('fails with States.DataLimitExceeded for an output over 256 KiB', async () => {
    const r = await pass({ Parameters: { 'big.$': "States.Format('{}{}{}{}', $.s, $.s, $.s, $.s)" } }, { s: 'x'.repeat(70_000) });
    expect(r.error).toBe('States.DataLimitExceeded');
  });
});
