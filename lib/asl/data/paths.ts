// InputPath, OutputPath and ResultPath: compiled once per state.
import type { Json } from '../types';
import { causes } from '../causes';
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
    if (v === undefined) throw scope.runtimeError(causes.pathNotFound(p.source, bracketNotation(p)));
    return v;
  };
}

/** Merges a result into the state's raw input (ResultPath). */
export interface ResultMerger {
  (rawInput: Json, result: Json, scope: DataScope): Json;
  /**
   * For a ResultPath inside the input: the most bytes the merge adds beyond the input's and the
   * result's JSON, so an output's size can be bounded without walking it. Undefined otherwise.
   */
  readonly growth?: number;
  /** True for `$` (the result replaces the input). */
  readonly replaces?: boolean;
}

export function compileResultPath(path: string | null | undefined): ResultMerger {
  if (path === undefined || path === '$') return Object.assign((_input: Json, result: Json) => result, { replaces: true });
  if (path === null) return (input) => input;
  const p = parseJsonPath(path);
  if (!p.definite || p.root.kind !== 'input') throw new Error(`ResultPath '${path}' must be a reference path such as $.field or $.list[0]`);
  const merge = (input: Json, result: Json): Json => {
    const merged = setAtPath(input, p, result);
    if (merged === undefined) {
      throw new StatesError(StatesErrors.ResultPathMatchFailure, causes.resultPathMatchFailure(path, input));
    }
    return merged;
  };
  // A name segment may add a key (escaped: at most 6 bytes a character), quotes, colon, comma and
  // the braces of a new object; an index segment only replaces an existing element.
  let growth = 0;
  for (const seg of p.segments) growth += seg.kind === 'name' ? seg.name.length * 6 + 8 : 2;
  return Object.assign(merge, { growth });
}
