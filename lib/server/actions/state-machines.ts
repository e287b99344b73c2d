// CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine,
// ListStateMachines and ValidateStateMachineDefinition.
import { compile, DefinitionError, type CompiledStateMachine, type Json, type WorkflowType } from '../../asl';
import { apiMessages } from '../../asl/causes';
import { ApiError } from '../errors';
import { checkName, optionalEnum, optionalInt, optionalObject, optionalString, pageToken, readPageToken, requiredString } from '../input';
import type { StoredStateMachine } from '../store';
import { arnBase, page, stateMachineOf, type Action, type Input, type ServerContext } from './context';
import { setTags } from './tags';

/** AWS's definition size limit (1 MiB), checked before parsing. */
const MAX_DEFINITION = 1024 * 1024;

/**
 * Compiles a definition, or throws InvalidDefinition listing every problem with its JSON pointer
 * (AWS reports `SCHEMA_VALIDATION_FAILED: <message> at /States/...`).
 */
export function compileOrRefuse(definition: string, type: WorkflowType): CompiledStateMachine {
  try {
    return compile(definition, { type });
  } catch (e) {
    if (!(e instanceof DefinitionError)) throw e;
    throw new ApiError('InvalidDefinition', apiMessages.invalidDefinition(e.problems));
  }
}

function describe(sm: StoredStateMachine): Record<string, unknown> {
  return {
    stateMachineArn: sm.arn,
    name: sm.name,
    status: 'ACTIVE',
    definition: sm.definition,
    roleArn: sm.roleArn,
    type: sm.type,
    creationDate: sm.creationDate,
    description: sm.description || undefined,
    loggingConfiguration: sm.loggingConfiguration,
    tracingConfiguration: sm.tracingConfiguration,
  };
}

/** Adds a state machine to the store (CreateStateMachine and `--app`). */
export function createStateMachine(
  ctx: ServerContext,
  name: string,
  definition: string,
  type: WorkflowType,
  roleArn: string,
  extra: Partial<StoredStateMachine> = {},
): StoredStateMachine {
  const machine = compileOrRefuse(definition, type);
  const sm: StoredStateMachine = {
    arn: `${arnBase(ctx)}:stateMachine:${name}`,
    name,
    type,
    definition,
    machine,
    roleArn,
    description: '',
    creationDate: new Date(),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
    ...extra,
  };
  ctx.store.stateMachines.set(sm.arn, sm);
  return sm;
}

const TYPES = ['STANDARD', 'EXPRESS'] as const;

export const stateMachineActions: Record<string, Action> = {
  CreateStateMachine(ctx, input) {
    const name = requiredString(input, 'name', 80);
    checkName(name, 'state machine');
    const definition = requiredString(input, 'definition', MAX_DEFINITION);
    const roleArn = requiredString(input, 'roleArn', 256);
    const type: WorkflowType = optionalEnum(input, 'type', TYPES) ?? 'STANDARD';
    if (input.publish === true)
      throw new ApiError('ValidationException', 'publish: true (state machine versions) is not served locally; create the state machine without publishing');
    const arn = `${arnBase(ctx)}:stateMachine:${name}`;
    const existing = ctx.store.stateMachines.get(arn);
    if (existing) {
      // Idempotent: the same request again returns the existing machine; anything different is refused.
      // https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type)
        return { stateMachineArn: arn, creationDate: existing.creationDate };
      throw new ApiError('StateMachineAlreadyExists', apiMessages.stateMachineAlreadyExists(arn));
    }
    const sm = createStateMachine(ctx, name, definition, type, roleArn, {
      description: optionalString(input, 'description', 256) ?? '',
      loggingConfiguration: (optionalObject(input, 'loggingConfiguration') as Json | undefined) ?? { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: (optionalObject(input, 'tracingConfiguration') as Json | undefined) ?? { enabled: false },
    });
    if (input.tags !== undefined) setTags(ctx, sm.arn, input.tags);
    return { stateMachineArn: sm.arn, creationDate: sm.creationDate };
  },

  DescribeStateMachine(ctx, input) {
    return describe(stateMachineOf(ctx, requiredString(input, 'stateMachineArn', 2048)));
  },

  UpdateStateMachine(ctx, input) {
    const sm = stateMachineOf(ctx, requiredString(input, 'stateMachineArn', 2048));
    const definition = optionalString(input, 'definition', MAX_DEFINITION);
    const roleArn = optionalString(input, 'roleArn', 256);
    const logging = optionalObject(input, 'loggingConfiguration');
    const tracing = optionalObject(input, 'tracingConfiguration');
    if (definition === undefined && roleArn === undefined && logging === undefined && tracing === undefined) {
      throw new ApiError('ValidationException', 'UpdateStateMachine needs at least one of definition, roleArn, loggingConfiguration or tracingConfiguration');
    }
    if (input.publish === true) throw new ApiError('ValidationException', 'publish: true (state machine versions) is not served locally');
    // Running executions keep the definition they started with, as in AWS.
    if (definition !== undefined) {
      sm.machine = compileOrRefuse(definition, sm.type);
      sm.definition = definition;
    }
    if (roleArn !== undefined) sm.roleArn = roleArn;
    if (logging !== undefined) sm.loggingConfiguration = logging as Json;
    if (tracing !== undefined) sm.tracingConfiguration = tracing as Json;
    sm.updateDate = new Date();
    return { updateDate: sm.updateDate };
  },

  DeleteStateMachine(ctx, input) {
    const arn = requiredString(input, 'stateMachineArn', 2048);
    try {
      stateMachineOf(ctx, arn);
    } catch (e) {
      // Deleting a machine that does not exist succeeds (the API models no DoesNotExist error here).
      if (e instanceof ApiError && e.type === 'StateMachineDoesNotExist') return {};
      throw e;
    }
    ctx.store.stateMachines.delete(arn);
    ctx.store.tags.delete(arn);
    return {};
  },

  ListStateMachines(ctx, input) {
    const maxResults = optionalInt(input, 'maxResults', 0, 1000);
    const offset = readPageToken(optionalString(input, 'nextToken', 1024), 'ListStateMachines');
    const all = [...ctx.store.stateMachines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { items, next } = page(all, offset, maxResults);
    return {
      stateMachines: items.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: sm.type, creationDate: sm.creationDate })),
      nextToken: next === undefined ? undefined : pageToken('ListStateMachines', next),
    };
  },

  ValidateStateMachineDefinition(_ctx, input: Input) {
    const definition = requiredString(input, 'definition', MAX_DEFINITION);
    const type: WorkflowType = optionalEnum(input, 'type', TYPES) ?? 'STANDARD';
    const maxResults = optionalInt(input, 'maxResults', 0, 100);
    try {
      compile(definition, { type });
      return { result: 'OK', diagnostics: [], truncated: false };
    } catch (e) {
      if (!(e instanceof DefinitionError)) throw e;
      const all = e.problems.map((p) => ({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: p.message, location: p.pointer || '/' }));
      const limit = maxResults || 100;
      return { result: 'FAIL', diagnostics: all.slice(0, limit), truncated: all.length > limit };
    }
  },
};
