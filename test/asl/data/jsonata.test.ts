import { compile, DefinitionError, type Json, type MachineDefinition, type StateDefinition } from '../../../lib/asl';
import { causes } from '../../../lib/asl/causes';
import { run } from '../../helpers/asl';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
/** A JSONata machine of one state that ends. */
const jsonataState = (state: Partial<StateDefinition> & { Type: StateDefinition['Type'] }): MachineDefinition => {
  const terminal = state.Type === 'Choice' || state.Type === 'Succeed' || state.Type === 'Fail';
  return { QueryLanguage: 'JSONata', StartAt: 'S', States: { S: (terminal ? state : { End: true, ...state }) as StateDefinition } };
};
const output = async (expr: Json, input: Json = {}) => {
  const r = await run(jsonataState({ Type: 'Pass', Output: expr }), input);
  return r.status === 'SUCCEEDED' ? r.output : `${r.error}: ${r.cause}`;
};

describe('JSONata states', () => {
  it('keeps an array the data holds with [], without marking the data (JSONata marks the array it returns)', async () => {
    // JSONata sets keepSingleton on the array a `[]` path returns, which may be the execution's
    // own array: it must read a copy. The onEvent listener below freezes the data it hears about
    // (the input, variables, Task results), so a write to the data fails the state, as it did
    // ("Cannot add property keepSingleton, object is not extensible") before copies were read.
    const machine: MachineDefinition = {
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', Assign: { v: '{% $states.input %}' }, Next: 'S' },
        S: {
          Type: 'Pass',
          Output: {
            input: '{% $states.input.arr[] %}',
            nested: '{% $states.input.nested[0][] %}',
            variable: '{% $v.arr[] %}',
            whole: '{% $[] %}',
          },
          End: true,
        },
      },
    };
    for (const onEvent of [undefined, () => undefined]) {
      const r = await run(machine, { arr: [5], nested: [[1]] }, { lambda: () => ({ arr: [7], nested: [[2]] }), onEvent });
      expect(r.status).toBe('SUCCEEDED');
      expect(r.output).toEqual({ input: [7], nested: [2], variable: [5], whole: { arr: [7], nested: [[2]] } });
    }
  });

  it('Output evaluates {% %} anywhere in a template against $states.input', async () => {
    expect(
      await output(
        { total: '{% $sum($states.input.items.price) %}', fixed: 'x', list: ['{% $count($states.input.items) %}'] },
        { items: [{ price: 2 }, { price: 3 }] },
      ),
    ).toEqual({ total: 5, fixed: 'x', list: [2] });
  });

  it('builds __proto__ as a plain field of an Output template', async () => {
    const out = (await output(JSON.parse('{"__proto__": {"polluted": "{% true %}"}, "a": 1}') as Json)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: true });
    expect(out.a).toBe(1);
  });

  it('leaves strings that are not whole {% %} expressions as literals', async () => {
    expect(await output('price {% 1 %}')).toBe('price {% 1 %}');
  });

  it('defaults Output to the input for Pass and to the result for Task', async () => {
    expect((await run(jsonataState({ Type: 'Pass' }), { a: 1 })).output).toEqual({ a: 1 });
    const r = await run(jsonataState({ Type: 'Task', Resource: FN }), { a: 1 }, { lambda: () => ({ r: 2 }) });
    expect(r.output).toEqual({ r: 2 });
  });

  it('sends Arguments to the Task and reads $states.result in Output', async () => {
    const r = await run(
      jsonataState({
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'double', Payload: { n: '{% $states.input.n %}' } },
        Output: '{% $states.result.Payload %}',
      }),
      { n: 21 },
      { lambda: (_f, p) => ({ doubled: (p as { n: number }).n * 2 }) },
    );
    expect(r.output).toEqual({ doubled: 42 });
  });

  it('passes $states.errorOutput to a catcher Output', async () => {
    const r = await run(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: FN,
            Catch: [{ ErrorEquals: ['States.ALL'], Output: { failed: '{% $states.errorOutput.Error %}', was: '{% $states.input %}' }, Next: 'D' }],
            End: true,
          },
          D: { Type: 'Succeed' },
        },
      },
      'in',
      { lambda: () => Promise.reject(Object.assign(new Error('x'), { name: 'Boom' })) },
    );
    expect(r.output).toEqual({ failed: 'Boom', was: 'in' });
  });

  it('routes a Choice on Condition, and fails when a Condition is not boolean', async () => {
    const def = (cond: string): MachineDefinition => ({
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: cond, Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Pass', Output: 'big', End: true },
        Small: { Type: 'Pass', Output: 'small', End: true },
      },
    });
    expect((await run(def('{% $states.input.n > 10 %}'), { n: 11 })).output).toBe('big');
    expect((await run(def('{% $states.input.n > 10 %}'), { n: 1 })).output).toBe('small');
    const bad = await run(def('{% $states.input.n %}'), { n: 1 });
    expect(bad.error).toBe('States.QueryEvaluationError');
  });

  it('maps over Items with ItemSelector and $states.context.Map.Item', async () => {
    const r = await run(
      jsonataState({
        Type: 'Map',
        Items: '{% $states.input.xs %}',
        ItemSelector: { i: '{% $states.context.Map.Item.Index %}', v: '{% $states.context.Map.Item.Value * 10 %}' },
        ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
        MaxConcurrency: '{% 2 %}',
      }),
      { xs: [1, 2] },
    );
    expect(r.output).toEqual([
      { i: 0, v: 10 },
      { i: 1, v: 20 },
    ]);
  });

  it('computes Wait Seconds and Fail Error/Cause from expressions', async () => {
    const w = await run(jsonataState({ Type: 'Wait', Seconds: '{% $states.input.s %}' }), { s: 5 });
    expect(w.stopDate.getTime() - w.startDate.getTime()).toBe(5000);
    const f = await run(jsonataState({ Type: 'Fail', Error: '{% $states.input.code %}', Cause: '{% "because " & $states.input.why %}' }), {
      code: 'E42',
      why: 'tests',
    });
    expect(f).toMatchObject({ error: 'E42', cause: 'because tests' });
  });

  it('runs JSONata and JSONPath states side by side in one machine', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Parameters: { 'v.$': '$.x' }, Next: 'B' },
          B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.v + 1 %}', End: true },
        },
      },
      { x: 1 },
    );
    expect(r.output).toBe(2);
  });

  it('fails with QueryEvaluationError, AWS wording, when an expression returns nothing', async () => {
    expect(await output({ result: '{% $states.input.missing %}' })).toBe(
      `States.QueryEvaluationError: ${causes.inState('S', 2, causes.jsonataReturnedNothing('$states.input.missing', 'Output/result'))}`,
    );
  });

  it('fails with QueryEvaluationError when an expression throws', async () => {
    expect(await output('{% $number("x") %}')).toMatch(/^States.QueryEvaluationError: .*threw an error/);
  });

  it('stops a runaway expression with its time and depth budget', async () => {
    const r = await output('{% ($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000)) %}');
    expect(r).toMatch(/^States.QueryEvaluationError: .*(depth limit|ran longer|Stack|stack)/);
  }, 20000);

  it('records EvaluationFailed in the history', async () => {
    const r = await run(jsonataState({ Type: 'Pass', Output: '{% $nope %}' }));
    expect(r.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed']);
  });
});

