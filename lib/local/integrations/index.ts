// The AWS services a local run serves without AWS: which Task resources they cover, the check
// that refuses anything else before the run (naming the state, the resource and how to mock it),
// and the `tasks` handler that dispatches to one module per service.
import type { Json, MachineDefinition, StateDefinition, TaskHandler, TaskRequest } from '../../asl';
import { StatesError } from '../../asl';
import type { Integration, IntegrationContext, Pattern } from './common';
import { dynamodb } from './dynamodb';
import { events, sns, sqs } from './messaging';
import { sfn, states } from './states';

export { Outbox } from './common';
export type { IntegrationContext, LocalResources, SentMessage } from './common';

const OPTIMIZED: Record<string, Integration> = { dynamodb, sqs, sns, events, states };
const SDK: Record<string, Integration> = { dynamodb, sfn, sqs, sns, eventbridge: events };

/** A service Task resource: `arn:<partition>:states:::<service>:<action>[.sync[:2]|.waitForTaskToken]` or `...:::aws-sdk:<service>:<action>...`. */
export interface ServiceResource {
  readonly service: string;
  readonly action: string;
  readonly pattern: Pattern;
  readonly sdk: boolean;
}

export function parseServiceResource(resource: string): ServiceResource | undefined {
  const [, sdk, service, action, suffix] = /^arn:[\w-]+:states:::(aws-sdk:)?([\w-]+):(\w+)(\.sync:2|\.sync|\.waitForTaskToken)?$/.exec(resource) ?? [];
  if (service === undefined || action === undefined) return undefined;
  const pattern: Pattern =
    suffix === '.sync:2' ? 'sync:2' : suffix === '.sync' ? 'sync' : suffix === '.waitForTaskToken' ? 'wait-for-task-token' : 'request-response';
  return { service, action, pattern, sdk: sdk !== undefined };
}

function integrationOf(r: ServiceResource): Integration | undefined {
  return Object.hasOwn(r.sdk ? SDK : OPTIMIZED, r.service) ? (r.sdk ? SDK : OPTIMIZED)[r.service] : undefined;
}

/** Every Task state of a definition, nested ones (Parallel branches, Map processors) included. */
function* taskStates(def: MachineDefinition): Generator<[string, StateDefinition]> {
  for (const [name, s] of Object.entries(def.States ?? {})) {
    if (s.Type === 'Task') yield [name, s];
    for (const nested of [...(s.Branches ?? []), ...(s.ItemProcessor ? [s.ItemProcessor] : []), ...(s.Iterator ? [s.Iterator] : [])]) yield* taskStates(nested);
  }
}

/** What the pre-run check needs to know about the run. */
export interface TaskCheckOptions {
  /** Whether a state is answered by a mock. */
  readonly mocked: (stateName: string) => boolean;
  /** Whether the caller gave a `tasks` handler (it serves what the integrations do not). */
  readonly tasksHook: boolean;
  /** Whether a local DynamoDB runs. */
  readonly dynamodb: boolean;
  /** How to fix a problem in the caller's terms (the endpoint's flags, say); defaults to the run options'. */
  readonly fixes?: { readonly mock: (stateName: string) => string; readonly dynamodb: string };
}

/**
 * The problems that would stop a run at a service Task, found before the run starts: a resource
 * no local integration serves (and no mock or `tasks` handler covers), a parameter the API does
 * not have, DynamoDB without a local DynamoDB. Empty when the run can go.
 */
export function checkServiceTasks(definition: MachineDefinition, options: TaskCheckOptions): string[] {
  const problems: string[] = [];
  const howToMock =
    options.fixes?.mock ??
    ((name: string) => `mock it (mocks: { '${name}': { Return: ... } }, or a mock file test case) or serve it with the \`tasks\` option`);
  const startDynamoDb =
    options.fixes?.dynamodb ?? 'start one (startLocalDynamoDb(stacks), or `stepwise run --local-dynamodb`) and pass it as the `dynamodb` run option';
  for (const [name, s] of taskStates(definition)) {
    const resource = typeof s.Resource === 'string' ? s.Resource : '';
    if (options.mocked(name)) continue;
    const r = parseServiceResource(resource);
    if (!r || (r.service === 'lambda' && !r.sdk)) continue; // Lambda and activities are served elsewhere
    const integration = integrationOf(r);
    const why = integration
      ? integration.refuse(r.action, r.pattern, r.sdk)
      : `Stepwise has no local ${r.sdk ? `aws-sdk integration for '${r.service}'` : `integration for the service '${r.service}'`}`;
    if (why) {
      if (!options.tasksHook) problems.push(`State '${name}' calls ${resource}, which cannot run locally: ${why}; ${howToMock(name)}`);
      continue;
    }
    if (r.service === 'dynamodb' && !options.dynamodb) {
      problems.push(`State '${name}' calls ${resource}, which needs a local DynamoDB: ${startDynamoDb}, or ${howToMock(name)}`);
      continue;
    }
    const allowed = integration?.parameters?.(r.action, r.sdk);
    const params = s.Parameters ?? s.Arguments;
    if (allowed && params !== null && typeof params === 'object' && !Array.isArray(params)) {
      for (const key of Object.keys(params)) {
        const field = key.endsWith('.$') ? key.slice(0, -2) : key;
        if (!allowed.has(field))
          problems.push(`State '${name}' passes '${field}' to ${resource}, which is not a parameter of that API (it takes ${[...allowed].join(', ')})`);
      }
    }
  }
  return problems;
}

/**
 * The `tasks` handler of a local run: service integrations first, then the caller's handler for
 * everything else.
 */
export function serviceTaskHandler(ctx: IntegrationContext, fallback: TaskHandler | undefined): TaskHandler {
  return (request: TaskRequest): Json | Promise<Json> => {
    const r = parseServiceResource(request.resource);
    const integration = r && !(r.service === 'lambda' && !r.sdk) ? integrationOf(r) : undefined;
    if (r && integration && integration.refuse(r.action, r.pattern, r.sdk) === undefined) return integration.call(r.action, r.pattern, r.sdk, request, ctx);
    if (fallback) return fallback(request);
    throw new StatesError(
      'States.Runtime',
      `No local integration serves ${request.resource} (state '${request.stateName}'); mock the state or pass the \`tasks\` option`,
    );
  };
}
