// Shared pieces of the state modules: the compile-time field helpers and the standard
// input/output processing (InputPath → Parameters → … → ResultSelector → ResultPath → OutputPath).
import type { PathSelector, ResultMerger } from '../data/paths';
import type { DataScope, Evaluator } from '../data/scope';
import type { CompiledMachine } from '../runtime';
import type { Json, MachineDefinition, StateDefinition } from '../types';

/** What a state module may ask of the compiler while compiling one state. */
export interface StateCompiler {
  readonly name: string;
  readonly def: StateDefinition;
  /** JSON pointer of the state, e.g. `/States/Pay`. */
  readonly pointer: string;
  /** The state's Next, or undefined when it ends its machine. */
  readonly next: string | undefined;
  /** Reports a problem at `<state pointer>/<field>` (field may itself be a sub-pointer). */
  problem(field: string, message: string): void;
  selector(field: 'InputPath' | 'OutputPath' | 'ItemsPath'): PathSelector | undefined;
  template(field: 'Parameters' | 'ResultSelector' | 'ItemSelector'): Evaluator | undefined;
  resultPath(): ResultMerger;
  /** Compiles a `…Path` field (a path or, where AWS allows, an intrinsic call). */
  dynamic(field: string, allowIntrinsic: boolean): Evaluator | undefined;
  /** Compiles a nested machine (Parallel branch, Map processor). */
  machine(def: MachineDefinition | undefined, pointer: string): CompiledMachine;
}

/** The input and output processing of a state, compiled once. */
export interface DataFlow {
  /** InputPath then Parameters: what the state works on. */
  input(raw: Json, scope: DataScope): Json;
  /** ResultSelector, ResultPath (merging into the raw input) and OutputPath. */
  output(raw: Json, result: Json, scope: DataScope): Json;
}

/** Builds the data flow for the fields a state type supports. */
export function dataFlow(c: StateCompiler, fields: { parameters?: boolean; resultSelector?: boolean; resultPath?: boolean }): DataFlow {
  const inputPath = c.selector('InputPath');
  const parameters = fields.parameters ? c.template('Parameters') : undefined;
  const resultSelector = fields.resultSelector ? c.template('ResultSelector') : undefined;
  const resultPath = fields.resultPath ? c.resultPath() : undefined;
  const outputPath = c.selector('OutputPath');
  return {
    input(raw, scope) {
      let v = inputPath ? inputPath(raw, scope) : raw;
      if (parameters) v = parameters(v, scope);
      return v;
    },
    output(raw, result, scope) {
      let v = resultSelector ? resultSelector(result, scope) : result;
      v = resultPath ? resultPath(raw, v, scope) : v;
      return outputPath ? outputPath(v, scope) : v;
    },
  };
}

/** True for a thenable. */
export function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** Renders a value as AWS quotes it in `…Path` errors: strings bare, anything else as JSON. */
export function quoteValue(v: Json | undefined): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
