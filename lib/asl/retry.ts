// Retry and Catch rules: which rule handles an error, and how long to back off.
import { errorMatches } from './errors';
import type { DataScope } from './data/scope';
import type { Json, JsonObject, RetrierDefinition } from './types';

/** A Retry rule with AWS's defaults filled in. */
export interface CompiledRetrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: boolean;
}

/** What a Catch rule makes of an error: the state's output and the variables it assigns. */
export interface CaughtOutput {
  readonly output: Json;
  readonly assigned?: JsonObject;
}

/** A Catch rule: where to go, and how the error output becomes the state's output and variables. */
export interface CompiledCatcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  readonly finish: (rawInput: Json, errorOutput: JsonObject, scope: DataScope) => CaughtOutput | Promise<CaughtOutput>;
}

/** Fills in AWS's Retry defaults: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0. */
export function compileRetrier(def: RetrierDefinition): CompiledRetrier {
  return {
    errorEquals: def.ErrorEquals,
    intervalSeconds: def.IntervalSeconds ?? 1,
    maxAttempts: def.MaxAttempts ?? 3,
    backoffRate: def.BackoffRate ?? 2,
    maxDelaySeconds: def.MaxDelaySeconds,
    jitter: def.JitterStrategy === 'FULL',
  };
}

/**
 * Decides whether to retry: the first rule whose ErrorEquals matches decides, even when its
 * attempts are used up (a later matching rule is not consulted, per the ASL specification).
 * Returns the delay in milliseconds, or undefined when the error is not retried.
 */
export function retryDelay(retriers: readonly CompiledRetrier[], attempts: number[], error: string | undefined, random: () => number): number | undefined {
  const i = retriers.findIndex((r) => errorMatches(r.errorEquals, error));
  const r = retriers[i];
  if (r === undefined) return undefined;
  const done = attempts[i] ?? 0;
  if (done >= r.maxAttempts) return undefined;
  attempts[i] = done + 1;
  let seconds = r.intervalSeconds * r.backoffRate ** done;
  if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
  if (r.jitter) seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

/** The first Catch rule that matches the error, if any. */
export function findCatcher(catchers: readonly CompiledCatcher[], error: string | undefined): CompiledCatcher | undefined {
  return catchers.find((c) => errorMatches(c.errorEquals, error));
}
