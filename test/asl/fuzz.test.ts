import fc from 'fast-check';
import { compile, DefinitionError, execute, type Json, type MachineDefinition } from '../../lib/asl';

// Random definitions built from plausible and implausible pieces: compile must either accept or
// refuse with a DefinitionError, and every accepted machine must end in one of the four statuses.
const json: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const path = fc.constantFrom('$', '$.a', '$.a.b', '$.items[0]', '$.items[*]', '$$.Execution.Input', '$.missing', 'bad', '$[', '$..a', null);
const template = fc.dictionary(fc.constantFrom('x', 'y.$', 'z.$', 'n'), fc.oneof(path, json, fc.constantFrom("States.Format('{}', $.a)", 'States.ArrayLength($.items)', 'States.UUID()', "States.StringToJson($.a)")), { maxKeys: 3 });
const names = ['A', 'B', 'C', 'D'];
const next = fc.constantFrom(...names, 'Nowhere');
const choiceRule = fc.record({ Variable: path, NumericGreaterThan: fc.oneof(fc.integer(), fc.string()), Next: next }, { requiredKeys: [] });
const state = fc.oneof(
  fc.record({ Type: fc.constant('Pass'), Next: next, InputPath: path, Parameters: template, ResultPath: path, OutputPath: path, Result: json }, { requiredKeys: ['Type'] }),
  fc.record({ Type: fc.constant('Choice'), Choices: fc.array(choiceRule, { maxLength: 3 }), Default: next }, { requiredKeys: ['Type'] }),
  fc.record({ Type: fc.constant('Wait'), Next: next, Seconds: fc.integer({ min: -5, max: 100000 }), SecondsPath: path }, { requiredKeys: ['Type'] }),
  fc.record({ Type: fc.constant('Task'), Resource: fc.constantFrom('arn:aws:lambda:us-east-1:123456789012:function:f', 'bogus'), Next: next, Retry: fc.constant([{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }]), Catch: fc.constant([{ ErrorEquals: ['States.ALL'], Next: 'D' }]) }, { requiredKeys: ['Type'] }),
  fc.record({ Type: fc.constant('Map'), Next: next, ItemsPath: path, ItemProcessor: fc.constant({ StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }), MaxConcurrency: fc.integer({ min: -1, max: 3 }) }, { requiredKeys: ['Type'] }),
  fc.record({ Type: fc.constant('Parallel'), Next: next, Branches: fc.constant([{ StartAt: 'I', States: { I: { Type: 'Succeed' } } }]) }, { requiredKeys: ['Type'] }),
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
        let machine;
        try {
          machine = compile(def as unknown as MachineDefinition);
        } catch (e) {
          expect(e).toBeInstanceOf(DefinitionError);
          return;
        }
        const result = await execute(machine, inp as Json, { seed: 1, lambda: (_f, p) => (Array.isArray(p) ? Promise.reject(new Error('boom')) : p) });
        expect(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']).toContain(result.status);
        if (result.status === 'FAILED' && result.error !== undefined) expect(typeof result.error).toBe('string');
        expect(result.history.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 400 },
    );
  });

  it('ends a runaway loop by the history limit instead of hanging', async () => {
    const machine = compile({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Wait', Seconds: 1, Next: 'C' }, C: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'A' }, Done: { Type: 'Succeed' } } });
    const r = await execute(machine, {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain('25000');
  });
});
