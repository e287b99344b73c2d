import { run, single } from '../../helpers/asl';

describe('Succeed', () => {
  it('ends successfully with its filtered input', async () => {
    const r = await run(single({ Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' }), { a: { b: 5 } });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: 5 });
  });
});

describe('Fail', () => {
  it('fails the execution with its Error and Cause', async () => {
    const r = await run(single({ Type: 'Fail', Error: 'OrderRejected', Cause: 'bad order' }));
    expect(r).toMatchObject({ status: 'FAILED', error: 'OrderRejected', cause: 'bad order' });
    expect(r.history.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'OrderRejected', cause: 'bad order' } });
  });

  it('fails with no error or cause when none is given', async () => {
    const r = await run(single({ Type: 'Fail' }));
    expect(r.status).toBe('FAILED');
    expect(r.error).toBeUndefined();
    expect(r.cause).toBeUndefined();
  });

  it('reads ErrorPath and CausePath, including intrinsic functions', async () => {
    const r = await run(single({ Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('code {}', $.c)" }), { e: 'E1', c: 42 });
    expect(r).toMatchObject({ error: 'E1', cause: 'code 42' });
  });

  it('fails with States.Runtime when ErrorPath does not resolve to a string', async () => {
    const r = await run(single({ Type: 'Fail', ErrorPath: '$.e' }), { e: 5 });
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain('ErrorPath');
  });
});
