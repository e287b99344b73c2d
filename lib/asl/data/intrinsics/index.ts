// Intrinsic function calls (`States.Format('{}', $.a)`): parsed once into a tree, evaluated per use.
import { StatesError, StatesErrors } from '../../errors';
import type { Json } from '../../types';
import { parseJsonPath, type JsonPath } from '../json-path';
import { arrayFunctions } from './array';
import { encodingFunctions } from './encoding';
import { hashFunctions } from './hash';
import { jsonFunctions } from './json';
import { mathFunctions } from './math';
import { callIntrinsic, checkArity, type IntrinsicEnv, type IntrinsicFunction } from './signature';
import { stringFunctions } from './string';
import { uuidFunctions } from './uuid';

export type { IntrinsicEnv } from './signature';

/** Every intrinsic function AWS documents, by name. */
export const INTRINSICS: ReadonlyMap<string, IntrinsicFunction> = new Map(
  [...arrayFunctions, ...stringFunctions, ...jsonFunctions, ...mathFunctions, ...encodingFunctions, ...hashFunctions, ...uuidFunctions].map((f) => [f.name, f]),
);

/**
 * A parsed intrinsic argument. `invalid` is a string literal AWS accepts at creation but fails on
 * when it runs (a backslash that escapes nothing).
 */
export type IntrinsicArg =
  | { kind: 'literal'; value: Json }
  | { kind: 'path'; path: JsonPath }
  | { kind: 'call'; call: IntrinsicCall }
  | { kind: 'invalid'; message: string };

/** A parsed intrinsic call. */
export interface IntrinsicCall {
  readonly fn: IntrinsicFunction;
  readonly args: readonly IntrinsicArg[];
}

/** Thrown at compile time for a malformed call; the validator reports it with a pointer. */
export class IntrinsicSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntrinsicSyntaxError';
  }
}

/** Whether a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsic(expr: string): boolean {
  return expr.startsWith('States.');
}

/**
 * How deeply intrinsic calls may nest inside one another: AWS allows up to 10 nested intrinsic
 * functions within a field (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
 */
export const MAX_INTRINSIC_NESTING = 10;

/** Parses `States.Name(args...)`, checking function names, arity and argument paths. */
export function parseIntrinsic(expr: string): IntrinsicCall {
  const p = { pos: 0, depth: 0 };
  const call = parseCall(expr, p);
  skipWs(expr, p);
  if (p.pos !== expr.length) throw new IntrinsicSyntaxError(`Unexpected '${expr.slice(p.pos)}' after the intrinsic function call in '${expr}'`);
  return call;
}

type Cursor = { pos: number; depth: number };

function skipWs(s: string, p: Cursor): void {
  while (s[p.pos] === ' ' || s[p.pos] === '\t' || s[p.pos] === '\n') p.pos += 1;
}

function parseCall(s: string, p: Cursor): IntrinsicCall {
  p.depth += 1;
  if (p.depth > MAX_INTRINSIC_NESTING)
    throw new IntrinsicSyntaxError(
      `Intrinsic functions can be nested at most ${MAX_INTRINSIC_NESTING} deep in '${s.length > 200 ? `${s.slice(0, 200)}…` : s}'`,
    );
  const m = /^States\.[A-Za-z0-9]+/.exec(s.slice(p.pos));
  if (!m) throw new IntrinsicSyntaxError(`Expected an intrinsic function name at position ${p.pos} of '${s}'`);
  const fn = INTRINSICS.get(m[0]);
  if (!fn) throw new IntrinsicSyntaxError(`Unknown intrinsic function '${m[0]}' in '${s}'`);
  p.pos += m[0].length;
  skipWs(s, p);
  if (s[p.pos] !== '(') throw new IntrinsicSyntaxError(`Expected '(' after ${fn.name} in '${s}'`);
  p.pos += 1;
  const args: IntrinsicArg[] = [];
  skipWs(s, p);
  if (s[p.pos] === ')') {
    p.pos += 1;
  } else {
    for (;;) {
      skipWs(s, p);
      args.push(parseArg(s, p));
      skipWs(s, p);
      const c = s[p.pos];
      p.pos += 1;
      if (c === ')') break;
      if (c !== ',') throw new IntrinsicSyntaxError(`Expected ',' or ')' in the arguments of ${fn.name} in '${s}'`);
    }
  }
  const arity = checkArity(fn, args.length);
  if (arity) throw new IntrinsicSyntaxError(arity);
  p.depth -= 1;
  return { fn, args };
}

