#!/usr/bin/env node
/**
 * Generates infra/schema/providers.json: the arguments, nested blocks, required-ness and documented
 * enumerations of every azurerm / azuread resource and data source type used under infra/, read
 * from each provider's own documentation (website/docs/{r,d}/<name>.html.markdown, docs/resources/<name>.md) at a release tag.
 *
 *   node infra/schema/generate.mjs --azurerm <checkout>[@v5.2.0] --azuread <checkout>[@v3.9.0]
 *
 * <checkout> is a git directory of hashicorp/terraform-provider-azurerm (…-azuread); the files are
 * read with `git show <tag>:<path>`, so a bare clone works and nothing is checked out. The output is
 * committed: the tests read it, never the provider repositories.
 *
 * Why the documentation rather than the Go schema: the docs are one file per resource with a fixed
 * layout ("* `name` - (Required) …", "A `block` block supports the following:"), whereas the Go
 * schema is spread over helpers (commonschema.*, identity.*) that would need a Go toolchain to
 * resolve. Where the docs are wrong, CORRECTIONS below fixes them, each with its reason.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const INFRA = path.resolve(HERE, '..');
const OUT = path.join(HERE, 'providers.json');

/**
 * Documentation slips confirmed against the Go schema at the same tag. Keyed "<type> <path>", path
 * being dot-separated blocks, then the argument. Kept small and explained.
 */
const CORRECTIONS = {};

function args() {
  const a = process.argv.slice(2);
  const out = {};
  for (let i = 0; i < a.length; i += 2) {
    const key = a[i].replace(/^--/, '');
    const [dir, tag] = String(a[i + 1] ?? '').split('@');
    if (!['azurerm', 'azuread'].includes(key) || !dir) usage();
    out[key] = { dir, tag: tag || latestTag(dir, key) };
  }
  if (!out.azurerm || !out.azuread) usage();
  return out;
}

function usage() {
  console.error('usage: generate.mjs --azurerm <git dir>[@tag] --azuread <git dir>[@tag]');
  process.exit(2);
}

const git = (dir, ...a) => execFileSync('git', ['-C', dir, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });

/** The tag a `tofu init` would pick for the constraint in infra/terraform.tf (~> X.Y: newest X.*). */
function latestTag(dir, provider) {
  const tf = fs.readFileSync(path.join(INFRA, 'terraform.tf'), 'utf8');
  const m = new RegExp(`${provider}\\s*=\\s*\\{[^}]*version\\s*=\\s*"~>\\s*(\\d+)\\.(\\d+)"`).exec(tf);
  if (!m) throw new Error(`no ~> constraint for ${provider} in infra/terraform.tf`);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const tags = git(dir, 'tag').split('\n').map((t) => /^v(\d+)\.(\d+)\.(\d+)$/.exec(t)).filter(Boolean)
    .map((t) => ({ tag: t[0], v: [Number(t[1]), Number(t[2]), Number(t[3])] }))
    .filter((t) => t.v[0] === major && t.v[1] >= minor)
    .sort((x, y) => x.v[1] - y.v[1] || x.v[2] - y.v[2]);
  if (!tags.length) throw new Error(`no ${provider} tag matching ~> ${major}.${minor}`);
  return tags.at(-1).tag;
}

/** Every `resource "<type>"` and `data "<type>"` of a provider under infra/. */
function typesUsed() {
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.name === 'node_modules' ? [] : e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
  const found = { resource: new Set(), data: new Set() };
  for (const f of walk(INFRA).filter((f) => f.endsWith('.tf'))) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/^\s*(resource|data)\s+"((?:azurerm|azuread)_[a-z0-9_]+)"/gm))
      found[m[1]].add(m[2]);
  }
  return found;
}

const ENUM_LEAD = /(?:possible values (?:are|include|is)|possible value is|(?:allowed|valid|accepted|supported) values (?:are|include|is)|valid options are|must be one of|can be one of|can be either|possible options are)\s*:?\s*/i;

