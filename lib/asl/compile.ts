// Validates a definition and compiles it into closures, collecting every problem with a JSON
// pointer before failing, as CreateStateMachine would refuse the definition.
import { compileDynamic, compileTemplate, pointerEscape, type TemplateProblem } from './data/payload-template';
import { compileResultPath, compileSelector } from './data/paths';
import type { Evaluator } from './data/scope';
import { compileJsonataTemplate } from './data/jsonata';
import { compileRetrier, type CompiledCatcher } from './retry';
import { then, type AssignFn, type ValueFn } from './states/common';
import type { CompiledMachine, CompiledState, StateRunner } from './runtime';
import { EventKind } from './history';
import { compileChoice } from './states/choice';
import type { StateCompiler } from './states/common';
import { compileFail } from './states/fail';
import { compileMap } from './states/map';
import { compileParallel } from './states/parallel';
import { compilePass } from './states/pass';
import { compileSucceed } from './states/succeed';
import { compileTask } from './states/task';
import { compileWait } from './states/wait';
import type { Json, JsonObject, MachineDefinition, QueryLanguage, StateDefinition, StateType, WorkflowType } from './types';
import { checkState, checkMachineShape, checkReachability, machineKind, MAX_NESTING, withCode } from './validate/rules';

/**
 * One problem in a definition: where (a JSON pointer into the definition) and what. The message
 * starts with AWS's error code (`SCHEMA_VALIDATION_FAILED: …`, `MISSING_TRANSITION_TARGET: …`);
 * `problemCode` reads it.
 */
export interface DefinitionProblem {
  readonly pointer: string;
  readonly message: string;
}

/** Thrown by `compile` for an invalid definition; lists every problem found. */
export class DefinitionError extends Error {
  constructor(public readonly problems: readonly DefinitionProblem[]) {
    super(
      `Invalid state machine definition (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n')}`,
    );
    this.name = 'DefinitionError';
  }
}

/** Options for `compile`. */
export interface CompileOptions {
  /** Workflow type: EXPRESS refuses `.sync` and `.waitForTaskToken` resources. @default 'STANDARD' */
  readonly type?: WorkflowType;
}

/** A compiled, validated state machine, ready for `execute`. */
export interface CompiledStateMachine extends CompiledMachine {
  readonly definition: MachineDefinition;
  readonly type: WorkflowType;
}

const RUNNERS: Record<StateType, (c: StateCompiler) => StateRunner> = {
  Pass: compilePass,
  Task: compileTask,
  Choice: compileChoice,
  Wait: compileWait,
  Succeed: compileSucceed,
  Fail: compileFail,
  Parallel: compileParallel,
  Map: compileMap,
};

/**
 * Validates and compiles an ASL definition (object or JSON string). Every path, template and
 * intrinsic call is parsed here, once.
 * @throws DefinitionError listing every problem with its JSON pointer
 */
export function compile(definition: MachineDefinition | string, options: CompileOptions = {}): CompiledStateMachine {
  const problems: DefinitionProblem[] = [];
  let def: unknown = definition;
  if (typeof definition === 'string') {
    try {
      def = JSON.parse(definition);
    } catch (e) {
      throw new DefinitionError([{ pointer: '', message: withCode(`The definition is not valid JSON: ${(e as Error).message}`, 'INVALID_JSON_DESCRIPTION') }]);
    }
  }
  const type = options.type ?? 'STANDARD';
  const topLanguage = (def as { QueryLanguage?: QueryLanguage } | null)?.QueryLanguage ?? 'JSONPath';
  const walk: Walk = { type, names: new Map(), depth: 0, tooDeep: false };
  const machine = compileMachine(def, '', problems, walk, topLanguage === 'JSONata' ? 'JSONata' : 'JSONPath');
  if (problems.length > 0) throw new DefinitionError(onePerField(problems));
  const top = def as MachineDefinition;
  return { ...machine, definition: top, type, timeoutSeconds: top.TimeoutSeconds };
}

