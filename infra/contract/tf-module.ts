/**
 * Reads an OpenTofu module directory (every .tf parsed by @cdktf/hcl2json) and evaluates it the way
 * `tofu plan` would before talking to the cloud: variables from defaults and inputs, locals,
 * for_each/count instance keys, module outputs, configured resource attributes. Attributes the
 * cloud computes (ids, principal ids, …) are UNKNOWN.
 */
import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';
import { evalJson, evalTemplate, isUnknown, scopeOf, UNKNOWN, type Scope, type Value } from './hcl-eval';

type Raw = Record<string, unknown>;

export interface TfFiles {
  dir: string;
  files: Record<string, Raw>; // relative path → parsed JSON
  variable: Record<string, Raw>;
  locals: Record<string, unknown>;
  resource: Record<string, Record<string, Raw>>;
  module: Record<string, Raw>;
  output: Record<string, Raw>;
}

const cache = new Map<string, TfFiles>();

export async function parseTfFile(file: string): Promise<Raw> {
  return (await parse(path.basename(file), fs.readFileSync(file, 'utf8'))) as Raw;
}

export async function readModule(dir: string): Promise<TfFiles> {
  const key = path.resolve(dir);
  const hit = cache.get(key);
  if (hit) return hit;
  const m: TfFiles = { dir: key, files: {}, variable: {}, locals: {}, resource: {}, module: {}, output: {} };
  for (const f of fs.readdirSync(key).filter((f) => f.endsWith('.tf')).sort()) {
    const j = await parseTfFile(path.join(key, f));
    m.files[f] = j;
    for (const [n, v] of Object.entries((j.variable ?? {}) as Record<string, Raw[]>)) m.variable[n] = v[0];
    for (const l of (j.locals ?? []) as Raw[]) Object.assign(m.locals, l);
    for (const [t, byName] of Object.entries((j.resource ?? {}) as Record<string, Record<string, Raw[]>>))
      for (const [n, v] of Object.entries(byName)) (m.resource[t] ??= {})[n] = v[0];
    for (const [n, v] of Object.entries((j.module ?? {}) as Record<string, Raw[]>)) m.module[n] = v[0];
    for (const [n, v] of Object.entries((j.output ?? {}) as Record<string, Raw[]>)) m.output[n] = v[0];
  }
  // Child modules are read eagerly so that evaluation stays synchronous.
  for (const call of Object.values(m.module)) {
    const src = call.source;
    if (typeof src === 'string' && src.startsWith('.')) await readModule(path.join(key, src));
  }
  cache.set(key, m);
  return m;
}

export function clearModuleCache(): void {
  cache.clear();
}

/** Lazy, memoised object: keys known up front, values computed on first access. */
function lazyObject(keys: string[], compute: (k: string) => Value): Record<string, Value> {
  const memo = new Map<string, Value>();
  const busy = new Set<string>();
  const get = (k: string): Value => {
    if (memo.has(k)) return memo.get(k)!;
    if (busy.has(k)) return UNKNOWN; // a cycle: leave it to the cloud
    busy.add(k);
    const v = compute(k);
    busy.delete(k);
    memo.set(k, v);
    return v;
  };
  const target: Record<string, Value> = Object.fromEntries(keys.map((k) => [k, null]));
  return new Proxy(target, {
    get: (_t, p) => (typeof p === 'string' && keys.includes(p) ? get(p) : undefined),
    has: (_t, p) => typeof p === 'string' && keys.includes(p),
    ownKeys: () => keys,
    getOwnPropertyDescriptor: (_t, p) =>
      typeof p === 'string' && keys.includes(p) ? { enumerable: true, configurable: true, value: get(p) } : undefined,
  });
}

export interface ResourceInstance {
  type: string;
  name: string;
  key: string | number | null;
  raw: Raw;
  scope: Scope;
  /** evaluate a configured attribute (or nested path of blocks[0]) */
  get(...p: (string | number)[]): Value;
  /** the blocks of a nested block type, static or dynamic (content evaluated per iteration) */
  blocks(name: string): Record<string, Value>[];
}

