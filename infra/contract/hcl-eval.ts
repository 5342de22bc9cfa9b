/**
 * A small evaluator for the HCL expressions @cdktf/hcl2json leaves as "${…}" strings, enough to
 * follow this repository's own code from a module call down to a resource attribute: literals,
 * templates, var./local./each./count. references, operators, conditionals, for-expressions and a
 * few pure functions. Anything that depends on the cloud (resource attributes, data sources,
 * module outputs) evaluates to UNKNOWN, which the loader treats as "not known statically".
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';

export const UNKNOWN: unique symbol = Symbol('unknown');
export type Value = string | number | boolean | null | Value[] | { [k: string]: Value } | typeof UNKNOWN;

export interface Scope {
  lookup(root: string): Value | undefined; // undefined = not a root this scope knows
}

type Tok = { t: 'num' | 'str' | 'id' | 'op'; v: string };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '=>', '...', '(', ')', '[', ']', '{', '}', ',', '.', ':', '?', '=', '!', '<', '>', '+', '-', '*', '/', '%'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#' || (c === '/' && src[i + 1] === '/')) { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0] }); i += m[0].length; continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      out.push({ t: 'id', v: m[0] }); i += m[0].length; continue;
    }
    if (c === '"') {
      // raw template text up to the closing quote, keeping ${…} nesting balanced
      let j = i + 1; let depth = 0; let raw = '';
      while (j < src.length) {
        const d = src[j];
        if (d === '\\' && depth === 0) { raw += d + src[j + 1]; j += 2; continue; }
        if (d === '$' && src[j + 1] === '{') { depth++; raw += '${'; j += 2; continue; }
        if (d === '{' && depth > 0) { depth++; raw += d; j++; continue; }
        if (d === '}' && depth > 0) { depth--; raw += d; j++; continue; }
        if (d === '"' && depth === 0) break;
        raw += d; j++;
      }
      out.push({ t: 'str', v: raw }); i = j + 1; continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new Error(`hcl-eval: unexpected "${c}" in ${src}`);
    out.push({ t: 'op', v: op }); i += op.length;
  }
  return out;
}

type Node =
  | { k: 'lit'; v: Value }
  | { k: 'tpl'; raw: string }
  | { k: 'ref'; name: string }
  | { k: 'get'; obj: Node; key: Node }
  | { k: 'call'; fn: string; args: Node[]; expand: boolean }
  | { k: 'list'; items: Node[] }
  | { k: 'obj'; items: [Node, Node][] }
  | { k: 'un'; op: string; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'cond'; c: Node; a: Node; b: Node }
  | { k: 'for'; obj: boolean; kv: string | null; vv: string; coll: Node; key: Node | null; val: Node; cond: Node | null; group: boolean };

class Parser {
  i = 0;
  constructor(private toks: Tok[]) {}
  peek(v?: string) { const t = this.toks[this.i]; return t && (v === undefined || (t.t === 'op' || t.t === 'id') && t.v === v) ? t : undefined; }
  eat(v: string) { const t = this.toks[this.i]; if (!t || t.v !== v) throw new Error(`hcl-eval: expected ${v}, got ${t?.v}`); this.i++; return t; }
  done() { return this.i >= this.toks.length; }

  expr(): Node {
    const c = this.bin(0);
    if (this.peek('?')) { this.i++; const a = this.expr(); this.eat(':'); const b = this.expr(); return { k: 'cond', c, a, b }; }
    return c;
  }
  static PREC: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };
  bin(min: number): Node {
    let a = this.unary();
    for (;;) {
      const t = this.toks[this.i];
      const p = t && t.t === 'op' ? Parser.PREC[t.v] : undefined;
      if (p === undefined || p <= min - 1 || p < min) break;
      this.i++;
      const b = this.bin(p + 1);
      a = { k: 'bin', op: t.v, a, b };
    }
    return a;
  }
  unary(): Node {
    if (this.peek('!')) { this.i++; return { k: 'un', op: '!', a: this.unary() }; }
    if (this.peek('-')) { this.i++; return { k: 'un', op: '-', a: this.unary() }; }
    return this.postfix(this.primary());
  }
  postfix(n: Node): Node {
    for (;;) {
      if (this.peek('.')) {
        this.i++;
        const t = this.toks[this.i++];
        if (t.v === '*') { n = { k: 'call', fn: '__splat', args: [n], expand: false }; continue; }
        n = { k: 'get', obj: n, key: { k: 'lit', v: t.t === 'num' ? Number(t.v) : t.v } };
      } else if (this.peek('[')) {
        this.i++;
        if (this.peek('*')) { this.i++; this.eat(']'); n = { k: 'call', fn: '__splat', args: [n], expand: false }; continue; }
        const key = this.expr(); this.eat(']');
        n = { k: 'get', obj: n, key };
      } else return n;
    }
  }
  primary(): Node {
    const t = this.toks[this.i++];
    if (!t) throw new Error('hcl-eval: unexpected end');
    if (t.t === 'num') return { k: 'lit', v: Number(t.v) };
    if (t.t === 'str') return { k: 'tpl', raw: t.v };
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { k: 'lit', v: null };
      if (this.peek('(')) {
        this.i++;
        const args: Node[] = []; let expand = false;
        while (!this.peek(')')) {
          args.push(this.expr());
          if (this.peek('...')) { this.i++; expand = true; }
          if (this.peek(',')) this.i++;
        }
        this.eat(')');
        return { k: 'call', fn: t.v, args, expand };
      }
      return { k: 'ref', name: t.v };
    }
    if (t.v === '(') { const e = this.expr(); this.eat(')'); return e; }
    if (t.v === '[') {
      if (this.peek('for')) return this.forExpr(false, ']');
      const items: Node[] = [];
      while (!this.peek(']')) { items.push(this.expr()); if (this.peek(',')) this.i++; }
      this.eat(']');
      return { k: 'list', items };
    }
    if (t.v === '{') {
      if (this.peek('for')) return this.forExpr(true, '}');
      const items: [Node, Node][] = [];
      while (!this.peek('}')) {
        const kt = this.toks[this.i];
        let key: Node;
        if (kt.t === 'id' && (this.toks[this.i + 1]?.v === '=' || this.toks[this.i + 1]?.v === ':')) { key = { k: 'lit', v: kt.v }; this.i++; }
        else key = this.expr();
        if (this.peek('=')) this.i++; else this.eat(':');
        items.push([key, this.expr()]);
        if (this.peek(',')) this.i++;
      }
      this.eat('}');
      return { k: 'obj', items };
    }
    throw new Error(`hcl-eval: unexpected token ${t.v}`);
  }
  forExpr(obj: boolean, close: string): Node {
    this.eat('for');
    const first = this.toks[this.i++].v;
    let kv: string | null = null; let vv = first;
    if (this.peek(',')) { this.i++; kv = first; vv = this.toks[this.i++].v; }
    this.eat('in');
    const coll = this.expr();
    this.eat(':');
    let key: Node | null = null;
    let val = this.expr();
    if (obj) { this.eat('=>'); key = val; val = this.expr(); }
    let group = false;
    if (this.peek('...')) { this.i++; group = true; }
    let cond: Node | null = null;
    if (this.peek('if')) { this.i++; cond = this.expr(); }
    this.eat(close);
    return { k: 'for', obj, kv, vv, coll, key, val, cond, group };
  }
}

const cache = new Map<string, Node>();
export function parseExpr(src: string): Node {
  let n = cache.get(src);
  if (!n) {
    const p = new Parser(tokenize(src));
    n = p.expr();
    if (!p.done()) throw new Error(`hcl-eval: trailing input in ${src}`);
    cache.set(src, n);
  }
  return n;
}

const isUnknown = (v: unknown): v is typeof UNKNOWN => v === UNKNOWN;
const isObj = (v: Value): v is { [k: string]: Value } => typeof v === 'object' && v !== null && !Array.isArray(v);

function child(scope: Scope, vars: Record<string, Value>): Scope {
  return { lookup: (r) => (r in vars ? vars[r] : scope.lookup(r)) };
}

function toStr(v: Value): string | typeof UNKNOWN {
  if (isUnknown(v)) return UNKNOWN;
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Split a template into literal text and ${expr} parts. */
function templateParts(raw: string): (string | { expr: string })[] {
  const parts: (string | { expr: string })[] = [];
  let i = 0; let text = '';
  while (i < raw.length) {
    if (raw[i] === '$' && raw[i + 1] === '$' && raw[i + 2] === '{') { text += '${'; i += 3; continue; }
    if (raw[i] === '$' && raw[i + 1] === '{') {
      let depth = 1; let j = i + 2; let inStr = false;
      while (j < raw.length && depth > 0) {
        const c = raw[j];
        if (c === '\\') { j += 2; continue; }
        if (c === '"') inStr = !inStr;
        else if (!inStr && c === '{') depth++;
        else if (!inStr && c === '}') depth--;
        j++;
      }
      if (text) parts.push(text);
      text = '';
      parts.push({ expr: raw.slice(i + 2, j - 1) });
      i = j; continue;
    }
    if (raw[i] === '\\' && i + 1 < raw.length) {
      const e = raw[i + 1];
      text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
      i += 2; continue;
    }
    text += raw[i++];
  }
  if (text || parts.length === 0) parts.push(text);
  return parts;
}

