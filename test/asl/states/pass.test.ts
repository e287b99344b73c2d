import { eventTypes, pass, run } from '../../helpers/asl';

describe('Pass', () => {
  it('passes its input through unchanged by default', async () => {
    const r = await pass({}, { a: 1 });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ a: 1 });
  });

  it('replaces the input with Result, including falsy results', async () => {
    for (const result of [0, false, '', null, [], {}]) {
      expect((await pass({ Result: result }, { a: 1 })).output).toEqual(result);
    }
  });

  it('does not treat .$ keys inside Result as paths', async () => {
    expect((await pass({ Result: { 'x.$': '$.a' } }, { a: 1 })).output).toEqual({ 'x.$': '$.a' });
  });

  it('applies InputPath, Parameters, ResultPath and OutputPath in AWS order', async () => {
    const r = await pass(
      { InputPath: '$.order', Parameters: { 'id.$': '$.id', fixed: 'v' }, ResultPath: '$.order.built', OutputPath: '$.order' },
      { order: { id: 'o-1' }, other: true },
    );
    expect(r.output).toEqual({ id: 'o-1', built: { id: 'o-1', fixed: 'v' } });
  });

  it('records Entered and Exited events with the state name', async () => {
    const r = await pass({}, {});
    expect(eventTypes(r)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(r.history[1]).toMatchObject({ id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'S', input: '{}' } });
  });

  it('chains states through Next', async () => {
    const r = await run({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Result: 1, ResultPath: '$.a', Next: 'B' }, B: { Type: 'Pass', Result: 2, ResultPath: '$.b', End: true } },
    });
    expect(r.output).toEqual({ a: 1, b: 2 });
    expect(r.statesEntered).toEqual(['A', 'B']);
  });
});