describe("AWS's added JSONata functions", () => {
  it.each<[string, Json]>([
    ['{% $partition([1,2,3,4,5], 2) %}', [[1, 2], [3, 4], [5]]],
    ['{% $range(0, 10, 5) %}', [0, 5, 10]],
    ["{% $hash('abc', 'MD5') %}", '900150983cd24fb0d6963f7d28e17f72'],
    ['{% $parse(\'{"a":[1,2]}\') %}', { a: [1, 2] }],
    ['{% $random(7) = $random(7) %}', true],
    ['{% $random() >= 0 and $random() < 1 %}', true],
    ['{% $length($uuid()) %}', 36],
  ])('%s', async (expr, expected) => {
    expect(await output(expr)).toEqual(expected);
  });

  it.each(['CRC32', 'constructor'])('$hash refuses the algorithm %s, naming the ones it takes', async (algorithm) => {
    expect(await output(`{% $hash('abc', '${algorithm}') %}`)).toMatch(
      new RegExp(`^States\\.QueryEvaluationError: .*\\$hash: unsupported algorithm "${algorithm}"; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512$`),
    );
  });

  it('$uuid is repeatable with the execution seed', async () => {
    expect(await output('{% $uuid() %}')).toBe(await output('{% $uuid() %}'));
  });

  it.each(["{% $eval('1') %}", '{% 1 ?? 2 %}', '{% $states.input.a ?: 3 %}', '{% ( %}'])('refuses %s at compile time', (expr) => {
    expect(() => compile(jsonataState({ Type: 'Pass', Output: expr }))).toThrow(DefinitionError);
  });
});
