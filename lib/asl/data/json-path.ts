// JSONPath as Step Functions uses it (Jayway semantics): parsed once at compile time into segments,
// then evaluated against `$` (state input), `$$` (context object) or `$name` (a workflow variable).
import type { RE2JS } from 're2js';
import { re2 } from './re2';
import { StatesError, StatesErrors } from '../errors';
import type { Json, JsonObject } from '../types';

/** One step of a parsed path. */
export type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'union'; keys: (string | number)[] }
  | { kind: 'descent'; next: Segment }
  | { kind: 'filter'; test: FilterExpr };

type FilterExpr =
  | { op: 'exists'; path: FilterPath }
  | { op: 'cmp'; cmp: string; left: FilterOperand; right: FilterOperand }
  | { op: 'match'; left: FilterOperand; regex: RE2JS }
  | { op: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { op: 'not'; expr: FilterExpr };
type FilterPath = { root: '@' | '$'; segments: Segment[] };
type FilterOperand = { path: FilterPath } | { literal: Json };

/** Which value a path starts from. */
export type PathRoot = { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string };

/** A compiled JSONPath. */
export interface JsonPath {
  readonly source: string;
  readonly root: PathRoot;
  readonly segments: readonly Segment[];
  /** True when the path selects at most one value (only names and indexes). */
  readonly definite: boolean;
  /** For a definite path: its walk as generated code (see definiteReader), when code generation is allowed. */
  readonly read?: (root: Json) => Json | undefined;
}

/** Thrown at compile time for a path that cannot be parsed. */
export class JsonPathSyntaxError extends Error {
  constructor(
    public readonly path: string,
    detail: string,
  ) {
    super(`Invalid JSONPath '${path}': ${detail}`);
    this.name = 'JsonPathSyntaxError';
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Work and depth bounds of one evaluation. Descent (`..`) and filters nest, so a short path can
 * cost the cube of the input's size (`$..[?(@..[?(@..a)])]`); past `maxSteps` values visited the
 * evaluation fails with States.Runtime instead of running for seconds. Filters nest at most
 * `maxFilterNesting` deep in a path.
 */
export const JSONPATH_BUDGET = { maxSteps: 1_000_000, maxFilterNesting: 16 } as const;

/** Jayway's comparison operators, longest first; each is implemented below. */
const FILTER_OPERATORS = /^(==|!=|<=|>=|=~|<|>|(?:nin|in|subsetof|anyof|noneof|size|empty)\b)/;

/** Parses a JSONPath such as `$.order.items[0]`, `$$.Execution.Id` or `$myVar.total`. */
export function parseJsonPath(source: string): JsonPath {
  if (typeof source !== 'string' || !source.startsWith('$')) {
    throw new JsonPathSyntaxError(String(source), 'a path must start with $');
  }
  let pos = 1;
  let root: PathRoot = { kind: 'input' };
  if (source[1] === '$') {
    root = { kind: 'context' };
    pos = 2;
  } else {
    const m = IDENT.exec(source.slice(1));
    if (m) {
      root = { kind: 'variable', name: m[0] };
      pos = 1 + m[0].length;
    }
  }
  const parser = new Parser(source, pos);
  const segments = parser.segments(false);
  if (parser.pos < source.length) throw new JsonPathSyntaxError(source, `unexpected '${source.slice(parser.pos)}'`);
  const definite = segments.every((s) => s.kind === 'name' || s.kind === 'index');
  if (!definite) return { source, root, segments, definite };
  return { source, root, segments, definite, read: definiteReader(segments) };
}

// Definite paths (the most common: `$.order.id`) are read by code generated for them: V8 then
// gives each one its own inline caches, which see one shape or a few, where the generic walk's
// property loads see every shape of every path and go megamorphic (+12% on the chain workload,
// 1,000 Pass states). Cached by the segments, so a definition that repeats a path compiles it
// once. Where code generation is disallowed (--disallow-code-generation-from-strings) the generic
// walk serves. Writing (ResultPath) the same way, a spread clone in code generated per key, was
// 2x slower on the chain workload than withKey's shared one, so writes stay generic.
const readers = new Map<string, ((root: Json) => Json | undefined) | undefined>();

function generate<T>(body: string): T | undefined {
  try {
    return new Function('hasOwn', body)(Object.hasOwn) as T;
  } catch {
    return undefined;
  }
}

/** The walk of evaluatePath for a definite path, as straight-line code: same results. */
function definiteReader(segments: readonly Segment[]): ((root: Json) => Json | undefined) | undefined {
  const key = JSON.stringify(segments.map((s) => (s.kind === 'name' ? s.name : s.kind === 'index' ? s.index : null)));
  if (readers.has(key)) return readers.get(key);
  const steps = segments.map((s) => {
    if (s.kind === 'name') {
      const k = JSON.stringify(s.name);
      return `if (typeof v !== 'object' || v === null || Array.isArray(v) || !hasOwn(v, ${k})) return undefined; v = v[${k}];`;
    }
    const i = (s as { index: number }).index;
    return `if (!Array.isArray(v)) return undefined; v = v[${i < 0 ? `v.length - ${-i}` : i}];`;
  });
  const read = generate<(root: Json) => Json | undefined>(`return function read(v) { ${steps.join(' if (v === undefined) return undefined; ')} return v; };`);
  // A bound on what a long-lived process (stepwise serve) keeps: definitions rarely share paths beyond it.
  if (readers.size >= 4096) readers.clear();
  readers.set(key, read);
  return read;
}

class Parser {
  nesting = 0;
  constructor(
    readonly src: string,
    public pos: number,
  ) {}

  fail(detail: string): never {
    throw new JsonPathSyntaxError(this.src, detail);
  }

  /** Parses segments until the end of the path (or, inside a filter, until an operator). */
  segments(inFilter: boolean): Segment[] {
    const out: Segment[] = [];
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (c === '.') {
        if (s[this.pos + 1] === '.') {
          this.pos += 2;
          const next = s[this.pos] === '[' ? this.bracket() : this.dotName();
          out.push({ kind: 'descent', next });
        } else {
          this.pos += 1;
          out.push(this.dotName());
        }
      } else if (c === '[') {
        out.push(this.bracket());
      } else if (inFilter) {
        break;
      } else {
        this.fail(`unexpected character '${c}' at position ${this.pos}`);
      }
    }
    return out;
  }

  dotName(): Segment {
    const s = this.src;
    if (s[this.pos] === '*') {
      this.pos += 1;
      return { kind: 'wildcard' };
    }
    const start = this.pos;
    while (this.pos < s.length && !'.[ )=<>!&|'.includes(s.charAt(this.pos))) this.pos += 1;
    if (this.pos === start) this.fail(`expected a field name at position ${start}`);
    const name = s.slice(start, this.pos);
    if (name.endsWith('()')) this.fail(`functions such as '${name}' are not supported`);
    return { kind: 'name', name };
  }

  bracket(): Segment {
    const s = this.src;
    this.pos += 1; // [
    this.ws();
    let seg: Segment;
    if (s[this.pos] === '*') {
      this.pos += 1;
      seg = { kind: 'wildcard' };
    } else if (s[this.pos] === '?') {
      this.pos += 1;
      this.ws();
      if (s[this.pos] !== '(') this.fail('expected ( after ?');
      this.pos += 1;
      this.nesting += 1;
      if (this.nesting > JSONPATH_BUDGET.maxFilterNesting) this.fail(`filters can be nested at most ${JSONPATH_BUDGET.maxFilterNesting} deep`);
      const test = this.filterOr();
      this.nesting -= 1;
      this.ws();
      if (s[this.pos] !== ')') this.fail('expected ) closing the filter');
      this.pos += 1;
      seg = { kind: 'filter', test };
    } else {
      const keys: (string | number)[] = [];
      let slice: (number | undefined)[] | undefined;
      for (;;) {
        this.ws();
        const q = s[this.pos];
        if (q === "'" || q === '"') {
          keys.push(this.quoted());
        } else {
          const m = /^(-?\d*)\s*(:\s*(-?\d*)\s*(:\s*(-?\d*))?)?/.exec(s.slice(this.pos));
          if (!m || m[0].length === 0) this.fail(`expected an index or a quoted name at position ${this.pos}`);
          this.pos += m[0].length;
          if (m[2] !== undefined) {
            const num = (x: string | undefined) => (x === undefined || x === '' ? undefined : Number(x));
            slice = [num(m[1]), num(m[3]), num(m[5])];
          } else {
            keys.push(Number(m[1]));
          }
        }
        this.ws();
        if (s[this.pos] === ',') {
          this.pos += 1;
          continue;
        }
        break;
      }
      if (slice) {
        if (keys.length > 0) this.fail('a slice cannot be combined with other keys');
        seg = { kind: 'slice', start: slice[0], end: slice[1], step: slice[2] };
      } else {
        const k = keys.length === 1 ? keys[0] : undefined;
        if (k === undefined) seg = { kind: 'union', keys };
        else seg = typeof k === 'number' ? { kind: 'index', index: k } : { kind: 'name', name: k };
      }
    }
    this.ws();
    if (s[this.pos] !== ']') this.fail(`expected ] at position ${this.pos}`);
    this.pos += 1;
    return seg;
  }

  quoted(): string {
    const s = this.src;
    const q = s[this.pos];
    this.pos += 1;
    let out = '';
    // Escapes as Jayway's unescape reads them: \n, \t, \r, \b, \f, \uXXXX; any other escaped
    // character (a quote, a backslash) stands for itself.
    const named: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
    while (this.pos < s.length && s[this.pos] !== q) {
      if (s[this.pos] === '\\' && this.pos + 1 < s.length) {
        const e = s.charAt(this.pos + 1);
        const hex = e === 'u' ? /^[0-9a-fA-F]{4}/.exec(s.slice(this.pos + 2)) : null;
        if (hex) {
          out += String.fromCharCode(parseInt(hex[0], 16));
          this.pos += 6;
        } else {
          out += Object.hasOwn(named, e) ? named[e] : e;
          this.pos += 2;
        }
        continue;
      }
      out += s[this.pos];
      this.pos += 1;
    }
    if (this.pos >= s.length) this.fail('unterminated quoted name');
    this.pos += 1;
    return out;
  }

  ws(): void {
    while (this.src[this.pos] === ' ') this.pos += 1;
  }

  filterOr(): FilterExpr {
    let left = this.filterAnd();
    for (;;) {
      this.ws();
      if (this.src.startsWith('||', this.pos)) {
        this.pos += 2;
        left = { op: 'or', left, right: this.filterAnd() };
      } else return left;
    }
  }

  filterAnd(): FilterExpr {
    let left = this.filterUnary();
    for (;;) {
      this.ws();
      if (this.src.startsWith('&&', this.pos)) {
        this.pos += 2;
        left = { op: 'and', left, right: this.filterUnary() };
      } else return left;
    }
  }

  filterUnary(): FilterExpr {
    this.ws();
    const s = this.src;
    if (s[this.pos] === '!' && s[this.pos + 1] !== '=') {
      this.pos += 1;
      return { op: 'not', expr: this.filterUnary() };
    }
    if (s[this.pos] === '(') {
      this.pos += 1;
      this.nesting += 1;
      if (this.nesting > JSONPATH_BUDGET.maxFilterNesting) this.fail(`filters can be nested at most ${JSONPATH_BUDGET.maxFilterNesting} deep`);
      const e = this.filterOr();
      this.nesting -= 1;
      this.ws();
      if (s[this.pos] !== ')') this.fail('expected )');
      this.pos += 1;
      return e;
    }
    const left = this.operand();
    this.ws();
    const m = FILTER_OPERATORS.exec(s.slice(this.pos));
    if (!m) {
      const word = /^\s*([A-Za-z]+)/.exec(s.slice(this.pos));
      if (word) this.fail(`the filter operator '${word[1]}' is not supported; use ==, !=, <, <=, >, >=, =~, in, nin, subsetof, anyof, noneof, size or empty`);
      if (!('path' in left)) this.fail('a filter needs a comparison or a path');
      return { op: 'exists', path: left.path };
    }
    this.pos += m[0].length;
    const cmp = m[0].trim();
    if (cmp === '=~') return { op: 'match', left, regex: this.regex() };
    return { op: 'cmp', cmp, left, right: this.operand() };
  }

  /** A `/pattern/flags` literal (flags i, m and s), compiled for RE2: linear-time matching. */
  regex(): RE2JS {
    this.ws();
    const s = this.src;
    if (s[this.pos] !== '/') this.fail(`expected a /regular expression/ after =~ at position ${this.pos}`);
    let end = this.pos + 1;
    while (end < s.length && s[end] !== '/') end += s[end] === '\\' ? 2 : 1;
    if (end >= s.length) this.fail('unterminated regular expression');
    const source = s.slice(this.pos + 1, end);
    const flags = /^[ims]*/.exec(s.slice(end + 1))?.[0] ?? '';
    this.pos = end + 1 + flags.length;
    const f = (flags.includes('i') ? re2().CASE_INSENSITIVE : 0) | (flags.includes('m') ? re2().MULTILINE : 0) | (flags.includes('s') ? re2().DOTALL : 0);
    try {
      return re2().compile(source, f);
    } catch (e) {
      return this.fail(`the regular expression /${source}/ is not supported (RE2 syntax, no back-references or look-around): ${(e as Error).message}`);
    }
  }

  operand(): FilterOperand {
    this.ws();
    const s = this.src;
    const c = s[this.pos];
    if (c === '@' || c === '$') {
      this.pos += 1;
      return { path: { root: c, segments: this.segments(true) } };
    }
    if (c === "'" || c === '"') return { literal: this.quoted() };
    if (c === '[') {
      // A list literal, the right operand of in, nin, subsetof, anyof and noneof.
      this.pos += 1;
      const items: Json[] = [];
      this.ws();
      while (s[this.pos] !== ']') {
        const item = this.operand();
        if (!('literal' in item)) this.fail('a list in a filter can hold only literals');
        items.push(item.literal);
        this.ws();
        if (s[this.pos] === ',') this.pos += 1;
        else if (s[this.pos] !== ']') this.fail(`expected , or ] in a list at position ${this.pos}`);
        this.ws();
      }
      this.pos += 1;
      return { literal: items };
    }
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(s.slice(this.pos));
    if (!m) this.fail(`unexpected '${s.slice(this.pos)}' in filter`);
    this.pos += m[0].length;
    return { literal: JSON.parse(m[0]) as Json };
  }
}

const NOT_FOUND: unique symbol = Symbol('not found');

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The steps one evaluation may still take (see JSONPATH_BUDGET). */
interface Work {
  left: number;
  readonly source: string;
}

function spend(work: Work, n: number): void {
  work.left -= n;
  if (work.left < 0) {
    throw new StatesError(
      StatesErrors.Runtime,
      `The JSONPath '${work.source}' visited more than ${JSONPATH_BUDGET.maxSteps.toLocaleString('en-US')} values; use a more specific path than nested '..' and filters`,
    );
  }
}

function step(value: Json, seg: Segment, out: Json[], root: Json, work: Work): void {
  spend(work, 1);
  switch (seg.kind) {
    case 'name':
      if (isObject(value) && Object.hasOwn(value, seg.name)) {
        const v = value[seg.name];
        if (v !== undefined) out.push(v);
      }
      return;
    case 'index':
      if (Array.isArray(value)) {
        const v = value[seg.index < 0 ? value.length + seg.index : seg.index];
        if (v !== undefined) out.push(v);
      }
      return;
    case 'wildcard':
      if (Array.isArray(value)) {
        spend(work, value.length);
        for (const v of value) out.push(v);
      } else if (isObject(value)) {
        for (const k in value) {
          const v = value[k];
          if (v !== undefined) out.push(v);
        }
      }
      return;
    case 'union':
      for (const k of seg.keys) step(value, typeof k === 'number' ? { kind: 'index', index: k } : { kind: 'name', name: k }, out, root, work);
      return;
    case 'slice': {
      if (!Array.isArray(value)) return;
      const n = value.length;
      const stepBy = seg.step ?? 1;
      if (stepBy <= 0) return;
      const norm = (x: number) => (x < 0 ? Math.max(0, n + x) : Math.min(n, x));
      const start = seg.start === undefined ? 0 : norm(seg.start);
      const end = seg.end === undefined ? n : norm(seg.end);
      spend(work, Math.ceil(Math.max(0, end - start) / stepBy));
      for (let i = start; i < end; i += stepBy) {
        const v = value[i];
        if (v !== undefined) out.push(v);
      }
      return;
    }
    case 'descent': {
      // Pre-order, as Jayway lists matches, with an explicit stack: input can nest deeper than
      // the call stack goes.
      const stack: Json[] = [value];
      while (stack.length > 0) {
        const v = stack.pop() as Json;
        step(v, seg.next, out, root, work);
        const children = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : undefined;
        if (children)
          for (let i = children.length - 1; i >= 0; i--) {
            const child = children[i];
            if (child !== undefined) stack.push(child);
          }
      }
      return;
    }
    case 'filter': {
      const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
      for (const item of items) if (testFilter(seg.test, item, root, work)) out.push(item);
      return;
    }
  }
}

function resolveFilterPath(p: FilterPath, current: Json, root: Json, work: Work): Json | typeof NOT_FOUND {
  let v: Json = p.root === '@' ? current : root;
  for (const seg of p.segments) {
    const out: Json[] = [];
    step(v, seg, out, root, work);
    const [first] = out;
    if (first === undefined) return NOT_FOUND;
    v = first;
  }
  return v;
}

function testFilter(e: FilterExpr, current: Json, root: Json, work: Work): boolean {
  const val = (o: FilterOperand) => ('path' in o ? resolveFilterPath(o.path, current, root, work) : o.literal);
  switch (e.op) {
    case 'and':
      return testFilter(e.left, current, root, work) && testFilter(e.right, current, root, work);
    case 'or':
      return testFilter(e.left, current, root, work) || testFilter(e.right, current, root, work);
    case 'not':
      return !testFilter(e.expr, current, root, work);
    case 'exists':
      return resolveFilterPath(e.path, current, root, work) !== NOT_FOUND;
    case 'match': {
      // Jayway's =~ matches the whole string.
      const l = val(e.left);
      if (typeof l !== 'string') return false;
      spend(work, l.length);
      return e.regex.matches(l);
    }
    case 'cmp': {
      const l = val(e.left);
      const r = val(e.right);
      if (l === NOT_FOUND || r === NOT_FOUND) return false;
      return compareFilter(e.cmp, l, r, work);
    }
  }
}

function compareFilter(cmp: string, l: Json, r: Json, work: Work): boolean {
  const has = (list: Json[], x: Json) => list.some((y) => deepEqual(x, y, work));
  switch (cmp) {
    case '==':
      return deepEqual(l, r, work);
    case '!=':
      return !deepEqual(l, r, work);
    case 'in':
      return Array.isArray(r) && has(r, l);
    case 'nin':
      return Array.isArray(r) && !has(r, l);
    case 'subsetof':
      return Array.isArray(l) && Array.isArray(r) && l.every((x) => has(r, x));
    case 'anyof':
      return Array.isArray(l) && Array.isArray(r) && l.some((x) => has(r, x));
    case 'noneof':
      return Array.isArray(l) && Array.isArray(r) && !l.some((x) => has(r, x));
    case 'size':
      return typeof r === 'number' && (typeof l === 'string' || Array.isArray(l)) && l.length === r;
    case 'empty':
      return typeof r === 'boolean' && (typeof l === 'string' || Array.isArray(l)) && (l.length === 0) === r;
  }
  if (typeof l !== typeof r || (typeof l !== 'number' && typeof l !== 'string')) return false;
  const a = l as number | string;
  const b = r as number | string;
  return cmp === '<' ? a < b : cmp === '<=' ? a <= b : cmp === '>' ? a > b : a >= b;
}

/**
 * Structural equality of two JSON values (key order ignored), with an explicit stack: values can
 * nest deeper than the call stack goes. `work`, when given, is charged for every pair compared.
 */
export function deepEqual(a: Json, b: Json, work?: Work): boolean {
  const stack: [Json, Json][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [Json, Json];
    if (work) spend(work, 1);
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      // An array hole reads as null, as JSON.stringify writes it.
      for (let i = 0; i < x.length; i++) stack.push([x[i] ?? null, y[i] ?? null]);
      continue;
    }
    if (Array.isArray(y)) return false;
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!Object.hasOwn(y, k)) return false;
      stack.push([x[k] ?? null, y[k] ?? null]);
    }
  }
  return true;
}

