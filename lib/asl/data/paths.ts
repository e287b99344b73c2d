// InputPath, OutputPath and ResultPath: compiled once per state.
import type { Json } from '../types';
import { StatesError, StatesErrors } from '../errors';
import { bracketNotation, parseJsonPath, setAtPath } from './json-path';
import { lookupPath, type DataScope } from './scope';

/** Selects part of a value (InputPath / OutputPath). */
export type PathSelector = (value: Json, scope: DataScope) => Json;

/**
 * Compiles InputPath or OutputPath: `undefined` keeps the value, `null` gives `{}`, a path
 * selects (missing → States.Runtime, worded as AWS does).
 */
export function compileSelector(path: string | null | undefined): PathSelector | undefined {
  if (path === undefined || path === '$') return undefined;
  if (path === null) return () => ({});
  const p = parseJsonPath(path);
  return (value, scope) => {
    const v = lookupPath(p, value, scope);
    if (v === undefined) throw scope.runtimeError(`Invalid path '${p.source}' : No results for path: ${bracketNotation(p)}`);
    return v;
  };
}

/** Merges a result into the state's raw input (ResultPath). */
export type ResultMerger = (rawInput: Json, result: Json, scope: DataScope) => Json;

/** Compiles ResultPath: `undefined`/`$` → the result, `null` → the input, a path → merged copy. */
export function compileResultPath(path: string | null | undefined): ResultMerger {
  if (path === undefined || path === '$') return (_input, result) => result;
  if (path === null) return (input) => input;
  const p = parseJsonPath(path);
  if (!p.definite || p.root.kind !== 'input') throw new Error(`ResultPath '${path}' must be a reference path such as $.field or $.list[0]`);
  return (input, result) => {
    const merged = setAtPath(input, p, result);
    if (merged === undefined) {
      throw new StatesError(
        StatesErrors.ResultPathMatchFailure,
        `Unable to apply ResultPath '${path}' to input '${JSON.stringify(input)}': the path crosses a value that is not an object.`,
      );
    }
    return merged;
  };
}
