// SQS sendMessage, SNS publish and EventBridge putEvents (and their .waitForTaskToken forms):
// nothing leaves the machine; each message is recorded in the run's outbox and answered with the
// result shape and ids AWS gives.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
import { createHash } from 'node:crypto';
import type { Json, JsonObject, TaskRequest } from '../../asl';
import { StatesError } from '../../asl';
import { apiMessages } from '../../asl/causes';
import { bodyText, isObject, parametersOf, parsedBody, sdkMetadata, serviceError, type Integration, type IntegrationContext, type Pattern } from './common';

const CALLBACK_OR_RESPONSE = (service: string) => (pattern: Pattern) =>
  pattern === 'sync' || pattern === 'sync:2' ? `${service} integrations do not support .sync (use request-response or .waitForTaskToken)` : undefined;

function only(action: string, expected: string, service: string): string | undefined {
  return action === expected ? undefined : `Stepwise serves only ${service}:${expected} locally, not '${action}'`;
}

const SQS_FIELDS = new Set([
  'QueueUrl',
  'MessageBody',
  'DelaySeconds',
  'MessageAttributes',
  'MessageDeduplicationId',
  'MessageGroupId',
  'MessageSystemAttributes',
]);

export const sqs: Integration = {
  refuse: (action, pattern, sdk) =>
    sdk ? 'use the optimized integration arn:aws:states:::sqs:sendMessage' : (only(action, 'sendMessage', 'sqs') ?? CALLBACK_OR_RESPONSE('SQS')(pattern)),
  parameters: () => SQS_FIELDS,
  call(_action, _pattern, sdk, request: TaskRequest, ctx: IntegrationContext): Json {
    const p = parametersOf(request);
    const names = { optimized: 'SQS', sdk: 'Sqs', v1Service: 'AmazonSQS' };
    const url = typeof p.QueueUrl === 'string' ? p.QueueUrl : '';
    const queue = ctx.resources?.queues.get(url) ?? ctx.resources?.queues.get(url.split('/').pop() ?? '');
    if (!queue) {
      throw serviceError({ ...names, optimized: 'SQS' }, sdk, 'QueueDoesNotExistException', apiMessages.sqsQueueDoesNotExist(), 400, ctx.random.uuid());
    }
    if (p.MessageBody === undefined || p.MessageBody === '') {
      throw serviceError(names, sdk, 'AmazonSQSException', apiMessages.sqsMessageBodyMissing(), 400, ctx.random.uuid());
    }
    const body = bodyText(p.MessageBody);
    const id = ctx.random.uuid();
    ctx.outbox.record({ service: 'sqs', target: queue, message: parsedBody(body), stateName: request.stateName, id });
    const result: JsonObject = { MD5OfMessageBody: createHash('md5').update(body).digest('hex'), MessageId: id };
    return { ...result, ...sdkMetadata(ctx, result, 'text/xml') };
  },
};

const SNS_FIELDS = new Set([
  'Message',
  'MessageAttributes',
  'MessageStructure',
  'PhoneNumber',
  'Subject',
  'TargetArn',
  'TopicArn',
  'MessageDeduplicationId',
  'MessageGroupId',
]);

export const sns: Integration = {
  refuse: (action, pattern, sdk) =>
    sdk ? 'use the optimized integration arn:aws:states:::sns:publish' : (only(action, 'publish', 'sns') ?? CALLBACK_OR_RESPONSE('SNS')(pattern)),
  parameters: () => SNS_FIELDS,
  call(_action, _pattern, sdk, request, ctx): Json {
    const p = parametersOf(request);
    const names = { optimized: 'SNS', sdk: 'Sns', v1Service: 'AmazonSNS' };
    const target =
      typeof p.TopicArn === 'string'
        ? p.TopicArn
        : typeof p.TargetArn === 'string'
          ? p.TargetArn
          : typeof p.PhoneNumber === 'string'
            ? p.PhoneNumber
            : undefined;
    if (target === undefined) throw serviceError(names, sdk, 'InvalidParameterException', apiMessages.snsTargetMissing(), 400, ctx.random.uuid());
    if (p.TopicArn !== undefined && !ctx.resources?.topics.has(target))
      throw serviceError(names, sdk, 'NotFoundException', apiMessages.snsTopicDoesNotExist(), 404, ctx.random.uuid());
    if (p.Message === undefined || p.Message === '')
      throw serviceError(names, sdk, 'InvalidParameterException', apiMessages.snsMessageEmpty(), 400, ctx.random.uuid());
    const body = bodyText(p.Message);
    const id = ctx.random.uuid();
    ctx.outbox.record({ service: 'sns', target, message: parsedBody(body), stateName: request.stateName, id });
    const result: JsonObject = { MessageId: id };
    return { ...result, ...sdkMetadata(ctx, result, 'text/xml') };
  },
};

