// TagResource, UntagResource and ListTagsForResource, for state machines and activities.
import { ApiError, invalid } from '../errors';
import { requiredString } from '../input';
import type { Action, ServerContext } from './context';

/** AWS allows 50 tags per resource. */
const MAX_TAGS = 50;

function resourceExists(ctx: ServerContext, arn: string): void {
  if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:(stateMachine|activity):[^:]+$/.test(arn)) {
    throw new ApiError('InvalidArn', `Invalid Arn: '${arn}' is not a state machine or activity ARN`);
  }
  if (!ctx.store.stateMachines.has(arn) && !ctx.store.activities.has(arn)) {
    throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`, { resourceName: arn });
  }
}

/** Adds tags (`[{ key, value }]`) to a resource; used by Create* and TagResource. */
export function setTags(ctx: ServerContext, arn: string, tags: unknown): void {
  if (!Array.isArray(tags)) throw invalid('tags', tags, 'Member must be a list of { key, value }');
  const current = new Map(ctx.store.tags.get(arn) ?? []);
  tags.forEach((t: unknown, i) => {
    const tag = t as { key?: unknown; value?: unknown } | null;
    if (typeof tag?.key !== 'string' || tag.key.length === 0 || tag.key.length > 128)
      throw invalid(`tags.${i + 1}.member.key`, tag?.key ?? null, 'Member must be a string of 1 to 128 characters');
    if (tag.value !== undefined && (typeof tag.value !== 'string' || tag.value.length > 256))
      throw invalid(`tags.${i + 1}.member.value`, tag.value, 'Member must be a string of at most 256 characters');
    current.set(tag.key, (tag.value as string | undefined) ?? '');
  });
  if (current.size > MAX_TAGS) throw new ApiError('TooManyTags', `Too many tags: ${current.size} (at most ${MAX_TAGS} per resource)`, { resourceName: arn });
  ctx.store.tags.set(arn, current);
}

export const tagActions: Record<string, Action> = {
  TagResource(ctx, input) {
    const arn = requiredString(input, 'resourceArn', 256);
    resourceExists(ctx, arn);
    if (input.tags === undefined || input.tags === null) throw invalid('tags', null, 'Member must not be null');
    setTags(ctx, arn, input.tags);
    return {};
  },

  UntagResource(ctx, input) {
    const arn = requiredString(input, 'resourceArn', 256);
    resourceExists(ctx, arn);
    const keys = input.tagKeys;
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw invalid('tagKeys', keys ?? null, 'Member must be a list of strings');
    const current = ctx.store.tags.get(arn);
    for (const k of keys as string[]) current?.delete(k);
    return {};
  },

  ListTagsForResource(ctx, input) {
    const arn = requiredString(input, 'resourceArn', 256);
    resourceExists(ctx, arn);
    return { tags: [...(ctx.store.tags.get(arn) ?? [])].map(([key, value]) => ({ key, value })) };
  },
};
