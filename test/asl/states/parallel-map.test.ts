import type { LambdaHandler } from '../../../lib/asl';
import { causes } from '../../../lib/asl/causes';
import { eventTypes, run } from '../../helpers/asl';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';

describe('Parallel', () => {
  it('outputs branch results in branch order, whatever finishes first', async () => {
    const lambda: LambdaHandler = async (_f, p) => {
      await new Promise((r) => setTimeout(r, (p as { delay: number }).delay));
      return p;
    };
    const r = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            End: true,
            Branches: [
              { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: FN, Parameters: { delay: 20, b: 1 }, End: true } } },
              { StartAt: 'Fast', States: { Fast: { Type: 'Task', Resource: FN, Parameters: { delay: 1, b: 2 }, End: true } } },
            ],
          },
        },
      },
      {},
      { lambda },
    );
    expect(r.output).toEqual([
      { delay: 20, b: 1 },
      { delay: 1, b: 2 },
    ]);
  });

  it("fails with a branch's error, which Catch can handle", async () => {
    const r = await run({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'X', States: { X: { Type: 'Fail', Error: 'CreditCheckFailed', Cause: 'low score' } } }],
          Catch: [{ ErrorEquals: ['CreditCheckFailed'], Next: 'H' }],
          End: true,
        },
        H: { Type: 'Pass', End: true },
      },
    });
    expect(r.output).toEqual({ Error: 'CreditCheckFailed', Cause: 'low score' });
    expect(eventTypes(r)).toContain('ParallelStateFailed');
  });

  it('applies Parameters before the branches and ResultSelector after', async () => {
    const r = await run(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Parameters: { 'v.$': '$.n' },
            ResultSelector: { 'first.$': '$[0].v' },
            ResultPath: '$.out',
            Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
            End: true,
          },
        },
      },
      { n: 4 },
    );
    expect(r.output).toEqual({ n: 4, out: { first: 4 } });
  });
});

describe('Map', () => {
  const iterator = { StartAt: 'I', States: { I: { Type: 'Pass' as const, End: true } } };

  it('runs one iteration per item and keeps item order', async () => {
    const r = await run({ StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: iterator, End: true } } }, { items: [3, 1, 2] });
    expect(r.output).toEqual([3, 1, 2]);
    expect(eventTypes(r).filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
  });

  it('builds each iteration input with ItemSelector and $$.Map.Item', async () => {
    const r = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'all.$': '$.tag' },
            ItemsPath: '$.xs',
            ItemProcessor: iterator,
            End: true,
          },
        },
      },
      { xs: ['a', 'b'], tag: 't' },
    );
    expect(r.output).toEqual([
      { i: 0, v: 'a', all: 't' },
      { i: 1, v: 'b', all: 't' },
    ]);
  });

  it('accepts the older Iterator and Parameters fields', async () => {
    const r = await run({ StartAt: 'M', States: { M: { Type: 'Map', Parameters: { 'v.$': '$$.Map.Item.Value' }, Iterator: iterator, End: true } } }, [1]);
    expect(r.output).toEqual([{ v: 1 }]);
  });

  it('never runs more than MaxConcurrency iterations at once', async () => {
    let active = 0;
    let peak = 0;
    const lambda: LambdaHandler = async (_f, p) => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 2));
      active -= 1;
      return p;
    };
    const r = await run(
      {
        StartAt: 'M',
        States: { M: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, End: true } } }, End: true } },
      },
      [1, 2, 3, 4, 5, 6],
      { lambda },
    );
    expect(r.output).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
  });

  it('fails on the first failed iteration, and compensates through Catch', async () => {
    const r = await run(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'C',
              States: {
                C: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 1, Next: 'Out' }], Default: 'Ok' },
                Ok: { Type: 'Succeed' },
                Out: { Type: 'Fail', Error: 'OutOfStock' },
              },
            },
            ItemsPath: '$.items',
            Catch: [{ ErrorEquals: ['OutOfStock'], ResultPath: '$.failure', Next: 'Refund' }],
            ResultPath: '$.reserved',
            End: true,
          },
          Refund: { Type: 'Pass', End: true },
        },
      },
      { items: [1, 2] },
    );
    expect(r.statesEntered).toEqual(['M', 'C', 'Ok', 'C', 'Out', 'Refund']);
    expect(r.output).toEqual({ items: [1, 2], failure: { Error: 'OutOfStock' } });
  });

  it('tolerates failures up to ToleratedFailureCount and fails beyond', async () => {
    const def = (count: number) => ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map' as const,
          ToleratedFailureCount: count,
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice' as const, Choices: [{ Variable: '$', BooleanEquals: true, Next: 'F' }], Default: 'S' },
              F: { Type: 'Fail' as const, Error: 'E' },
              S: { Type: 'Succeed' as const },
            },
          },
          End: true,
        },
      },
    });
    const ok = await run(def(1), [false, true, false]);
    expect(ok.status).toBe('SUCCEEDED');
    expect(ok.output).toEqual([false, { Error: 'E' }, false]);
    const over = await run(def(0), [false, true, false]);
    expect(over.error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it('reports AWS causes for invalid MaxConcurrencyPath and ToleratedFailurePercentagePath values', async () => {
    const m = (extra: object) => ({ StartAt: 'M', States: { M: { Type: 'Map' as const, ItemsPath: '$.xs', ItemProcessor: iterator, End: true, ...extra } } });
    const r1 = await run(m({ MaxConcurrencyPath: '$.c' }), { xs: [1], c: 'x' });
    expect([r1.error, r1.cause]).toEqual(['States.Runtime', causes.inState('M', 2, causes.pathValueNotValid('MaxConcurrency', 'x', 'integer', '$.c'))]);
    const r2 = await run(m({ ToleratedFailurePercentagePath: '$.p' }), { xs: [1], p: 101 });
    expect([r2.error, r2.cause]).toEqual(['States.Runtime', causes.inState('M', 2, causes.toleratedFailurePercentageOutOfRange())]);
  });

  it('groups items with ItemBatcher', async () => {
    const r = await run(
      {
        StartAt: 'M',
        States: { M: { Type: 'Map', ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { b: 1 } }, ItemProcessor: iterator, End: true } },
      },
      [1, 2, 3],
    );
    expect(r.output).toEqual([
      { BatchInput: { b: 1 }, Items: [1, 2] },
      { BatchInput: { b: 1 }, Items: [3] },
    ]);
  });

  it('fails with States.Runtime when the items are not an array', async () => {
    const r = await run({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: iterator, End: true } } }, { not: 'array' });
    expect([r.error, r.cause]).toEqual(['States.Runtime', causes.inState('M', 2, causes.mapInputNotArray({ not: 'array' }))]);
  });
});
