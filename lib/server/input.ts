// Readers for request members: each names the member and the constraint it breaks, in the
// wording of AWS's ValidationException, so a bad request never reaches an action half-checked.
import type { Json } from '../asl';
import { apiMessages } from '../asl/causes';
import { ApiError, invalid, missing } from './errors';

/** A decoded request body. */
export type Input = Record<string, unknown>;

/** A required string member. */
export function requiredString(input: Input, member: string, maxLength = 256 * 1024): string {
  const v = input[member];
  if (v === undefined || v === null) throw missing(member);
  return checkString(v, member, maxLength);
}

/** An optional string member. */
export function optionalString(input: Input, member: string, maxLength = 256 * 1024): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  return checkString(v, member, maxLength);
}

function checkString(v: unknown, member: string, maxLength: number): string {
  if (typeof v !== 'string') throw invalid(member, v, 'Member must be a string');
  if (v.length > maxLength) throw invalid(member, `${v.slice(0, 40)}…`, `Member must have length less than or equal to ${maxLength}`);
  return v;
}

/** An optional integer member within [min, max]. */
export function optionalInt(input: Input, member: string, min: number, max: number): number | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid(member, v, 'Member must be an integer');
  if (v < min) throw invalid(member, v, `Member must have value greater than or equal to ${min}`);
  if (v > max) throw invalid(member, v, `Member must have value less than or equal to ${max}`);
  return v;
}

/** An optional boolean member. */
export function optionalBool(input: Input, member: string): boolean | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(member, v, 'Member must be a boolean');
  return v;
}

/** An optional member that must be one of `values`. */
export function optionalEnum<T extends string>(input: Input, member: string, values: readonly T[]): T | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    throw invalid(member, v, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return v as T;
}

/** An optional object member. */
export function optionalObject(input: Input, member: string): Input | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(member, v, 'Member must be a structure');
  return v as Input;
}

/**
 * Checks a resource name as AWS does: 1 to 80 characters, none of white space, `< > { } [ ]`,
 * `? *`, `" # % \ ^ | ~ \` $ & , ; : /` or control characters.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html#StepFunctions-CreateStateMachine-request-name
 */
export function checkName(name: string, what: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: AWS refuses control characters in names; the class lists them on purpose.
  const bad = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.exec(name);
  if (name.length === 0 || name.length > 80 || bad) {
    const why = bad ? `it contains ${JSON.stringify(bad[0])}` : `it has ${name.length} characters (1 to 80 allowed)`;
    throw new ApiError('InvalidName', `Invalid Name: '${name}' is not a valid ${what} name: ${why}`);
  }
}

/** Parses a JSON text member, with `error` naming the error type AWS returns for it. */
export function parseJson(text: string, member: string, type: 'InvalidExecutionInput' | 'InvalidOutput' | 'ValidationException'): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    const detail = (e as Error).message;
    const what =
      type === 'InvalidExecutionInput'
        ? apiMessages.invalidExecutionInput(detail)
        : type === 'InvalidOutput'
          ? apiMessages.invalidOutput(detail)
          : `Invalid ${member}: '${detail}'`;
    throw new ApiError(type, `${what} (the ${member} member must be JSON text)`);
  }
}

/** Opaque pagination tokens: an offset into a listing, bound to what is listed. */
export function pageToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

/** Reads a pagination token given back by the client. */
export function readPageToken(token: string | undefined, scope: string): number {
  if (token === undefined) return 0;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (t.s === scope && typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0) return t.o;
  } catch {
    // Reported below.
  }
  throw new ApiError('InvalidToken', `Invalid Token: '${token}' is not a nextToken this listing returned`);
}
