import fc from 'fast-check';
import {
  compile,
  DefinitionError,
  execute,
  StatesError,
  type CompiledStateMachine,
  type ExecutionResult,
  type Json,
  type MachineDefinition,
} from '../../lib/asl';

/**
 * A JS exception inside the interpreter becomes a States.Runtime error whose cause starts with
 * `Internal error:`; a Catch can hide it in a state's output, so every event is searched.
 */
function expectNoInternalError(result: ExecutionResult, seen: unknown[]): void {
  const text = JSON.stringify([result.cause, result.output, seen]);
  expect(text).not.toContain('Internal error:');
}

// Random definitions built from plausible and implausible pieces: compile must either accept or
// refuse with a DefinitionError, and every accepted machine must end in one of the four statuses.
const json: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const path = fc.constantFrom('$', '$.a', '$.a.b', '$.items[0]', '$.items[*]', '$$.Execution.Input', '$.missing', 'bad', '$[', '$..a', null);
const template = fc.dictionary(
  fc.constantFrom('x', 'y.$', 'z.$', 'n'),
  fc.oneof(path, json, fc.constantFrom("States.Format('{}', $.a)", 'States.ArrayLength($.items)', 'States.UUID()', 'States.StringToJson($.a)')),
  { maxKeys: 3 },
);
const names = ['A', 'B', 'C', 'D'];
const next = fc.constantFrom(...names, 'Nowhere');
const choiceRule = fc.record({ Variable: path, NumericGreaterThan: fc.oneof(fc.integer(), fc.string()), Next: next }, { requiredKeys: [] });
const state = fc.oneof(
  fc.record(
    { Type: fc.constant('Pass'), Next: next, InputPath: path, Parameters: template, ResultPath: path, OutputPath: path, Result: json },
    { requiredKeys: ['Type'] },
  ),
  fc.record({ Type: fc.constant('Choice'), Choices: fc.array(choiceRule, { maxLength: 3 }), Default: next }, { requiredKeys: ['Type'] }),
  fc.record({ Type: fc.constant('Wait'), Next: next, Seconds: fc.integer({ min: -5, max: 100000 }), SecondsPath: path }, { requiredKeys: ['Type'] }),
  fc.record(
    {
      Type: fc.constant('Task'),
      Resource: fc.constantFrom('arn:aws:lambda:us-east-1:123456789012:function:f', 'bogus'),
      Next: next,
      Retry: fc.constant([{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }]),
      Catch: fc.constant([{ ErrorEquals: ['States.ALL'], Next: 'D' }]),
    },
    { requiredKeys: ['Type'] },
  ),
  fc.record(
    {
      Type: fc.constant('Map'),
      Next: next,
      ItemsPath: path,
      ItemProcessor: fc.constant({ StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }),
      MaxConcurrency: fc.integer({ min: -1, max: 3 }),
    },
    { requiredKeys: ['Type'] },
  ),
  fc.record(
    { Type: fc.constant('Parallel'), Next: next, Branches: fc.constant([{ StartAt: 'I', States: { I: { Type: 'Succeed' } } }]) },
    { requiredKeys: ['Type'] },
  ),
  fc.record({ Type: fc.constant('Fail'), Error: fc.string(), CausePath: path }, { requiredKeys: ['Type'] }),
  fc.constant({ Type: 'Succeed' }),
  fc.record({ Type: fc.constantFrom('Bogus', 7), End: fc.boolean() }),
);
const definition = fc.record({
  StartAt: fc.constantFrom(...names),
  States: fc.record({ A: state, B: state, C: state, D: state }, { requiredKeys: ['A'] }),
});
const input = fc.record({ a: json, items: fc.array(json, { maxLength: 4 }) }, { requiredKeys: [] });

describe('fuzz: random definitions and inputs', () => {
  it('never throw from compile except DefinitionError, and always end in a final status', async () => {
    await fc.assert(
      fc.asyncProperty(definition, input, async (def, inp) => {
        let machine: CompiledStateMachine;
        try {
          machine = compile(def as unknown as MachineDefinition);
        } catch (e) {
          expect(e).toBeInstanceOf(DefinitionError);
          return;
        }
        const seen: unknown[] = [];
        const result = await execute(machine, inp as Json, {
          seed: 1,
          onEvent: (e) => seen.push(e),
          lambda: (_f, p) => (Array.isArray(p) ? Promise.reject(new Error('boom')) : p),
        });
        expectNoInternalError(result, seen);
        expect(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']).toContain(result.status);
        if (result.status === 'FAILED' && result.error !== undefined) expect(typeof result.error).toBe('string');
        expect(result.history.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 400 },
    );
  });

  it('ends a runaway loop by the history limit instead of hanging', async () => {
    const machine = compile({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Wait', Seconds: 1, Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'A' },
        Done: { Type: 'Succeed' },
      },
    });
    const r = await execute(machine, {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain('25000');
  });

  it('fails on an internal error even when a Catch hides it (the guard itself can fail)', async () => {
    // An interpreter bug is simulated by a lambda failing with an internal error's cause under a
    // catchable name: the guard must still see it in the events.
    const machine = compile({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }], End: true }, Done: { Type: 'Succeed' } },
    });
    const seen: unknown[] = [];
    const result = await execute(
      machine,
      {},
      { onEvent: (e) => seen.push(e), lambda: () => Promise.reject(new StatesError('Lambda.Unknown', 'Internal error: x is undefined')) },
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(() => expectNoInternalError(result, seen)).toThrow();
  });
});

// Random expressions within the budget: each evaluation ends quickly, and any failure is an
// ASL error of the expression's language, never an internal error.
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const ACCEPTED_FAILURES: Record<string, string[]> = { JSONata: ['States.QueryEvaluationError'], JSONPath: ['States.Runtime', 'States.IntrinsicFailure'] };
const deepValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 6 }) as fc.Arbitrary<Json>;
const exprInput = fc.record({
  a: deepValue,
  b: fc.array(deepValue, { maxLength: 6 }),
  s: fc.string({ maxLength: 40 }),
  n: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constantFrom(600, 2_000_000)),
});

const jsonataExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      '$states.input.a',
      '$states.input.b',
      '$states.input.s',
      '$states.input.n',
      '$states.input.b[0]',
      '$states.input.b.*',
      '$states.input.**',
      '1',
      '"x"',
      'true',
      'null',
      '[]',
      '{}',
      '$x',
      '$states.context.Execution.Id',
    ),
    fc.oneof(fc.integer({ min: -3, max: 30 }), fc.constantFrom(999_999, 3_000_000)).map(String),
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '&', '=', '!=', '<', '>', 'and', 'or', 'in', '..'), tie('e'))
      .map(([l, op, r]) => `(${l} ${op} ${r})`),
    fc
      .tuple(
        fc.constantFrom(
          '$string',
          '$number',
          '$count',
          '$sum',
          '$length',
          '$uppercase',
          '$keys',
          '$reverse',
          '$sort',
          '$distinct',
          '$not',
          '$exists',
          '$type',
          '$boolean',
          '$abs',
          '$floor',
          '$string',
          '$base64encode',
        ),
        tie('e'),
      )
      .map(([f, a]) => `${f}(${a})`),
    fc
      .tuple(
        fc.constantFrom('$pad', '$substring', '$split', '$join', '$append', '$contains', '$lookup', '$merge', '$zip', '$round', '$power'),
        tie('e'),
        tie('e'),
      )
      .map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie('e'), fc.constantFrom('/a+/', '/^(a+)+$/', '/(x|xx)*y/i', '/\\d+/')).map(([a, re]) => `$contains($string(${a}), ${re})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `$map(${a}, function($v, $i) { ${b} })`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `$filter(${a}, function($v) { ${b} })`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `($x := ${a}; ${b})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `{"k": ${a}, "l": ${b}}`),
    fc.constant('($f := function($n) { $n <= 0 ? 0 : 1 + $f($n - 1) }; $f($states.input.n))'),
    fc.constant('$reduce([1..$states.input.n], function($a, $v) { $a & "x" }, "")'),
  ),
})).e;

const pathSegment = fc.constantFrom(
  '.a',
  '.b',
  '.s',
  '.n',
  '[0]',
  '[-1]',
  '[*]',
  '[0:2]',
  '[::2]',
  '..a',
  '..[0]',
  '..*',
  "['a']",
  "['b','a']",
  '[?(@.a)]',
  '[?(@ > 1)]',
  "[?(@.a == 'x')]",
  '[?(@..a)]',
  '[?(@..[?(@..a)])]',
  '[?(@ in [1, 2, "x"])]',
  '[?(@.a =~ /.*x.*/i)]',
  '[?(@ size 2)]',
  '[?(@ empty false)]',
  '[?(@.a anyof [1])]',
  '[?(!(@.a) || @.b < 3)]',
  '.nope',
);
const jsonPathExpr = fc.oneof(
  fc.array(pathSegment, { maxLength: 5 }).map((segs) => `$${segs.join('')}`),
  fc
    .tuple(
      fc.constantFrom('States.ArrayUnique', 'States.ArrayLength', 'States.JsonToString', 'States.Array', 'States.ArrayContains'),
      fc.array(pathSegment, { maxLength: 3 }),
    )
    .map(([f, segs]) => (f === 'States.ArrayContains' ? `${f}($.b, $${segs.join('')})` : `${f}($${segs.join('')})`)),
  fc.array(pathSegment, { maxLength: 3 }).map((segs) => `States.StringSplit(States.JsonToString($${segs.join('')}), 'a"{,')`),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.array(pathSegment, { maxLength: 2 }))
    .map(([p, segs]) => `States.Format('${p.replace(/[\\'{}]/g, '')}{}', $${segs.join('')})`),
);

describe('fuzz: random expressions within the budget', () => {
  const check = async (def: MachineDefinition, inp: Json, language: 'JSONata' | 'JSONPath') => {
    let machine: CompiledStateMachine;
    try {
      machine = compile(def);
    } catch (e) {
      expect(e).toBeInstanceOf(DefinitionError);
      return;
    }
    const seen: unknown[] = [];
    const started = Date.now();
    const result = await execute(machine, inp, { seed: 1, onEvent: (e) => seen.push(e) });
    expectNoInternalError(result, seen);
    // Never a hang: the budget stops an expression after 1 s; a generous ceiling for a busy machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    if (result.status !== 'SUCCEEDED') expect([...(ACCEPTED_FAILURES[language] ?? []), 'States.DataLimitExceeded']).toContain(result.error);
  };

  it('JSONata: every expression succeeds or fails with States.QueryEvaluationError', async () => {
    await fc.assert(
      fc.asyncProperty(jsonataExpr, exprInput, async (expr, inp) => {
        await check(
          {
            QueryLanguage: 'JSONata',
            StartAt: 'S',
            States: { S: { Type: 'Pass', Output: { v: `{% ${expr} %}` }, End: true } },
          } as unknown as MachineDefinition,
          inp as Json,
          'JSONata',
        );
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('JSONPath and intrinsics: every path succeeds or fails with States.Runtime or States.IntrinsicFailure', async () => {
    await fc.assert(
      fc.asyncProperty(jsonPathExpr, exprInput, async (expr, inp) => {
        await check(
          { StartAt: 'S', States: { S: { Type: 'Pass', Parameters: { 'v.$': expr }, End: true } } } as unknown as MachineDefinition,
          inp as Json,
          'JSONPath',
        );
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
