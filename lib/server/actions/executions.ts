// StartExecution, StartSyncExecution, DescribeExecution, StopExecution, ListExecutions,
// GetExecutionHistory and DescribeStateMachineForExecution.
import { randomUUID } from 'node:crypto';
import type { Clock, HistoryEvent, Json } from '../../asl';
import { LIMITS } from '../../asl';
import { apiMessages } from '../../asl/causes';
import { ApiError } from '../errors';
import type { RunningExecution } from '../executions';
import { checkName, optionalBool, optionalEnum, optionalInt, optionalString, pageToken, parseJson, readPageToken, requiredString } from '../input';
import type { StoredExecution, StoredStateMachine } from '../store';
import { arnBase, executionOf, page, stateMachineOf, type Action, type ServerContext } from './context';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;

/** Reads the state machine ARN, with Step Functions Local's `#TestCase` suffix for mock test cases. */
function target(ctx: ServerContext, arnWithCase: string): { sm: StoredStateMachine; testCase: string | undefined } {
  const hash = arnWithCase.indexOf('#');
  const arn = hash < 0 ? arnWithCase : arnWithCase.slice(0, hash);
  return { sm: stateMachineOf(ctx, arn), testCase: hash < 0 ? undefined : arnWithCase.slice(hash + 1) };
}

