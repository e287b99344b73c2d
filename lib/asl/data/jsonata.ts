// JSONata as Step Functions runs it: `{% expr %}` strings anywhere in a value, parsed once, with
// `$states` and the workflow variables bound, AWS's added functions, no `$eval`, and a budget of
// time, depth and memory that the expression cannot switch off, so a hostile one cannot hang a run
// or exhaust the heap. Regular expressions run on RE2 (re2js): linear time, no catastrophic backtracking.
import type jsonata from 'jsonata';
import type { RE2JS } from 're2js';
import { re2 } from './re2';
import type { Json } from '../types';
import { causes } from '../causes';
import { cloneJson } from './isolate';
import { HASH_ALGORITHMS, hashHex } from './intrinsics/hash';
import { pointerEscape, type TemplateProblem } from './payload-template';
import type { DataScope } from './scope';

/** What `$states` holds while a field is evaluated. */
export interface StatesBinding {
  input: Json;
  result?: Json;
  errorOutput?: Json;
  /** Overrides the context object (ItemSelector adds `Map.Item`). */
  context?: Json;
}

/** A compiled JSONata value template; always asynchronous, as the jsonata library is. */
export type JsonataEvaluator = (states: StatesBinding, scope: DataScope) => Promise<Json>;

/**
 * Evaluation budget: AWS bounds expression cost; locally a runaway expression fails with
 * States.QueryEvaluationError instead of hanging or exhausting memory. `maxString` and `maxArray`
 * bound any one value an expression builds (checked before `$pad` and the range operator
 * allocate, after every other step), `maxCells` the string characters and array elements built
 * over the whole evaluation.
 */
export const JSONATA_BUDGET = { maxDepth: 500, maxMillis: 1000, maxString: 5_000_000, maxArray: 1_000_000, maxCells: 50_000_000 } as const;

const EXPR = /^\{%([\s\S]*)%\}$/;

/** True when a string is a whole `{% … %}` JSONata expression. */
export function isJsonataExpression(v: unknown): v is string {
  return typeof v === 'string' && EXPR.test(v);
}

type Node = jsonata.ExprNode & { procedure?: { value?: string; type?: string } };

/** Visits every node of a parsed expression without recursion (a parsed expression can be deep). */
function walkAst(root: unknown, visit: (n: Node) => void): void {
  const stack: unknown[] = [root];
  const seen = new Set<unknown>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (!Array.isArray(node)) visit(node as Node);
    for (const v of Object.values(node)) if (v && typeof v === 'object' && !(v instanceof RegExp)) stack.push(v);
  }
}

interface Budget {
  depth: number;
  started: number;
  cells: number;
  /** The left operand of each range operator being evaluated. */
  rangeStart: Map<unknown, unknown>;
}

const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');
// A binding name no expression can write (`$` names stop at a space), so `$x := …` cannot replace it.
const BUDGET = 'stepwise budget';
// Marks on the operands of `..` (set once per parsed expression).
const RANGE_START = Symbol('range start');
const RANGE_END = Symbol('range end');

function budgetError(what: string): Error {
  return new Error(`the expression exceeded its budget: ${what}`);
}

function flagsOf(re: RegExp): number {
  return (re.flags.includes('i') ? re2().CASE_INSENSITIVE : 0) | (re.flags.includes('m') ? re2().MULTILINE : 0);
}

/**
 * The regular expression engine JSONata is given (its `RegexEngine` option): RE2 semantics in
 * linear time, behind the small part of the RegExp interface JSONata uses (`exec`, `lastIndex`).
 */
class Re2Engine {
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(source: RegExp) {
    this.re = re2().compile(source.source, flagsOf(source));
  }

