// Validates a definition and compiles it into closures, collecting every problem with a JSON
// pointer before failing, as CreateStateMachine would refuse the definition.
import { compileDynamic, compileTemplate, pointerEscape, type TemplateProblem } from './data/payload-template';
import { compileResultPath, compileSelector } from './data/paths';
import type { Evaluator } from './data/scope';
import { compileCatcher, compileRetrier } from './retry';
import type { CompiledMachine, CompiledState, StateRunner } from './runtime';
import { compileChoice } from './states/choice';
import type { StateCompiler } from './states/common';
import { compileFail } from './states/fail';
import { compileMap } from './states/map';
import { compileParallel } from './states/parallel';
import { compilePass } from './states/pass';
import { compileSucceed } from './states/succeed';
import { compileTask } from './states/task';
import { compileWait } from './states/wait';
import type { MachineDefinition, StateDefinition, StateType, WorkflowType } from './types';
import { checkState, checkMachineShape, checkReachability } from './validate/rules';

/** One problem in a definition: where (a JSON pointer into the definition) and what. */
export interface DefinitionProblem {
  readonly pointer: string;
  readonly message: string;
}

/** Thrown by `compile` for an invalid definition; lists every problem found. */
export class DefinitionError extends Error {
  constructor(public readonly problems: readonly DefinitionProblem[]) {
    super(`Invalid state machine definition (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n')}`);
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
      throw new DefinitionError([{ pointer: '', message: `The definition is not valid JSON: ${(e as Error).message}` }]);
    }
  }
  const type = options.type ?? 'STANDARD';
  const machine = compileMachine(def, '', problems, type);
  if (problems.length > 0) throw new DefinitionError(problems);
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

function compileMachine(def: unknown, pointer: string, problems: DefinitionProblem[], type: WorkflowType): CompiledMachine {
  const states = new Map<string, CompiledState>();
  if (!checkMachineShape(def, pointer, problems)) return { startAt: '', states };
  const m = def as MachineDefinition;
  for (const [name, sdef] of Object.entries(m.States)) {
    const sp = `${pointer}/States/${pointerEscape(name)}`;
    if (!checkState(name, sdef, sp, m.States, problems, type)) continue;
    try {
      const compiled = compileState(name, sdef, sp, problems, type);
      if (compiled) states.set(name, compiled);
    } catch (e) {
      // A malformed field the checks above missed must still come back as a problem, not a crash.
      problems.push({ pointer: sp, message: `This state could not be compiled: ${(e as Error).message}` });
    }
  }
  checkReachability(m, pointer, problems);
  return { startAt: m.StartAt, states };
}

function compileState(name: string, def: StateDefinition, pointer: string, problems: DefinitionProblem[], type: WorkflowType): CompiledState | undefined {
  const problem = (field: string, message: string) => problems.push({ pointer: `${pointer}/${field}`, message });
  const guard = <T>(field: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      problem(field, (e as Error).message);
      return undefined;
    }
  };
  const c: StateCompiler = {
    name,
    def,
    pointer,
    next: def.End === true ? undefined : def.Next,
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
    machine: (sub, subPointer) => compileMachine(sub, subPointer, problems, type),
  };
  const run = RUNNERS[def.Type](c);
  const retriers = (def.Retry ?? []).map(compileRetrier);
  const catchers = (def.Catch ?? []).flatMap((k, i) => {
    const rp = guard(`Catch/${i}/ResultPath`, () => compileResultPath(k.ResultPath));
    return rp ? [compileCatcher(k, rp)] : [];
  });
  return { name, type: def.Type, run, retriers, catchers };
}
