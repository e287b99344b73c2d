// Shared pieces of the state modules: the compile-time field helpers and the input/output
// processing of both query languages. JSONPath: InputPath → Parameters → … → ResultSelector →
// Assign/ResultPath → OutputPath. JSONata: Arguments → … → Assign and Output over `$states`.
import type { StatesBinding } from '../data/jsonata';
import type { PathSelector, ResultMerger } from '../data/paths';
import type { DataScope, Evaluator } from '../data/scope';
import { sizeBound } from '../data/size';
import type { CompiledMachine, StateScope, StepResult } from '../runtime';
import type { Json, JsonObject, MachineDefinition, QueryLanguage, StateDefinition } from '../types';

/** A value now or later: JSONPath work is synchronous, JSONata work is not. */
export type Maybe<T> = T | Promise<T>;

/** A compiled value: synchronous for JSONPath templates, asynchronous for JSONata ones. */
export type ValueFn = (states: StatesBinding, scope: DataScope) => Maybe<Json>;

/** What a state module may ask of the compiler while compiling one state. */
export interface StateCompiler {
  readonly name: string;
  readonly def: StateDefinition;
  /** JSON pointer of the state, e.g. `/States/Pay`. */
  readonly pointer: string;
  /** The state's Next, or undefined when it ends its machine. */
  readonly next: string | undefined;
  /** The query language in force for this state. */
  readonly queryLanguage: QueryLanguage;
  /** Reports a problem at `<state pointer>/<field>` (field may itself be a sub-pointer). */
  problem(field: string, message: string): void;
  selector(field: 'InputPath' | 'OutputPath' | 'ItemsPath'): PathSelector | undefined;
  template(field: 'Parameters' | 'ResultSelector' | 'ItemSelector'): Evaluator | undefined;
  resultPath(): ResultMerger;
  /** Compiles a `…Path` field (a path or, where AWS allows, an intrinsic call). */
  dynamic(field: string, allowIntrinsic: boolean): Evaluator | undefined;
  /** Compiles a JSONata-state value (a literal or one with `{% %}` expressions), named `field` in errors. */
  jsonata(value: Json | undefined, field: string, pointer?: string): ValueFn | undefined;
  /** Compiles an Assign block for the current language (`$` / `$states` as the basis). */
  assign(value: JsonObject | undefined, pointer: string): AssignFn | undefined;
  /** Compiles a nested machine (Parallel branch, Map processor). */
  machine(def: MachineDefinition | undefined, pointer: string): CompiledMachine;
}

/** Evaluates an Assign block: JSONPath reads `basis` as `$`, JSONata reads `$states`. */
export type AssignFn = (basis: Json, states: StatesBinding, scope: DataScope) => Maybe<JsonObject>;

/** The input and output processing of a state, compiled once. */
export interface DataFlow {
  readonly jsonata: boolean;
  /** JSONPath: the input after InputPath (what Choice, Wait and Map read). JSONata: the raw input. */
  effective(raw: Json, scope: DataScope): Json;
  /** JSONPath: InputPath then Parameters. JSONata: Arguments (default: the raw input). */
  args(raw: Json, scope: DataScope): Maybe<Json>;
  /**
   * JSONPath: ResultSelector, Assign, ResultPath, OutputPath. JSONata: Assign and Output.
   * Returns the state's step (going to `next`); synchronous for JSONPath. `resultSize`, when the
   * caller knows it, bounds the result's JSON size so it need not be walked again.
   */
  finish(raw: Json, result: Json, scope: DataScope, next: string | undefined, resultSize?: number): Maybe<StepResult>;
}

/** Chains a step after a value that may be a promise, staying synchronous when it is not. */
export function then<T, U>(v: Maybe<T>, f: (t: T) => Maybe<U>): Maybe<U> {
  return isPromise(v) ? v.then(f) : f(v);
}

/** True for a thenable. */
export function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  // Every asynchronous value inside the interpreter is a native promise (jsonata's included).
  return v instanceof Promise;
}

/** Builds the data flow for the fields a state type supports, in the state's query language. */
export function dataFlow(c: StateCompiler, fields: { parameters?: boolean; resultSelector?: boolean; resultPath?: boolean }): DataFlow {
  const assign = c.assign(c.def.Assign, 'Assign');
  if (c.queryLanguage === 'JSONata') {
    const args = fields.parameters ? c.jsonata(c.def.Arguments, 'Arguments') : undefined;
    const output = c.jsonata(c.def.Output, 'Output');
    return {
      jsonata: true,
      effective: (raw) => raw,
      args: (raw, scope) => (args ? args({ input: raw }, scope) : raw),
      finish(raw, result, scope, next) {
        const states: StatesBinding = { input: raw, result };
        return then(assign ? assign(result, states, scope) : undefined, (assigned) =>
          then(output ? output(states, scope) : result, (out): StepResult => ({ next, output: out, assigned })),
        );
      },
    };
  }
  const inputPath = c.selector('InputPath');
  const parameters = fields.parameters ? c.template('Parameters') : undefined;
  const resultSelector = fields.resultSelector ? c.template('ResultSelector') : undefined;
  const resultPath = fields.resultPath ? c.resultPath() : undefined;
  const outputPath = c.selector('OutputPath');
  return {
    jsonata: false,
    effective: (raw, scope) => (inputPath ? inputPath(raw, scope) : raw),
    args(raw, scope) {
      const v = inputPath ? inputPath(raw, scope) : raw;
      return parameters ? parameters(v, scope) : v;
    },
    // Straight-line and synchronous: this runs on every JSONPath state, the interpreter's hot path.
    finish(raw, result, scope, next, resultSize) {
      const selected = resultSelector ? resultSelector(result, scope) : result;
      const assigned = assign ? (assign(selected, { input: raw, result }, scope) as JsonObject) : undefined;
      const merged = resultPath ? resultPath(raw, selected, scope) : selected;
      const output = outputPath ? outputPath(merged, scope) : merged;
      // The output's size bound, when it comes cheaper than walking the output: merged into the
      // input, it is at most the input's bound plus the result's (an OutputPath only selects part
      // of it), so a long chain of states merging into the same input stays cheap.
      const known = selected === result ? resultSize : undefined;
      if (resultPath?.growth !== undefined) {
        const inputSize = (scope as StateScope).inputSize;
        if (inputSize === undefined) return { next, output, assigned };
        return { next, output, assigned, size: inputSize + (known ?? sizeBound(selected)) + resultPath.growth };
      }
      if (known !== undefined && (!resultPath || resultPath.replaces)) return { next, output, assigned, size: known };
      return { next, output, assigned };
    },
  };
}

/**
 * Reads a field that JSONata states may write as `{% %}` and JSONPath states as a literal or a
 * `…Path` field: returns a function giving the value (undefined when the field is absent).
 */
export function numberOrExpression(
  c: StateCompiler,
  field:
    | 'Seconds'
    | 'Timestamp'
    | 'TimeoutSeconds'
    | 'HeartbeatSeconds'
    | 'MaxConcurrency'
    | 'ToleratedFailureCount'
    | 'ToleratedFailurePercentage'
    | 'Error'
    | 'Cause',
): ((raw: Json, scope: DataScope) => Maybe<Json | undefined>) | undefined {
  const v = c.def[field];
  if (v === undefined) return undefined;
  if (c.queryLanguage === 'JSONata') {
    const f = c.jsonata(v, field);
    return f ? (raw, scope) => f({ input: raw }, scope) : undefined;
  }
  return () => v;
}