const ENTRY_FIELDS = new Set(['Detail', 'DetailType', 'EventBusName', 'Resources', 'Source', 'Time', 'TraceHeader']);

export const events: Integration = {
  refuse: (action, pattern, sdk) =>
    sdk
      ? 'use the optimized integration arn:aws:states:::events:putEvents'
      : (only(action, 'putEvents', 'events') ?? CALLBACK_OR_RESPONSE('EventBridge')(pattern)),
  parameters: () => new Set(['Entries']),
  call(_action, _pattern, sdk, request, ctx): Json {
    const p = parametersOf(request);
    const entries = p.Entries;
    const names = { optimized: 'EventBridge', sdk: 'EventBridge', v1Service: 'AmazonEventBridge' };
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
      throw serviceError(names, sdk, 'ValidationException', apiMessages.eventsEntryCount(), 400, ctx.random.uuid());
    }
    const results: JsonObject[] = [];
    const accepted: { bus: string; entry: JsonObject; id: string }[] = [];
    for (const raw of entries) {
      const entry = isObject(raw) ? raw : {};
      const unknown = Object.keys(entry).find((k) => !ENTRY_FIELDS.has(k));
      if (unknown)
        throw new StatesError(
          'States.Runtime',
          `The field '${unknown}' is not a field of a PutEvents entry (state '${request.stateName}'; allowed: ${[...ENTRY_FIELDS].join(', ')})`,
        );
      const busRef = typeof entry.EventBusName === 'string' ? entry.EventBusName : 'default';
      const bus = ctx.resources ? ctx.resources.buses.get(busRef) : busRef === 'default' ? 'default' : undefined;
      if (typeof entry.Source !== 'string' || typeof entry.DetailType !== 'string' || entry.Detail === undefined) {
        results.push({ ErrorCode: 'InvalidArgument', ErrorMessage: apiMessages.eventsEntryIncomplete() });
      } else if (bus === undefined) {
        results.push({ ErrorCode: 'NotFoundException', ErrorMessage: apiMessages.eventsBusDoesNotExist(busRef.replace(/^arn:.*:event-bus\//, '')) });
      } else {
        const id = ctx.random.uuid();
        // The optimized integration appends the execution's and the state machine's ARNs to Resources.
        const resources = [
          ...(Array.isArray(entry.Resources) ? entry.Resources : []),
          ...(request.executionArn ? [request.executionArn] : []),
          ...(request.stateMachineArn ? [request.stateMachineArn] : []),
        ];
        const detail = bodyText(entry.Detail);
        const sent: JsonObject = { ...entry, Detail: parsedBody(detail), EventBusName: bus, Resources: sdk ? (entry.Resources ?? []) : resources };
        accepted.push({ bus, entry: sent, id });
        results.push({ EventId: id });
      }
    }
    const failed = results.filter((r) => r.ErrorCode !== undefined).length;
    const response: JsonObject = { Entries: results, FailedEntryCount: failed };
    // A non-zero FailedEntryCount fails the optimized Task with EventBridge.FailedEntry (connect-eventbridge).
    if (failed > 0 && !sdk) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(response));
    for (const a of accepted) ctx.outbox.record({ service: 'events', target: a.bus, message: a.entry, stateName: request.stateName, id: a.id });
    return response;
  },
};
