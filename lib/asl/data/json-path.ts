// JSONPath as Step Functions uses it (Jayway semantics): parsed once at compile time into segments,
// then evaluated against `$` (state input), `$$` (context object) or `$name` (a workflow variable).
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
}

/** Thrown at compile time for a path that cannot be parsed. */
export class JsonPathSyntaxError extends Error {
  constructor(public readonly path: string, detail: string) {
    super(`Invalid JSONPath '${path}': ${detail}`);
    this.name = 'JsonPathSyntaxError';
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

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
  return { source, root, segments, definite: segments.every((s) => s.kind === 'name' || s.kind === 'index') };
}

class Parser {
  constructor(readonly src: string, public pos: number) {}

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
    while (this.pos < s.length && !'.[ )=<>!&|'.includes(s[this.pos] as string)) this.pos += 1;
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
      const test = this.filterOr();
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
      } else if (keys.length === 1) {
        const k = keys[0] as string | number;
        seg = typeof k === 'number' ? { kind: 'index', index: k } : { kind: 'name', name: k };
      } else {
        seg = { kind: 'union', keys };
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
    while (this.pos < s.length && s[this.pos] !== q) {
      if (s[this.pos] === '\\' && this.pos + 1 < s.length) this.pos += 1;
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
      const e = this.filterOr();
      this.ws();
      if (s[this.pos] !== ')') this.fail('expected )');
      this.pos += 1;
      return e;
    }
    const left = this.operand();
    this.ws();
    const m = /^(==|!=|<=|>=|<|>)/.exec(s.slice(this.pos));
    if (!m) {
      if (!('path' in left)) this.fail('a filter needs a comparison or a path');
      return { op: 'exists', path: left.path };
    }
    this.pos += m[0].length;
    return { op: 'cmp', cmp: m[0], left, right: this.operand() };
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

function step(value: Json, seg: Segment, out: Json[], root: Json): void {
  switch (seg.kind) {
    case 'name':
      if (isObject(value) && Object.prototype.hasOwnProperty.call(value, seg.name)) out.push(value[seg.name] as Json);
      return;
    case 'index':
      if (Array.isArray(value)) {
        const i = seg.index < 0 ? value.length + seg.index : seg.index;
        if (i >= 0 && i < value.length) out.push(value[i] as Json);
      }
      return;
    case 'wildcard':
      if (Array.isArray(value)) out.push(...value);
      else if (isObject(value)) out.push(...Object.values(value));
      return;
    case 'union':
      for (const k of seg.keys) step(value, typeof k === 'number' ? { kind: 'index', index: k } : { kind: 'name', name: k }, out, root);
      return;
    case 'slice': {
      if (!Array.isArray(value)) return;
      const n = value.length;
      const stepBy = seg.step ?? 1;
      if (stepBy <= 0) return;
      const norm = (x: number) => (x < 0 ? Math.max(0, n + x) : Math.min(n, x));
      const start = seg.start === undefined ? 0 : norm(seg.start);
      const end = seg.end === undefined ? n : norm(seg.end);
      for (let i = start; i < end; i += stepBy) out.push(value[i] as Json);
      return;
    }
    case 'descent': {
      const visit = (v: Json) => {
        step(v, seg.next, out, root);
        if (Array.isArray(v)) v.forEach(visit);
        else if (isObject(v)) Object.values(v).forEach(visit);
      };
      visit(value);
      return;
    }
    case 'filter': {
      const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
      for (const item of items) if (testFilter(seg.test, item, root)) out.push(item);
      return;
    }
  }
}

function resolveFilterPath(p: FilterPath, current: Json, root: Json): Json | typeof NOT_FOUND {
  let v: Json = p.root === '@' ? current : root;
  for (const seg of p.segments) {
    const out: Json[] = [];
    step(v, seg, out, root);
    if (out.length === 0) return NOT_FOUND;
    v = out[0] as Json;
  }
  return v;
}

function testFilter(e: FilterExpr, current: Json, root: Json): boolean {
  switch (e.op) {
    case 'and':
      return testFilter(e.left, current, root) && testFilter(e.right, current, root);
    case 'or':
      return testFilter(e.left, current, root) || testFilter(e.right, current, root);
    case 'not':
      return !testFilter(e.expr, current, root);
    case 'exists':
      return resolveFilterPath(e.path, current, root) !== NOT_FOUND;
    case 'cmp': {
      const val = (o: FilterOperand) => ('path' in o ? resolveFilterPath(o.path, current, root) : o.literal);
      const l = val(e.left);
      const r = val(e.right);
      if (l === NOT_FOUND || r === NOT_FOUND) return false;
      switch (e.cmp) {
        case '==':
          return deepEqual(l, r);
        case '!=':
          return !deepEqual(l, r);
      }
      if (typeof l !== typeof r || (typeof l !== 'number' && typeof l !== 'string')) return false;
      const a = l as number | string;
      const b = r as number | string;
      return e.cmp === '<' ? a < b : e.cmp === '<=' ? a <= b : e.cmp === '>' ? a > b : a >= b;
    }
  }
}

/** Structural equality of two JSON values (key order ignored). */
export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i] as Json, b[i] as Json)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k] as Json, b[k] as Json)) return false;
  }
  return true;
}

/**
 * Evaluates a path against its root value. A definite path returns the value or `undefined` when
 * nothing is there; an indefinite path (wildcards, slices, filters) returns the array of matches.
 */
export function evaluatePath(path: JsonPath, root: Json): Json | undefined {
  const segs = path.segments;
  if (path.definite) {
    let v: Json = root;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i] as Segment;
      if (seg.kind === 'name') {
        if (!isObject(v) || !Object.prototype.hasOwnProperty.call(v, seg.name)) return undefined;
        v = v[seg.name] as Json;
      } else {
        if (!Array.isArray(v)) return undefined;
        const idx = (seg as { index: number }).index;
        const j = idx < 0 ? v.length + idx : idx;
        if (j < 0 || j >= v.length) return undefined;
        v = v[j] as Json;
      }
    }
    return v;
  }
  let current: Json[] = [root];
  for (const seg of segs) {
    const next: Json[] = [];
    for (const v of current) step(v, seg, next, root);
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
    out[k] = obj[k] as Json;
  }
  out[key] = value;
  return out;
}

function copyWithDescriptors(obj: JsonObject, key: string, value: Json): JsonObject {
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(obj)) as JsonObject;
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * Writes `value` at a definite path inside `target`, copying only the objects along the path
 * (values are immutable, so the rest is shared). Used by ResultPath.
 */
export function setAtPath(target: Json, path: JsonPath, value: Json): Json | undefined {
  const segs = path.segments;
  const write = (node: Json, i: number): Json | undefined => {
    if (i === segs.length) return value;
    const seg = segs[i] as Segment;
    if (seg.kind === 'name') {
      if (node !== undefined && node !== null && !isObject(node)) return undefined;
      // The last segment takes the value as is; an earlier one descends into an own field only.
      const child = i + 1 === segs.length ? value : write(isObject(node) && Object.hasOwn(node, seg.name) ? (node[seg.name] as Json) : null, i + 1);
      if (child === undefined) return undefined;
      return withKey(isObject(node) ? node : {}, seg.name, child);
    }
    if (seg.kind === 'index' && Array.isArray(node) && seg.index >= 0 && seg.index < node.length) {
      const arr = node.slice();
      const child = write(arr[seg.index] as Json, i + 1);
      if (child === undefined) return undefined;
      arr[seg.index] = child;
      return arr;
    }
    return undefined;
  };
  return write(target, 0);
}