/**
 * Evaluates a path against its root value. A definite path returns the value or `undefined` when
 * nothing is there; an indefinite path (wildcards, slices, filters) returns the array of matches.
 * An indefinite path fails with States.Runtime past its work budget (JSONPATH_BUDGET).
 */
export function evaluatePath(path: JsonPath, root: Json): Json | undefined {
  const segs = path.segments;
  if (path.definite) {
    const read = path.read;
    if (read !== undefined) return read(root);
    let v: Json = root;
    for (const seg of segs) {
      let next: Json | undefined;
      if (seg.kind === 'name') {
        if (!isObject(v) || !Object.hasOwn(v, seg.name)) return undefined;
        next = v[seg.name];
      } else {
        if (!Array.isArray(v)) return undefined;
        const idx = (seg as { index: number }).index;
        next = v[idx < 0 ? v.length + idx : idx];
      }
      if (next === undefined) return undefined;
      v = next;
    }
    return v;
  }
  const work: Work = { left: JSONPATH_BUDGET.maxSteps, source: path.source };
  let current: Json[] = [root];
  for (const seg of segs) {
    const next: Json[] = [];
    for (const v of current) step(v, seg, next, root, work);
    current = next;
  }
  return current;
}

/** Renders segments in Jayway's bracket notation, as AWS error messages quote them (`$['a']['b']`). */
export function bracketNotation(path: JsonPath): string {
  let out = '$';
  for (const seg of path.segments) {
    if (seg.kind === 'name') out += `['${seg.name}']`;
    else if (seg.kind === 'index') out += `[${seg.index}]`;
    else out += '[*]';
  }
  return out;
}

