// The edge every order handler shares: parse the event with its schema, then run the step with
// Powertools' structured logs (execution and order ids), a traced subsegment and business metrics.
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { observability, type Observability } from './observability';
import { parseEvent } from './order';

/** A step's work on its parsed event. */
export type StepWork<S extends z.ZodType, R> = (event: z.output<S>, context: Context, tools: Observability) => Promise<R>;

/** The ids a step's logs and traces carry, read from the parsed event. */
function idsOf(event: unknown): { orderId?: string; executionId?: string } {
  const e = event as { orderId?: string; executionId?: string; order?: { orderId?: string } };
  return { orderId: e.order?.orderId ?? e.orderId, executionId: e.executionId };
}

/**
 * Builds a Lambda handler for a step: the event is parsed with `schema` (a malformed one fails with
 * InvalidOrderError naming the field) and `work` runs with the utilities in place. Pass `tools`
 * (from `observability()`) to use them outside `work` too, e.g. inside an idempotent function.
 * @example
 * export const handler = stepHandler('CheckCredit', OrderStepEvent, ({ order }) => checkCredit(order));
 */
export function stepHandler<S extends z.ZodType, R>(
  step: string,
  schema: S,
  work: StepWork<S, R>,
  tools: () => Observability = observability(),
): (event: unknown, context: Context) => Promise<R> {
  return async (event, context) => {
    const o = tools();
    const { logger, tracer, metrics } = o;
    logger.addContext(context);
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${step}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      const parsed = parseEvent(schema, event);
      const ids = idsOf(parsed);
      logger.appendKeys({ step, ...ids });
      if (ids.orderId) tracer.putAnnotation('orderId', ids.orderId);
      if (ids.executionId) tracer.putAnnotation('executionId', ids.executionId);
      const result = await work(parsed, context, o);
      tracer.addResponseAsMetadata(result, step);
      logger.info(`${step} succeeded`);
      return result;
    } catch (e) {
      tracer.addErrorAsMetadata(e as Error);
      logger.warn(`${step} failed`, { error: e as Error });
      throw e;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
    }
  };
}
