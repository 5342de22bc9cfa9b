import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, CAPABILITY_USES } from '../layers.config.mjs';

const ROOT = resolve(__dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

/** Lints `code` as if it were the file at `path` (nothing is written). */
async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layer map is enforced by lint', () => {
  it('a view may import a capability’s types, not its values, nor load it with import()', async () => {
    expect(await lint('components/topology/fixture.tsx', "import type { TopologySnapshot } from '@/lib/topology';\nexport type T = TopologySnapshot;\n")).toEqual([]);
    const value = await lint('components/topology/fixture.tsx', "import { getTopology } from '@/lib/topology';\nexport const f = getTopology;\n");
    expect(value.join('\n')).toMatch(/types only/);
    const dynamic = await lint('components/topology/fixture.tsx', "export const f = () => import('@/lib/topology');\n");
    expect(dynamic.join('\n')).toMatch(/may not (load|import)/);
  });

  it('a view may not reach the database or a client, statically or with import()', async () => {
    expect((await lint('components/cost/fixture.tsx', "import { getDb } from '@/lib/db';\nexport const f = getDb;\n")).join('\n')).toMatch(/views layer may not import the db layer/);
    expect((await lint('components/cost/fixture.tsx', "export const f = () => import('@/lib/azure');\n")).join('\n')).toMatch(/views layer may not import the clients layer/);
  });

  it('nothing in app/, components/ or lib/ imports the twin; tests reach it through the harness', async () => {
    expect((await lint('lib/topology/fixture.ts', "import { Twin } from '../twin/server';\nexport const t = Twin;\n")).join('\n')).toMatch(/may not import the twin layer/);
    expect((await lint('app/fixture.ts', "export const f = () => import('@/lib/twin/state');\n")).join('\n')).toMatch(/may not import the twin layer/);
    expect((await lint('lib/power/fixture.test.ts', "import type { Twin } from '../twin/server';\nexport type T = Twin;\n")).join('\n')).toMatch(/test harness/);
    expect(await lint('lib/power/fixture.test.ts', "import type { Twin } from '@/test/twin-harness';\nexport type T = Twin;\n")).toEqual([]);
  });

  it('the domain imports nothing but itself; a capability uses only the capabilities the map allows', async () => {
    expect((await lint('lib/domain/fixture.ts', "import { getConfig } from '../config';\nexport const c = getConfig;\n")).join('\n')).toMatch(/domain layer may not import the shared layer/);
    expect((await lint('lib/topology/fixture.ts', "import { listPowerRuns } from '../power';\nexport const f = listPowerRuns;\n")).join('\n')).toMatch(/lib\/topology may use only/);
    expect(await lint('lib/power/fixture.ts', "import 'server-only';\nimport { getTopology } from '../topology';\nexport const f = getTopology;\n")).toEqual([]);
  });

  it('every server module is marked server-only; views, the domain and the shared layer are not held to it', async () => {
    expect((await lint('lib/topology/fixture.ts', "export const f = 1;\n")).join('\n')).toMatch(/starts with `import 'server-only';`/);
    expect((await lint('lib/azure/fixture.ts', "import { z } from 'zod';\nexport const f = z;\n")).join('\n')).toMatch(/server-only/);
    expect((await lint('lib/events/fixture.ts', "export const f = 1;\n")).join('\n')).toMatch(/server-only/);
    expect(await lint('lib/topology/fixture.ts', "import 'server-only';\nexport const f = 1;\n")).toEqual([]);
    expect(await lint('lib/topology/fixture.test.ts', "export const f = 1;\n")).toEqual([]);
    expect(await lint('lib/domain/fixture.ts', "export const f = 1;\n")).toEqual([]);
    expect(await lint('components/topology/fixture.tsx', "export const f = 1;\n")).toEqual([]);
  });

  it('the product does not import infra/: the installer’s parser it needs lives in the domain', async () => {
    expect((await lint('lib/jobs/fixture.ts', "import 'server-only';\nimport { parseDryRun } from '@/infra/contract/dry-run';\nexport const f = parseDryRun;\n")).join('\n')).toMatch(/capabilities layer may not import the infra layer/);
    expect(await lint('lib/jobs/fixture.ts', "import 'server-only';\nimport { parseDryRun } from '../domain/dry-run';\nexport const f = parseDryRun;\n")).toEqual([]);
  });

  it('the capability map has no loop', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const loop: string[] = [];
    const visit = (c: string, path: string[]) => {
      if (done.has(c)) return;
      if (visiting.has(c)) {
        loop.push([...path, c].join(' → '));
        return;
      }
      visiting.add(c);
      for (const next of CAPABILITY_USES[c]) visit(next, [...path, c]);
      visiting.delete(c);
      done.add(c);
    };
    for (const c of CAPABILITIES) visit(c, []);
    expect(loop).toEqual([]);
    expect(Object.keys(CAPABILITY_USES).sort()).toEqual([...CAPABILITIES].sort());
  });
});