function parseArg(s: string, p: Cursor): IntrinsicArg {
  const c = s[p.pos];
  if (c === "'") {
    let out = '';
    p.pos += 1;
    let invalid: string | undefined;
    while (p.pos < s.length && s[p.pos] !== "'") {
      // \' and \\ are unescaped here; \{ and \} stay for States.Format to read. Any other escape
      // is an error when the call runs, as on AWS.
      if (s[p.pos] === '\\') {
        const e = s[p.pos + 1];
        if (e === "'" || e === '\\') p.pos += 1;
        else if (e !== '{' && e !== '}' && invalid === undefined) invalid = `\\${e ?? ''}`;
      }
      out += s[p.pos];
      p.pos += 1;
    }
    if (p.pos >= s.length) throw new IntrinsicSyntaxError(`Unterminated string literal in '${s}'`);
    p.pos += 1;
    if (invalid !== undefined) {
      return {
        kind: 'invalid',
        message: `The string literal '${out}' in '${s}' has the escape sequence '${invalid}', which escapes nothing: only \\', \\{, \\} and \\\\ are escapes in intrinsic functions`,
      };
    }
    return { kind: 'literal', value: out };
  }
  if (c === '$') {
    const start = p.pos;
    let depth = 0;
    let quote: string | undefined;
    while (p.pos < s.length) {
      const ch = s.charAt(p.pos);
      if (quote) {
        // A backslash inside a quoted name escapes the next character (`$['it\'s']`).
        if (ch === '\\') p.pos += 1;
        else if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '[' || ch === '(') depth += 1;
      else if (ch === ']' || (ch === ')' && depth > 0)) depth -= 1;
      else if (depth === 0 && (ch === ',' || ch === ')' || ch === ' ')) break;
      p.pos += 1;
    }
    const src = s.slice(start, p.pos);
    try {
      return { kind: 'path', path: parseJsonPath(src) };
    } catch (e) {
      throw new IntrinsicSyntaxError(`Invalid path '${src}' in '${s}': ${(e as Error).message}`);
    }
  }
  if (s.startsWith('States.', p.pos)) return { kind: 'call', call: parseCall(s, p) };
  const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(s.slice(p.pos));
  if (!m) throw new IntrinsicSyntaxError(`Unexpected argument '${s.slice(p.pos)}' in '${s}'`);
  p.pos += m[0].length;
  return { kind: 'literal', value: JSON.parse(m[0]) as Json };
}

/** Evaluates a parsed call; `resolve` reads a path argument (raising its own error when missing). */
export function evaluateIntrinsic(call: IntrinsicCall, resolve: (path: JsonPath) => Json, env: IntrinsicEnv): Json {
  const values: Json[] = [];
  for (const arg of call.args) {
    if (arg.kind === 'invalid') throw new StatesError(StatesErrors.Runtime, arg.message);
    values.push(arg.kind === 'literal' ? arg.value : arg.kind === 'path' ? resolve(arg.path) : evaluateIntrinsic(arg.call, resolve, env));
  }
  return callIntrinsic(call.fn, values, env);
}

/** Collects every path an intrinsic call reads (for static checks). */
export function intrinsicPaths(call: IntrinsicCall): JsonPath[] {
  return call.args.flatMap((a) => (a.kind === 'path' ? [a.path] : a.kind === 'call' ? intrinsicPaths(a.call) : []));
}
