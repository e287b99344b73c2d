// Choice: picks the first rule that matches; operators are a table, and each `…Path` variant and
// each `Is*: false` negation is handled once, generically.
import { causes } from '../causes';
import { StatesError, StatesErrors } from '../errors';
import { parseJsonPath, type JsonPath } from '../data/json-path';
import { lookupPath, type DataScope } from '../data/scope';
import type { StateRunner, StepResult } from '../runtime';
import type { ChoiceRuleDefinition, Json } from '../types';
import { dataFlow, isPromise, then, type AssignFn, type Maybe, type StateCompiler, type ValueFn } from './common';
import { compareTimestamps, parseTimestamp } from './timestamp';

type Compare = (a: Json, b: Json) => boolean;

const str =
  (f: (a: string, b: string) => boolean): Compare =>
  (a, b) =>
    typeof a === 'string' && typeof b === 'string' && f(a, b);
const num =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) =>
    typeof a === 'number' && typeof b === 'number' && f(a, b);
// Compared at full precision: two timestamps a microsecond apart are not equal.
const ts =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) => {
    const order = typeof a === 'string' && typeof b === 'string' ? compareTimestamps(a, b) : undefined;
    return order !== undefined && f(order, 0);
  };

/** Binary comparison operators; each also exists as `<name>Path` comparing with another path's value. */
const COMPARISONS: Record<string, { operand: 'string' | 'number' | 'boolean' | 'timestamp'; test: Compare }> = {
  StringEquals: { operand: 'string', test: str((a, b) => a === b) },
  StringLessThan: { operand: 'string', test: str((a, b) => a < b) },
  StringGreaterThan: { operand: 'string', test: str((a, b) => a > b) },
  StringLessThanEquals: { operand: 'string', test: str((a, b) => a <= b) },
  StringGreaterThanEquals: { operand: 'string', test: str((a, b) => a >= b) },
  NumericEquals: { operand: 'number', test: num((a, b) => a === b) },
  NumericLessThan: { operand: 'number', test: num((a, b) => a < b) },
  NumericGreaterThan: { operand: 'number', test: num((a, b) => a > b) },
  NumericLessThanEquals: { operand: 'number', test: num((a, b) => a <= b) },
  NumericGreaterThanEquals: { operand: 'number', test: num((a, b) => a >= b) },
  BooleanEquals: { operand: 'boolean', test: (a, b) => typeof a === 'boolean' && a === b },
  TimestampEquals: { operand: 'timestamp', test: ts((a, b) => a === b) },
  TimestampLessThan: { operand: 'timestamp', test: ts((a, b) => a < b) },
  TimestampGreaterThan: { operand: 'timestamp', test: ts((a, b) => a > b) },
  TimestampLessThanEquals: { operand: 'timestamp', test: ts((a, b) => a <= b) },
  TimestampGreaterThanEquals: { operand: 'timestamp', test: ts((a, b) => a >= b) },
};

/** Type tests: `"IsString": true` matches strings, `"IsString": false` matches anything else. */
const TYPE_TESTS: Record<string, (v: Json | undefined) => boolean> = {
  IsNull: (v) => v === null,
  IsPresent: (v) => v !== undefined,
  IsNumeric: (v) => typeof v === 'number',
  IsString: (v) => typeof v === 'string',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: (v) => typeof v === 'string' && parseTimestamp(v) !== undefined,
};

/** Every operator name a Choice rule may use. */
export const CHOICE_OPERATORS: ReadonlySet<string> = new Set([
  ...Object.keys(COMPARISONS),
  ...Object.keys(COMPARISONS).map((k) => `${k}Path`),
  ...Object.keys(TYPE_TESTS),
  'StringMatches',
]);

type Predicate = (input: Json, scope: DataScope) => boolean;

const RULE_META = new Set(['Variable', 'Next', 'Comment', 'Assign']);
const COMBINERS = new Set(['And', 'Or', 'Not']);
/** And/Or/Not may nest this deep; beyond it a rule is refused rather than walked (no stack overflow). */
const MAX_RULE_DEPTH = 100;

/**
 * Matches `*` wildcards (`\*` and `\\` escape) without a regular expression. The pattern is the
 * literal pieces between its stars: the first must start the value, the last end it, and each one
 * between is found leftmost after the previous (leftmost is always right for `*`). That is one
 * string search per piece, so a 5 KB pattern on a 255 KB string costs milliseconds, not the
 * seconds a character-by-character backtracking matcher takes.
 */
