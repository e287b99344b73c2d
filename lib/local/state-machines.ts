// Finds the state machines of a synthesized stack and rebuilds each one's definition, type and
// the Lambda functions it calls, so the interpreter can run exactly what `cdk deploy` would send.
import { join } from 'node:path';
import { ENTRY_METADATA } from '../constructs/entry-metadata';
import { compile, type CompiledStateMachine, type MachineDefinition, type WorkflowType } from '../asl';
import type { LocalResources } from './integrations/common';
import { localArn, physicalName, Resolver, UnresolvedTokenError, type Environment } from './resolve';
import type { CfnResource, CfnValue, StackArtifact } from './template';

/** A Lambda function of the stack, as the local runner needs it. */
export interface LocalFunction {
  readonly logicalId: string;
  /** Construct path, e.g. `MyStack/Orders/PayFunction`. */
  readonly constructPath?: string;
  readonly functionName: string;
  readonly arn: string;
  /** `file.export` as in the template (`index.handler` for bundled functions). */
  readonly handler: string;
  /** The TypeScript/JavaScript source the construct recorded (Stepwise constructs only). */
  readonly entry?: string;
  /** The bundled asset folder in the cloud assembly. */
  readonly assetDir?: string;
  /** Inline code (`Code.fromInline`). */
  readonly inlineCode?: string;
  /** Environment variables with CloudFormation tokens resolved to local values. */
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/** A state machine of a stack, ready to run. */
export interface LocalStateMachine {
  readonly stackName: string;
  readonly logicalId: string;
  readonly constructPath?: string;
  readonly name: string;
  readonly arn: string;
  readonly type: WorkflowType;
  readonly definition: MachineDefinition;
  readonly machine: CompiledStateMachine;
  /** Functions of the stack by every name a definition may use for them (ARN, name, ARN:qualifier). */
  readonly functions: ReadonlyMap<string, LocalFunction>;
  /** The stack's tables, queues, topics, event buses and state machines, for service integrations. */
  readonly resources?: LocalResources;
}

/** Default local identity; the same account and region appear in ARNs and `$$` context. */
export const LOCAL_ENV: Environment = { region: 'us-east-1', account: '123456789012', partition: 'aws' };

function cdkPath(r: CfnResource, logicalId?: string, stack?: StackArtifact): string | undefined {
  const p = r.Metadata?.['aws:cdk:path'];
  if (typeof p === 'string') return p;
  return logicalId ? stack?.constructPaths?.[logicalId] : undefined;
}

/** The bundled asset folder of a function: from asset metadata, or from the S3 key's asset hash. */
function assetDirOf(r: CfnResource, stack: StackArtifact): string | undefined {
  if (!stack.assemblyDir) return undefined;
  const asset = r.Metadata?.['aws:asset:path'];
  if (typeof asset === 'string') return join(stack.assemblyDir, asset);
  const key = (r.Properties?.Code as Record<string, CfnValue> | undefined)?.S3Key;
  const hash = typeof key === 'string' ? /([0-9a-f]{64})\.zip$/.exec(key)?.[1] : undefined;
  return hash ? join(stack.assemblyDir, `asset.${hash}`) : undefined;
}

function readFunctions(stack: StackArtifact, resolver: Resolver, env: Environment): Map<string, LocalFunction> {
  const out = new Map<string, LocalFunction>();
  for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const p = r.Properties ?? {};
    const path = cdkPath(r, logicalId, stack);
    const constructPath = path?.replace(/\/Resource$/, '');
    const entry = constructPath ? stack.metadata[`/${constructPath}`]?.find((m) => m.type === ENTRY_METADATA)?.data : undefined;
    const code = p.Code as Record<string, CfnValue> | undefined;
    const environment: Record<string, string> = {};
    const vars = ((p.Environment as Record<string, CfnValue> | undefined)?.Variables ?? {}) as Record<string, CfnValue>;
    for (const [k, v] of Object.entries(vars)) {
      try {
        environment[k] = String(resolver.resolve(v, `environment variable ${k} of function ${constructPath ?? logicalId}`));
      } catch (e) {
        if (!(e instanceof UnresolvedTokenError)) throw e;
        // Left unset: the handler sees it missing, as it would with a broken deployment.
      }
    }
    const fn: LocalFunction = {
      logicalId,
      constructPath,
      functionName: physicalName(logicalId, r),
      arn: localArn(logicalId, r, env),
      handler: typeof p.Handler === 'string' ? p.Handler : 'index.handler',
      entry: typeof entry === 'string' ? entry : undefined,
      assetDir: assetDirOf(r, stack),
      inlineCode: typeof code?.ZipFile === 'string' ? code.ZipFile : undefined,
      environment,
      timeoutSeconds: typeof p.Timeout === 'number' ? p.Timeout : 3,
      memoryMb: typeof p.MemorySize === 'number' ? p.MemorySize : 128,
    };
    for (const key of [fn.arn, fn.functionName, logicalId]) out.set(key, fn);
  }
  return out;
}

