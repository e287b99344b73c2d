// The order workflow's state graph (a saga): validate → normalize → approval → pre-checks → pay →
// reserve → ship → confirm → (wait → remind), with compensation (release, refund) on failure.
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { ErrorNames } from '../../../lambda/domain/error-names';
import type { OrderFunctions } from '../order-functions';

/** What the graph needs to know; resolved from the construct's props. */
export interface GraphOptions {
  readonly functions: OrderFunctions;
  readonly approvalThreshold: number;
  /** Wait for a human via a task token (Standard), or fail orders above the threshold. */
  readonly approvalByCallback: boolean;
  readonly approvalTimeout: Duration;
  /** Delay before the delivery reminder; undefined: no Wait and no reminder. */
  readonly reminderDelay?: Duration;
  /** Where the order's final status is written (item `status#<orderId>`), without a Lambda. */
  readonly statusTable: dynamodb.ITable;
  /** Where `OrderConfirmed` is published when an order completes. */
  readonly eventBus: events.IEventBus;
}

/** The `source` of the events the workflow publishes. */
export const EVENT_SOURCE = 'stepwise.orders';

/**
 * Writes the order's status with a direct DynamoDB integration (no Lambda, as AWS recommends for
 * plain writes): item `status#<orderId>` with the status, the execution and, on failure, the error.
 * The state's data passes through unchanged.
 */
function recordStatus(scope: Construct, id: string, table: dynamodb.ITable, status: 'COMPLETED' | 'FAILED'): tasks.DynamoPutItem {
  const item: Record<string, tasks.DynamoAttributeValue> = {
    pk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format('status#{}', sfn.JsonPath.stringAt('$.order.orderId'))),
    status: tasks.DynamoAttributeValue.fromString(status),
    executionId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
    updatedAt: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
  };
  if (status === 'FAILED') item.error = tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.error.Error'));
  return new tasks.DynamoPutItem(scope, id, { table, item, resultPath: sfn.JsonPath.DISCARD });
}

// The execution id goes along for the handlers' logs and traces.
const ORDER = { 'order.$': '$.order', 'executionId.$': '$$.Execution.Id' };

/**
 * Another delivery of the same step holds Powertools' idempotency lock: wait for it to finish (its
 * lock lasts at most the function's 10-second timeout), then the retry gets its stored result.
 */
function retryWhileInProgress(task: tasks.LambdaInvoke): tasks.LambdaInvoke {
  task.addRetry({ errors: [ErrorNames.IdempotencyInProgress], interval: Duration.seconds(1), maxAttempts: 5, backoffRate: 2 });
  return task;
}

function invoke(scope: Construct, id: string, fn: OrderFunctions[keyof OrderFunctions], props: Partial<tasks.LambdaInvokeProps> = {}): tasks.LambdaInvoke {
  return new tasks.LambdaInvoke(scope, id, { lambdaFunction: fn, payload: sfn.TaskInput.fromObject(ORDER), ...props });
}

