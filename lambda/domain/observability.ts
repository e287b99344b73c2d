// Powertools Logger, Metrics and Tracer for the order handlers, configured by the POWERTOOLS_*
// variables the OrderWorkflow construct sets, and quiet outside Lambda unless asked otherwise.
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

import { MetricNames, type MetricName } from './metric-names';

/** The business metrics the handlers emit (namespace POWERTOOLS_METRICS_NAMESPACE, dimension `service`). */
export const OrderMetrics = {
  placed: MetricNames.OrdersPlaced,
  declined: MetricNames.OrdersDeclined,
  compensated: MetricNames.OrdersCompensated,
} as const;

/** The Powertools utilities of one handler. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
  /** Counts one occurrence of a business metric, published when the invocation ends. */
  count(metric: MetricName): void;
}

/**
 * True inside a Lambda execution environment, which sets AWS_EXECUTION_ENV (the same check
 * Powertools' Tracer makes); false in Stepwise's local runs and in Jest.
 */
const inLambda = (): boolean => (process.env.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda_');

function create(): Observability {
  const local = !inLambda();
  // Outside Lambda, logs and EMF metrics would interleave with `stepwise run --json` output and
  // test reports: they stay off unless POWERTOOLS_LOG_LEVEL / POWERTOOLS_METRICS_DISABLED=false
  // ask for them. (The Tracer turns itself off outside Lambda.)
  const logger = new Logger({ logLevel: local && !process.env.POWERTOOLS_LOG_LEVEL ? 'SILENT' : undefined });
  const metrics = new Metrics();
  const metricsOff = local && process.env.POWERTOOLS_METRICS_DISABLED === undefined;
  const tracer = new Tracer();
  return {
    logger,
    metrics,
    tracer,
    count: (metric) => {
      if (!metricsOff) metrics.addMetric(metric, MetricUnit.Count, 1);
    },
  };
}

/**
 * The utilities, created on first use rather than at import: Stepwise's local runner applies a
 * function's environment per invocation, after loading its module, and Powertools reads the
 * POWERTOOLS_* variables when an instance is created. In Lambda the two moments coincide.
 */
export function observability(): () => Observability {
  let tools: Observability | undefined;
  return () => (tools ??= create());
}
