// What data-flow evaluators need from the running state: the context object, variables,
// seeded randomness, and a way to raise AWS-worded runtime errors for this state.
import type { StatesError } from '../errors';
import type { Json } from '../types';
import type { IntrinsicEnv } from './intrinsics';
import { evaluatePath, type JsonPath } from './json-path';

/** The view of a running state that data evaluators use. */
export interface DataScope {
  /** The `$$` context object, built on first use. */
  context(): Json;
  /** A workflow variable, or undefined when not assigned. */
  variable(name: string): Json | undefined;
  /** Every variable visible here (inner scopes shadow outer ones), for JSONata bindings. */
  variables(): Record<string, Json>;
  /** Seeded random and UUID source. */
  readonly env: IntrinsicEnv;
  /** A States.Runtime error: AWS's prefix naming the state (causes.inState), then `detail`. */
  runtimeError(detail: string): StatesError;
  /** The same, as States.QueryEvaluationError (JSONata evaluation failures). */
  evaluationError(detail: string): StatesError;
}

/** A compiled data expression: evaluates against a value (usually the state's effective input). */
export type Evaluator = (input: Json, scope: DataScope) => Json;

/** The value a path starts from: the input (`$`), the context object (`$$`) or a variable (`$name`). */
export function pathRoot(path: JsonPath, input: Json, scope: DataScope): Json | undefined {
  const root = path.root;
  return root.kind === 'input' ? input : root.kind === 'context' ? scope.context() : scope.variable(root.name);
}

/** Evaluates a path from its root; undefined when the root or the path finds nothing. */
export function lookupPath(path: JsonPath, input: Json, scope: DataScope): Json | undefined {
  const root = pathRoot(path, input, scope);
  return root === undefined ? undefined : evaluatePath(path, root);
}
