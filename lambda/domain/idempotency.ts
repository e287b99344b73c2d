// Idempotency per order and step (Express delivers at least once) with Powertools' DynamoDB
// persistence layer: the first delivery takes an in-progress lock before it runs the side effect, a
// concurrent duplicate fails with IdempotencyAlreadyInProgressError (the state machine retries it)
// and a later one gets the stored result.
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { dynamoClient, idempotencyTable } from './store';

/** How long a completed step's result is replayed to duplicates: longer than any redelivery or retry. */
export const IDEMPOTENCY_EXPIRY_SECONDS = 24 * 60 * 60;

/** What makes two deliveries "the same", and what they must agree on. */
export interface IdempotencyOptions {
  /** The record's key prefix: the step (`payment`, `ship`...). */
  readonly step: string;
  /** JMESPath of the key within the event, e.g. `order.orderId`. */
  readonly key: string;
  /**
   * JMESPath of fields a duplicate must repeat exactly; a mismatch fails with
   * IdempotencyValidationError instead of replaying a result computed for other data.
   */
  readonly validate?: string;
}

type StepFn<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * Wraps a step's side effect with Powertools' `makeIdempotent`. The persistence layer is created at
 * the first call, when the function's environment (IDEMPOTENCY_TABLE, the endpoint) is in place,
 * and again if either changes (a new local DynamoDB in the same process).
 */
export function idempotent<E, R>(options: IdempotencyOptions, fn: StepFn<E, R>): StepFn<E, R> {
  let wrapped: { for: string; fn: StepFn<E, R> } | undefined;
  return (event, context) => {
    const table = idempotencyTable();
    const where = `${table}|${process.env.DYNAMODB_ENDPOINT ?? ''}`;
    if (wrapped?.for !== where) {
      const persistenceStore = new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: dynamoClient() });
      const config = new IdempotencyConfig({
        eventKeyJmesPath: options.key,
        payloadValidationJmesPath: options.validate,
        throwOnNoIdempotencyKey: true,
        expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
      });
      wrapped = { for: where, fn: makeIdempotent(fn, { persistenceStore, config, keyPrefix: options.step }) };
    }
    return wrapped.fn(event, context);
  };
}