/** Validates a definition without throwing: the list of problems (empty when valid). */
export function validate(definition: MachineDefinition | string, options: CompileOptions = {}): DefinitionProblem[] {
  try {
    compile(definition, options);
    return [];
  } catch (e) {
    if (e instanceof DefinitionError) return [...e.problems];
    throw e;
  }
}

/** What the walk over a definition and its nested machines carries along. */
interface Walk {
  readonly type: WorkflowType;
  /** Every state name seen so far, with its pointer: names are unique across the whole machine. */
  readonly names: Map<string, string>;
  depth: number;
  tooDeep: boolean;
}

/** Keeps the first problem reported for each pointer (later ones are consequences of it). */
function onePerField(problems: DefinitionProblem[]): DefinitionProblem[] {
  const byPointer = new Map<string, DefinitionProblem>();
  for (const p of problems) if (!byPointer.has(p.pointer)) byPointer.set(p.pointer, { pointer: p.pointer, message: withCode(p.message) });
  return [...byPointer.values()];
}

function compileMachine(def: unknown, pointer: string, problems: DefinitionProblem[], walk: Walk, language: QueryLanguage): CompiledMachine {
  const states = new Map<string, CompiledState>();
  const type = walk.type;
  if (walk.depth > MAX_NESTING) {
    // Reported once, at the outermost machine beyond the limit; nothing deeper is walked.
    if (!walk.tooDeep)
      problems.push({
        pointer,
        message: withCode(
          `The states are too deeply nested: Parallel branches and Map processors may nest at most ${MAX_NESTING} levels deep`,
          'TOO_DEEPLY_NESTED',
        ),
      });
    walk.tooDeep = true;
    return { startAt: '', states, start: undefined };
  }
  if (!checkMachineShape(def, pointer, problems, machineKind(pointer))) return { startAt: '', states, start: undefined };
  const m = def as MachineDefinition;
  // A machine's own names are taken before its branches are walked, so a nested state that reuses
  // one is the duplicate reported.
  for (const name of Object.keys(m.States)) {
    const sp = `${pointer}/States/${pointerEscape(name)}`;
    const first = walk.names.get(name);
    if (first !== undefined)
      problems.push({
        pointer: sp,
        message: withCode(
          `Duplicate State name: '${name}' is also the name of the state at ${first}; names must be unique across the whole state machine, branches and processors included`,
          'DUPLICATE_STATE_NAME',
        ),
      });
    else walk.names.set(name, sp);
  }
  for (const [name, sdef] of Object.entries(m.States)) {
    const sp = `${pointer}/States/${pointerEscape(name)}`;
    const stateLanguage: QueryLanguage = (sdef as StateDefinition | undefined)?.QueryLanguage ?? language;
    if (!checkState(name, sdef, sp, m.States, problems, type, stateLanguage, language)) continue;
    try {
      const compiled = compileState(name, sdef, sp, problems, walk, stateLanguage, language);
      if (compiled) states.set(name, compiled);
    } catch (e) {
      // A malformed field the checks above missed must still come back as a problem, not a crash.
      problems.push({ pointer: sp, message: `This state could not be compiled: ${(e as Error).message}` });
    }
  }
  checkReachability(m, pointer, problems);
  for (const s of states.values()) {
    if (s.nextName !== undefined) (s as { following: CompiledState | undefined }).following = states.get(s.nextName);
  }
  return { startAt: m.StartAt, states, start: states.get(m.StartAt) };
}

