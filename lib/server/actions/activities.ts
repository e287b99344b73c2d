// CreateActivity, DescribeActivity, ListActivities, DeleteActivity and GetActivityTask.
import { apiMessages } from '../../asl/causes';
import { ApiError } from '../errors';
import { checkName, optionalInt, optionalString, pageToken, readPageToken, requiredString } from '../input';
import type { StoredActivity } from '../store';
import { arnBase, checkActivityArn, page, type Action, type ServerContext } from './context';
import { setTags } from './tags';

function activityOf(ctx: ServerContext, arn: string): StoredActivity {
  checkActivityArn(arn);
  const a = ctx.store.activities.get(arn);
  if (!a) throw new ApiError('ActivityDoesNotExist', apiMessages.activityDoesNotExist(arn));
  return a;
}

export const activityActions: Record<string, Action> = {
  CreateActivity(ctx, input) {
    const name = requiredString(input, 'name', 80);
    checkName(name, 'activity');
    const arn = `${arnBase(ctx)}:activity:${name}`;
    // Idempotent: creating an existing activity returns it.
    const existing = ctx.store.activities.get(arn);
    if (existing) return { activityArn: arn, creationDate: existing.creationDate };
    const a: StoredActivity = { arn, name, creationDate: new Date() };
    ctx.store.activities.set(arn, a);
    if (input.tags !== undefined) setTags(ctx, arn, input.tags);
    return { activityArn: arn, creationDate: a.creationDate };
  },

  DescribeActivity(ctx, input) {
    const a = activityOf(ctx, requiredString(input, 'activityArn', 256));
    return { activityArn: a.arn, name: a.name, creationDate: a.creationDate };
  },

  ListActivities(ctx, input) {
    const maxResults = optionalInt(input, 'maxResults', 0, 1000);
    const offset = readPageToken(optionalString(input, 'nextToken', 1024), 'ListActivities');
    const all = [...ctx.store.activities.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { items, next } = page(all, offset, maxResults);
    return {
      activities: items.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: a.creationDate })),
      nextToken: next === undefined ? undefined : pageToken('ListActivities', next),
    };
  },

  DeleteActivity(ctx, input) {
    const arn = requiredString(input, 'activityArn', 256);
    checkActivityArn(arn);
    ctx.store.activities.delete(arn);
    ctx.store.tags.delete(arn);
    ctx.activities.forget(arn);
    return {};
  },

  async GetActivityTask(ctx, input) {
    const a = activityOf(ctx, requiredString(input, 'activityArn', 256));
    optionalString(input, 'workerName', 80);
    return ctx.activities.poll(a.arn, ctx.activityPollMs);
  },
};
