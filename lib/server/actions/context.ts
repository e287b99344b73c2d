// What every action receives, and the helpers they share (ARNs, dates, lookups).
import type { ActivityQueues } from '../activities';
import { apiMessages } from '../../asl/causes';
import { ApiError } from '../errors';
import type { ExecutionEngine } from '../executions';
import type { Input } from '../input';
import type { Store, StoredExecution, StoredStateMachine } from '../store';

/** The server's state, as actions see it. */
export interface ServerContext {
  readonly store: Store;
  readonly engine: ExecutionEngine;
  readonly activities: ActivityQueues;
  readonly region: string;
  readonly accountId: string;
  /** How long GetActivityTask holds a poll open, in ms (AWS: 60 s). */
  readonly activityPollMs: number;
}

/** One API operation: decoded input in, response members out (or an ApiError thrown). */
export type Action = (ctx: ServerContext, input: Input) => unknown;

/** The ARN prefix of this endpoint's resources. */
export function arnBase(ctx: ServerContext): string {
  return `arn:aws:states:${ctx.region}:${ctx.accountId}`;
}

const SM_ARN = /^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[^:#]+(?::[^:#]+)?$/;
const EXEC_ARN = /^arn:aws[\w-]*:states:[\w-]+:\d{12}:(execution|express):[^:]+:[^:]+$/;
const ACTIVITY_ARN = /^arn:aws[\w-]*:states:[\w-]+:\d{12}:activity:[^:]+$/;

/** Looks a state machine up by ARN: InvalidArn when malformed, StateMachineDoesNotExist when unknown. */
export function stateMachineOf(ctx: ServerContext, arn: string): StoredStateMachine {
  if (!SM_ARN.test(arn))
    throw new ApiError('InvalidArn', `Invalid Arn: '${arn}' is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)`);
  const sm = ctx.store.stateMachines.get(arn);
  if (!sm) {
    if (/:stateMachine:[^:]+:[^:]+$/.test(arn))
      throw new ApiError('ValidationException', `State machine versions and aliases are not served locally: '${arn}'; use the unqualified ARN`);
    throw new ApiError('StateMachineDoesNotExist', apiMessages.stateMachineDoesNotExist(arn));
  }
  return sm;
}

/**
 * Looks a Standard execution up by ARN. Express executions are not recorded, as in AWS, which
 * supports none of the operations that read one (DescribeExecution, GetExecutionHistory...).
 */
export function executionOf(ctx: ServerContext, arn: string): StoredExecution {
  const m = EXEC_ARN.exec(arn);
  if (!m) throw new ApiError('InvalidArn', `Invalid Arn: '${arn}' is not an execution ARN (arn:aws:states:<region>:<account>:execution:<stateMachine>:<name>)`);
  if (m[1] === 'express')
    throw new ApiError(
      'InvalidArn',
      `${apiMessages.resourceTypeNotValid('express')} (${arn}): Express executions cannot be described; use StartSyncExecution to get their result`,
    );
  const e = ctx.store.executions.get(arn);
  if (!e) throw new ApiError('ExecutionDoesNotExist', apiMessages.executionDoesNotExist(arn));
  return e;
}

/** Checks an activity ARN's shape. */
export function checkActivityArn(arn: string): void {
  if (!ACTIVITY_ARN.test(arn))
    throw new ApiError('InvalidArn', `Invalid Arn: '${arn}' is not an activity ARN (arn:aws:states:<region>:<account>:activity:<name>)`);
}

/** Pages a list: `maxResults` 0 or absent means AWS's default of 100. */
export function page<T>(items: readonly T[], offset: number, maxResults: number | undefined): { items: T[]; next: number | undefined } {
  const size = maxResults === undefined || maxResults === 0 ? 100 : maxResults;
  const slice = items.slice(offset, offset + size);
  return { items: slice, next: offset + size < items.length ? offset + size : undefined };
}

export type { Input };
