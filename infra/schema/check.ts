/**
 * Checks parsed OpenTofu code against infra/schema/providers.json (the providers' documented
 * arguments at the pinned tags): unknown arguments or blocks, missing required ones, and literal
 * values outside a documented enumeration. What `tofu validate` would refuse, without a provider.
 */
import fs from 'node:fs';
import path from 'node:path';
import schemaJson from './providers.json';

export interface SchemaArg { required: boolean; enum?: string[] }
export interface SchemaBlock {
  required?: boolean;
  arguments: Record<string, SchemaArg>;
  blocks: Record<string, SchemaBlock>;
  /** the docs name the block but do not describe it: its content is not checked */
  undocumented?: boolean;
}
export interface SchemaType extends SchemaBlock { provider: string; doc: string; /** ARM API versions the provider calls */ api?: Record<string, string> }
export interface ProviderSchema {
  providers: Record<string, { source: string; tag: string; commit: string }>;
  resource: Record<string, SchemaType>;
  data: Record<string, SchemaType>;
}

export const SCHEMA = schemaJson as unknown as ProviderSchema;

/** Providers this file describes; types of any other provider (random_…) are not checked. */
export const CHECKED_PROVIDERS = ['azurerm', 'azuread'];

// Meta-arguments OpenTofu itself understands on every resource / data block.
const META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection', 'timeouts']);

type Raw = Record<string, unknown>;
export interface Finding { where: string; message: string }

const isLiteral = (v: unknown): v is string | number | boolean =>
  typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && !v.includes('${'));

function checkEnum(where: string, name: string, value: unknown, arg: SchemaArg, vars: Record<string, unknown>, out: Finding[]) {
  if (!arg.enum) return;
  // a bare `var.x` is checked through the variable's literal default
  const ref = typeof value === 'string' ? /^\$\{var\.([a-z0-9_]+)\}$/.exec(value) : null;
  const v = ref && ref[1] in vars ? vars[ref[1]] : value;
  const values = Array.isArray(v) ? v : [v];
  for (const x of values.filter(isLiteral))
    if (!arg.enum.includes(String(x)))
      out.push({ where, message: `${name} = ${JSON.stringify(x)} is not one of ${arg.enum.map((e) => JSON.stringify(e)).join(', ')}${ref ? ` (default of var.${ref[1]})` : ''}` });
}

function checkBody(where: string, body: Raw, node: SchemaBlock, top: boolean, vars: Record<string, unknown>, out: Finding[]) {
  if (node.undocumented) return;
  const present = new Set(Object.keys(body));
  for (const [key, value] of Object.entries(body)) {
    if (top && META.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, defs] of Object.entries(value as Record<string, Raw[]>)) {
        present.add(name);
        const block = node.blocks[name];
        if (!block) { out.push({ where, message: `unknown block "${name}" (dynamic)` }); continue; }
        for (const d of defs) {
          const content = ((d.content as Raw[] | undefined) ?? [])[0] ?? {};
          checkBody(`${where}.${name}`, content, block, false, vars, out);
        }
      }
      continue;
    }
    if (key in node.arguments) { checkEnum(where, key, value, node.arguments[key], vars, out); continue; }
    if (key in node.blocks) {
      const list = Array.isArray(value) ? value : [value];
      for (const b of list) {
        if (b && typeof b === 'object' && !Array.isArray(b)) checkBody(`${where}.${key}`, b as Raw, node.blocks[key], false, vars, out);
        else out.push({ where, message: `"${key}" is a block, not an argument` });
      }
      continue;
    }
    out.push({ where, message: `unknown argument or block "${key}"` });
  }
  for (const [name, a] of Object.entries(node.arguments))
    if (a.required && !present.has(name)) out.push({ where, message: `missing required argument "${name}"` });
  for (const [name, b] of Object.entries(node.blocks))
    if (b.required && !present.has(name)) out.push({ where, message: `missing required block "${name}"` });
}