/** Rebuilds the definition text, naming the state that holds any token that cannot be resolved. */
function rebuildDefinition(r: CfnResource, logicalId: string, resolver: Resolver, stack: StackArtifact): MachineDefinition {
  const p = r.Properties ?? {};
  const where = `state machine ${cdkPath(r, logicalId, stack) ?? logicalId}`;
  if (p.DefinitionS3Location !== undefined) {
    throw new UnresolvedTokenError(
      p.DefinitionS3Location,
      where,
      'definitions stored in S3 (DefinitionS3Location) cannot be read locally; use DefinitionBody.fromChainable or fromString',
    );
  }
  const unresolved: { token: CfnValue; detail: string }[] = [];
  const lenient = (v: CfnValue): string => {
    try {
      const out = resolver.resolve(v, where);
      return typeof out === 'string' ? out : JSON.stringify(out);
    } catch (e) {
      if (!(e instanceof UnresolvedTokenError)) throw e;
      unresolved.push({ token: v, detail: e.message });
      return `__STEPWISE_UNRESOLVED_${unresolved.length - 1}__`;
    }
  };
  let text: string;
  const body = p.DefinitionString ?? (p.Definition !== undefined ? JSON.stringify(p.Definition) : undefined);
  if (body === undefined) throw new UnresolvedTokenError(null, where, 'it has neither DefinitionString nor Definition');
  if (typeof body === 'string') text = body;
  else if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'Fn::Join' in body) {
    const [sep, parts] = body['Fn::Join'] as [string, CfnValue[]];
    text = parts.map((part) => (typeof part === 'string' ? part : lenient(part))).join(sep);
  } else text = lenient(body);
  const subs = (p.DefinitionSubstitutions ?? {}) as Record<string, CfnValue>;
  text = text.replace(/\$\{([^}]+)\}/g, (m, name: string) => {
    const sub = Object.hasOwn(subs, name) ? subs[name] : undefined;
    return sub === undefined ? m : lenient(sub);
  });
  let definition: MachineDefinition;
  try {
    definition = JSON.parse(text) as MachineDefinition;
  } catch (e) {
    throw new UnresolvedTokenError(body, where, `the resolved definition is not JSON: ${(e as Error).message}`);
  }
  const [first] = unresolved;
  if (first !== undefined) {
    const marker = '__STEPWISE_UNRESOLVED_0__';
    const state = findState(definition, marker) ?? '(outside any state)';
    throw new UnresolvedTokenError(first.token, `${where}, state '${state}'`, first.detail.replace(/^.*?: cannot resolve .*? \(/, '').replace(/\)$/, ''));
  }
  return definition;
}

function findState(def: MachineDefinition, marker: string): string | undefined {
  for (const [name, s] of Object.entries(def.States ?? {})) {
    if (!JSON.stringify(s).includes(marker)) continue;
    for (const nested of [...(s.Branches ?? []), ...(s.ItemProcessor ? [s.ItemProcessor] : []), ...(s.Iterator ? [s.Iterator] : [])]) {
      const inner = findState(nested, marker);
      if (inner) return inner;
    }
    return name;
  }
  return undefined;
}