  exec(text: string): ((string | undefined)[] & { index: number }) | null {
    const m = this.re.matcher(text);
    if (this.lastIndex > text.length || !m.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const out = [m.group(0) ?? ''] as (string | undefined)[] & { index: number };
    for (let g = 1; g <= m.groupCount(); g++) out.push(m.group(g) ?? undefined);
    out.index = m.start();
    this.lastIndex = m.end();
    return out;
  }
}

/**
 * Whether an expression keeps singleton arrays (`arr[]`): JSONata marks the array it returns by
 * setting a property on it, which may be an array of the data it reads. The interpreter's data is
 * shared with the history and never written to (payload isolation), so such expressions read
 * copies; every other one reads the data itself.
 */
function keepsArrays(ast: unknown): boolean {
  let keeps = false;
  walkAst(ast, (n) => {
    const flags = n as { keepArray?: boolean; keepSingletonArray?: boolean };
    if (flags.keepArray || flags.keepSingletonArray) keeps = true;
  });
  return keeps;
}

/** Refuses, at compile time, what Step Functions does not run and what RE2 cannot match. */
function checkAst(ast: unknown): string | undefined {
  let problem: string | undefined;
  walkAst(ast, (n) => {
    if (problem) return;
    // Any reference to $eval (called, aliased or applied with ~>); it is also unbound at run time.
    if (n.type === 'variable' && n.value === 'eval') problem = 'uses $eval, which Step Functions does not support';
    else if ((n.type as string) === 'regex' && n.value instanceof RegExp) {
      try {
        re2().compile(n.value.source, flagsOf(n.value));
      } catch (e) {
        problem = `uses the regular expression /${n.value.source}/, which needs a feature the linear-time RE2 engine does not have (back-references or look-around): ${(e as Error).message}`;
      }
    } else if (n.type === 'binary' && n.value === '..') {
      const b = n as unknown as { lhs?: Record<symbol, boolean>; rhs?: Record<symbol, boolean> };
      if (b.lhs) b.lhs[RANGE_START] = true;
      if (b.rhs) b.rhs[RANGE_END] = true;
    }
  });
  return problem;
}

// Loaded on first use: most machines are JSONPath-only, and the library is a large share of start-up.
let jsonataLib: typeof jsonata | undefined;

function compileExpression(source: string, field: string): jsonata.Expression {
  jsonataLib ??= require('jsonata') as typeof jsonata;
  let expr: jsonata.Expression;
  try {
    // The engine is read when a regex is evaluated, from a global the last compile set: every
    // expression is compiled with it, and nothing else in the interpreter compiles JSONata.
    expr = jsonataLib(source, { RegexEngine: Re2Engine } as unknown as jsonata.JsonataOptions);
  } catch (e) {
    const err = e as { message?: string; position?: number };
    throw new Error(`The JSONata expression '${source.trim()}' in ${field} does not parse: ${err.message ?? String(e)}`);
  }
  const problem = checkAst(expr.ast());
  if (problem) throw new Error(`The JSONata expression '${source.trim()}' in ${field} ${problem}`);
  const assign = expr.assign as unknown as (name: symbol, value: unknown) => void;
  assign.call(expr, ENTRY, (_e: unknown, _i: unknown, env: jsonata.Environment) => {
    const b = env.lookup(BUDGET) as Budget | undefined;
    if (!b) throw budgetError('its budget is missing');
    b.depth += 1;
    if (b.depth > JSONATA_BUDGET.maxDepth) throw new Error(`the expression exceeded the evaluation depth limit of ${JSONATA_BUDGET.maxDepth}`);
    if (Date.now() - b.started > JSONATA_BUDGET.maxMillis) throw new Error(`the expression ran longer than ${JSONATA_BUDGET.maxMillis} ms`);
  });
  assign.call(expr, EXIT, (e: Record<symbol, boolean>, _i: unknown, env: jsonata.Environment, result: unknown) => {
    const b = env.lookup(BUDGET) as Budget | undefined;
    if (!b) throw budgetError('its budget is missing');
    b.depth -= 1;
    if (e[RANGE_START]) b.rangeStart.set(e, result);
    if (e[RANGE_END] && typeof result === 'number') {
      // Checked before the range operator allocates its array.
      for (const start of b.rangeStart.values()) {
        if (typeof start === 'number' && result - start + 1 > JSONATA_BUDGET.maxArray)
          throw budgetError(`a range of ${result - start + 1} numbers is longer than ${JSONATA_BUDGET.maxArray.toLocaleString('en-US')}`);
      }
      b.rangeStart.clear();
    }
    const size = typeof result === 'string' || Array.isArray(result) ? result.length : 0;
    if (size === 0) return;
    if (typeof result === 'string' && size > JSONATA_BUDGET.maxString)
      throw budgetError(`a string of ${size} characters is longer than ${JSONATA_BUDGET.maxString.toLocaleString('en-US')}`);
    if (Array.isArray(result) && size > JSONATA_BUDGET.maxArray)
      throw budgetError(`an array of ${size} elements is longer than ${JSONATA_BUDGET.maxArray.toLocaleString('en-US')}`);
    b.cells += size;
    if (b.cells > JSONATA_BUDGET.maxCells)
      throw budgetError(`it built more than ${JSONATA_BUDGET.maxCells.toLocaleString('en-US')} string characters and array elements`);
  });
  return expr;
}

/** A JSONata built-in function as the library defines it: an implementation and its signature. */
interface JsonataFunction {
  _jsonata_function: true;
  implementation: (...args: unknown[]) => unknown;
  signature?: unknown;
}

let guarded: Promise<Record<string, unknown>> | undefined;

/**
 * Built-in functions replaced for the budget, bound per evaluation so they shadow JSONata's own:
 * `$eval` is unbound however it is reached, and `$pad` (which allocates in one native step) has its
 * width checked before it runs. The originals' signatures are kept, so argument checks and
 * context arguments (`"x" ~> $pad(5)`) behave as before.
 */
function guardedFunctions(): Promise<Record<string, unknown>> {
  guarded ??= (async () => {
    const lib = jsonataLib as typeof jsonata;
    const pad = (await lib('$pad').evaluate({})) as JsonataFunction;
    return {
      eval: () => {
        throw new Error('$eval is not supported by Step Functions');
      },
      pad: {
        ...pad,
        implementation: (str: unknown, width: unknown, char?: unknown) => {
          if (typeof width === 'number' && Math.abs(width) > JSONATA_BUDGET.maxString)
            throw budgetError(`$pad to ${Math.abs(width)} characters is longer than ${JSONATA_BUDGET.maxString.toLocaleString('en-US')}`);
          return pad.implementation(str, width, char);
        },
      } satisfies JsonataFunction,
    };
  })();
  return guarded;
}

/** AWS's added functions, bound per evaluation so they use the execution's seeded source. */
function awsFunctions(scope: DataScope): Record<string, unknown> {
  return {
    partition: (arr: unknown, size: unknown) => {
      if (!Array.isArray(arr) || typeof size !== 'number' || !Number.isInteger(size) || size <= 0)
        throw new Error('$partition expects an array and a positive integer size');
      const out: unknown[] = [];
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
      return out;
    },
    range: (start: unknown, end: unknown, step: unknown) => {
      if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number' || step === 0)
        throw new Error('$range expects start, end and a non-zero step');
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        out.push(v);
        if (out.length > 1000) throw new Error('$range would return more than 1000 elements');
      }
      return out;
    },
    hash: (value: unknown, algorithm: unknown) => {
      const digest = hashHex(typeof value === 'string' ? value : JSON.stringify(value), algorithm);
      if (digest === undefined) throw new Error(`$hash: unsupported algorithm ${JSON.stringify(algorithm)}; use one of ${HASH_ALGORITHMS.join(', ')}`);
      return digest;
    },
    random: (seed?: unknown) => {
      if (typeof seed === 'number') {
        const x = Math.sin(seed) * 10000;
        return x - Math.floor(x);
      }
      return scope.env.random();
    },
    uuid: () => scope.env.uuid(),
    parse: (text: unknown) => {
      if (typeof text !== 'string') throw new Error('$parse expects a JSON string');
      return JSON.parse(text) as unknown;
    },
  };
}

