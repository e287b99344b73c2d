import { compile, execute, validate, type Json, type MachineDefinition } from '../../../lib/asl';
import { evaluatePath, parseJsonPath } from '../../../lib/asl/data/json-path';
import { compareTimestamps, parseTimestamp, waitTimestamp } from '../../../lib/asl/states/timestamp';

// Behaviour that differed from what AWS does.

const choice = (rule: object): MachineDefinition =>
  ({
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Pass', Result: 'yes', End: true },
      No: { Type: 'Pass', Result: 'no', End: true },
    },
  }) as unknown as MachineDefinition;
const decide = async (rule: object, input: Json) => (await execute(compile(choice(rule)), input)).output;
const params = async (p: Json, input: Json = {}) =>
  execute(compile({ StartAt: 'S', States: { S: { Type: 'Pass', Parameters: p, End: true } } } as unknown as MachineDefinition), input);

describe('timestamps', () => {
  it.each(['2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-04-31T12:00:00+02:00', '2026-01-01T00:00:60Z', '2026-01-01T00:00:00+24:00'])(
    '%s is not a timestamp',
    async (t) => {
      expect(parseTimestamp(t)).toBeUndefined();
      expect(await decide({ Variable: '$.t', IsTimestamp: true }, { t })).toBe('no');
      expect(
        validate({ StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: t, End: true } } } as unknown as MachineDefinition).map((p) => p.pointer),
      ).toEqual(['/States/W/Timestamp']);
    },
  );

  it('accepts real dates, leap days included', async () => {
    expect(parseTimestamp('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseTimestamp('2000-02-29T00:00:00+01:00')).toBe(Date.UTC(2000, 1, 28, 23));
    expect(await decide({ Variable: '$.t', IsTimestamp: true }, { t: '2024-02-29T00:00:00Z' })).toBe('yes');
  });

  it('compares below the millisecond, as AWS does', async () => {
    const a = '2026-01-01T00:00:00.0001Z';
    const b = '2026-01-01T00:00:00.0002Z';
    expect(compareTimestamps(a, b)).toBeLessThan(0);
    expect(compareTimestamps(a, '2026-01-01T00:00:00.000100000Z')).toBe(0);
    expect(compareTimestamps('2026-01-01T01:00:00+01:00', '2026-01-01T00:00:00Z')).toBe(0);
    expect(await decide({ Variable: '$.a', TimestampEqualsPath: '$.b' }, { a, b })).toBe('no');
    expect(await decide({ Variable: '$.a', TimestampLessThanPath: '$.b' }, { a, b })).toBe('yes');
    expect(await decide({ Variable: '$.a', TimestampGreaterThan: '2026-01-01T00:00:00Z' }, { a })).toBe('yes');
  });

  it('waits until the whole second: a Wait Timestamp drops its milliseconds', () => {
    expect(waitTimestamp('2026-01-01T00:00:10.999Z')).toBe(Date.UTC(2026, 0, 1, 0, 0, 10));
    expect(waitTimestamp('2026-01-01T00:00:10Z')).toBe(Date.UTC(2026, 0, 1, 0, 0, 10));
    expect(waitTimestamp('2026-02-30T00:00:00Z')).toBeUndefined();
  });
});

describe('intrinsics and paths', () => {
  it('States.StringToJson of an empty or blank string is null', async () => {
    const r = await params({ 'a.$': "States.StringToJson('')", 'b.$': 'States.StringToJson($.s)' }, { s: ' \n\t ' });
    expect(r.output).toEqual({ a: null, b: null });
    const bad = await params({ 'a.$': "States.StringToJson('{')" });
    expect(bad.error).toBe('States.IntrinsicFailure');
  });

  it('reads escaped quotes and backslashes in bracket notation, inside intrinsics too', async () => {
    expect(evaluatePath(parseJsonPath(`$['Test\\"Name']`), { 'Test"Name': 1 })).toBe(1);
    expect(evaluatePath(parseJsonPath(`$["it\\"s"]`), { 'it"s': 2 })).toBe(2);
    expect(evaluatePath(parseJsonPath(`$['a\\\\b']`), { 'a\\b': 3 })).toBe(3);
    expect(evaluatePath(parseJsonPath(`$['line\\nbreak']`), { 'line\nbreak': 4 })).toBe(4);
    const r = await params({ 'a.$': "States.Format('{}', $['it\\'s'])" }, { "it's": 5 });
    expect(r.output).toEqual({ a: '5' });
  });

  it('fails a call whose string literal has a backslash that escapes nothing, when it runs', async () => {
    const def = { StartAt: 'S', States: { S: { Type: 'Pass', Parameters: { 'a.$': "States.Format('a\\qb')" }, End: true } } } as unknown as MachineDefinition;
    expect(validate(def)).toEqual([]);
    const r = await execute(compile(def), {});
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.cause).toContain('\\q');
    // The escapes AWS has still work.
    expect((await params({ 'a.$': "States.Format('\\'\\{\\}\\\\')" })).output).toEqual({ a: "'{}\\" });
  });
});