export class ModuleInstance {
  readonly scope: Scope;
  private readonly vars: Record<string, Value>;
  private readonly localsObj: Record<string, Value>;
  private readonly children = new Map<string, ModuleInstance[] | null>();

  constructor(readonly files: TfFiles, inputs: Record<string, () => Value>, readonly rootDir = files.dir) {
    const names = Object.keys(files.variable);
    const base = scopeOf({});
    this.vars = lazyObject(names, (n) => {
      if (n in inputs) return inputs[n]();
      const d = files.variable[n];
      return d && 'default' in d ? evalJson(d.default, base) : UNKNOWN;
    });
    this.scope = {
      lookup: (root) => {
        switch (root) {
          case 'var': return this.vars;
          case 'local': return this.localsObj;
          case 'path': return { module: files.dir, root: this.rootDir, cwd: this.rootDir };
          case 'module': return this.moduleOutputs();
          case 'terraform': return { workspace: 'default' };
        }
        if (root in files.resource) return this.resourceRefs(root);
        return undefined;
      },
    };
    this.localsObj = lazyObject(Object.keys(files.locals), (k) => evalJson(files.locals[k], this.scope));
  }

  variable(name: string): Value {
    return this.vars[name];
  }

  local(name: string): Value {
    return this.localsObj[name];
  }

  /** instance keys of a for_each / count meta-argument; [null] for a single instance; [] for none */
  private instanceKeys(raw: Raw): (string | number | null)[] | typeof UNKNOWN {
    if ('for_each' in raw) {
      const fe = evalJson(raw.for_each, this.scope);
      if (isUnknown(fe)) return UNKNOWN;
      if (Array.isArray(fe)) return fe.map((x) => String(x));
      if (fe && typeof fe === 'object') return Object.keys(fe);
      return [];
    }
    if ('count' in raw) {
      const c = evalJson(raw.count, this.scope);
      if (typeof c !== 'number') return UNKNOWN;
      return Array.from({ length: c }, (_, i) => i);
    }
    return [null];
  }

  private eachScope(raw: Raw, key: string | number | null): Scope {
    if (key === null) return this.scope;
    if (typeof key === 'number') return scopeOf({ count: { index: key } }, this.scope);
    const fe = evalJson(raw.for_each, this.scope);
    const value = Array.isArray(fe) ? key : (fe as Record<string, Value>)[key];
    return scopeOf({ each: { key, value } }, this.scope);
  }

  resources(type: string, name: string): ResourceInstance[] {
    const raw = this.files.resource[type]?.[name];
    if (!raw) return [];
    const keys = this.instanceKeys(raw);
    if (isUnknown(keys)) throw new Error(`${type}.${name}: instance keys depend on the cloud`);
    return keys.map((key) => makeInstance(type, name, key, raw, this.eachScope(raw, key)));
  }

  resourcesOfType(type: string): ResourceInstance[] {
    return Object.keys(this.files.resource[type] ?? {}).flatMap((n) => this.resources(type, n));
  }

  private resourceRefs(type: string): Record<string, Value> {
    const byName = this.files.resource[type];
    return lazyObject(Object.keys(byName), (name) => {
      const raw = byName[name];
      const keys = this.instanceKeys(raw);
      if (isUnknown(keys)) return UNKNOWN;
      const proxyOf = (k: string | number | null) => attributeProxy(raw, this.eachScope(raw, k));
      if (keys.length === 1 && keys[0] === null) return proxyOf(null);
      if ('count' in raw) return keys.map(proxyOf);
      return lazyObject(keys as string[], (k) => proxyOf(k));
    });
  }