/** Converts JSONata's result to plain JSON (sequences become arrays, functions are refused). */
function toJson(v: unknown): Json | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'function') throw new Error('the expression returned a function, which is not JSON');
  return JSON.parse(JSON.stringify(v)) as Json;
}

/**
 * Compiles a value that may contain `{% %}` expressions (Arguments, Output, Assign, Items, …).
 * `field` names it in errors the way AWS does (`Output/result`).
 */
export function compileJsonataTemplate(value: Json, field: string, problems: TemplateProblem[], pointer = ''): JsonataEvaluator {
  const source = typeof value === 'string' ? EXPR.exec(value)?.[1] : undefined;
  if (source !== undefined) {
    let expr: jsonata.Expression;
    try {
      expr = compileExpression(source, field);
    } catch (e) {
      problems.push({ pointer, message: (e as Error).message });
      return () => Promise.resolve(null);
    }
    const shown = source.trim();
    const copies = keepsArrays(expr.ast());
    const read = copies ? (v: Json) => cloneJson(v) : (v: Json) => v;
    return async (states, scope) => {
      let variables = scope.variables();
      if (copies) variables = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, read(v)]));
      const bindings: Record<string, unknown> = { ...variables, ...awsFunctions(scope), ...(await guardedFunctions()) };
      const input = read(states.input);
      bindings.states = {
        input,
        context: read(states.context ?? scope.context()),
        ...(states.result !== undefined ? { result: read(states.result) } : {}),
        ...(states.errorOutput !== undefined ? { errorOutput: read(states.errorOutput) } : {}),
      };
      bindings[BUDGET] = { depth: 0, started: Date.now(), cells: 0, rangeStart: new Map() } satisfies Budget;
      let out: unknown;
      try {
        out = await expr.evaluate(input, bindings);
      } catch (e) {
        const msg = (e as { message?: string }).message ?? String(e);
        throw scope.evaluationError(causes.jsonataThrew(shown, field, msg));
      }
      let json: Json | undefined;
      try {
        json = toJson(out);
      } catch (e) {
        throw scope.evaluationError(causes.jsonataNotJson(shown, field, (e as Error).message));
      }
      if (json === undefined) throw scope.evaluationError(causes.jsonataReturnedNothing(shown, field));
      return json;
    };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileJsonataTemplate(v, `${field}/${i}`, problems, `${pointer}/${i}`));
    return async (states, scope) => {
      const out: Json[] = [];
      for (const f of items) out.push(await f(states, scope));
      return out;
    };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(
      ([k, v]) => [k, compileJsonataTemplate(v as Json, `${field}/${k}`, problems, `${pointer}/${pointerEscape(k)}`)] as const,
    );
    return async (states, scope) => {
      const out: Record<string, Json> = {};
      for (const [k, f] of entries) {
        const v = await f(states, scope);
        // Assigning `__proto__` would set the prototype: it is a plain field, as in JSONPath templates.
        if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        else out[k] = v;
      }
      return out;
    };
  }
  return () => Promise.resolve(value);
}