/** Reads `name` and `input` as StartExecution and StartSyncExecution take them. */
function startMembers(input: Record<string, unknown>): { name: string; inputText: string; value: Json } {
  const name = optionalString(input, 'name', 80) ?? randomUUID();
  checkName(name, 'execution');
  const inputText = optionalString(input, 'input', Infinity) ?? '{}';
  if (Buffer.byteLength(inputText, 'utf8') > LIMITS.maxPayloadBytes) {
    throw new ApiError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: the input has ${Buffer.byteLength(inputText, 'utf8')} bytes; the limit is ${LIMITS.maxPayloadBytes} (256 KiB)`,
    );
  }
  return { name, inputText, value: parseJson(inputText, 'input', 'InvalidExecutionInput') };
}

function payloadMembers(run: RunningExecution, inputText: string, includeData = true): Record<string, unknown> {
  if (!includeData) return {};
  const out: Record<string, unknown> = { input: inputText, inputDetails: { included: true } };
  if (run.status === 'SUCCEEDED') {
    out.output = JSON.stringify(run.output ?? null);
    out.outputDetails = { included: true };
  }
  return out;
}

function describe(e: StoredExecution): Record<string, unknown> {
  const run = e.run;
  return {
    executionArn: e.arn,
    stateMachineArn: e.stateMachine.arn,
    name: e.name,
    status: run.status,
    startDate: run.startDate,
    stopDate: run.stopDate,
    ...payloadMembers(run, e.inputText),
    error: run.error,
    cause: run.cause,
    redriveCount: 0,
    redriveStatus: 'NOT_REDRIVABLE',
    redriveStatusReason: run.status === 'RUNNING' ? 'Execution is RUNNING and cannot be redriven' : 'Redrive is not served locally',
  };
}

/** Removes payloads from events (GetExecutionHistory with includeExecutionData: false). */
function withoutData(e: HistoryEvent): HistoryEvent {
  const out: HistoryEvent = { ...e };
  for (const [k, v] of Object.entries(e)) {
    if (!k.endsWith('EventDetails') || typeof v !== 'object' || v instanceof Date) continue;
    const d = { ...(v as Record<string, unknown>) };
    for (const f of ['input', 'output', 'parameters', 'result', 'assignedVariables']) {
      delete d[f];
      delete d[`${f}Details`];
    }
    out[k] = d as HistoryEvent[string];
  }
  return out;
}

/**
 * Starts an execution of `sm` as StartExecution does (and `states:startExecution` children, on the
 * parent's clock): Standard executions are recorded, idempotent for the same name and input while running.
 */
export function startIn(
  ctx: ServerContext,
  sm: StoredStateMachine,
  name: string,
  inputText: string,
  value: Json,
  testCase: string | undefined,
  clock?: Clock,
): RunningExecution {
  if (sm.type === 'EXPRESS') {
    // Express executions are fire-and-forget: AWS keeps no record to describe or deduplicate.
    return ctx.engine.start(sm, name, value, testCase, false, clock);
  }
  const arn = `${arnBase(ctx)}:execution:${sm.name}:${name}`;
  const existing = ctx.store.executions.get(arn);
  if (existing) {
    // Idempotent for Standard: the same name and input while the first one runs returns it again.
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
    if (existing.inputText === inputText && existing.run.status === 'RUNNING') return existing.run;
    throw new ApiError('ExecutionAlreadyExists', apiMessages.executionAlreadyExists(arn));
  }
  const run = ctx.engine.start(sm, name, value, testCase, true, clock);
  ctx.store.addExecution({ arn: run.arn, name, stateMachine: sm, definition: sm.definition, roleArn: sm.roleArn, inputText, run });
  return run;
}

export const executionActions: Record<string, Action> = {
  StartExecution(ctx, input) {
    const { sm, testCase } = target(ctx, requiredString(input, 'stateMachineArn', 2048));
    const { name, inputText, value } = startMembers(input);
    const run = startIn(ctx, sm, name, inputText, value, testCase);
    return { executionArn: run.arn, startDate: run.startDate };
  },

  async StartSyncExecution(ctx, input) {
    const { sm, testCase } = target(ctx, requiredString(input, 'stateMachineArn', 2048));
    if (sm.type !== 'EXPRESS')
      throw new ApiError(
        'StateMachineTypeNotSupported',
        `This operation is not supported by this type of state machine: '${sm.arn}' is ${sm.type}; StartSyncExecution runs EXPRESS state machines`,
      );
    const { name, inputText, value } = startMembers(input);
    const run = ctx.engine.start(sm, name, value, testCase, false);
    await run.done;
    const stop = run.stopDate ?? new Date();
    return {
      executionArn: run.arn,
      stateMachineArn: sm.arn,
      name,
      startDate: run.startDate,
      stopDate: stop,
      status: run.status,
      error: run.error,
      cause: run.cause,
      ...payloadMembers(run, inputText),
      // Express bills duration in 100 ms steps and memory in 64 MB steps (AWS pricing page).
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(100, Math.ceil((stop.getTime() - run.startDate.getTime()) / 100) * 100),
      },
    };
  },

  DescribeExecution(ctx, input) {
    return describe(executionOf(ctx, requiredString(input, 'executionArn', 2048)));
  },

  DescribeStateMachineForExecution(ctx, input) {
    const e = executionOf(ctx, requiredString(input, 'executionArn', 2048));
    const sm = e.stateMachine;
    return {
      stateMachineArn: sm.arn,
      name: sm.name,
      definition: e.definition,
      roleArn: e.roleArn,
      updateDate: sm.updateDate ?? sm.creationDate,
      loggingConfiguration: sm.loggingConfiguration,
      tracingConfiguration: sm.tracingConfiguration,
    };
  },

  async StopExecution(ctx, input) {
    const e = executionOf(ctx, requiredString(input, 'executionArn', 2048));
    const error = optionalString(input, 'error', 256);
    const cause = optionalString(input, 'cause', 32768);
    ctx.engine.stop(e.run, error, cause);
    return { stopDate: e.run.stopDate ?? new Date() };
  },

  ListExecutions(ctx, input) {
    if (input.mapRunArn !== undefined)
      throw new ApiError('ValidationException', 'mapRunArn: Distributed Map runs are not listed locally; list by stateMachineArn');
    const sm = stateMachineOf(ctx, requiredString(input, 'stateMachineArn', 2048));
    if (sm.type === 'EXPRESS')
      throw new ApiError('StateMachineTypeNotSupported', `This operation is not supported by this type of state machine: '${sm.arn}' is EXPRESS`);
    const status = optionalEnum(input, 'statusFilter', STATUSES);
    const maxResults = optionalInt(input, 'maxResults', 0, 1000);
    const scope = `ListExecutions:${sm.arn}:${status ?? ''}`;
    const list = ctx.store.executionsByMachine.get(sm.arn) ?? [];
    // Newest first, as AWS lists them. The token holds an index into the oldest-first list, which
    // only grows at its end, so executions started between pages neither repeat nor go missing.
    const token = optionalString(input, 'nextToken', 3096);
    let i = token === undefined ? list.length - 1 : readPageToken(token, scope) - 1;
    const size = maxResults || 100;
    const items: StoredExecution[] = [];
    for (; i >= 0 && items.length < size; i--) {
      const e = list[i];
      if (e !== undefined && (status === undefined || e.run.status === status)) items.push(e);
    }
    let more = false;
    for (let j = i; j >= 0 && !more; j--) more = status === undefined || list[j]?.run.status === status;
    return {
      executions: items.map((e) => ({
        executionArn: e.arn,
        stateMachineArn: sm.arn,
        name: e.name,
        status: e.run.status,
        startDate: e.run.startDate,
        stopDate: e.run.stopDate,
      })),
      nextToken: more ? pageToken(scope, i + 1) : undefined,
    };
  },

  GetExecutionHistory(ctx, input) {
    const e = executionOf(ctx, requiredString(input, 'executionArn', 2048));
    const maxResults = optionalInt(input, 'maxResults', 0, 1000);
    const reverse = optionalBool(input, 'reverseOrder') ?? false;
    const includeData = optionalBool(input, 'includeExecutionData') ?? true;
    const scope = `GetExecutionHistory:${e.arn}:${reverse}`;
    const offset = readPageToken(optionalString(input, 'nextToken', 3096), scope);
    let events = e.run.history();
    if (reverse) events = [...events].reverse();
    const { items, next } = page(events, offset, maxResults);
    return { events: includeData ? items : items.map(withoutData), nextToken: next === undefined ? undefined : pageToken(scope, next) };
  },
};