  /** module "<name>" instances (count → list; absent when count = 0) */
  module(name: string): ModuleInstance[] {
    if (this.children.has(name)) return this.children.get(name) ?? [];
    const call = this.files.module[name];
    if (!call) throw new Error(`no module "${name}" in ${this.files.dir}`);
    const keys = this.instanceKeys(call);
    if (isUnknown(keys)) throw new Error(`module ${name}: count depends on the cloud`);
    const files = cache.get(path.resolve(this.files.dir, String(call.source)));
    if (!files) throw new Error(`module ${name}: source ${String(call.source)} not read`);
    const list = keys.map((k) => {
      const s = this.eachScope(call, k);
      const inputs: Record<string, () => Value> = {};
      for (const [a, v] of Object.entries(call)) {
        if (['source', 'count', 'for_each', 'depends_on', 'providers', 'version'].includes(a)) continue;
        inputs[a] = () => evalJson(v, s);
      }
      return new ModuleInstance(files, inputs, this.rootDir);
    });
    this.children.set(name, list);
    return list;
  }

  /** module input as written in the call (evaluated in this module) */
  moduleArg(name: string, arg: string): Value {
    const call = this.files.module[name];
    return call && arg in call ? evalJson(call[arg], this.scope) : UNKNOWN;
  }

  output(name: string): Value {
    const o = this.files.output[name];
    return o ? evalJson(o.value, this.scope) : UNKNOWN;
  }

  private moduleOutputs(): Record<string, Value> {
    return lazyObject(Object.keys(this.files.module), (name) => {
      let list: ModuleInstance[];
      try { list = this.module(name); } catch { return UNKNOWN; }
      const outs = (m: ModuleInstance) => lazyObject(Object.keys(m.files.output), (o) => m.output(o));
      return 'count' in this.files.module[name] ? list.map(outs) : list[0] ? outs(list[0]) : UNKNOWN;
    });
  }
}

function attributeProxy(raw: Raw, scope: Scope): Value {
  return new Proxy({} as Record<string, Value>, {
    get: (_t, p) => (typeof p === 'string' && p in raw ? evalJson(raw[p], scope) : UNKNOWN),
    has: () => true,
  });
}

function makeInstance(type: string, name: string, key: string | number | null, raw: Raw, scope: Scope): ResourceInstance {
  const inst: ResourceInstance = {
    type, name, key, raw, scope,
    get(...p) {
      let cur: unknown = raw;
      for (const seg of p) {
        if (Array.isArray(cur)) cur = cur[0];
        if (cur === undefined || cur === null || typeof cur !== 'object') return UNKNOWN;
        cur = (cur as Record<string, unknown>)[seg];
      }
      return cur === undefined ? UNKNOWN : evalJson(cur, scope);
    },
    blocks(block) {
      const out: Record<string, Value>[] = [];
      for (const b of (raw[block] ?? []) as Raw[]) out.push(evalJson(b, scope) as Record<string, Value>);
      const dyn = (raw.dynamic as Record<string, Raw[]> | undefined)?.[block];
      for (const d of dyn ?? []) {
        const fe = evalJson(d.for_each, scope);
        if (isUnknown(fe)) { out.push({ __unknown: true }); continue; }
        const items: [Value, Value][] = Array.isArray(fe) ? fe.map((v, i) => [i, v]) : Object.entries(fe as Record<string, Value>);
        for (const [k, v] of items) {
          const s = scopeOf({ [block]: { key: k, value: v } }, scope);
          out.push(evalJson(((d.content as Raw[]) ?? [])[0] ?? {}, s) as Record<string, Value>);
        }
      }
      return out;
    },
  };
  return inst;
}

export async function loadRoot(dir: string, inputs: Record<string, Value> = {}): Promise<ModuleInstance> {
  const files = await readModule(dir);
  const thunks = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, () => v]));
  return new ModuleInstance(files, thunks);
}

/** Values of a .tfvars file (HCL attributes), evaluated without variables. */
export async function readTfvars(file: string): Promise<Record<string, Value>> {
  const j = await parseTfFile(file);
  const s = scopeOf({});
  return Object.fromEntries(Object.entries(j).map(([k, v]) => [k, evalJson(v, s)]));
}

export { evalTemplate };
