import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/** Pre-flight through the real ARM SDK and client-node against the twin's region surface. */
let twin: Twin;
let url: string;
let lib: typeof import('.');

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap', clockSpeed: 600 }));
  // The budget check depends on the day of the month (the idle cost of the days left); these tests are about
  // the other checks, so the budget is large enough on any day. The budget check has its own unit tests.
  process.env.BUDGET_AMOUNT_USD = '5000';
  lib = await import('.');
});

afterAll(async () => {
  await twin.close();
});

async function admin(path: string, body: unknown) {
  const res = await fetch(`${url}/_twin/region/${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

const byId = (r: Awaited<ReturnType<typeof lib.getPreflight>>) => Object.fromEntries(r.checks.map((c) => [c.id, c]));

describe('pre-flight on the twin', () => {
  it('reads quotas, versions, revisions and the Spot NodePools, and the seeded environment fits', async () => {
    const r = await lib.getPreflight(2);
    const checks = byId(r);
    expect(r.sources.filter((s) => s.status !== 'ok' && !s.what.startsWith('month-to-date'))).toEqual([]);
    for (const id of ['regional-vcpus', 'family-standardDSv5Family', 'spot-vcpus', 'public-ips', 'kubernetes-aks-mgmt', 'kubernetes-aks-app2', 'mesh-aks-mgmt', 'mesh-aks-app1'])
      expect(checks[id]?.status, `${id}: ${checks[id]?.evidence}`).toBe('pass');
    // 3 NAP NodePools of 10 vCPUs each (infra/manifests/karpenter/nodepool-spot.yaml)
    expect(checks['spot-vcpus'].evidence).toContain('Needs 30 Spot vCPUs');
    // app2 has no Istio add-on: no mesh check, and one public IP fewer
    expect(checks['mesh-aks-app2']).toBeUndefined();
    expect(checks['public-ips'].evidence).toMatch(/^Needs 6 addresses/);
  });

  it('a Spot quota too small for the NodePools fails, with what to do', async () => {
    await admin('quota', { name: 'lowPriorityCores', limit: 8 });
    lib.invalidatePreflight();
    const c = byId(await lib.getPreflight(2))['spot-vcpus'];
    expect(c.status).toBe('fail');
    expect(c.fix).toMatch(/Total Regional Spot vCPUs/);
  });

  it('a Kubernetes minor the region withdraws fails every cluster on it, and the mesh revision\'s compatibility with it', async () => {
    await admin('versions', { withdraw: '1.35' });
    lib.invalidatePreflight();
    const checks = byId(await lib.getPreflight(2));
    expect(checks['kubernetes-aks-app1'].status).toBe('fail');
    expect(checks['kubernetes-aks-app1'].fix).toContain('1.36');
    expect(checks['mesh-aks-app1'].status).toBe('fail');
    await admin('reset', {});
    lib.invalidatePreflight();
    const again = byId(await lib.getPreflight(2));
    expect(again['kubernetes-aks-app1'].status).toBe('pass');
    expect(again['spot-vcpus'].status).toBe('pass');
  });

  it('a failing quota read shows the last answer with its age; with none, its checks cannot tell, and the rest still run', async () => {
    await fetch(`${url}/_twin/faults`, { method: 'POST', body: JSON.stringify({ path: 'Microsoft.Compute/locations', status: 503 }) });
    try {
      lib.invalidatePreflight();
      const stale = await lib.getPreflight(2);
      expect(stale.sources.find((s) => s.what.startsWith('vCPU quotas'))).toMatchObject({ status: 'stale', error: { kind: 'upstream' } });
      expect(stale.sources.find((s) => s.what.startsWith('vCPU quotas'))?.fetchedAt).toBeTypeOf('number');
      expect(byId(stale)['regional-vcpus'].status).toBe('pass');

      (await import('../cache/shared-read')).sharedReads().clear();
      const none = await lib.getPreflight(2);
      const checks = byId(none);
      expect(checks['regional-vcpus'].status).toBe('unknown');
      expect(checks['spot-vcpus'].status).toBe('unknown');
      expect(checks['public-ips'].status).toBe('pass');
      expect(checks['kubernetes-aks-app1'].status).toBe('pass');
      expect(none.sources.find((s) => s.what.startsWith('vCPU quotas'))).toMatchObject({ status: 'failed', error: { kind: 'upstream' } });
      expect(none.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.evidence}`)).toEqual([]);
      expect(none.overall).toBe('unknown');
    } finally {
      await fetch(`${url}/_twin/faults`, { method: 'DELETE' });
    }
  });

  it('the session length is bounded', () => {
    expect(lib.parseSessionHours(undefined)).toBe(2);
    expect(lib.parseSessionHours('abc')).toBe(2);
    expect(lib.parseSessionHours('100')).toBe(12);
    expect(lib.parseSessionHours('0')).toBe(0.5);
    expect(lib.parseSessionHours('1.7')).toBe(1.5);
  });
});
