// Declared signatures for intrinsic functions: one checker turns bad arguments into
// States.IntrinsicFailure errors, so each implementation receives values of the types it declared.
import { causes } from '../../causes';
import { StatesError, StatesErrors } from '../../errors';
import type { Json } from '../../types';

/** Argument type of an intrinsic function parameter. */
export type ArgType = 'any' | 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** What an intrinsic implementation may use besides its arguments. */
export interface IntrinsicEnv {
  /** Uniform random number in [0, 1), seeded per execution. */
  random(): number;
  /** Seeded RFC 4122 version-4 UUID. */
  uuid(): string;
}

/** One `States.*` function: its name, parameters and implementation. */
export interface IntrinsicFunction {
  readonly name: string;
  /** Declared parameter types; `rest` types any further arguments. */
  readonly params: readonly ArgType[];
  /** How many of `params` may be omitted at the end. */
  readonly optional?: number;
  readonly rest?: ArgType;
  readonly impl: (args: Json[], env: IntrinsicEnv) => Json;
}

function typeOf(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function accepts(type: ArgType, v: Json): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return typeof v === type;
  }
}

/** Raises the States.IntrinsicFailure error for a function. */
export function intrinsicFailure(fn: string, detail: string): StatesError {
  return new StatesError(StatesErrors.IntrinsicFailure, causes.intrinsicFailure(fn, detail));
}

/** Checks argument count at compile time; returns a message or undefined. */
export function checkArity(fn: IntrinsicFunction, count: number): string | undefined {
  const min = fn.params.length - (fn.optional ?? 0);
  const max = fn.rest ? Infinity : fn.params.length;
  if (count < min || count > max) {
    const expected = fn.rest ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
    return `${fn.name} expects ${expected} argument${max === 1 ? '' : 's'}, got ${count}`;
  }
  return undefined;
}

/** Checks argument types at run time and calls the implementation. */
export function callIntrinsic(fn: IntrinsicFunction, args: Json[], env: IntrinsicEnv): Json {
  let i = 0;
  for (const v of args) {
    const type = fn.params[i] ?? fn.rest;
    if (type === undefined) throw new Error(`${fn.name} declares no type for argument ${i + 1} (its arity is checked at compile time)`);
    if (!accepts(type, v)) {
      throw intrinsicFailure(
        fn.name,
        `argument ${i + 1} must be ${type === 'integer' ? 'an integer' : `of type ${type}`}, got ${typeOf(v)} ${JSON.stringify(v)}`,
      );
    }
    i += 1;
  }
  return fn.impl(args, env);
}
