import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLUSTER_KEYS, clusterName, findCluster, isClusterKey, type ClusterRef } from './cluster';

const refs: ClusterRef[] = [
  { key: 'mgmt', resourceGroup: 'rg-mgmt', name: 'aks-mgmt' },
  { key: 'app1', resourceGroup: 'rg-app1', name: 'aks-app1' },
  { key: 'app2', resourceGroup: 'rg-app2', name: 'custom-app2' },
];

describe('cluster identity', () => {
  it('shows a cluster by its resource name, whatever it is configured to', () => {
    expect(clusterName(refs, 'app1')).toBe('aks-app1');
    expect(clusterName(refs, 'app2')).toBe('custom-app2');
    expect(clusterName(refs, 'gone')).toBe('gone');
  });

  it('one lookup, which refuses an unknown key', () => {
    expect(findCluster(refs, 'mgmt').resourceGroup).toBe('rg-mgmt');
    expect(() => findCluster(refs.slice(1), 'mgmt')).toThrow('unknown cluster mgmt');
    expect(CLUSTER_KEYS.every(isClusterKey)).toBe(true);
    expect(isClusterKey('aks-app1')).toBe(false);
  });

  it('the key type and the lookup are not restated outside the domain (the twin keeps its own: it never imports the product)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) return p === join('lib', 'twin') || p === join('lib', 'db', 'generated') ? [] : files(p);
        return /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : [];
      });
    const offenders = ['app', 'components', 'lib'].flatMap(files).flatMap((p) => {
      const s = readFileSync(p, 'utf8');
      const out: string[] = [];
      if (/'mgmt' \| 'app1' \| 'app2'/.test(s) && !p.endsWith(join('domain', 'cluster.ts'))) out.push(`${p}: restates the cluster key type`);
      if (/clusters\.find\(\((\w+)\) => \1\.key === [^)]*\)!/.test(s)) out.push(`${p}: looks a cluster up by hand`);
      return out;
    });
    expect(offenders).toEqual([]);
  });
});
