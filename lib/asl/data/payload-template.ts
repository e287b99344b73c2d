// Payload templates (Parameters, ResultSelector, ItemSelector): keys ending in `.$` take their
// value from a path or an intrinsic call. Analysed once; constant sub-trees are returned as is.
import type { Json, JsonObject } from '../types';
import { causes } from '../causes';
import { cloneJson, freezeDeep } from './isolate';
import { evaluateIntrinsic, isIntrinsic, parseIntrinsic, type IntrinsicCall } from './intrinsics';
import { evaluatePath, parseJsonPath, type JsonPath } from './json-path';
import { pathRoot, type DataScope, type Evaluator } from './scope';

/** A problem found while compiling, located by a JSON pointer relative to the template. */
export interface TemplateProblem {
  pointer: string;
  message: string;
}

/** Escapes a key for use in a JSON pointer. */
export function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reads a path for a template field, raising AWS's error when a definite path finds nothing. */
export function readPath(path: JsonPath, input: Json, scope: DataScope, field: string): Json {
  const root = pathRoot(path, input, scope);
  if (root === undefined) throw scope.runtimeError(causes.variableNotAssigned((path.root as { name: string }).name, field));
  const v = evaluatePath(path, root);
  if (v === undefined) throw scope.runtimeError(causes.jsonPathNotFound(path.source, field, input));
  return v;
}

/** Compiles a dynamic value (`"$.a"`, `"$$.Map.Item.Value"`, `"States.Format(...)"`) for the field `field`. */
export function compileDynamic(expr: string, field: string): Evaluator {
  if (isIntrinsic(expr)) {
    const call: IntrinsicCall = parseIntrinsic(expr);
    return (input, scope) => evaluateIntrinsic(call, (p) => readPath(p, input, scope, field), scope.env);
  }
  const path = parseJsonPath(expr);
  return (input, scope) => readPath(path, input, scope, field);
}

/**
 * Compiles a payload template. Problems (bad paths, unknown intrinsics, non-string `.$` values)
 * are collected rather than thrown so validation reports all of them.
 */
export function compileTemplate(template: Json, problems: TemplateProblem[], pointer = ''): Evaluator {
  if (Array.isArray(template)) {
    const items = template.map((t, i) => compileTemplate(t, problems, `${pointer}/${i}`));
    if (template.every(isConstant)) return constant(template, problems, pointer);
    return (input, scope) => items.map((f) => f(input, scope));
  }
  if (typeof template !== 'object' || template === null) return () => template;
  if (isConstant(template)) return constant(template, problems, pointer);
  const entries: [string, Evaluator][] = [];
  for (const [key, value] of Object.entries(template)) {
    const ptr = `${pointer}/${pointerEscape(key)}`;
    if (key.endsWith('.$')) {
      if (typeof value !== 'string') {
        problems.push({ pointer: ptr, message: `The value of '${key}' must be a JSONPath or intrinsic function string, got ${JSON.stringify(value)}` });
        continue;
      }
      try {
        entries.push([key.slice(0, -2), compileDynamic(value, key)]);
      } catch (e) {
        problems.push({ pointer: ptr, message: (e as Error).message });
      }
    } else {
      entries.push([key, compileTemplate(value as Json, problems, ptr)]);
    }
  }
  return objectBuilder(entries);
}

/**
 * Builds the template's object as one object literal with its keys written out, compiled once:
 * V8 then gives every output the same shape, several times faster than adding keys one by one to
 * `{}` on every state. Keys are JSON-quoted, so any key is safe; `__proto__` (which a literal
 * would treat as the prototype) is added as an own property instead.
 */
const factories = new Map<string, (fns: Evaluator[]) => Evaluator>();

function objectBuilder(entries: readonly [string, Evaluator][]): Evaluator {
  const fns = entries.map(([, f]) => f);
  const literal = entries.map(([k], i) => (k === '__proto__' ? undefined : `${JSON.stringify(k)}: f[${i}](input, scope)`)).filter((x) => x !== undefined);
  let build: Evaluator;
  try {
    // One factory per literal text, shared by every template with the same keys: their functions
    // then share V8's feedback and optimized code, where a factory each (a definition that repeats
    // a template 1,000 times) left 1,000 functions to warm up and optimize one by one.
    const text = `return function template(input, scope) { return { ${literal.join(', ')} }; };`;
    let factory = factories.get(text);
    if (factory === undefined) {
      if (factories.size >= 4096) factories.clear();
      factory = new Function('f', text) as (fns: Evaluator[]) => Evaluator;
      factories.set(text, factory);
    }
    build = factory(fns);
  } catch {
    // Code generation is disallowed (--disallow-code-generation-from-strings): add keys one by one.
    build = (input, scope) => {
      const out: JsonObject = {};
      for (const [k, f] of entries) if (k !== '__proto__') out[k] = f(input, scope);
      return out;
    };
  }
  const proto = entries.find(([k]) => k === '__proto__')?.[1];
  if (proto === undefined) return build;
  return (input, scope) => {
    const out = build(input, scope) as JsonObject;
    Object.defineProperty(out, '__proto__', { value: proto(input, scope), enumerable: true, writable: true, configurable: true });
    return out;
  };
}

/**
 * A constant sub-tree, returned as is by every evaluation: a frozen copy, so that no output (which
 * shares it) can change the definition or what later executions get.
 */
function constant(template: Json, problems: TemplateProblem[], pointer: string): Evaluator {
  let value: Json;
  try {
    value = freezeDeep(cloneJson(template, 'template'));
  } catch (e) {
    problems.push({ pointer, message: (e as Error).message });
    value = null;
  }
  return () => value;
}

function isConstant(t: Json): boolean {
  if (Array.isArray(t)) return t.every(isConstant);
  if (typeof t !== 'object' || t === null) return true;
  for (const [k, v] of Object.entries(t)) if (k.endsWith('.$') || !isConstant(v as Json)) return false;
  return true;
}
