import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, countRequests, resetTwin } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import type { K8sTwin } from '../../test/twin-harness';

let twin: Twin;
let url: string;
let advanceTwin: (azureMs: number) => void;
let zones: typeof import('./index');
let cache: typeof import('../cache/shared-read');

beforeAll(async () => {
  ({ twin, url, advance: advanceTwin } = await startHarness({ profile: 'nap', clockSpeed: 60 }));
  zones = await import('./index');
  cache = await import('../cache/shared-read');
});

afterAll(async () => {
  await zones.zoneRelay().stop();
  await twin.close();
});

const reset = (profile: 'nap' | 'manual' = 'nap') => resetTwin(url, profile);

/** Lets `ms` of AKS time pass on the twin without waiting for it (the harness's fake wall clock). */
async function advance(ms: number) {
  advanceTwin(ms);
  await zones.invalidateZones();
}

const k8sTwin = () => twin.extensions.find((e) => e.name === 'k8s') as K8sTwin;

describe('zone health from the Kubernetes API', () => {
  beforeEach(() => reset());

  it('shows every cluster × zone: nodes, gateways, no Pending; app2 has no gateways', async () => {
    const h = await zones.getZoneHealth();
    expect(h.clusters.map((c) => [c.key, c.status, c.view?.verdict])).toEqual([
      ['mgmt', 'ok', 'ok'], ['app1', 'ok', 'ok'], ['app2', 'ok', 'ok'],
    ]);
    const app1 = h.clusters[1].view!;
    expect(app1.cells.map((c) => [c.zone, c.state, c.counts.ready, c.counts.spot, c.gateways.ready])).toEqual([
      ['1', 'healthy', 3, 1, 1], ['2', 'healthy', 3, 1, 1], ['3', 'healthy', 3, 1, 1],
    ]);
    expect(h.clusters[2].view!.hasGateways).toBe(false);
    expect(h.clusters[2].view!.cells.map((c) => c.counts.ready)).toEqual([2, 2, 2]);
  });

  it('the zone-failure demo: cordon zone 1 on app1 → drained, NAP refills zones 2/3 only → restore', async () => {
    const [r] = await zones.cordonZone({ cluster: 'app1', zone: '1', drain: true });
    expect(r).toMatchObject({ cluster: 'app1', outcome: 'done', nodePool: 'spot-workers', blocked: [] });
    expect(r.nodes).toHaveLength(3);
    expect(r.evicted).toBeGreaterThan(0);
    let app1 = (await zones.getClusterZones('app1')).view!;
    expect(app1.cells[0].state).toBe('cordoned');
    expect(app1.cells[0].pods.running).toBe(0);
    // As the architecture asks, the gateways of zones 2 and 3 keep serving; the evicted one moved there.
    expect(app1.gatewayZones).toEqual(['2', '3']);
    await advance(150_000);
    app1 = (await zones.getClusterZones('app1')).view!;
    expect(app1.pending).toEqual([]);
    expect(app1.cells[0].pods.running).toBe(0);
    // The NAP node of zone 1 was emptied and consolidated; the replacement landed in zone 2 or 3.
    expect(app1.cells[0].counts.spot).toBe(0);
    expect(app1.cells[1].counts.spot + app1.cells[2].counts.spot).toBe(3);
    expect(app1.verdict).toBe('degraded');
    // Other clusters untouched.
    expect((await zones.getClusterZones('app2')).view!.verdict).toBe('ok');

    const [back] = await zones.restoreZone({ cluster: 'app1', zone: '1' });
    expect(back).toMatchObject({ outcome: 'done', nodePool: 'spot-workers' });
    app1 = (await zones.getClusterZones('app1')).view!;
    expect(app1.cells[0].state).toBe('healthy');
    const np = k8sTwin().model(twin.context, 'app1').nodePools()[0];
    expect(np.spec.template.spec.requirements.find((x) => x.key === 'topology.kubernetes.io/zone')?.values).toEqual(['koreacentral-1', 'koreacentral-2', 'koreacentral-3']);
    expect(np.metadata.annotations?.['aks-demo.io/cordoned-zones']).toBeUndefined();
  }, 90_000);

  it('cordon zone 2 on all clusters without drain: pods stay, every cluster shows zone 2 cordoned', async () => {
    const results = await zones.cordonZone({ cluster: 'all', zone: '2', drain: false });
    expect(results.map((x) => [x.cluster, x.outcome, x.evicted])).toEqual([['mgmt', 'done', 0], ['app1', 'done', 0], ['app2', 'done', 0]]);
    const h = await zones.getZoneHealth();
    expect(h.clusters.map((c) => c.view!.cells[1].state)).toEqual(['cordoned', 'cordoned', 'cordoned']);
    expect(h.clusters[1].view!.cells[1].pods.running).toBeGreaterThan(0);
    await zones.restoreZone({ cluster: 'all', zone: '2' });
  });

  it('a stopped cluster shows as stopped while the others render (manual profile)', async () => {
    await reset('manual');
    twin.state.beginPowerOperation(twin.state.clusters[2], 'stop');
    await advance(7 * 60_000);
    cache.sharedReads().clear();
    const h = await zones.getZoneHealth();
    expect(h.clusters.map((c) => c.status)).toEqual(['ok', 'ok', 'stopped']);
    expect(h.clusters[2].error?.message).toContain('stopped');
  });

  it('scenarios run on the twin: a zone outage shows zone 3 down and the verdict degraded', async () => {
    const res = await zones.runScenario({ cluster: 'all', kind: 'zone-outage', zone: '3' });
    expect(res).toHaveLength(3);
    const app1 = (await zones.getClusterZones('app1')).view!;
    expect(app1.cells[2].state).toBe('down');
    expect(app1.verdict).toBe('degraded');
    await zones.runScenario({ cluster: 'all', kind: 'zone-restore', zone: '3' });
    expect((await zones.getClusterZones('app1')).view!.cells[2].state).toBe('healthy');
    // A Spot eviction is no injected fault: it goes through Azure's API (spot.integration.test.ts).
    expect(zones.scenarioInput.safeParse({ cluster: 'app2', kind: 'spot-eviction', zone: '1' }).success).toBe(false);
  });

  it('verify-clusters: every check passes or says why it does not apply', async () => {
    const tiles = await zones.getVerifyChecklist();
    for (const t of tiles) {
      expect(t.status).toBe('ok');
      expect(t.checks!.filter((c) => c.status === 'fail')).toEqual([]);
    }
    const byId = (k: number) => Object.fromEntries(tiles[k].checks!.map((c) => [c.id, c.status]));
    expect(byId(0)).toMatchObject({ istiod: 'pass', kyverno: 'skip', 'tls-keyvault': 'pass', 'hubble-relay': 'skip' });
    expect(byId(2)).toMatchObject({ istiod: 'skip', kyverno: 'pass' });
  });

  it('verify-clusters fails "Pods Running" when Spot capacity is gone and a pod waits', async () => {
    await fetch(`${url}/_twin/k8s/app2/spot-capacity`, { method: 'POST', body: JSON.stringify({ zone: '1', available: false }) });
    for (const z of ['2', '3']) await fetch(`${url}/_twin/k8s/app2/spot-capacity`, { method: 'POST', body: JSON.stringify({ zone: z, available: false }) });
    await fetch(`${url}/_twin/k8s/app2/spot-eviction`, { method: 'POST', body: JSON.stringify({ zone: '1' }) });
    await advance(60_000);
    const tiles = await zones.getVerifyChecklist();
    const pods = tiles[2].checks!.find((c) => c.id === 'pods-running')!;
    expect(pods.status).toBe('fail');
    expect(pods.detail).toContain('demo/demo-app');
  });
});

