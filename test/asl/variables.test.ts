import type { MachineDefinition } from '../../lib/asl';
import { causes } from '../../lib/asl/causes';
import { run } from '../helpers/asl';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';

describe('workflow variables (Assign)', () => {
  it('makes assigned values visible to later states as $name in paths and intrinsics', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { total: 40, 'customer.$': '$.c' }, Next: 'B' },
          B: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($total, 2)', 'who.$': '$customer.name' }, End: true },
        },
      },
      { c: { name: 'Ada' } },
    );
    expect(r.output).toEqual({ sum: 42, who: 'Ada' });
  });

  it('reads $ as the state result in JSONPath Assign (after ResultSelector, before ResultPath)', async () => {
    const r = await run(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: FN, ResultSelector: { 'v.$': '$.value' }, ResultPath: '$.res', Assign: { 'got.$': '$.v' }, Next: 'P' },
          P: { Type: 'Pass', Parameters: { 'got.$': '$got' }, End: true },
        },
      },
      {},
      { lambda: () => ({ value: 7 }) },
    );
    expect(r.output).toEqual({ got: 7 });
  });

  it('evaluates all assignments of a state against the values from before it', async () => {
    const r = await run({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: 2, 'old.$': '$x' }, Next: 'C' },
        C: { Type: 'Pass', Parameters: { 'x.$': '$x', 'old.$': '$old' }, End: true },
      },
    });
    expect(r.output).toEqual({ x: 2, old: 1 });
  });

  it('makes JSONata Output see the values from before the Assign of the same state', async () => {
    const r = await run({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { n: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { n: '{% $n + 1 %}' }, Output: '{% $n %}', Next: 'C' },
        C: { Type: 'Pass', Output: { before: '{% $states.input %}', now: '{% $n %}' }, End: true },
      },
    });
    expect(r.output).toEqual({ before: 1, now: 2 });
  });

  it('uses the matched Choice rule Assign, or the state Assign on Default', async () => {
    const def: MachineDefinition = {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [{ Variable: '$.n', NumericGreaterThan: 5, Assign: { size: 'big' }, Next: 'D' }],
          Default: 'D',
          Assign: { size: 'small' },
        },
        D: { Type: 'Pass', Parameters: { 'size.$': '$size' }, End: true },
      },
    };
    expect((await run(def, { n: 9 })).output).toEqual({ size: 'big' });
    expect((await run(def, { n: 1 })).output).toEqual({ size: 'small' });
  });

  it('assigns from a catcher, with $ as the error output', async () => {
    const r = await run(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: FN,
            Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'reason.$': '$.Error' }, ResultPath: null, Next: 'P' }],
            End: true,
          },
          P: { Type: 'Pass', Parameters: { 'reason.$': '$reason' }, End: true },
        },
      },
      {},
      { lambda: () => Promise.reject(Object.assign(new Error('no'), { name: 'Declined' })) },
    );
    expect(r.output).toEqual({ reason: 'Declined' });
  });

  it('lets Map iterations and Parallel branches read outer variables but keeps their own inside', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { rate: 2 }, Next: 'M' },
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'I',
              States: { I: { Type: 'Pass', Assign: { inner: 1 }, Parameters: { 'v.$': 'States.MathAdd($rate, 0)' }, End: true } },
            },
            Next: 'Check',
          },
          Check: { Type: 'Pass', Parameters: { 'seen.$': '$' }, Next: 'Inner' },
          Inner: { Type: 'Pass', Parameters: { 'inner.$': '$inner' }, End: true },
        },
      },
      [1, 2],
    );
    expect(r.status).toBe('FAILED');
    expect(r.statesEntered).toContain('Inner');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain(causes.variableNotAssigned('inner', 'inner.$'));
  });

  it('refuses to assign an outer variable from inside a Map iteration', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { count: 0 }, Next: 'M' },
          M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Assign: { count: 1 }, End: true } } }, End: true },
        },
      },
      [1],
    );
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain(causes.variableOfEnclosingScope('count'));
  });

  it('fails with States.Runtime when one Assign exceeds 256 KiB', async () => {
    const r = await run(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Parameters: { 's.$': '$.s' }, Assign: { 'big.$': "States.Format('{}{}{}{}', $.s, $.s, $.s, $.s)" }, ResultPath: null, End: true },
        },
      },
      { s: 'x'.repeat(70_000) },
    );
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain(causes.assignTooLarge(256));
  });

  it('shows assigned variables in the StateExited event', async () => {
    const r = await run({ StartAt: 'A', States: { A: { Type: 'Pass', Assign: { n: 1, s: 'x' }, End: true } } });
    expect(r.history[2]).toMatchObject({ type: 'PassStateExited', stateExitedEventDetails: { assignedVariables: { n: '1', s: '"x"' } } });
  });
});
