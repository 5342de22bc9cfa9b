import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { startHarness } from '../../test/twin-harness';
import { waitFor } from '../../test/wait-for';
import type { Twin } from '../../test/twin-harness';

// The card's client leaves call useRouter; outside Next's app router a stub stands in.
vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => undefined }) }));

/**
 * The overview's nodes per zone come from the cluster's nodes and their
 * topology.kubernetes.io/zone labels, so a zone failure changes them; where
 * only ARM can be read, the spread is shown as the pool's configuration.
 */
let twin: Twin;
let url: string;
let topology: typeof import('./index');

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap' }));
  topology = await import('./index');
});

afterAll(async () => {
  await twin.close();
});

async function reset(profile: 'nap' | 'manual') {
  await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify({ profile }) });
  for (const k of ['mgmt', 'app1', 'app2'] as const) topology.invalidateCluster(k);
  // The twin's reset replaces its objects wholesale: the watch-fed caches start again from a list.
  await (await import('../k8s/informer')).resetInformers();
}

const pool = async (key: 'mgmt' | 'app1' | 'app2', name: string) => {
  topology.invalidateCluster(key);
  const tile = await topology.getClusterTile(key);
  return tile.view!.pools.find((p) => p.name === name)!;
};

describe('per-zone counts on the overview', () => {
  beforeEach(() => reset('nap'));

  it('counts the cluster’s nodes by their zone label, the NAP pool included', async () => {
    const system = await pool('app1', 'system');
    expect(system.liveZones).toEqual({ '1': { ready: 1, notReady: 0 }, '2': { ready: 1, notReady: 0 }, '3': { ready: 1, notReady: 0 } });
    const nap = await pool('app1', 'worker');
    const napNodes = Object.values(nap.liveZones!).reduce((a, z) => a + z.ready, 0);
    expect(napNodes).toBe(3);
  });

  it('a zone failure changes them: zone 1’s nodes stop being Ready', async () => {
    const r = await fetch(`${url}/_twin/k8s/app1/zone-outage`, { method: 'POST', body: JSON.stringify({ zone: '1' }) });
    expect(r.status).toBe(200);
    // The change reaches the overview through the cluster's watch, without a list.
    const system = await waitFor(() => pool('app1', 'system'), (p) => p.liveZones?.['1'].notReady === 1);
    expect(system.liveZones!['1']).toEqual({ ready: 0, notReady: 1 });
    expect(system.liveZones!['2']).toEqual({ ready: 1, notReady: 0 });
    // ARM's configured spread does not know of the failure.
    expect(system.perZone).toEqual({ '1': 1, '2': 1, '3': 1 });
    const { ClusterCard } = await import('../../components/topology/cluster-card');
    const tile = await topology.getClusterTile('app1');
    const html = renderToStaticMarkup(createElement(ClusterCard, { tile, zones: ['1', '2', '3'], now: Date.now(), actions: {} as never }));
    expect(html).toContain('+1 NotReady');
    expect(html).toContain('from the cluster’s nodes');
  });

  it('a stopped cluster shows the configured spread, marked as such', async () => {
    await reset('manual');
    const app2 = twin.state.clusters.find((c) => c.key === 'app2')!;
    twin.state.beginPowerOperation(app2, 'stop');
    // The stop takes AKS's minutes divided by the harness's speed.
    await waitFor(async () => twin.state.clusters.find((c) => c.key === 'app2')!.power, (p) => p === 'Stopped');
    const system = await pool('app2', 'system');
    expect(system.liveZones).toBeUndefined();
    expect(system.perZone).toEqual({ '1': 1, '2': 1, '3': 1 });
    const { ClusterCard } = await import('../../components/topology/cluster-card');
    const html = renderToStaticMarkup(createElement(ClusterCard, { tile: await topology.getClusterTile('app2'), zones: ['1', '2', '3'], now: Date.now(), actions: {} as never }));
    expect(html).toContain('configured');
  });
});