/** Builds the state graph and returns its first state. */
export function buildOrderGraph(scope: Construct, o: GraphOptions): sfn.IChainable {
  const f = o.functions;
  const orderFailed = new sfn.Fail(scope, 'OrderFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
  // Every failure of a validated order records its status first; an order that failed validation
  // has no trustworthy id, so it goes straight to OrderFailed.
  const failed = recordStatus(scope, 'RecordOrderFailed', o.statusTable, 'FAILED');
  failed.next(orderFailed);
  const completed = new sfn.Succeed(scope, 'OrderCompleted');
  const toFailed = { resultPath: '$.error' };

  // Compensation chain, entered with $.error set: undo reservations, then refund the charge.
  const release = invoke(scope, 'ReleaseInventory', f.releaseInventory, {
    resultSelector: { 'released.$': '$.Payload.released' },
    resultPath: '$.compensation.inventory',
  });
  const refund = invoke(scope, 'RefundPayment', f.refundPayment, {
    resultSelector: { 'refunded.$': '$.Payload.refunded' },
    resultPath: '$.compensation.payment',
  });
  retryWhileInProgress(refund);
  release.next(refund).next(failed);

  const validate = new tasks.LambdaInvoke(scope, 'ValidateOrder', {
    lambdaFunction: f.validateOrder,
    payload: sfn.TaskInput.fromJsonPathAt('$'),
    outputPath: '$.Payload',
  });
  validate.addCatch(orderFailed, { errors: [ErrorNames.InvalidOrder], ...toFailed });

  const normalize = new sfn.Pass(scope, 'Normalize', {
    parameters: { 'order.$': '$', 'receivedAt.$': '$$.Execution.StartTime', 'executionId.$': '$$.Execution.Id' },
  });

  const preChecks = new sfn.Parallel(scope, 'PreChecks', { resultSelector: { 'credit.$': '$[0]', 'inventory.$': '$[1]' }, resultPath: '$.checks' });
  preChecks.branch(invoke(scope, 'CheckCredit', f.checkCredit, { outputPath: '$.Payload' }));
  preChecks.branch(invoke(scope, 'CheckInventory', f.checkInventory, { outputPath: '$.Payload' }));
  preChecks.addCatch(failed, { errors: [ErrorNames.CreditCheckFailed, ErrorNames.OutOfStock], ...toFailed });

  const pay = new tasks.LambdaInvoke(scope, 'ProcessPayment', {
    lambdaFunction: f.processPayment,
    payload: sfn.TaskInput.fromObject({ ...ORDER, 'attempt.$': '$$.State.RetryCount' }),
    resultSelector: { 'paymentId.$': '$.Payload.paymentId', 'amount.$': '$.Payload.amount' },
    resultPath: '$.payment',
  });
  retryWhileInProgress(pay);
  pay.addRetry({
    errors: [ErrorNames.PaymentTransient],
    interval: Duration.seconds(1),
    maxAttempts: 3,
    backoffRate: 2,
    maxDelay: Duration.seconds(10),
    jitterStrategy: sfn.JitterType.FULL,
  });
  pay.addCatch(failed, { errors: [ErrorNames.PaymentDeclined, ErrorNames.PaymentTransient], ...toFailed });

  const reserve = new sfn.Map(scope, 'ReserveInventory', {
    itemsPath: '$.order.items',
    itemSelector: { 'orderId.$': '$.order.orderId', 'item.$': '$$.Map.Item.Value', 'executionId.$': '$$.Execution.Id' },
    maxConcurrency: 5,
    resultPath: '$.reservations',
  });
  reserve.itemProcessor(
    retryWhileInProgress(
      new tasks.LambdaInvoke(scope, 'ReserveItem', { lambdaFunction: f.reserveInventory, payload: sfn.TaskInput.fromJsonPathAt('$'), outputPath: '$.Payload' }),
    ),
  );
  reserve.addCatch(release, { errors: [sfn.Errors.ALL], ...toFailed });

  const ship = invoke(scope, 'ShipOrder', f.shipOrder, {
    resultSelector: { 'trackingNumber.$': '$.Payload.trackingNumber', 'carrier.$': '$.Payload.carrier' },
    resultPath: '$.shipment',
  });
  retryWhileInProgress(ship);
  ship.addCatch(release, { errors: [sfn.Errors.ALL], ...toFailed });

  const confirm = new tasks.LambdaInvoke(scope, 'SendConfirmation', {
    lambdaFunction: f.sendConfirmation,
    payload: sfn.TaskInput.fromObject({ ...ORDER, 'shipment.$': '$.shipment' }),
    resultSelector: { 'messageId.$': '$.Payload.messageId' },
    resultPath: '$.confirmation',
  });
  retryWhileInProgress(confirm);

  let tail: sfn.INextable & sfn.IChainable = confirm;
  if (o.reminderDelay) {
    const wait = new sfn.Wait(scope, 'WaitForDelivery', { time: sfn.WaitTime.duration(o.reminderDelay) });
    const remind = retryWhileInProgress(
      invoke(scope, 'SendReminder', f.sendReminder, { resultSelector: { 'messageId.$': '$.Payload.messageId' }, resultPath: '$.reminder' }),
    );
    confirm.next(wait).next(remind);
    tail = remind;
  }
  // On completion: the status, then OrderConfirmed for whoever listens downstream (choreography
  // after the saga's orchestration).
  const confirmed = new tasks.EventBridgePutEvents(scope, 'PublishOrderConfirmed', {
    entries: [
      {
        eventBus: o.eventBus,
        source: EVENT_SOURCE,
        detailType: 'OrderConfirmed',
        detail: sfn.TaskInput.fromObject({
          'orderId.$': '$.order.orderId',
          'customerId.$': '$.order.customerId',
          'total.$': '$.order.total',
          'paymentId.$': '$.payment.paymentId',
          'trackingNumber.$': '$.shipment.trackingNumber',
        }),
      },
    ],
    resultPath: sfn.JsonPath.DISCARD,
  });
  tail
    .next(recordStatus(scope, 'RecordOrderCompleted', o.statusTable, 'COMPLETED'))
    .next(confirmed)
    .next(completed);
  preChecks.next(pay).next(reserve).next(ship).next(confirm);

  const needsApproval = new sfn.Choice(scope, 'NeedsApproval');
  const overThreshold = sfn.Condition.numberGreaterThan('$.order.total', o.approvalThreshold);
  if (o.approvalByCallback) {
    const request = new tasks.LambdaInvoke(scope, 'RequestApproval', {
      lambdaFunction: f.requestApproval,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({ ...ORDER, taskToken: sfn.JsonPath.taskToken }),
      resultPath: '$.approval',
      taskTimeout: sfn.Timeout.duration(o.approvalTimeout),
    });
    request.addCatch(failed, { errors: [sfn.Errors.ALL], ...toFailed });
    const rejected = new sfn.Pass(scope, 'ApprovalRejected', {
      result: sfn.Result.fromObject({ Error: 'ApprovalRejected', Cause: 'The approver declined the order.' }),
      resultPath: '$.error',
    });
    rejected.next(failed);
    const decision = new sfn.Choice(scope, 'ApprovalDecision').when(sfn.Condition.booleanEquals('$.approval.approved', true), preChecks).otherwise(rejected);
    request.next(decision);
    needsApproval.when(overThreshold, request);
  } else {
    const unavailable = new sfn.Pass(scope, 'ApprovalUnavailable', {
      parameters: {
        Error: 'ApprovalRequired',
        'Cause.$': `States.Format('Order total {} is above the approval threshold of ${o.approvalThreshold}; this workflow cannot wait for an approval.', $.order.total)`,
      },
      resultPath: '$.error',
    });
    unavailable.next(failed);
    needsApproval.when(overThreshold, unavailable);
  }
  needsApproval.otherwise(preChecks);

  return validate.next(normalize).next(needsApproval);
}