/** The resources service integrations reach, under every name a definition may use for them. */
function readResources(stack: StackArtifact, env: Environment, machines: () => readonly LocalStateMachine[]): LocalResources {
  const tables = new Set<string>();
  const queues = new Map<string, string>();
  const topics = new Set<string>();
  const busArn = (name: string) => `arn:${env.partition}:events:${env.region}:${env.account}:event-bus/${name}`;
  const buses = new Map<string, string>([
    ['default', 'default'],
    [busArn('default'), 'default'],
  ]);
  for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
    const name = physicalName(logicalId, r);
    if (r.Type === 'AWS::DynamoDB::Table') tables.add(name);
    else if (r.Type === 'AWS::SNS::Topic') topics.add(localArn(logicalId, r, env));
    else if (r.Type === 'AWS::SQS::Queue') {
      const url = `https://sqs.${env.region}.amazonaws.com/${env.account}/${name}`;
      for (const key of [url, localArn(logicalId, r, env), name]) queues.set(key, url);
    } else if (r.Type === 'AWS::Events::EventBus') {
      for (const key of [name, busArn(name), localArn(logicalId, r, env)]) buses.set(key, name);
    }
  }
  return { tables, queues, topics, buses, stateMachines: machines };
}

/** Finds every state machine of a stack. */
export function stateMachinesOf(stack: StackArtifact, env: Environment = LOCAL_ENV): LocalStateMachine[] {
  const resolver = new Resolver(stack.template, env);
  const functions = readFunctions(stack, resolver, env);
  const out: LocalStateMachine[] = [];
  const resources = readResources(stack, env, () => out);
  for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
    if (r.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const definition = rebuildDefinition(r, logicalId, resolver, stack);
    const type: WorkflowType = r.Properties?.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
    out.push({
      stackName: stack.stackName,
      logicalId,
      constructPath: cdkPath(r, logicalId, stack)?.replace(/\/Resource$/, ''),
      name: physicalName(logicalId, r),
      arn: localArn(logicalId, r, env),
      type,
      definition,
      machine: compile(definition, { type }),
      functions,
      resources,
    });
  }
  return out;
}

/** A state machine's rebuilt definition, not yet compiled: what `stepwise validate` checks. */
export interface StateMachineDefinition {
  readonly stackName: string;
  readonly logicalId: string;
  readonly constructPath?: string;
  readonly name: string;
  readonly type: WorkflowType;
  readonly definition: MachineDefinition;
}

/** The definition of every state machine of a stack, rebuilt but not compiled (so invalid ones can be reported). */
export function definitionsOf(stack: StackArtifact, env: Environment = LOCAL_ENV): StateMachineDefinition[] {
  const resolver = new Resolver(stack.template, env);
  return Object.entries(stack.template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, r]) => ({
      stackName: stack.stackName,
      logicalId,
      constructPath: cdkPath(r, logicalId, stack)?.replace(/\/Resource$/, ''),
      name: physicalName(logicalId, r),
      type: r.Properties?.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      definition: rebuildDefinition(r, logicalId, resolver, stack),
    }));
}

type Selectable = Pick<LocalStateMachine, 'stackName' | 'logicalId' | 'constructPath' | 'name'>;

/**
 * Picks one state machine by logical id, construct path (with or without the stack name), stack
 * name (when the stack has one machine) or the construct id just above `StateMachine`.
 */
export function findStateMachine<M extends Selectable = LocalStateMachine>(machines: readonly M[], selector?: string): M {
  if (machines.length === 0)
    throw new Error(`There is no state machine here (no AWS::StepFunctions::StateMachine resource)${selector ? ` to match '${selector}'` : ''}`);
  const [only] = machines;
  if (!selector) {
    if (only !== undefined && machines.length === 1) return only;
    throw new Error(`There are ${machines.length} state machines; choose one of: ${describe(machines)}`);
  }
  const matches = machines.filter((m) => {
    const path = m.constructPath ?? '';
    return (
      m.logicalId === selector ||
      path === selector ||
      path === `${m.stackName}/${selector}` ||
      path.endsWith(`/${selector}`) ||
      path.endsWith(`/${selector}/StateMachine`) ||
      m.name === selector ||
      (m.stackName === selector && machines.filter((x) => x.stackName === selector).length === 1)
    );
  });
  const [match] = matches;
  if (match !== undefined && matches.length === 1) return match;
  if (matches.length === 0) throw new Error(`No state machine matches '${selector}'; choose one of: ${describe(machines)}`);
  throw new Error(`'${selector}' matches ${matches.length} state machines; use a construct path: ${describe(matches)}`);
}

function describe(machines: readonly Selectable[]): string {
  return machines.map((m) => m.constructPath ?? `${m.stackName}/${m.logicalId}`).join(', ') || '(none)';
}