export function stringMatches(value: string, pattern: string): boolean {
  let first: string | undefined;
  const middle: string[] = [];
  let piece = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) piece += pattern.charAt(++i);
    else if (c === '*') {
      if (first === undefined) first = piece;
      else middle.push(piece);
      piece = '';
    } else piece += c;
  }
  const last = piece;
  if (first === undefined) return value === last;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (const part of middle) {
    if (part === '') continue;
    const found = value.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

function compileRule(rule: ChoiceRuleDefinition, ptr: string, c: StateCompiler, top: boolean, depth = 0): Predicate {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    c.problem(ptr, 'A Choice rule must be an object');
    return () => false;
  }
  if (depth > MAX_RULE_DEPTH) {
    c.problem(ptr, `TOO_DEEPLY_NESTED: And, Or and Not may nest at most ${MAX_RULE_DEPTH} levels deep`);
    return () => false;
  }
  if (top && typeof rule.Next !== 'string') c.problem(`${ptr}/Next`, 'Each top-level Choice rule needs a Next naming the state to go to');
  if (!top && rule.Next !== undefined) c.problem(`${ptr}/Next`, 'Only top-level Choice rules may have Next; nested rules inside And/Or/Not cannot');
  // Assign belongs to the rule that chooses the next state, not to the conditions inside it.
  if (!top && rule.Assign !== undefined) c.problem(`${ptr}/Assign`, 'Only top-level Choice rules may have Assign; nested rules inside And/Or/Not cannot');
  const unknown = Object.keys(rule).filter((k) => !RULE_META.has(k) && !COMBINERS.has(k) && !CHOICE_OPERATORS.has(k));
  for (const k of unknown)
    c.problem(
      `${ptr}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      `The field "${k}" is not supported in a Choice rule; use a comparison operator (StringEquals, NumericLessThan, …), And, Or or Not`,
    );
  if (unknown.length > 0) return () => false;
  const ops = Object.keys(rule).filter((k) => !RULE_META.has(k));
  const op = ops[0];
  if (op === undefined || ops.length !== 1) {
    c.problem(
      ptr,
      ops.length === 0
        ? 'The Choice rule has no comparison operator, And, Or or Not'
        : `The Choice rule has several operators (${ops.join(', ')}); use And/Or to combine them`,
    );
    return () => false;
  }
  const operand = rule[op];
  if (COMBINERS.has(op) && rule.Variable !== undefined) {
    c.problem(`${ptr}/Variable`, `A rule with ${op} cannot have a Variable; put the Variable in each rule inside ${op}`);
    return () => false;
  }
  if (op === 'And' || op === 'Or') {
    if (!Array.isArray(operand) || operand.length === 0) {
      c.problem(`${ptr}/${op}`, `${op} needs a non-empty array of rules`);
      return () => false;
    }
    const subs = (operand as ChoiceRuleDefinition[]).map((r, i) => compileRule(r, `${ptr}/${op}/${i}`, c, false, depth + 1));
    return op === 'And' ? (input, scope) => subs.every((s) => s(input, scope)) : (input, scope) => subs.some((s) => s(input, scope));
  }
  if (op === 'Not') {
    const sub = compileRule(operand as ChoiceRuleDefinition, `${ptr}/Not`, c, false, depth + 1);
    return (input, scope) => !sub(input, scope);
  }
  if (typeof rule.Variable !== 'string') {
    c.problem(`${ptr}/Variable`, `The ${op} rule needs a Variable path`);
    return () => false;
  }
  let variable: JsonPath;
  try {
    variable = parseJsonPath(rule.Variable);
  } catch (e) {
    c.problem(`${ptr}/Variable`, (e as Error).message);
    return () => false;
  }
  const readVariable = (input: Json, scope: DataScope): Json => {
    const v = lookupPath(variable, input, scope);
    if (v === undefined) throw scope.runtimeError(causes.choicePathInvalid(variable.source));
    return v;
  };

  const typeTest = TYPE_TESTS[op];
  if (typeTest) {
    if (typeof operand !== 'boolean') {
      c.problem(`${ptr}/${op}`, `${op} takes true or false, got ${JSON.stringify(operand)}`);
      return () => false;
    }
    if (op === 'IsPresent') return (input, scope) => typeTest(lookupPath(variable, input, scope)) === operand;
    return (input, scope) => typeTest(readVariable(input, scope)) === operand;
  }
  if (op === 'StringMatches') {
    if (typeof operand !== 'string') {
      c.problem(`${ptr}/${op}`, `StringMatches takes a string pattern, got ${JSON.stringify(operand)}`);
      return () => false;
    }
    return (input, scope) => {
      const v = readVariable(input, scope);
      return typeof v === 'string' && stringMatches(v, operand);
    };
  }
  const isPath = op.endsWith('Path');
  const cmp = COMPARISONS[isPath ? op.slice(0, -4) : op];
  // Every operator in CHOICE_OPERATORS that is not handled above is a comparison.
  if (cmp === undefined) throw new Error(`Choice rule operator '${op}' has no comparison`);
  if (isPath) {
    if (typeof operand !== 'string') {
      c.problem(`${ptr}/${op}`, `${op} takes a path, got ${JSON.stringify(operand)}`);
      return () => false;
    }
    let other: JsonPath;
    try {
      other = parseJsonPath(operand);
    } catch (e) {
      c.problem(`${ptr}/${op}`, (e as Error).message);
      return () => false;
    }
    return (input, scope) => {
      const v = readVariable(input, scope);
      const w = lookupPath(other, input, scope);
      if (w === undefined) throw scope.runtimeError(causes.choicePathInvalid(other.source));
      return cmp.test(v, w);
    };
  }
  const expected = cmp.operand === 'timestamp' ? 'string' : cmp.operand;
  if (typeof operand !== expected || (cmp.operand === 'timestamp' && parseTimestamp(operand as string) === undefined)) {
    c.problem(`${ptr}/${op}`, `${op} takes a ${cmp.operand === 'timestamp' ? 'RFC 3339 timestamp string' : cmp.operand}, got ${JSON.stringify(operand)}`);
    return () => false;
  }
  return (input, scope) => cmp.test(readVariable(input, scope), operand as Json);
}

type Rule = { test: (input: Json, scope: DataScope) => Maybe<boolean>; next: string; assign?: AssignFn; output?: ValueFn };

function compileConditionRule(rule: ChoiceRuleDefinition, ptr: string, c: StateCompiler): Rule['test'] {
  if (rule.Condition === undefined) {
    c.problem(`${ptr}/Condition`, 'A JSONata Choice rule needs a Condition such as "{% $states.input.total > 100 %}"');
    return () => false;
  }
  const others = Object.keys(rule).filter((k) => !['Condition', 'Next', 'Assign', 'Output', 'Comment'].includes(k));
  for (const k of others) c.problem(`${ptr}/${k}`, `Field '${k}' is not supported in a JSONata Choice rule; use Condition`);
  const cond = c.jsonata(rule.Condition as Json, 'Condition', `${ptr}/Condition`);
  return (input, scope) =>
    then(cond ? cond({ input }, scope) : false, (v) => {
      if (typeof v !== 'boolean') throw scope.evaluationError(causes.conditionNotBoolean(v));
      return v;
    });
}

export function compileChoice(c: StateCompiler): StateRunner {
  const flow = dataFlow(c, {});
  const jsonata = c.queryLanguage === 'JSONata';
  const rules = c.def.Choices;
  const compiled: Rule[] = [];
  if (!Array.isArray(rules) || rules.length === 0) c.problem('Choices', 'A Choice state needs a non-empty Choices array');
  else {
    rules.forEach((r, i) => {
      const ptr = `Choices/${i}`;
      const test = jsonata ? compileConditionRule(r, ptr, c) : compileRule(r, ptr, c, true);
      if (jsonata && typeof r?.Next !== 'string') c.problem(`${ptr}/Next`, 'Each top-level Choice rule needs a Next naming the state to go to');
      compiled.push({
        test,
        next: r?.Next as string,
        assign: c.assign(r?.Assign, `${ptr}/Assign`),
        output: jsonata ? c.jsonata(r?.Output, 'Output', `${ptr}/Output`) : undefined,
      });
    });
  }
  const fallback = c.def.Default;
  // A matched rule's own Assign/Output replace the state's (conformance: test_assign_in_choice_state).
  const leave = (input: Json, effective: Json, scope: DataScope, rule: Rule | undefined, next: string): Maybe<StepResult> => {
    if (!rule || (!rule.assign && !rule.output)) return flow.finish(input, effective, scope, next);
    const states = { input, result: effective };
    return then(rule.assign ? rule.assign(effective, states, scope) : undefined, (assigned) =>
      then(rule.output ? rule.output(states, scope) : then(flow.finish(input, effective, scope, next), (f) => f.output), (output) => ({
        next,
        output,
        assigned,
      })),
    );
  };
  return (input, scope) => {
    const effective = flow.effective(input, scope);
    const tryFrom = (i: number): Maybe<StepResult> => {
      for (let rule = compiled[i]; rule !== undefined; rule = compiled[++i]) {
        const hit = rule.test(effective, scope);
        if (isPromise(hit)) {
          const at = i;
          return hit.then((h) => (h ? leave(input, effective, scope, rule, rule.next) : tryFrom(at + 1)));
        }
        if (hit) return leave(input, effective, scope, rule, rule.next);
      }
      if (fallback !== undefined) return leave(input, effective, scope, undefined, fallback);
      throw new StatesError(StatesErrors.NoChoiceMatched, causes.noChoiceMatched(c.name));
    };
    return tryFrom(0);
  };
}