/** Findings for one parsed .tf file (the output of @cdktf/hcl2json). `label` names it in messages. */
export function checkTfJson(label: string, json: Raw, schema: ProviderSchema = SCHEMA): Finding[] {
  const out: Finding[] = [];
  const vars: Record<string, unknown> = {};
  for (const [n, [v]] of Object.entries((json.variable ?? {}) as Record<string, Raw[]>)) if ('default' in v) vars[n] = v.default;
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries((json[kind] ?? {}) as Record<string, Record<string, Raw[]>>)) {
      const provider = type.split('_')[0];
      if (!CHECKED_PROVIDERS.includes(provider)) continue;
      const node = schema[kind][type];
      for (const [name, bodies] of Object.entries(byName)) {
        const where = `${label}: ${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        if (!node) {
          out.push({ where, message: `${type} is not in infra/schema/providers.json (not a ${provider} ${kind} at ${schema.providers[provider]?.tag}, or re-run infra/schema/generate.mjs)` });
          continue;
        }
        for (const body of bodies) checkBody(where, body, node, true, vars, out);
      }
    }
  }
  return out;
}

/**
 * Variables of a module directory with literal defaults: a resource in main.tf that says
 * `sku = var.sku` is checked against variables.tf's default.
 */
export function moduleDefaults(files: Record<string, Raw>): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const json of Object.values(files))
    for (const [n, [v]] of Object.entries((json.variable ?? {}) as Record<string, Raw[]>)) if ('default' in v) vars[n] = v.default;
  return vars;
}

/** Findings for every .tf file of a module directory (variables shared across its files). */
export function checkModule(dir: string, files: Record<string, Raw>, schema: ProviderSchema = SCHEMA): Finding[] {
  const defaults = moduleDefaults(files);
  return Object.entries(files).flatMap(([f, json]) =>
    checkTfJson(path.join(dir, f), { ...json, variable: Object.fromEntries(Object.entries(defaults).map(([k, d]) => [k, [{ default: d }]])) }, schema));
}

export function tfModuleDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) out.push(d);
    for (const e of entries) if (e.isDirectory() && !['node_modules', '.terraform'].includes(e.name)) walk(path.join(d, e.name));
  };
  walk(root);
  return out.sort();
}

/**
 * `<resource>.identity[0].principal_id` is empty when the resource's identity is only
 * user-assigned: ARM returns `principalId` for a system-assigned identity alone ("Managed
 * identities for Azure resources", identity property of Microsoft.ContainerService/managedClusters
 * and others). Finds such references in one module, directly or through `for k, v in <resource>`.
 */
export function userAssignedPrincipalRefs(files: Record<string, Raw>): Finding[] {
  const userAssigned = new Set<string>();
  for (const json of Object.values(files))
    for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Raw[]>>))
      for (const [name, [body]] of Object.entries(byName)) {
        const id = ((body.identity as Raw[] | undefined) ?? [])[0];
        if (id && typeof id.type === 'string' && !id.type.includes('SystemAssigned')) userAssigned.add(`${type}.${name}`);
      }
  const out: Finding[] = [];
  if (userAssigned.size === 0) return out;
  for (const [file, json] of Object.entries(files)) {
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(json);
    for (const expr of strings) {
      const aliases = new Map<string, string>();
      for (const m of expr.matchAll(/for\s+\w+\s*,\s*(\w+)\s+in\s+([a-z0-9_]+\.[a-z0-9_]+)/g)) aliases.set(m[1], m[2]);
      for (const m of expr.matchAll(/([a-z0-9_]+(?:\.[a-z0-9_]+)?)(?:\[[^\]]*\])?\.identity\[0\]\.principal_id/g)) {
        const target = aliases.get(m[1]) ?? m[1];
        if (userAssigned.has(target))
          out.push({ where: file, message: `${m[0]}: ${target} has only a user-assigned identity, whose principal_id ARM leaves empty; use the identity resource's principal_id` });
      }
    }
  }
  return out;
}