/** Backticked values of the first "Possible values are …" sentence of a description. */
function enumOf(desc) {
  const lead = ENUM_LEAD.exec(desc);
  if (!lead) return undefined;
  // "`Standard` (which includes the Uptime SLA) and `Premium`": asides are not values
  let rest = desc.slice(lead.index + lead[0].length).replace(/\([^()`]*\)/g, '');
  // "include but (are) not limited to …" is open; "are detailed in …" names no value
  if (/^but\b|^\s*[^`\s]/i.test(rest) || /not limited to/i.test(desc.slice(lead.index, lead.index + lead[0].length + 30))) return undefined;
  // the list ends at the sentence end (a full stop outside backticks) or "Defaults to"
  let end = rest.length;
  let inTick = false;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '`') inTick = !inTick;
    else if (!inTick && rest[i] === '.' && (i + 1 === rest.length || /\s/.test(rest[i + 1]))) { end = i; break; }
  }
  // …and before a condition ("`2` when …") or a default
  rest = rest.slice(0, end).split(/defaults to|\b(?:when|if|unless|which|and must)\b/i)[0];
  const values = [...rest.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
  // "Possible values are between `1` and `10`" is a range, not a list
  if (values.length === 0 || /\bbetween\b|\brange\b|\bfrom `/i.test(rest)) return undefined;
  return values;
}

const BLOCK_REF = (name) => new RegExp(`\`${name}\`\\s+(?:blocks?|objects?)\\b`, 'i');

/**
 * Parses one docs page: the argument list at top level and each "A `x` block supports the
 * following:" section. Returns the tree rooted at the resource.
 */
function parseDoc(md, type, kind) {
  const start = md.search(/^## Arguments? Reference/m);
  if (start < 0) throw new Error(`${type}: no Arguments Reference`);
  const rest = md.slice(start);
  const endM = /^## (?!Arguments?)/m.exec(rest.slice(3));
  const body = endM ? rest.slice(0, endM.index + 3) : rest;

  /** section name ('' = top level) → arg name → {required, desc} */
  const sections = new Map([['', new Map()]]);
  let current = '';
  let lastArg = null;
  for (const line of body.split('\n')) {
    // "A `x` block supports the following:", "`x` blocks support the following:", and the odd
    // "A `x` block as defined below." standing alone as a section header
    // ("A `text` block within the `log_file.settings` block supports …" names its parent; sections
    // are merged by name, which the pages used here never make ambiguous)
    const header = /^(?:(?:A|An|The|Each)\s+)?`([a-z0-9_]+)`\s+(?:blocks?\s+)?(?:within\s+(?:the\s+)?`[a-z0-9_.]+`\s+blocks?\s+)?(?:supports?|exports?|contains?|as defined below)\b.*$/i.exec(line);
    if (header) {
      current = header[1];
      if (!sections.has(current)) sections.set(current, new Map());
      lastArg = null;
      continue;
    }
    const arg = /^\s*\*\s+`([a-z0-9_]+)`\s*-\s*(?:\((Required|Optional)[^)]*\))?\s*(.*)$/.exec(line);
    if (arg) {
      const [, name, req, desc] = arg;
      // data-source pages often leave the marker out of their (required) lookup arguments;
      // elsewhere an unmarked bullet is an attribute or a value list, not an argument
      if (!req && kind !== 'data') { lastArg = null; continue; }
      const sec = sections.get(current);
      const prev = sec.get(name);
      // a name documented twice in one section (rare): required only if both say so
      const required = req ? req === 'Required' : true;
      sec.set(name, { required: required && (!prev || prev.required), desc: prev ? `${prev.desc} ${desc}` : desc });
      lastArg = sec.get(name);
      continue;
    }
    // description continued on the next line (no blank line in between)
    if (lastArg && line.trim() && !/^[-~!]>|^#|^---|^```/.test(line.trim())) lastArg.desc += ` ${line.trim()}`;
    else lastArg = null;
  }

  const build = (secName, seen) => {
    const node = { arguments: {}, blocks: {} };
    for (const [name, a] of sections.get(secName) ?? []) {
      const isBlock = BLOCK_REF(name).test(a.desc) || (sections.has(name) && name !== secName && /\bblocks?\b/.test(a.desc));
      if (isBlock) {
        const child = sections.has(name) && !seen.has(name) ? build(name, new Set([...seen, name])) : { arguments: {}, blocks: {}, undocumented: true };
        node.blocks[name] = { required: a.required, ...child };
      } else {
        const e = enumOf(a.desc);
        node.arguments[name] = e ? { required: a.required, enum: e } : { required: a.required };
      }
    }
    return node;
  };
  return build('', new Set());
}

function applyCorrections(type, tree) {
  for (const [key, fix] of Object.entries(CORRECTIONS)) {
    const [t, p] = key.split(' ');
    if (t !== type) continue;
    const parts = p.split('.');
    let node = tree;
    for (const b of parts.slice(0, -1)) node = node.blocks[b];
    const last = parts.at(-1);
    if (fix.block) {
      const target = (node.blocks[last] ??= { required: false, arguments: {}, blocks: {} });
      delete target.undocumented;
      Object.assign(target.arguments, fix.block);
      target.corrected = true;
    }
    if (fix.argument) node.arguments[last] = { ...fix.argument, corrected: true };
  }
}

function main() {
  const src = args();
  const used = typesUsed();
  const out = {
    $comment: 'Generated by infra/schema/generate.mjs from each provider\'s website/docs at the tag below. Do not edit; re-run the generator.',
    providers: {},
    resource: {},
    data: {},
  };
  for (const [provider, { dir, tag }] of Object.entries(src)) {
    const commit = git(dir, 'rev-list', '-n', '1', tag).trim();
    out.providers[provider] = { source: `hashicorp/${provider}`, repository: `https://github.com/hashicorp/terraform-provider-${provider}`, tag, commit };
    for (const kind of ['resource', 'data']) {
      for (const type of [...used[kind]].filter((t) => t.startsWith(`${provider}_`)).sort()) {
        const short = type.slice(provider.length + 1);
        // azurerm: website/docs/{r,d}/<name>.html.markdown; azuread: docs/{resources,data-sources}/<name>.md
        const file = provider === 'azurerm'
          ? `website/docs/${kind === 'resource' ? 'r' : 'd'}/${short}.html.markdown`
          : `docs/${kind === 'resource' ? 'resources' : 'data-sources'}/${short}.md`;
        let md;
        try { md = git(dir, 'show', `${tag}:${file}`); } catch {
          throw new Error(`${provider} ${tag} has no ${file}: ${type} does not exist in this version`);
        }
        const tree = parseDoc(md, type, kind);
        // "## API Providers": the ARM API versions the provider calls for this type
        const api = Object.fromEntries([...(md.split(/^## API Providers/m)[1] ?? '').matchAll(/^\* `([A-Za-z.]+)` - (\S+)/gm)].map((m) => [m[1], m[2]]));
        if (Object.keys(api).length) tree.api = api;
        applyCorrections(type, tree);
        out[kind][type] = { provider, doc: file, ...tree };
      }
    }
  }
  fs.writeFileSync(OUT, `${JSON.stringify(out, null, 1)}\n`);
  const n = Object.keys(out.resource).length + Object.keys(out.data).length;
  console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${n} types (${Object.entries(out.providers).map(([p, v]) => `${p} ${v.tag}`).join(', ')})`);
}

main();
