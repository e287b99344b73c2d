import { compile, DefinitionError } from '../../../lib/asl';
import type { ChoiceRuleDefinition, Json } from '../../../lib/asl/types';
import { stringMatches } from '../../../lib/asl/states/choice';
import { run } from '../../helpers/asl';

/** Runs a Choice with one rule; resolves to 'yes', 'no' (Default) or the failure. */
async function decide(rule: ChoiceRuleDefinition, input: Json): Promise<string> {
  const r = await run(
    {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Pass', Result: 'yes', End: true },
        No: { Type: 'Pass', Result: 'no', End: true },
      },
    },
    input,
  );
  return r.status === 'SUCCEEDED' ? (r.output as string) : `${r.error}`;
}

describe('Choice operators', () => {
  const cases: [string, ChoiceRuleDefinition, Json, string][] = [
    ['StringEquals', { Variable: '$.v', StringEquals: 'a' }, { v: 'a' }, 'yes'],
    ['StringEquals on a number', { Variable: '$.v', StringEquals: '1' }, { v: 1 }, 'no'],
    ['StringLessThan', { Variable: '$.v', StringLessThan: 'b' }, { v: 'a' }, 'yes'],
    ['StringGreaterThan', { Variable: '$.v', StringGreaterThan: 'b' }, { v: 'a' }, 'no'],
    ['StringLessThanEquals', { Variable: '$.v', StringLessThanEquals: 'a' }, { v: 'a' }, 'yes'],
    ['StringGreaterThanEquals', { Variable: '$.v', StringGreaterThanEquals: 'b' }, { v: 'c' }, 'yes'],
    ['StringEqualsPath', { Variable: '$.v', StringEqualsPath: '$.w' }, { v: 'x', w: 'x' }, 'yes'],
    ['StringLessThanPath', { Variable: '$.v', StringLessThanPath: '$.w' }, { v: 'x', w: 'a' }, 'no'],
    ['StringMatches', { Variable: '$.v', StringMatches: 'log-*.txt' }, { v: 'log-2026.txt' }, 'yes'],
    ['StringMatches escaped star', { Variable: '$.v', StringMatches: 'a\\*b' }, { v: 'axb' }, 'no'],
    ['NumericEquals', { Variable: '$.v', NumericEquals: 2 }, { v: 2 }, 'yes'],
    ['NumericEquals on a string', { Variable: '$.v', NumericEquals: 2 }, { v: '2' }, 'no'],
    ['NumericLessThan', { Variable: '$.v', NumericLessThan: 2 }, { v: 1.5 }, 'yes'],
    ['NumericGreaterThan', { Variable: '$.v', NumericGreaterThan: 2 }, { v: 2 }, 'no'],
    ['NumericLessThanEquals', { Variable: '$.v', NumericLessThanEquals: 2 }, { v: 2 }, 'yes'],
    ['NumericGreaterThanEquals', { Variable: '$.v', NumericGreaterThanEquals: 3 }, { v: 2 }, 'no'],
    ['NumericEqualsPath', { Variable: '$.v', NumericEqualsPath: '$.w' }, { v: 1, w: 1 }, 'yes'],
    ['NumericGreaterThanPath', { Variable: '$.v', NumericGreaterThanPath: '$.w' }, { v: 2, w: 1 }, 'yes'],
    ['NumericLessThanEqualsPath', { Variable: '$.v', NumericLessThanEqualsPath: '$.w' }, { v: 2, w: 1 }, 'no'],
    ['NumericGreaterThanEqualsPath', { Variable: '$.v', NumericGreaterThanEqualsPath: '$.w' }, { v: 1, w: 1 }, 'yes'],
    ['NumericLessThanPath', { Variable: '$.v', NumericLessThanPath: '$.w' }, { v: 0, w: 1 }, 'yes'],
    ['BooleanEquals', { Variable: '$.v', BooleanEquals: true }, { v: true }, 'yes'],
    ['BooleanEquals on a string', { Variable: '$.v', BooleanEquals: true }, { v: 'true' }, 'no'],
    ['BooleanEqualsPath', { Variable: '$.v', BooleanEqualsPath: '$.w' }, { v: false, w: false }, 'yes'],
    ['TimestampEquals', { Variable: '$.v', TimestampEquals: '2026-01-01T00:00:00Z' }, { v: '2026-01-01T01:00:00+01:00' }, 'yes'],
    ['TimestampLessThan', { Variable: '$.v', TimestampLessThan: '2026-01-01T00:00:00Z' }, { v: '2025-12-31T23:59:59Z' }, 'yes'],
    ['TimestampGreaterThan', { Variable: '$.v', TimestampGreaterThan: '2026-01-01T00:00:00Z' }, { v: '2025-12-31T23:59:59Z' }, 'no'],
    ['TimestampLessThanEquals', { Variable: '$.v', TimestampLessThanEquals: '2026-01-01T00:00:00Z' }, { v: '2026-01-01T00:00:00Z' }, 'yes'],
    ['TimestampGreaterThanEquals', { Variable: '$.v', TimestampGreaterThanEquals: '2026-01-01T00:00:00Z' }, { v: '2026-01-02T00:00:00Z' }, 'yes'],
    ['Timestamp on a non-timestamp string', { Variable: '$.v', TimestampEquals: '2026-01-01T00:00:00Z' }, { v: 'yesterday' }, 'no'],
    ['TimestampEqualsPath', { Variable: '$.v', TimestampEqualsPath: '$.w' }, { v: '2026-01-01T00:00:00Z', w: '2026-01-01T00:00:00.000Z' }, 'yes'],
    ['TimestampLessThanPath', { Variable: '$.v', TimestampLessThanPath: '$.w' }, { v: '2026-01-01T00:00:00Z', w: '2026-01-02T00:00:00Z' }, 'yes'],
    ['TimestampGreaterThanPath', { Variable: '$.v', TimestampGreaterThanPath: '$.w' }, { v: '2026-01-01T00:00:00Z', w: '2026-01-02T00:00:00Z' }, 'no'],
    ['TimestampLessThanEqualsPath', { Variable: '$.v', TimestampLessThanEqualsPath: '$.w' }, { v: '2026-01-01T00:00:00Z', w: '2026-01-01T00:00:00Z' }, 'yes'],
    [
      'TimestampGreaterThanEqualsPath',
      { Variable: '$.v', TimestampGreaterThanEqualsPath: '$.w' },
      { v: '2026-01-01T00:00:00Z', w: '2026-01-01T00:00:00Z' },
      'yes',
    ],
    ['StringGreaterThanPath', { Variable: '$.v', StringGreaterThanPath: '$.w' }, { v: 'b', w: 'a' }, 'yes'],
    ['StringLessThanEqualsPath', { Variable: '$.v', StringLessThanEqualsPath: '$.w' }, { v: 'b', w: 'a' }, 'no'],
    ['StringGreaterThanEqualsPath', { Variable: '$.v', StringGreaterThanEqualsPath: '$.w' }, { v: 'a', w: 'a' }, 'yes'],
    ['IsNull true', { Variable: '$.v', IsNull: true }, { v: null }, 'yes'],
    ['IsNull false', { Variable: '$.v', IsNull: false }, { v: null }, 'no'],
    ['IsPresent on a missing field', { Variable: '$.v', IsPresent: true }, {}, 'no'],
    ['IsPresent false on a missing field', { Variable: '$.v', IsPresent: false }, {}, 'yes'],
    ['IsNumeric', { Variable: '$.v', IsNumeric: true }, { v: 1.5 }, 'yes'],
    ['IsNumeric false on a number', { Variable: '$.v', IsNumeric: false }, { v: 0 }, 'no'],
    ['IsString', { Variable: '$.v', IsString: true }, { v: '' }, 'yes'],
    ['IsBoolean false on a string', { Variable: '$.v', IsBoolean: false }, { v: 'true' }, 'yes'],
    ['IsTimestamp', { Variable: '$.v', IsTimestamp: true }, { v: '2026-01-01T00:00:00Z' }, 'yes'],
    ['IsTimestamp on a date only', { Variable: '$.v', IsTimestamp: true }, { v: '2026-01-01' }, 'no'],
    [
      'And',
      {
        And: [
          { Variable: '$.a', NumericGreaterThan: 1 },
          { Variable: '$.b', IsString: true },
        ],
      },
      { a: 2, b: 'x' },
      'yes',
    ],
    [
      'And with one false',
      {
        And: [
          { Variable: '$.a', NumericGreaterThan: 1 },
          { Variable: '$.b', IsString: true },
        ],
      },
      { a: 2, b: 1 },
      'no',
    ],
    [
      'Or',
      {
        Or: [
          { Variable: '$.a', NumericEquals: 1 },
          { Variable: '$.a', NumericEquals: 2 },
        ],
      },
      { a: 2 },
      'yes',
    ],
    ['Not', { Not: { Variable: '$.a', StringEquals: 'x' } }, { a: 'y' }, 'yes'],
    ['a missing Variable path', { Variable: '$.missing', NumericEquals: 1 }, {}, 'States.Runtime'],
    ['a variable path in the $$ context', { Variable: '$$.State.Name', StringEquals: 'C' }, {}, 'yes'],
  ];
  it.each(cases)('%s', async (_name, rule, input, expected) => {
    expect(await decide(rule, input)).toBe(expected);
  });

  it('fails with States.NoChoiceMatched when no rule matches and there is no Default', async () => {
    const r = await run(
      {
        StartAt: 'C',
        States: { C: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericEquals: 1, Next: 'D' }] }, D: { Type: 'Succeed' } },
      },
      { v: 2 },
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.NoChoiceMatched');
  });

  it('applies InputPath and OutputPath to what it passes on', async () => {
    const r = await run(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', InputPath: '$.o', OutputPath: '$.v', Choices: [{ Variable: '$.v', IsPresent: true, Next: 'D' }] },
          D: { Type: 'Succeed' },
        },
      },
      { o: { v: 9 } },
    );
    expect(r.output).toBe(9);
  });

  it('refuses a rule with a mistyped operand at compile time', () => {
    expect(() => compile({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericEquals: '1', Next: 'C' }] } } })).toThrow(
      DefinitionError,
    );
  });
});

describe('stringMatches', () => {
  it.each([
    ['abc', '*', true],
    ['abc', 'a*c', true],
    ['abc', 'a*d', false],
    ['', '*', true],
    ['a*c', 'a\\*c', true],
    ['a\\c', 'a\\\\c', true],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', '*a*a*a*a*a*a*a*a*c', false],
  ])('%s matches %s: %s', (value, pattern, expected) => {
    expect(stringMatches(value, pattern)).toBe(expected);
  });
});
