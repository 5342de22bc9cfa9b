import { readFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryFiles } from './outside-reads';

/**
 * The twin and Azure differ in endpoint and credential only: one code path
 * runs against both, so the twin exercises what Azure will run. A module
 * that branches on the target runs code the twin never tests (or the
 * reverse). The exceptions below are the known, legitimate ones; each says
 * why. A new branch elsewhere fails this test.
 */
const ROOT = resolve(__dirname, '..');

/** A comparison of something named target/TARGET with 'twin' or 'azure'. */
const BRANCH = /\b\w*(?:target|TARGET)\s*[!=]==?\s*['"](?:twin|azure)['"]|['"](?:twin|azure)['"]\s*[!=]==?\s*[\w.]*(?:target|TARGET)\b/g;

const ALLOWED: Record<string, { max: number; why: string }> = {
  'lib/azure/index.ts': { max: 1, why: 'the client factory: the credential for the twin or DefaultAzureCredential' },
  'lib/config.ts': { max: 9, why: 'settings: which endpoint, subscription and default intervals the target has' },
  'scripts/launcher.ts': { max: 1, why: 'the launcher starts the twin process only when the target is the twin' },
  'lib/zones/commands.ts': { max: 1, why: 'a zone outage is injected through the twin; Azure has no such switch' },
  'lib/jobs/instance.ts': { max: 1, why: 'infrastructure jobs are simulated against the twin: there is nothing for tofu to create' },
  'app/layout.tsx': { max: 2, why: 'says which target the dashboard reads' },
  'app/zones/page.tsx': { max: 1, why: 'shows the twin-only zone outage buttons' },
  'components/backup/backup-view.tsx': { max: 1, why: 'says which target the page reads' },
  'components/cost/budget-view.tsx': { max: 1, why: 'says which target the page reads' },
};

const SOURCE = new Set(['.ts', '.tsx', '.mjs', '.js']);
const isTest = (f: string) => /\.test\.tsx?$/.test(f) || f.startsWith(`e2e${sep}`);

export function targetBranches(root: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const file of repositoryFiles(root)) {
    if (!SOURCE.has(extname(file)) || isTest(file)) continue;
    const n = [...readFileSync(join(root, file), 'utf8').matchAll(BRANCH)].length;
    if (n) found.set(file.split(sep).join('/'), n);
  }
  return found;
}

describe('one code path for both targets', () => {
  const found = targetBranches(ROOT);

  it('finds the branches it is meant to find (the factory itself)', () => {
    expect(found.get('lib/azure/index.ts')).toBe(1);
  });

  it('no module other than the listed ones branches on the target', () => {
    const unexpected = [...found.keys()].filter((f) => !ALLOWED[f]);
    expect(unexpected, 'branch on the endpoint or credential in lib/azure instead').toEqual([]);
  });

  it('the listed ones do not grow', () => {
    const grown = [...found.entries()].filter(([f, n]) => ALLOWED[f] && n > ALLOWED[f].max).map(([f, n]) => `${f}: ${n} > ${ALLOWED[f].max}`);
    expect(grown).toEqual([]);
  });

  it('lib/k8s has no target branch: it builds clients from ARM’s kubeconfig on both', () => {
    expect([...found.keys()].filter((f) => f.startsWith('lib/k8s/'))).toEqual([]);
  });
});