/** A copy of `obj` with `key` set to `value` (an own data property, even for `__proto__`). */
function withKey(obj: JsonObject, key: string, value: Json): JsonObject {
  if (key === '__proto__') return copyWithDescriptors(obj, key, value);
  if (Object.hasOwn(obj, key)) {
    // Same keys: the spread clone keeps the object's shape (own __proto__ included), and replacing
    // a value is cheap.
    const out = { ...obj };
    out[key] = value;
    return out;
  }
  // A new key: copy key by key. Node 20's V8 gives a spread clone a shape it cannot extend, so
  // adding a key to one costs ~10x more than this copy.
  const out: JsonObject = {};
  for (const k in obj) {
    // Assigning an own `__proto__` would set the copy's prototype instead.
    if (k === '__proto__') return copyWithDescriptors(obj, key, value);
    const v = obj[k];
    if (v !== undefined) out[k] = v;
  }
  out[key] = value;
  return out;
}

function copyWithDescriptors(obj: JsonObject, key: string, value: Json): JsonObject {
  // Each member as a plain data property: the source may be frozen (a compiled constant, data a
  // mock or an onEvent listener saw), and copying its descriptors would make the copy's keys read-only.
  const out: JsonObject = {};
  for (const k of Object.keys(obj)) Object.defineProperty(out, k, { value: obj[k], enumerable: true, writable: true, configurable: true });
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * Writes `value` at a definite path inside `target`, copying only the objects along the path
 * (values are immutable, so the rest is shared). Used by ResultPath.
 */
export function setAtPath(target: Json, path: JsonPath, value: Json): Json | undefined {
  // A module-level recursion, not a closure per call: under tsx/esbuild keepNames a named closure
  // costs an Object.defineProperty each time (measured on the chain workload: 1,000 ResultPaths per run).
  return writeAt(target, path.segments, 0, value);
}

function writeAt(node: Json | undefined, segs: JsonPath['segments'], i: number, value: Json): Json | undefined {
  const seg = segs[i];
  if (seg === undefined) return value;
  if (seg.kind === 'name') {
    if (node !== undefined && node !== null && !isObject(node)) return undefined;
    // The last segment takes the value as is; an earlier one descends into an own field only.
    const child = i + 1 === segs.length ? value : writeAt(isObject(node) && Object.hasOwn(node, seg.name) ? node[seg.name] : null, segs, i + 1, value);
    if (child === undefined) return undefined;
    return withKey(isObject(node) ? node : {}, seg.name, child);
  }
  if (seg.kind === 'index' && Array.isArray(node) && seg.index >= 0 && seg.index < node.length) {
    const arr = node.slice();
    const child = writeAt(arr[seg.index], segs, i + 1, value);
    if (child === undefined) return undefined;
    arr[seg.index] = child;
    return arr;
  }
  return undefined;
}