export function evalTemplate(raw: string, scope: Scope): Value {
  const parts = templateParts(raw);
  if (parts.length === 1 && typeof parts[0] !== 'string') return evalNode(parseExpr(parts[0].expr), scope);
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') { out += p; continue; }
    const s = toStr(evalNode(parseExpr(p.expr), scope));
    if (isUnknown(s)) return UNKNOWN;
    out += s;
  }
  return out;
}

const FUNCS: Record<string, (...a: Value[]) => Value> = {
  contains: (l, x) => Array.isArray(l) ? l.some((e) => e === x) : UNKNOWN,
  toset: (l) => Array.isArray(l) ? [...new Set(l as Value[])] : UNKNOWN,
  tolist: (l) => l,
  tomap: (m) => m,
  length: (l) => Array.isArray(l) ? l.length : isObj(l) ? Object.keys(l).length : typeof l === 'string' ? l.length : UNKNOWN,
  keys: (m) => isObj(m) ? Object.keys(m).sort() : UNKNOWN,
  values: (m) => isObj(m) ? Object.keys(m).sort().map((k) => m[k]) : UNKNOWN,
  merge: (...ms) => ms.some(isUnknown) ? UNKNOWN : Object.assign({}, ...ms.filter((m) => m !== null)),
  concat: (...ls) => ls.some(isUnknown) ? UNKNOWN : (ls as Value[][]).flat(),
  lookup: (m, k, d) => isObj(m) && typeof k === 'string' ? (k in m ? m[k] : d === undefined ? UNKNOWN : d) : UNKNOWN,
  coalesce: (...vs) => vs.find((v) => v !== null && v !== '') ?? null,
  lower: (s) => typeof s === 'string' ? s.toLowerCase() : UNKNOWN,
  upper: (s) => typeof s === 'string' ? s.toUpperCase() : UNKNOWN,
  replace: (s, a, b) => typeof s === 'string' && typeof a === 'string' && typeof b === 'string' ? s.split(a).join(b) : UNKNOWN,
  split: (sep, s) => typeof s === 'string' && typeof sep === 'string' ? s.split(sep) : UNKNOWN,
  join: (sep, l) => Array.isArray(l) && typeof sep === 'string' ? l.join(sep) : UNKNOWN,
  format: (f, ...a) => typeof f === 'string' ? f.replace(/%[sd]/g, () => String(a.shift())) : UNKNOWN,
  // file(): an absolute path to a file that exists (a test's fixture); anything else is not known statically.
  file: (f) => typeof f === 'string' && isAbsolute(f) && existsSync(f) ? readFileSync(f, 'utf8') : UNKNOWN,
  jsondecode: (s) => {
    if (typeof s !== 'string') return UNKNOWN;
    try { return JSON.parse(s) as Value; } catch { return UNKNOWN; }
  },
  startswith: (s, p) => typeof s === 'string' && typeof p === 'string' ? s.startsWith(p) : UNKNOWN,
  // a definite false (true) decides; otherwise an unknown element leaves the result unknown
  alltrue: (l) => !Array.isArray(l) ? UNKNOWN : l.some((x) => x === false) ? false : l.some(isUnknown) ? UNKNOWN : l.every((x) => x === true),
  anytrue: (l) => !Array.isArray(l) ? UNKNOWN : l.some((x) => x === true) ? true : l.some(isUnknown) ? UNKNOWN : false,
  __splat: (l) => l,
  // What `tofu plan` uses: the time of this plan (the code keeps such values stable with ignore_changes).
  endswith: (s, p) => typeof s === 'string' && typeof p === 'string' ? s.endsWith(p) : UNKNOWN,
  tonumber: (s) => {
    if (typeof s === 'number') return s;
    if (typeof s !== 'string' || !/^-?\d+(\.\d+)?$/.test(s)) throw new Error(`tonumber: ${String(s)}`);
    return Number(s);
  },
  setsubtract: (a, b) => Array.isArray(a) && Array.isArray(b) ? a.filter((x) => !b.includes(x)) : UNKNOWN,
  // RE2 as OpenTofu uses it; a leading (?i) is JavaScript's i flag. No match is an error, as in tofu.
  regex: (re, s) => {
    if (typeof re !== 'string' || typeof s !== 'string') return UNKNOWN;
    const ci = re.startsWith('(?i)');
    const m = new RegExp(ci ? re.slice(4) : re, ci ? 'i' : '').exec(s);
    if (!m) throw new Error(`regex: "${s}" does not match ${re}`);
    return m[0];
  },
  cidrhost: (prefix, host) => {
    const m = typeof prefix === 'string' ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(prefix) : null;
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32 || typeof host !== 'number') throw new Error(`cidrhost: ${String(prefix)}`);
    const base = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
    const mask = Number(m[5]) === 0 ? 0 : (0xffffffff << (32 - Number(m[5]))) >>> 0;
    const ip = ((base & mask) >>> 0) + host;
    return [24, 16, 8, 0].map((sh) => (ip >>> sh) & 255).join('.');
  },
  base64decode: (s) => {
    if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error('base64decode: not base64');
    return Buffer.from(s, 'base64').toString('utf8');
  },
  plantimestamp: () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  formatdate: (spec, ts) => typeof spec === 'string' && typeof ts === 'string' ? formatDate(spec, ts) : UNKNOWN,
};

