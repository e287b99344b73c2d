import { compile, problemCode, validate, type MachineDefinition } from '../../lib/asl';

// Definitions AWS refuses at CreateStateMachine, each with the pointer and the error code
// ValidateStateMachineDefinition reports for it.
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const ok = { Type: 'Succeed' };
const m = (s: object, extra: object = {}, top: object = {}): MachineDefinition =>
  ({ ...top, StartAt: 'S', States: { S: s, Done: ok, ...extra } }) as unknown as MachineDefinition;
const toDone = { Next: 'Done' };
const inner = { StartAt: 'I', States: { I: ok } };
const task = (extra: object) => m({ Type: 'Task', Resource: FN, ...toDone, ...extra });

const refused: [string, unknown, string, string][] = [
  [
    'a machine that can only loop',
    { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Wait', Seconds: 1, Next: 'A' } } },
    '/States',
    'MISSING_END_STATE',
  ],
  [
    'a branch that can only loop',
    m({ Type: 'Parallel', Branches: [{ StartAt: 'L', States: { L: { Type: 'Pass', Next: 'L' } } }], ...toDone }),
    '/States/S/Branches/0/States',
    'MISSING_END_STATE',
  ],
  [
    'a state name used in two Parallel branches',
    m({ Type: 'Parallel', Branches: [inner, inner], ...toDone }),
    '/States/S/Branches/1/States/I',
    'DUPLICATE_STATE_NAME',
  ],
  [
    'a Map processor state named like a top-level state',
    m({ Type: 'Map', ItemProcessor: { StartAt: 'Done', States: { Done: ok } }, ...toDone }),
    '/States/S/ItemProcessor/States/Done',
    'DUPLICATE_STATE_NAME',
  ],
  ['StartAt naming toString', { StartAt: 'toString', States: { A: ok } }, '/StartAt', 'MISSING_TRANSITION_TARGET'],
  ['Next naming constructor', m({ Type: 'Pass', Next: 'constructor' }), '/States/S/Next', 'MISSING_TRANSITION_TARGET'],
  [
    'Default naming __proto__',
    m({ Type: 'Choice', Choices: [{ Variable: '$.a', IsNull: true, Next: 'Done' }], Default: '__proto__' }),
    '/States/S/Default',
    'MISSING_TRANSITION_TARGET',
  ],
  [
    'Catch.Next naming hasOwnProperty',
    task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'hasOwnProperty' }] }),
    '/States/S/Catch/0/Next',
    'MISSING_TRANSITION_TARGET',
  ],
  ['an unknown top-level field', m({ Type: 'Pass', ...toDone }, {}, { TimeoutSecs: 5 }), '/TimeoutSecs', 'SCHEMA_VALIDATION_FAILED'],
  [
    'an unknown field in a branch',
    m({ Type: 'Parallel', Branches: [{ ...inner, Version: '1.0' }], ...toDone }),
    '/States/S/Branches/0/Version',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'an unknown field in an ItemProcessor',
    m({ Type: 'Map', ItemProcessor: { ...inner, TimeoutSeconds: 5 }, ...toDone }),
    '/States/S/ItemProcessor/TimeoutSeconds',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'an unknown field in a catcher',
    task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done', ResultPth: '$.e' }] }),
    '/States/S/Catch/0/ResultPth',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'an unknown field in a retrier',
    task({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempt: 3 }] }),
    '/States/S/Retry/0/MaxAttempt',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'an unknown field in ProcessorConfig',
    m({ Type: 'Map', ItemProcessor: { ...inner, ProcessorConfig: { Mode: 'INLINE', Concurrency: 2 } }, ...toDone }),
    '/States/S/ItemProcessor/ProcessorConfig/Concurrency',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'an unknown ProcessorConfig.Mode',
    m({ Type: 'Map', ItemProcessor: { ...inner, ProcessorConfig: { Mode: 'PARALLEL' } }, ...toDone }),
    '/States/S/ItemProcessor/ProcessorConfig/Mode',
    'SCHEMA_VALIDATION_FAILED',
  ],
  ['a Version other than 1.0', m({ Type: 'Pass', ...toDone }, {}, { Version: '2.0' }), '/Version', 'SCHEMA_VALIDATION_FAILED'],
  [
    'Assign inside an And rule',
    m({ Type: 'Choice', Choices: [{ And: [{ Variable: '$.a', IsNull: true, Assign: { x: 1 } }], Next: 'Done' }], Default: 'Done' }),
    '/States/S/Choices/0/And/0/Assign',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'Variable beside Not',
    m({ Type: 'Choice', Choices: [{ Variable: '$.a', Not: { Variable: '$.a', IsNull: true }, Next: 'Done' }], Default: 'Done' }),
    '/States/S/Choices/0/Variable',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'an IntervalSeconds beyond 99,999,999',
    task({ Retry: [{ ErrorEquals: ['E'], IntervalSeconds: 100_000_000 }] }),
    '/States/S/Retry/0/IntervalSeconds',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'a MaxAttempts beyond 99,999,999',
    task({ Retry: [{ ErrorEquals: ['E'], MaxAttempts: 100_000_000 }] }),
    '/States/S/Retry/0/MaxAttempts',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'a MaxDelaySeconds of a year and a day',
    task({ Retry: [{ ErrorEquals: ['E'], MaxDelaySeconds: 31_622_401 }] }),
    '/States/S/Retry/0/MaxDelaySeconds',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'a NaN BackoffRate from a JS caller',
    task({ Retry: [{ ErrorEquals: ['E'], BackoffRate: Number.NaN }] }),
    '/States/S/Retry/0/BackoffRate',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'an Infinity BackoffRate from a JS caller',
    task({ Retry: [{ ErrorEquals: ['E'], BackoffRate: Number.POSITIVE_INFINITY }] }),
    '/States/S/Retry/0/BackoffRate',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'an Infinity MaxAttempts from a JS caller',
    task({ Retry: [{ ErrorEquals: ['E'], MaxAttempts: Number.POSITIVE_INFINITY }] }),
    '/States/S/Retry/0/MaxAttempts',
    'SCHEMA_VALIDATION_FAILED',
  ],
  ['a Wait of 100,000,000 seconds', m({ Type: 'Wait', Seconds: 100_000_000, ...toDone }), '/States/S/Seconds', 'SCHEMA_VALIDATION_FAILED'],
  ['a TimeoutSeconds beyond 99,999,999', task({ TimeoutSeconds: 100_000_000 }), '/States/S/TimeoutSeconds', 'SCHEMA_VALIDATION_FAILED'],
  [
    'intrinsics nested 11 deep',
    m({ Type: 'Pass', Parameters: { 'a.$': `${'States.JsonToString('.repeat(11)}$.a${')'.repeat(11)}` }, ...toDone }),
    '/States/S/Parameters/a.$',
    'SCHEMA_VALIDATION_FAILED',
  ],
  [
    'a .sync:3 suffix',
    m({ Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:3', Parameters: {}, ...toDone }),
    '/States/S/Resource',
    'INVALID_RESOURCE',
  ],
  [
    'an unknown .waitForCallback suffix',
    m({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForCallback', Parameters: {}, ...toDone }),
    '/States/S/Resource',
    'INVALID_RESOURCE',
  ],
  ['a state name of 81 characters', { StartAt: 'x'.repeat(81), States: { ['x'.repeat(81)]: ok } }, `/States/${'x'.repeat(81)}`, 'INVALID_STATE_NAME'],
  [
    'an unknown Choice field',
    m({ Type: 'Choice', Choices: [{ Variable: '$.a', StringEquals: 'x', Nxt: 'Done', Next: 'Done' }] }),
    '/States/S/Choices/0/Nxt',
    'SCHEMA_VALIDATION_FAILED',
  ],
];

describe('validation: what AWS refuses', () => {
  it.each(refused)('refuses %s at its pointer with its AWS error code', (_name, def, pointer, code) => {
    const problems = validate(def as MachineDefinition);
    const at = problems.filter((p) => p.pointer === pointer);
    expect(at).toHaveLength(1);
    expect(problemCode(at[0] as (typeof at)[number])).toBe(code);
  });

  it('refuses activities and callback or job patterns in Express only', () => {
    for (const resource of [
      'arn:aws:states:us-east-1:123456789012:activity:approve',
      'arn:aws:states:::states:startExecution.sync:2',
      'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
    ]) {
      const def = m({ Type: 'Task', Resource: resource, ...(resource.includes(':::') ? { Parameters: {} } : {}), ...toDone });
      expect(validate(def)).toEqual([]);
      const problems = validate(def, { type: 'EXPRESS' });
      expect(problems.map((p) => [p.pointer, problemCode(p)])).toEqual([['/States/S/Resource', 'INVALID_RESOURCE']]);
    }
  });

  it('accepts the bounds themselves', () => {
    expect(
      validate(
        task({
          TimeoutSeconds: 99_999_999,
          Retry: [{ ErrorEquals: ['E'], IntervalSeconds: 99_999_999, MaxAttempts: 99_999_999, MaxDelaySeconds: 31_622_400, BackoffRate: 1 }],
        }),
      ),
    ).toEqual([]);
    expect(validate(m({ Type: 'Wait', Seconds: 0, ...toDone }))).toEqual([]);
    expect(validate(m({ Type: 'Wait', Seconds: 99_999_999, ...toDone }))).toEqual([]);
    expect(validate(m({ Type: 'Pass', Parameters: { 'a.$': `${'States.JsonToString('.repeat(10)}$.a${')'.repeat(10)}` }, ...toDone }))).toEqual([]);
    expect(validate(m({ Type: 'Pass', ...toDone }, {}, { Version: '1.0', Comment: 'c', TimeoutSeconds: 60 }))).toEqual([]);
    expect(validate(m({ Type: 'Map', ItemProcessor: { ...inner, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } }, ...toDone }))).toEqual(
      [],
    );
  });

  it('accepts a loop with a way out', () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Wait', Seconds: 1, Next: 'B' },
        B: { Type: 'Choice', Choices: [{ Variable: '$.done', IsPresent: true, Next: 'End' }], Default: 'A' },
        End: ok,
      },
    };
    expect(validate(def as unknown as MachineDefinition)).toEqual([]);
  });

  it('says that StartAt names no state, and nothing about reachability', () => {
    const problems = validate({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } } as unknown as MachineDefinition);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.pointer).toBe('/StartAt');
    expect(problems[0]?.message).toMatch(/^MISSING_TRANSITION_TARGET: .*'Nope'/);
  });

  it('does not call an unknown Choice field "several operators"', () => {
    const problems = validate(m({ Type: 'Choice', Choices: [{ Variable: '$.a', StringEquals: 'x', Nxt: 'Done', Next: 'Done' }], Default: 'Done' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('"Nxt"');
    expect(problems[0]?.message).not.toContain('several operators');
  });

  it('reports one problem per field', () => {
    // A non-string InputPath was reported by the shape check and again by the path compiler.
    const problems = validate(m({ Type: 'Pass', InputPath: 5, OutputPath: 'x', ...toDone }));
    expect(problems.map((p) => p.pointer)).toEqual(['/States/S/InputPath', '/States/S/OutputPath']);
  });

  it('gives one TOO_DEEPLY_NESTED problem for a Parallel nested 1,000 deep, without a stack overflow', () => {
    let def: object = inner;
    for (let i = 0; i < 1000; i++) def = { StartAt: `P${i}`, States: { [`P${i}`]: { Type: 'Parallel', Branches: [def], End: true } } };
    const problems = validate(def as MachineDefinition);
    expect(problems).toHaveLength(1);
    expect(problemCode(problems[0] as (typeof problems)[number])).toBe('TOO_DEEPLY_NESTED');
    expect(problems[0]?.message).not.toMatch(/call stack/);
    expect(problems[0]?.message.length).toBeLessThan(500);
  });

  it('gives one problem for Not nested 10,000 deep', () => {
    let rule: object = { Variable: '$.a', IsNull: true };
    for (let i = 0; i < 10_000; i++) rule = { Not: rule };
    const problems = validate(m({ Type: 'Choice', Choices: [{ ...rule, Next: 'Done' }], Default: 'Done' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^TOO_DEEPLY_NESTED/);
  });

  it('puts the AWS code at the start of every message, and in the DefinitionError text', () => {
    expect(() => compile(m({ Type: 'Pass', Next: 'Nowhere' }))).toThrow(/\/States\/S\/Next: MISSING_TRANSITION_TARGET: /);
    expect(() => compile('{')).toThrow(/INVALID_JSON_DESCRIPTION/);
    for (const p of validate(m({ Type: 'Pass', InputPath: 'bad', Bogus: 1, ...toDone }))) expect(p.message).toMatch(/^[A-Z_]+: /);
  });
});