describe('the SSE relay', () => {
  beforeEach(() => reset());

  async function readEvents(stream: ReadableStream<Uint8Array>, until: (events: { event: string; data: unknown }[]) => boolean, timeoutMs = 10_000) {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    const events: { event: string; data: unknown }[] = [];
    let buffer = '';
    const end = Date.now() + timeoutMs;
    while (!until(events)) {
      if (Date.now() > end) throw new Error(`timed out after ${events.length} events`);
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value);
      let i: number;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
    return { events, reader };
  }

  it('five browsers share one nodes watch and one pods watch per cluster, and see a cordon live', async () => {
    const relay = new zones.ZoneRelay();
    twin.requests.length = 0;
    const controllers = Array.from({ length: 5 }, () => new AbortController());
    const streams = controllers.map((c) => zones.openZoneStream(c.signal, relay));
    const firsts = await Promise.all(streams.map((s) => readEvents(s, (ev) => new Set(ev.map((e) => (e.data as { key: string }).key)).size === 3)));
    for (const f of firsts) expect(f.events.every((e) => e.event === 'cluster' && (e.data as { status: string }).status === 'ok')).toBe(true);
    for (const key of ['mgmt', 'app1', 'app2'] as const) {
      // The informers list first, then watch from the list's resourceVersion.
      const kinds = 2;
      for (let i = 0; i < 100 && k8sTwin().model(twin.context, key).store.watcherCount() < kinds; i++) await new Promise((r) => setTimeout(r, 20));
      expect(k8sTwin().model(twin.context, key).store.watcherCount()).toBe(kinds);
      // One list and one watch request per resource, whatever the number of browsers.
      expect(countRequests(twin, 'GET', new RegExp(`^/k8s/${key}/api/v1/nodes$`))).toBe(2);
      expect(countRequests(twin, 'GET', new RegExp(`^/k8s/${key}/api/v1/pods$`))).toBe(2);
    }
    await zones.cordonZone({ cluster: 'app1', zone: '3', drain: false });
    const next = await readEvents(
      new ReadableStream({ pull: async (c) => { const r = await firsts[0].reader.read(); if (r.done) c.close(); else c.enqueue(r.value); } }),
      (ev) => ev.some((e) => (e.data as { key: string; view?: { cells: { zone: string; state: string }[] } }).key === 'app1' && (e.data as { view?: { cells: { state: string }[] } }).view?.cells[2].state === 'cordoned'),
    );
    expect(next.events.length).toBeGreaterThan(0);
    for (const c of controllers) c.abort();
    await new Promise((r) => setTimeout(r, 200));
    await relay.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(k8sTwin().model(twin.context, 'app1').store.watcherCount()).toBe(0);
  });
});
