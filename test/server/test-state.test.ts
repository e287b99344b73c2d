// TestState through the real @aws-sdk/client-sfn: each inspection level, stateName inside a full
// definition, mocked results and errors, variables, and the four statuses.
import { TestStateCommand, type SFNClient, type TestStateCommandInput } from '@aws-sdk/client-sfn';
import type { Json } from '../../lib/asl';
import type { StepwiseServer } from '../../lib/server/server';
import { ROLE, errorOf, serve, sfnClient } from './harness';

let server: StepwiseServer;
let sfn: SFNClient;
let paid: Json[] = [];

beforeAll(async () => {
  server = await serve({
    handlers: {
      pay: (event: Json) => {
        paid.push(event);
        return { paymentId: 'p-1', amount: (event as { total: number }).total };
      },
    },
  });
  sfn = sfnClient(server);
});
afterAll(async () => {
  sfn.destroy();
  await server.close();
});
beforeEach(() => {
  paid = [];
});

const test = (input: Omit<TestStateCommandInput, 'roleArn'>) => sfn.send(new TestStateCommand({ roleArn: ROLE, ...input }));

const PAY = {
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  InputPath: '$.order',
  Parameters: { FunctionName: 'pay', Payload: { 'total.$': '$.total' } },
  ResultSelector: { 'payment.$': '$.Payload' },
  ResultPath: '$.result',
  OutputPath: '$.result',
  Retry: [{ ErrorEquals: ['Payment.Transient'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 2 }],
  Catch: [{ ErrorEquals: ['Payment.Declined'], ResultPath: '$.failure', Next: 'Refund' }],
  Next: 'Ship',
};
const ORDER = JSON.stringify({ order: { total: 40 } });

describe('TestState', () => {
  it('INFO: runs a Task against the local handler and reports output, status and next state only', async () => {
    const r = await test({ definition: JSON.stringify(PAY), input: ORDER });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.nextState).toBe('Ship');
    expect(JSON.parse(r.output as string)).toEqual({ payment: { paymentId: 'p-1', amount: 40 } });
    expect(r.inspectionData).toBeUndefined();
    expect(paid).toEqual([{ total: 40 }]);
  });

  it('DEBUG: reports the data after each processing step', async () => {
    const r = await test({ definition: JSON.stringify(PAY), input: ORDER, inspectionLevel: 'DEBUG' });
    const d = r.inspectionData!;
    expect(JSON.parse(d.input as string)).toEqual({ order: { total: 40 } });
    expect(JSON.parse(d.afterInputPath as string)).toEqual({ total: 40 });
    expect(JSON.parse(d.afterParameters as string)).toEqual({ FunctionName: 'pay', Payload: { total: 40 } });
    expect(JSON.parse(d.result as string)).toMatchObject({ StatusCode: 200, Payload: { paymentId: 'p-1', amount: 40 } });
    expect(JSON.parse(d.afterResultSelector as string)).toEqual({ payment: { paymentId: 'p-1', amount: 40 } });
    expect(JSON.parse(d.afterResultPath as string)).toEqual({ order: { total: 40 }, result: { payment: { paymentId: 'p-1', amount: 40 } } });
  });

  it('TRACE: reports the same processing steps for a non-HTTP task', async () => {
    const r = await test({ definition: JSON.stringify(PAY), input: ORDER, inspectionLevel: 'TRACE' });
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.inspectionData?.afterResultPath as string)).toEqual({ order: { total: 40 }, result: { payment: { paymentId: 'p-1', amount: 40 } } });
  });

  it('uses a mocked result instead of calling the function', async () => {
    const r = await test({
      definition: JSON.stringify(PAY),
      input: ORDER,
      inspectionLevel: 'DEBUG',
      mock: { result: JSON.stringify({ StatusCode: 200, Payload: { paymentId: 'mocked' } }) },
    });
    expect(paid).toEqual([]);
    expect(JSON.parse(r.output as string)).toEqual({ payment: { paymentId: 'mocked' } });
    expect(JSON.parse(r.inspectionData?.result as string)).toEqual({ StatusCode: 200, Payload: { paymentId: 'mocked' } });
  });

  it('refuses a mocked Lambda result that is not the Invoke result shape, unless fieldValidationMode is NONE', async () => {
    const bad = JSON.stringify({ paymentId: 'not-wrapped' });
    expect(await errorOf(test({ definition: JSON.stringify(PAY), input: ORDER, mock: { result: bad } }))).toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/paymentId/),
    });
    // Unchecked, the result runs: ResultSelector's $.Payload then finds nothing, as it would in AWS.
    const r = await test({ definition: JSON.stringify(PAY), input: ORDER, mock: { result: bad, fieldValidationMode: 'NONE' } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('reports RETRIABLE with the retrier and its back-off for an error a retrier matches', async () => {
    const r = await test({
      definition: JSON.stringify(PAY),
      input: ORDER,
      inspectionLevel: 'DEBUG',
      mock: { errorOutput: { error: 'Payment.Transient', cause: 'gateway busy' } },
    });
    expect(r).toMatchObject({ status: 'RETRIABLE', error: 'Payment.Transient', cause: 'gateway busy' });
    expect(r.inspectionData?.errorDetails).toEqual({ retryIndex: 0, retryBackoffIntervalSeconds: 2 });
    const later = await test({
      definition: JSON.stringify(PAY),
      input: ORDER,
      inspectionLevel: 'DEBUG',
      stateConfiguration: { retrierRetryCount: 1 },
      mock: { errorOutput: { error: 'Payment.Transient' } },
    });
    expect(later.inspectionData?.errorDetails?.retryBackoffIntervalSeconds).toBe(6);
    // Attempts used up: no retry, no catcher for it: FAILED.
    const spent = await test({
      definition: JSON.stringify(PAY),
      input: ORDER,
      stateConfiguration: { retrierRetryCount: 2 },
      mock: { errorOutput: { error: 'Payment.Transient' } },
    });
    expect(spent.status).toBe('FAILED');
  });

  it("reports CAUGHT_ERROR with the catcher's output and next state", async () => {
    const r = await test({
      definition: JSON.stringify(PAY),
      input: ORDER,
      inspectionLevel: 'DEBUG',
      mock: { errorOutput: { error: 'Payment.Declined', cause: 'card refused' } },
    });
    expect(r).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Refund', error: 'Payment.Declined', cause: 'card refused' });
    expect(JSON.parse(r.output as string)).toEqual({ order: { total: 40 }, failure: { Error: 'Payment.Declined', Cause: 'card refused' } });
    expect(r.inspectionData?.errorDetails).toEqual({ catchIndex: 0 });
  });

  it('reports FAILED for an error nothing handles', async () => {
    const r = await test({ definition: JSON.stringify(PAY), input: ORDER, mock: { errorOutput: { error: 'Payment.Fraud', cause: 'blocked' } } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'Payment.Fraud', cause: 'blocked' });
    expect(r.nextState).toBeUndefined();
  });

  it('tests a state by stateName inside a full definition, with variables, and reports the assigned ones', async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Next: 'Price' },
        Price: {
          Type: 'Pass',
          Output: '{% {"total": $states.input.qty * $unitPrice} %}',
          Assign: { lastTotal: '{% $states.input.qty * $unitPrice %}' },
          Next: 'Check',
        },
        Check: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.total > 100 %}', Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Succeed' },
        Small: { Type: 'Succeed' },
      },
    });
    const price = await test({ definition, stateName: 'Price', input: '{"qty":3}', variables: '{"unitPrice":50}', inspectionLevel: 'DEBUG' });
    expect(price).toMatchObject({ status: 'SUCCEEDED', nextState: 'Check' });
    expect(JSON.parse(price.output as string)).toEqual({ total: 150 });
    expect(JSON.parse(price.inspectionData?.variables as string)).toEqual({ unitPrice: 50, lastTotal: 150 });
    const check = await test({ definition, stateName: 'Check', input: '{"total":150}' });
    expect(check).toMatchObject({ status: 'SUCCEEDED', nextState: 'Big' });
    const small = await test({ definition, stateName: 'Check', input: '{"total":15}' });
    expect(small.nextState).toBe('Small');
  });

  it('tests a Fail state as FAILED with its error and cause', async () => {
    const r = await test({ definition: JSON.stringify({ Type: 'Fail', Error: 'Order.Rejected', Cause: 'no stock' }) });
    expect(r).toMatchObject({ status: 'FAILED', error: 'Order.Rejected', cause: 'no stock' });
  });

  it('tests a Map state only with a mock, applying ResultPath to the mocked result', async () => {
    const map = {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
      ResultPath: '$.done',
      End: true,
    };
    expect((await errorOf(test({ definition: JSON.stringify(map), input: '{"items":[1]}' }))).message).toMatch(/only with a mock/);
    const r = await test({ definition: JSON.stringify(map), input: '{"items":[1]}', mock: { result: '[10]' } });
    expect(JSON.parse(r.output as string)).toEqual({ items: [1], done: [10] });
  });

  it('fails with InvalidDefinition for a broken state and ValidationException for an unknown stateName', async () => {
    expect((await errorOf(test({ definition: JSON.stringify({ Type: 'Pass', InputPath: 'not-a-path', End: true }) }))).name).toBe('InvalidDefinition');
    expect((await errorOf(test({ definition: '{"Type":' }))).name).toBe('InvalidDefinition');
    const full = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
    expect(await errorOf(test({ definition: full, stateName: 'Nope' }))).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/Nope/) });
  });

  it('refuses a mock on a state that calls nothing', async () => {
    expect((await errorOf(test({ definition: JSON.stringify({ Type: 'Pass', End: true }), mock: { result: '1' } }))).message).toMatch(/Task, Map and Parallel/);
  });
});
