#!/usr/bin/env node
// `npm run bench` part: first-load JavaScript per route, from the build's own statistics, gzipped.
// Next 16 builds with Turbopack: each page's client chunks are listed in its
// `.next/server/app/<route>/page_client-reference-manifest.js` (ancestor layouts included), and the chunks every page
// loads in `.next/build-manifest.json` (rootMainFiles). The run fails when a route exceeds its budget.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

/** Budgets in KiB of gzipped JavaScript: the overview and the presenter view's three screens (a projector's laptop on venue Wi-Fi). */
export const BUDGETS_KIB = { '/': 150, '/present': 150, '/present/audience': 150, '/watch/[token]': 150 };

const NEXT = '.next';
if (!existsSync(join(NEXT, 'build-manifest.json'))) {
  console.error('bundle: no build found (.next/build-manifest.json); run `next build` first');
  process.exit(1);
}
const root = JSON.parse(readFileSync(join(NEXT, 'build-manifest.json'), 'utf8')).rootMainFiles ?? [];

function manifests(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) manifests(p, out);
    else if (e.name === 'page_client-reference-manifest.js') out.push(p);
  }
  return out;
}

const file = (f) => join(NEXT, f.replace(/^\/?_next\//, ''));
const gz = new Map();
const gzipped = (f) => {
  if (!gz.has(f)) gz.set(f, existsSync(file(f)) ? gzipSync(readFileSync(file(f))).length : 0);
  return gz.get(f);
};

const rows = [];
for (const m of manifests(join(NEXT, 'server', 'app'))) {
  const ctx = { globalThis: {} };
  ctx.globalThis = ctx;
  runInNewContext(readFileSync(m, 'utf8'), ctx);
  const all = ctx.__RSC_MANIFEST ?? {};
  for (const [page, manifest] of Object.entries(all)) {
    const chunks = new Set(root);
    for (const list of Object.values(manifest.entryJSFiles ?? {})) for (const c of list) chunks.add(c);
    const route = page.replace(/\/page$/, '') || '/';
    const bytes = [...chunks].reduce((s, c) => s + gzipped(c), 0);
    rows.push({ route, kib: bytes / 1024, chunks: chunks.size, missing: [...chunks].filter((c) => !existsSync(file(c))).length, from: relative('.', m) });
  }
}
if (!rows.length) {
  console.error('bundle: the build has no page client manifests; cannot measure first-load JS');
  process.exit(1);
}
rows.sort((a, b) => a.route.localeCompare(b.route));
let failed = false;
console.log('bundle: first-load JS per route (gzip, from the build manifests):');
for (const r of rows) {
  const budget = BUDGETS_KIB[r.route];
  const over = budget !== undefined && r.kib > budget;
  failed ||= over || (budget !== undefined && r.missing > 0);
  console.log(`  ${r.route.padEnd(24)} ${r.kib.toFixed(1).padStart(7)} KiB in ${r.chunks} chunks${r.missing ? ` (${r.missing} listed chunks not found)` : ''}${budget !== undefined ? ` — budget ${budget} KiB: ${over ? 'EXCEEDED' : 'held'}` : ''}`);
}
for (const route of Object.keys(BUDGETS_KIB)) {
  if (!rows.some((r) => r.route === route)) {
    console.log(`  ${route}: budgeted but not in the build`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