/** OpenTofu's formatdate for the numeric tokens (YYYY MM DD hh mm ss) and 'quoted' literals, in UTC. */
function formatDate(spec: string, ts: string): Value {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return UNKNOWN;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const tokens: Record<string, string> = {
    YYYY: pad(d.getUTCFullYear(), 4), MM: pad(d.getUTCMonth() + 1), DD: pad(d.getUTCDate()),
    hh: pad(d.getUTCHours()), mm: pad(d.getUTCMinutes()), ss: pad(d.getUTCSeconds()),
  };
  let out = '';
  for (let i = 0; i < spec.length;) {
    if (spec[i] === "'") { const j = spec.indexOf("'", i + 1); if (j < 0) return UNKNOWN; out += spec.slice(i + 1, j); i = j + 1; continue; }
    if (/[A-Za-z]/.test(spec[i])) {
      const tok = Object.keys(tokens).find((t) => spec.startsWith(t, i));
      if (!tok) return UNKNOWN; // a token this evaluator does not know
      out += tokens[tok]; i += tok.length; continue;
    }
    out += spec[i++];
  }
  return out;
}

export function evalNode(n: Node, scope: Scope): Value {
  switch (n.k) {
    case 'lit': return n.v;
    case 'tpl': return evalTemplate(n.raw, scope);
    case 'ref': {
      const v = scope.lookup(n.name);
      return v === undefined ? UNKNOWN : v; // resource types, data, module: known only to the cloud
    }
    case 'get': {
      const o = evalNode(n.obj, scope);
      const k = evalNode(n.key, scope);
      if (isUnknown(o) || isUnknown(k)) return UNKNOWN;
      if (Array.isArray(o) && typeof k === 'number') return o[k] ?? UNKNOWN;
      if (isObj(o) && (typeof k === 'string' || typeof k === 'number')) return String(k) in o ? o[String(k)] : UNKNOWN;
      return UNKNOWN;
    }
    case 'call': {
      // can(expr): true when expr evaluates without an error, as OpenTofu's can()
      if (n.fn === 'can') {
        try { const v = evalNode(n.args[0], scope); return isUnknown(v) ? UNKNOWN : true; } catch { return false; }
      }
      let args = n.args.map((a) => evalNode(a, scope));
      if (n.expand) { const last = args.pop()!; if (!Array.isArray(last)) return UNKNOWN; args = [...args, ...last]; }
      const f = FUNCS[n.fn];
      if (!f) return UNKNOWN; // templatefile(), timeadd()…: not evaluated statically
      if (n.fn !== 'coalesce' && n.fn !== 'merge' && n.fn !== 'concat' && args.some(isUnknown)) return UNKNOWN;
      return f(...args);
    }
    case 'list': return n.items.map((i) => evalNode(i, scope));
    case 'obj': {
      const o: Record<string, Value> = {};
      for (const [kn, vn] of n.items) {
        const k = kn.k === 'ref' ? kn.name : evalNode(kn, scope);
        if (isUnknown(k)) return UNKNOWN;
        o[String(k)] = evalNode(vn, scope);
      }
      return o;
    }
    case 'un': {
      const a = evalNode(n.a, scope);
      if (isUnknown(a)) return UNKNOWN;
      return n.op === '!' ? !a : -(a as number);
    }
    case 'bin': {
      const a = evalNode(n.a, scope);
      if (n.op === '&&' && a === false) return false;
      if (n.op === '||' && a === true) return true;
      const b = evalNode(n.b, scope);
      if (isUnknown(a) || isUnknown(b)) return UNKNOWN;
      switch (n.op) {
        case '==': return JSON.stringify(a) === JSON.stringify(b);
        case '!=': return JSON.stringify(a) !== JSON.stringify(b);
        case '&&': return Boolean(a) && Boolean(b);
        case '||': return Boolean(a) || Boolean(b);
        case '<': return (a as number) < (b as number);
        case '>': return (a as number) > (b as number);
        case '<=': return (a as number) <= (b as number);
        case '>=': return (a as number) >= (b as number);
        case '+': return (a as number) + (b as number);
        case '-': return (a as number) - (b as number);
        case '*': return (a as number) * (b as number);
        case '/': return (a as number) / (b as number);
        case '%': return (a as number) % (b as number);
      }
      return UNKNOWN;
    }
    case 'cond': {
      const c = evalNode(n.c, scope);
      if (isUnknown(c)) return UNKNOWN;
      return c ? evalNode(n.a, scope) : evalNode(n.b, scope);
    }
    case 'for': {
      const coll = evalNode(n.coll, scope);
      if (isUnknown(coll)) return UNKNOWN;
      const entries: [Value, Value][] = Array.isArray(coll)
        ? coll.map((v, i) => [i, v])
        : isObj(coll) ? Object.keys(coll).sort().map((k) => [k, coll[k]]) : [];
      const list: Value[] = []; const obj: Record<string, Value> = {};
      for (const [k, v] of entries) {
        const vars: Record<string, Value> = { [n.vv]: v };
        if (n.kv) vars[n.kv] = k;
        const s = child(scope, vars);
        if (n.cond) { const c = evalNode(n.cond, s); if (isUnknown(c)) return UNKNOWN; if (!c) continue; }
        const val = evalNode(n.val, s);
        if (n.obj) {
          const key = evalNode(n.key!, s);
          if (isUnknown(key)) return UNKNOWN;
          if (n.group) { const g = (obj[String(key)] ??= []) as Value[]; g.push(val); } else obj[String(key)] = val;
        } else list.push(val);
      }
      return n.obj ? obj : list;
    }
  }
}

/** Evaluate a value as hcl2json gives it: strings are templates, arrays and objects recurse. */
export function evalJson(v: unknown, scope: Scope): Value {
  if (typeof v === 'string') return evalTemplate(v, scope);
  if (Array.isArray(v)) return v.map((x) => evalJson(x, scope));
  if (v && typeof v === 'object') {
    const o: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) o[k] = evalJson(x, scope);
    return o;
  }
  return v as Value;
}

export function scopeOf(vars: Record<string, Value>, parent?: Scope): Scope {
  return { lookup: (r) => (r in vars ? vars[r] : parent?.lookup(r)) };
}
export { isUnknown };
