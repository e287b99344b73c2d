import { compile, DefinitionError, validate, type MachineDefinition } from '../../lib/asl';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const ok = { Type: 'Succeed' };
/** A machine whose start state is `s` (plus a Done state to point at). */
const m = (s: object, extra: object = {}): MachineDefinition => ({ StartAt: 'S', States: { S: s, Done: ok, ...extra } }) as unknown as MachineDefinition;
const toDone = { Next: 'Done' };

// Each entry: a broken definition and the JSON pointer of the problem AWS would refuse it for.
const broken: [string, unknown, string][] = [
  ['a definition that is not an object', [], ''],
  ['a missing StartAt', { States: { S: ok } }, '/StartAt'],
  ['a StartAt naming no state', { StartAt: 'X', States: { S: ok } }, '/StartAt'],
  ['an empty States', { StartAt: 'S', States: {} }, '/States'],
  ['an unknown state type', m({ Type: 'Sleep', ...toDone }), '/States/S/Type'],
  ['a state that is not an object', { StartAt: 'S', States: { S: 3 } }, '/States/S'],
  ['a state with neither Next nor End', m({ Type: 'Pass' }), '/States/S'],
  ['a state with both Next and End', m({ Type: 'Pass', Next: 'Done', End: true }), '/States/S/End'],
  ['a Next naming no state', m({ Type: 'Pass', Next: 'Nowhere' }), '/States/S/Next'],
  ['an unreachable state', m({ Type: 'Pass', End: true }), '/States/Done'],
  ['a field the state type does not have', m({ Type: 'Pass', Resource: FN, ...toDone }), '/States/S/Resource'],
  ['Result on a Task', m({ Type: 'Task', Resource: FN, Result: 1, ...toDone }), '/States/S/Result'],
  ['a Task without Resource', m({ Type: 'Task', ...toDone }), '/States/S/Resource'],
  ['an unknown Resource ARN', m({ Type: 'Task', Resource: 'lambda:f', ...toDone }), '/States/S/Resource'],
  [
    'TimeoutSeconds with TimeoutSecondsPath',
    m({ Type: 'Task', Resource: FN, TimeoutSeconds: 5, TimeoutSecondsPath: '$.t', ...toDone }),
    '/States/S/TimeoutSecondsPath',
  ],
  ['a zero TimeoutSeconds', m({ Type: 'Task', Resource: FN, TimeoutSeconds: 0, ...toDone }), '/States/S/TimeoutSeconds'],
  [
    'HeartbeatSeconds not below TimeoutSeconds',
    m({ Type: 'Task', Resource: FN, TimeoutSeconds: 5, HeartbeatSeconds: 5, ...toDone }),
    '/States/S/HeartbeatSeconds',
  ],
  ['a retrier without ErrorEquals', m({ Type: 'Task', Resource: FN, Retry: [{ MaxAttempts: 1 }], ...toDone }), '/States/S/Retry/0/ErrorEquals'],
  ['a BackoffRate below 1', m({ Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['E'], BackoffRate: 0.5 }], ...toDone }), '/States/S/Retry/0/BackoffRate'],
  ['a negative MaxAttempts', m({ Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['E'], MaxAttempts: -1 }], ...toDone }), '/States/S/Retry/0/MaxAttempts'],
  [
    'an unknown JitterStrategy',
    m({ Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['E'], JitterStrategy: 'SOME' }], ...toDone }),
    '/States/S/Retry/0/JitterStrategy',
  ],
  [
    'States.ALL that is not last',
    m({ Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['E'] }], ...toDone }),
    '/States/S/Retry/0/ErrorEquals',
  ],
  [
    'States.ALL mixed with other names',
    m({ Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL', 'E'], Next: 'Done' }], ...toDone }),
    '/States/S/Catch/0/ErrorEquals',
  ],
  ['a Catch naming no state', m({ Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['E'], Next: 'Gone' }], ...toDone }), '/States/S/Catch/0/Next'],
  ['a Choice without Choices', m({ Type: 'Choice', Default: 'Done' }), '/States/S/Choices'],
  ['a Choice rule without Next', m({ Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true }], Default: 'Done' }), '/States/S/Choices/0/Next'],
  [
    'a Choice rule with two operators',
    m({ Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true, IsString: true, Next: 'Done' }] }),
    '/States/S/Choices/0',
  ],
  [
    'an unknown Choice operator',
    m({ Type: 'Choice', Choices: [{ Variable: '$.a', StringContains: 'x', Next: 'Done' }] }),
    '/States/S/Choices/0/StringContains',
  ],
  ['a mistyped Choice operand', m({ Type: 'Choice', Choices: [{ Variable: '$.a', BooleanEquals: 'yes', Next: 'Done' }] }), '/States/S/Choices/0/BooleanEquals'],
  ['a comparison without Variable', m({ Type: 'Choice', Choices: [{ NumericEquals: 1, Next: 'Done' }] }), '/States/S/Choices/0/Variable'],
  ['an empty And', m({ Type: 'Choice', Choices: [{ And: [], Next: 'Done' }] }), '/States/S/Choices/0/And'],
  ['a Default naming no state', m({ Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true, Next: 'Done' }], Default: 'Gone' }), '/States/S/Default'],
  ['a Wait with two durations', m({ Type: 'Wait', Seconds: 1, SecondsPath: '$.s', ...toDone }), '/States/S/SecondsPath'],
  ['a Wait with no duration', m({ Type: 'Wait', ...toDone }), '/States/S'],
  ['a negative Wait', m({ Type: 'Wait', Seconds: -5, ...toDone }), '/States/S/Seconds'],
  ['a Wait Timestamp that is not RFC 3339', m({ Type: 'Wait', Timestamp: 'tomorrow', ...toDone }), '/States/S/Timestamp'],
  ['a Fail with Error and ErrorPath', { StartAt: 'S', States: { S: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } } }, '/States/S/ErrorPath'],
  ['a Parallel without Branches', m({ Type: 'Parallel', ...toDone }), '/States/S/Branches'],
  [
    'a branch that jumps outside itself',
    m({ Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Done' } } }], ...toDone }),
    '/States/S/Branches/0/States/A/Next',
  ],
  ['a Map without ItemProcessor', m({ Type: 'Map', ...toDone }), '/States/S/ItemProcessor'],
  [
    'a Map with ItemSelector and Parameters',
    m({ Type: 'Map', ItemSelector: {}, Parameters: {}, ItemProcessor: { StartAt: 'I', States: { I: ok } }, ...toDone }),
    '/States/S/Parameters',
  ],
  [
    'a ToleratedFailurePercentage over 100',
    m({ Type: 'Map', ToleratedFailurePercentage: 150, ItemProcessor: { StartAt: 'I', States: { I: ok } }, ...toDone }),
    '/States/S/ToleratedFailurePercentage',
  ],
  [
    'a Map ItemReader (not run locally)',
    m({ Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject' }, ItemProcessor: { StartAt: 'I', States: { I: ok } }, ...toDone }),
    '/States/S/ItemReader',
  ],
  ['a malformed InputPath', m({ Type: 'Pass', InputPath: 'a.b', ...toDone }), '/States/S/InputPath'],
  ['a ResultPath with a wildcard', m({ Type: 'Pass', ResultPath: '$.a[*]', ...toDone }), '/States/S/ResultPath'],
  ['a .$ key with a non-string value', m({ Type: 'Pass', Parameters: { 'a.$': 5 }, ...toDone }), '/States/S/Parameters/a.$'],
  [
    'an unknown intrinsic deep in Parameters',
    m({ Type: 'Pass', Parameters: { x: { 'y.$': 'States.Uppercase($.a)' } }, ...toDone }),
    '/States/S/Parameters/x/y.$',
  ],
  ['an intrinsic in SecondsPath', m({ Type: 'Wait', SecondsPath: 'States.MathAdd(1, 2)', ...toDone }), '/States/S/SecondsPath'],
  ['a JSONPath field in a JSONata state', m({ Type: 'Pass', QueryLanguage: 'JSONata', Parameters: {}, ...toDone }), '/States/S/Parameters'],
  ['a JSONata field in a JSONPath state', m({ Type: 'Pass', Output: {}, ...toDone }), '/States/S/Output'],
  [
    'a JSONPath state in a JSONata machine',
    { QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Succeed', QueryLanguage: 'JSONPath' } } },
    '/States/S/QueryLanguage',
  ],
  ['an unknown QueryLanguage', { QueryLanguage: 'XPath', StartAt: 'S', States: { S: ok } }, '/QueryLanguage'],
  ['Assign on a Succeed state', { StartAt: 'S', States: { S: { Type: 'Succeed', Assign: { a: 1 } } } }, '/States/S/Assign'],
  ['an invalid variable name', m({ Type: 'Pass', Assign: { '1st': 1 }, ...toDone }), '/States/S/Assign/1st'],
  ['$eval in a JSONata expression', m({ Type: 'Pass', QueryLanguage: 'JSONata', Output: "{% $eval('1+1') %}", ...toDone }), '/States/S/Output'],
  [
    'JSONata 2.1 syntax (??) that AWS refuses',
    m({ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.a ?? 1 %}', ...toDone }),
    '/States/S/Output',
  ],
  [
    'a ResultPath on a JSONata catcher',
    m({ Type: 'Task', QueryLanguage: 'JSONata', Resource: FN, Catch: [{ ErrorEquals: ['E'], ResultPath: '$.e', Next: 'Done' }], ...toDone }),
    '/States/S/Catch/0/ResultPath',
  ],
  ['a JSONata Choice rule without Condition', m({ Type: 'Choice', QueryLanguage: 'JSONata', Choices: [{ Next: 'Done' }] }), '/States/S/Choices/0/Condition'],
  ['a state name longer than 80 characters', { StartAt: 'x'.repeat(81), States: { ['x'.repeat(81)]: ok } }, `/States/${'x'.repeat(81)}`],
];

describe('validation', () => {
  it(`covers at least 30 distinct broken definitions (${broken.length})`, () => {
    expect(new Set(broken.map((b) => b[0])).size).toBe(broken.length);
    expect(broken.length).toBeGreaterThanOrEqual(30);
  });

  it.each(broken)('reports %s at its pointer', (_name, def, pointer) => {
    const problems = validate(def as MachineDefinition);
    expect(problems.map((p) => p.pointer)).toContain(pointer);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(10);
  });

  it('refuses .waitForTaskToken in an EXPRESS machine, naming the fix', () => {
    const def = m({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f' }, ...toDone });
    expect(validate(def)).toEqual([]);
    const problems = validate(def, { type: 'EXPRESS' });
    expect(problems).toEqual([{ pointer: '/States/S/Resource', message: expect.stringContaining('use a STANDARD state machine') }]);
  });

  it('reports every problem at once', () => {
    const def = { StartAt: 'S', States: { S: { Type: 'Pass', InputPath: 'bad', Next: 'Nowhere' }, T: { Type: 'Wait', End: true } } };
    expect(validate(def as unknown as MachineDefinition).length).toBeGreaterThanOrEqual(3);
  });

  it('throws a DefinitionError whose message lists the pointers', () => {
    expect(() => compile('{"StartAt": 1}')).toThrow(DefinitionError);
    expect(() => compile('not json')).toThrow(/not valid JSON/);
    try {
      compile(m({ Type: 'Pass' }));
    } catch (e) {
      expect((e as DefinitionError).message).toContain('/States/S:');
    }
  });

  it('accepts a valid definition', () => {
    expect(validate(m({ Type: 'Pass', ...toDone }))).toEqual([]);
  });
});