function compileState(
  name: string,
  def: StateDefinition,
  pointer: string,
  problems: DefinitionProblem[],
  walk: Walk,
  queryLanguage: QueryLanguage,
  machineLanguage: QueryLanguage,
): CompiledState | undefined {
  const problem = (field: string, message: string) => problems.push({ pointer: `${pointer}/${field}`, message });
  const guard = <T>(field: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      problem(field, (e as Error).message);
      return undefined;
    }
  };
  const jsonata = (value: Json | undefined, field: string, ptr: string = field): ValueFn | undefined => {
    if (value === undefined) return undefined;
    const tp: TemplateProblem[] = [];
    const f = compileJsonataTemplate(value, field, tp);
    for (const p of tp) problem(`${ptr}${p.pointer}`, p.message);
    return f;
  };
  const assign = (value: JsonObject | undefined, ptr: string): AssignFn | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problem(ptr, 'Assign must be an object mapping variable names to values');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const varName = queryLanguage === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(varName))
        problem(`${ptr}/${pointerEscape(key)}`, `'${varName}' is not a valid variable name (letters, digits and _; not starting with a digit)`);
      if (varName === 'states') problem(`${ptr}/${pointerEscape(key)}`, "'states' is reserved for $states and cannot be assigned");
    }
    if (queryLanguage === 'JSONata') {
      const f = jsonata(value, 'Assign', ptr);
      return f ? (_basis, states, scope) => f(states, scope) as Promise<JsonObject> : undefined;
    }
    const tp: TemplateProblem[] = [];
    const f = compileTemplate(value, tp);
    for (const p of tp) problem(`${ptr}${p.pointer}`, p.message);
    return (basis, _states, scope) => f(basis, scope) as JsonObject;
  };
  const c: StateCompiler = {
    name,
    def,
    pointer,
    next: def.End === true ? undefined : def.Next,
    queryLanguage,
    jsonata,
    assign,
    problem,
    selector: (field) => guard(field, () => compileSelector(def[field])),
    template: (field) => {
      const t = def[field];
      if (t === undefined) return undefined;
      const tp: TemplateProblem[] = [];
      const f = compileTemplate(t, tp);
      for (const p of tp) problem(`${field}${p.pointer}`, p.message);
      return f;
    },
    resultPath: () => guard('ResultPath', () => compileResultPath(def.ResultPath)) ?? ((_i, r) => r),
    dynamic: (field, allowIntrinsic) => {
      const src = (def as unknown as Record<string, unknown>)[field];
      if (src === undefined) return undefined;
      if (typeof src !== 'string') {
        problem(field, `${field} must be a string path, got ${JSON.stringify(src)}`);
        return undefined;
      }
      if (!allowIntrinsic && src.startsWith('States.')) {
        problem(field, `${field} must be a JSONPath; intrinsic functions are not allowed here`);
        return undefined;
      }
      return guard<Evaluator>(field, () => compileDynamic(src, field));
    },
    // Nested machines inherit the language of the machine around them, not of this state.
    machine: (sub, subPointer) => {
      walk.depth += 1;
      try {
        return compileMachine(sub, subPointer, problems, walk, machineLanguage);
      } finally {
        walk.depth -= 1;
      }
    },
  };
  const run = RUNNERS[def.Type](c);
  const retriers = (def.Retry ?? []).map(compileRetrier);
  const catchers = (def.Catch ?? []).flatMap((k, i): CompiledCatcher[] => {
    const a = assign(k.Assign, `Catch/${i}/Assign`);
    if (queryLanguage === 'JSONata') {
      const output = jsonata(k.Output, 'Output', `Catch/${i}/Output`);
      return [
        {
          errorEquals: k.ErrorEquals,
          next: k.Next,
          finish: (raw, errorOutput, scope) => {
            const states = { input: raw, errorOutput };
            return then(a ? a(errorOutput, states, scope) : undefined, (assigned) =>
              then(output ? output(states, scope) : errorOutput, (out) => ({ output: out, assigned })),
            );
          },
        },
      ];
    }
    const rp = guard(`Catch/${i}/ResultPath`, () => compileResultPath(k.ResultPath));
    if (!rp) return [];
    return [
      {
        errorEquals: k.ErrorEquals,
        next: k.Next,
        finish: (raw, errorOutput, scope) =>
          then(a ? a(errorOutput, { input: raw, errorOutput }, scope) : undefined, (assigned) => ({ output: rp(raw, errorOutput, scope), assigned })),
      },
    ];
  });
  return {
    name,
    type: def.Type,
    entered: new EventKind(`${def.Type}StateEntered`, { name, input: undefined }, 'input'),
    exited: new EventKind(`${def.Type}StateExited`, { name, output: undefined }, 'output'),
    run,
    retriers,
    catchers,
    nextName: c.next,
    following: undefined,
  };
}
