// Powertools Logger and Metrics in the handlers: quiet outside Lambda by default (local runs and
// tests), and when the POWERTOOLS_* variables ask for them, structured logs carrying the execution
// and order ids and EMF metrics in the construct's namespace.
import { ErrorNames } from '../../lambda/domain/error-names';
import { MetricNames } from '../../lambda/domain/metric-names';
import { TestCards } from '../../lambda/domain/providers';
import { lambdaContext, sampleOrder, startLocalDynamo, type LocalDynamo } from '../helpers/dynamodb';

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.stop());

const POWERTOOLS = ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME'];
afterEach(() => {
  for (const k of POWERTOOLS) delete process.env[k];
});

/** A fresh copy of a handler module (Powertools reads its variables when the utilities are created). */
function freshHandler(file: string): Handler {
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    handler = (require(`../../lambda/${file}`) as { handler: Handler }).handler;
  });
  return handler as Handler;
}

/** Everything written to stdout and stderr while `fn` runs, as lines. */
async function outputOf(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  // Node's own warnings (the AWS SDK's NodeVersionSupportWarning on Node 20) are not the handlers' output.
  const warning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    await fn().catch(() => undefined);
  } finally {
    out.mockRestore();
    err.mockRestore();
    warning.mockRestore();
  }
  return lines;
}

const paymentEvent = (orderId: string, token = 'tok_visa') => ({
  order: sampleOrder({ orderId, payment: { token } }),
  executionId: `arn:aws:states:us-east-1:123456789012:execution:orders:${orderId}`,
  attempt: 0,
});

describe('handler logs and metrics', () => {
  it('writes nothing outside Lambda unless asked (local runs print their own output)', async () => {
    const processPayment = freshHandler('process-payment');
    const validateOrder = freshHandler('validate-order');
    const out = await outputOf(async () => {
      await processPayment(paymentEvent('q-1'), lambdaContext());
      await processPayment(paymentEvent('q-2', TestCards.decline), lambdaContext()).catch(() => undefined);
      await validateOrder({ orderId: 'q-3' }, lambdaContext()).catch(() => undefined);
    });
    expect(out).toEqual([]);
  });

  it('logs JSON with the service, step, execution and order ids when POWERTOOLS_LOG_LEVEL is set', async () => {
    Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_SERVICE_NAME: 'orders' });
    const processPayment = freshHandler('process-payment');
    const event = paymentEvent('l-1', TestCards.decline);
    const out = await outputOf(() => processPayment(event, lambdaContext('pay-fn')));
    const logs = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'ProcessPayment failed',
        service: 'orders',
        step: 'ProcessPayment',
        orderId: 'l-1',
        executionId: event.executionId,
        function_name: 'pay-fn',
        error: expect.objectContaining({ name: ErrorNames.PaymentDeclined }),
      }),
    );
  });

  it('publishes the business metrics as EMF in the configured namespace when POWERTOOLS_METRICS_DISABLED=false', async () => {
    Object.assign(process.env, { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_METRICS_NAMESPACE: 'StepwiseOrders', POWERTOOLS_SERVICE_NAME: 'orders' });
    const processPayment = freshHandler('process-payment');
    const validateOrder = freshHandler('validate-order');
    const out = await outputOf(async () => {
      await processPayment(paymentEvent('m-1', TestCards.decline), lambdaContext()).catch(() => undefined);
      await validateOrder(sampleOrder({ orderId: 'm-2' }), lambdaContext());
      // A repeated delivery of the same order is not a new order.
      await validateOrder(sampleOrder({ orderId: 'm-2' }), lambdaContext());
    });
    const emf = out.map(
      (l) => JSON.parse(l) as { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }; service: string } & Record<string, unknown>,
    );
    const counted = emf.flatMap((e) => e._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => `${m.Namespace}/${x.Name}=${String(e[x.Name])}`)));
    expect(counted).toEqual([`StepwiseOrders/${MetricNames.OrdersDeclined}=1`, `StepwiseOrders/${MetricNames.OrdersPlaced}=1`]);
    expect(emf.every((e) => e.service === 'orders')).toBe(true);
  });
});
