// The shape of a definition that coverage, the viewer and Mermaid draw on: every state with its
// path (nested Parallel branches and Map processors included), its transitions, Choice rules,
// Retry and Catch clauses.
import type { ChoiceRuleDefinition, MachineDefinition, StateDefinition } from '../asl/types';

/** A Choice rule (or the Default) as a branch of the graph. */
export interface ChoiceBranch {
  /** Rule index, or `'Default'`. */
  readonly rule: number | 'Default';
  readonly next: string;
  /** A short reading of the rule, e.g. `$.total > 1000`. */
  readonly label: string;
}

/** One state of the definition. */
export interface ModelState {
  readonly name: string;
  /** Names from the top level down, joined with `/`: `PreChecks/CheckCredit`. */
  readonly path: string;
  readonly type: StateDefinition['Type'];
  readonly definition: StateDefinition;
  readonly next: string | undefined;
  readonly choices: readonly ChoiceBranch[];
  readonly catchers: readonly { readonly index: number; readonly errorEquals: readonly string[]; readonly next: string }[];
  readonly retriers: readonly { readonly index: number; readonly errorEquals: readonly string[]; readonly maxAttempts: number }[];
  /** A `.waitForTaskToken` Task. */
  readonly callback: boolean;
  /** Parallel branches, or the Map processor as one branch. */
  readonly branches: readonly ModelMachine[];
}

/** A machine, a Parallel branch or a Map processor. */
export interface ModelMachine {
  /** Path of the state that holds it ('' at the top). */
  readonly parentPath: string;
  readonly startAt: string;
  readonly states: readonly ModelState[];
}

const OPERATOR_SYMBOLS: Record<string, string> = {
  Equals: '==',
  LessThan: '<',
  GreaterThan: '>',
  LessThanEquals: '<=',
  GreaterThanEquals: '>=',
};

/** A short, readable form of a Choice rule (JSONPath operators or a JSONata Condition). */
export function describeRule(rule: ChoiceRuleDefinition): string {
  if (rule.Condition !== undefined) return String(rule.Condition).replace(/^\{%\s*|\s*%\}$/g, '');
  if (rule.And) return rule.And.map((r) => `(${describeRule(r)})`).join(' and ');
  if (rule.Or) return rule.Or.map((r) => `(${describeRule(r)})`).join(' or ');
  if (rule.Not) return `not (${describeRule(rule.Not)})`;
  for (const [key, value] of Object.entries(rule)) {
    if (['Variable', 'Next', 'Comment', 'Assign', 'Output'].includes(key)) continue;
    const [, , comparison, path] = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(key) ?? [];
    const operand = typeof value === 'string' && !path ? JSON.stringify(value) : String(value);
    const symbol = comparison === undefined ? undefined : OPERATOR_SYMBOLS[comparison];
    if (symbol !== undefined) return `${rule.Variable ?? '?'} ${symbol} ${operand}`;
    return `${rule.Variable ?? '?'} ${key} ${operand}`;
  }
  return '(rule)';
}

function modelMachine(def: MachineDefinition, parentPath: string): ModelMachine {
  const states = Object.entries(def.States).map(([name, s]): ModelState => {
    const path = parentPath ? `${parentPath}/${name}` : name;
    const processor = s.ItemProcessor ?? s.Iterator;
    const choices: ChoiceBranch[] = (s.Choices ?? []).map((r, i) => ({ rule: i, next: r.Next ?? '', label: describeRule(r) }));
    if (s.Type === 'Choice' && s.Default !== undefined) choices.push({ rule: 'Default', next: s.Default, label: 'Default' });
    return {
      name,
      path,
      type: s.Type,
      definition: s,
      next: s.Next,
      choices,
      catchers: (s.Catch ?? []).map((c, index) => ({ index, errorEquals: c.ErrorEquals, next: c.Next })),
      retriers: (s.Retry ?? []).map((r, index) => ({ index, errorEquals: r.ErrorEquals, maxAttempts: r.MaxAttempts ?? 3 })),
      callback: s.Type === 'Task' && typeof s.Resource === 'string' && s.Resource.endsWith('.waitForTaskToken'),
      branches: s.Type === 'Parallel' ? (s.Branches ?? []).map((b) => modelMachine(b, path)) : processor ? [modelMachine(processor, path)] : [],
    };
  });
  return { parentPath, startAt: def.StartAt, states };
}

/** Reads a definition's states, nested ones included. */
export function modelDefinition(definition: MachineDefinition): ModelMachine {
  return modelMachine(definition, '');
}

/** Every state of a model, depth first, parents before their branches' states. */
export function allStates(machine: ModelMachine): ModelState[] {
  return machine.states.flatMap((s) => [s, ...s.branches.flatMap(allStates)]);
}
