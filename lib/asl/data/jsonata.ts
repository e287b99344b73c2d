// JSONata as Step Functions runs it: `{% expr %}` strings anywhere in a value, parsed once, with
// `$states` and the workflow variables bound, AWS's added functions, no `$eval`, and a time and
// depth budget so a hostile expression cannot hang a run.
import type jsonata from 'jsonata';
import type { Json } from '../types';
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

/** Evaluation budget: AWS bounds expression cost; locally a runaway expression fails instead of hanging. */
export const JSONATA_BUDGET = { maxDepth: 500, maxMillis: 1000 } as const;

const EXPR = /^\{%([\s\S]*)%\}$/;

/** True when a string is a whole `{% … %}` JSONata expression. */
export function isJsonataExpression(v: unknown): v is string {
  return typeof v === 'string' && EXPR.test(v);
}

type Node = jsonata.ExprNode & { procedure?: { value?: string; type?: string } };

function findEval(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as Node;
  if (n.type === 'function' && n.procedure?.type === 'variable' && n.procedure.value === 'eval') return true;
  return Object.values(n).some((v) => (Array.isArray(v) ? v.some(findEval) : typeof v === 'object' && findEval(v)));
}

interface Budget {
  depth: number;
  started: number;
}

const ENTRY = Symbol.for('jsonata.__evaluate_entry');
const EXIT = Symbol.for('jsonata.__evaluate_exit');
const BUDGET = '__stepwiseBudget';

// Loaded on first use: most machines are JSONPath-only, and the library is a large share of start-up.
let jsonataLib: typeof jsonata | undefined;

function compileExpression(source: string, field: string): jsonata.Expression {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jsonataLib ??= require('jsonata') as typeof jsonata;
  let expr: jsonata.Expression;
  try {
    expr = jsonataLib(source);
  } catch (e) {
    const err = e as { message?: string; position?: number };
    throw new Error(`The JSONata expression '${source.trim()}' in ${field} does not parse: ${err.message ?? String(e)}`);
  }
  if (findEval(expr.ast())) throw new Error(`The JSONata expression '${source.trim()}' in ${field} uses $eval, which Step Functions does not support`);
  const assign = expr.assign as unknown as (name: symbol, value: unknown) => void;
  assign.call(expr, ENTRY, (_e: unknown, _i: unknown, env: jsonata.Environment) => {
    const b = env.lookup(BUDGET) as Budget | undefined;
    if (!b) return;
    b.depth += 1;
    if (b.depth > JSONATA_BUDGET.maxDepth) throw new Error(`the expression exceeded the evaluation depth limit of ${JSONATA_BUDGET.maxDepth}`);
    if (Date.now() - b.started > JSONATA_BUDGET.maxMillis) throw new Error(`the expression ran longer than ${JSONATA_BUDGET.maxMillis} ms`);
  });
  assign.call(expr, EXIT, (_e: unknown, _i: unknown, env: jsonata.Environment) => {
    const b = env.lookup(BUDGET) as Budget | undefined;
    if (b) b.depth -= 1;
  });
  return expr;
}

/** AWS's added functions, bound per evaluation so they use the execution's seeded source. */
function awsFunctions(scope: DataScope): Record<string, unknown> {
  return {
    partition: (arr: unknown, size: unknown) => {
      if (!Array.isArray(arr) || typeof size !== 'number' || !Number.isInteger(size) || size <= 0) throw new Error('$partition expects an array and a positive integer size');
      const out: unknown[] = [];
      for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
      return out;
    },
    range: (start: unknown, end: unknown, step: unknown) => {
      if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number' || step === 0) throw new Error('$range expects start, end and a non-zero step');
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
  if (typeof value === 'string' && EXPR.test(value)) {
    const source = (EXPR.exec(value) as RegExpExecArray)[1] as string;
    let expr: jsonata.Expression;
    try {
      expr = compileExpression(source, field);
    } catch (e) {
      problems.push({ pointer, message: (e as Error).message });
      return () => Promise.resolve(null);
    }
    const shown = source.trim();
    return async (states, scope) => {
      const bindings: Record<string, unknown> = { ...scope.variables(), ...awsFunctions(scope) };
      bindings.states = { input: states.input, context: states.context ?? scope.context(), ...(states.result !== undefined ? { result: states.result } : {}), ...(states.errorOutput !== undefined ? { errorOutput: states.errorOutput } : {}) };
      bindings[BUDGET] = { depth: 0, started: Date.now() } satisfies Budget;
      let out: unknown;
      try {
        out = await expr.evaluate(states.input, bindings);
      } catch (e) {
        const msg = (e as { message?: string }).message ?? String(e);
        throw scope.evaluationError(`The JSONata expression '${shown}' specified for the field '${field}' threw an error: ${msg}`);
      }
      let json: Json | undefined;
      try {
        json = toJson(out);
      } catch (e) {
        throw scope.evaluationError(`The JSONata expression '${shown}' specified for the field '${field}' ${(e as Error).message}`);
      }
      if (json === undefined) throw scope.evaluationError(`The JSONata expression '${shown}' specified for the field '${field}' returned nothing (undefined).`);
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
    const entries = Object.entries(value).map(([k, v]) => [k, compileJsonataTemplate(v as Json, `${field}/${k}`, problems, `${pointer}/${pointerEscape(k)}`)] as const);
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
