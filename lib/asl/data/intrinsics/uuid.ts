// States.UUID: a version-4 UUID from the execution's seeded source.
import type { IntrinsicFunction } from './signature';

export const uuidFunctions: IntrinsicFunction[] = [{ name: 'States.UUID', params: [], impl: (_args, env) => env.uuid() }];
