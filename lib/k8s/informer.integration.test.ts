import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countRequests, startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import type { K8sTwin } from '../../test/twin-harness';

let twin: Twin;
let url: string;
let informer: typeof import('./informer');

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap', clockSpeed: 60 }));
  informer = await import('./informer');
});

afterAll(async () => {
  await informer.informers().stop();
  await twin.close();
});

const NODES = /^\/k8s\/app1\/api\/v1\/nodes$/;
const watchers = (key: 'mgmt' | 'app1' | 'app2') => (twin.extensions.find((e) => e.name === 'k8s') as K8sTwin).model(twin.context, key).store.watcherCount();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(25);
  }
}

describe('one watch-fed cache per cluster', () => {
  beforeEach(async () => {
    await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify({ profile: 'nap' }) });
    await informer.resetInformers({ idleStopMs: 60_000, backoffMs: 300, maxBackoffMs: 2_000 });
    twin.requests.length = 0;
  });

  it('starts on first use: nothing is asked before a read, one list and one watch after it', async () => {
    const inf = informer.informers().of('app1');
    expect(inf.isRunning).toBe(false);
    expect(countRequests(twin, 'GET', NODES)).toBe(0);
    await informer.informers().read('app1', ['nodes'], 10_000);
    expect(inf.status(['nodes']).state).toBe('ok');
    expect(inf.list('nodes').length).toBeGreaterThan(0);
    await until(() => watchers('app1') === 1);
    // the list, then the watch from its resourceVersion
    expect(countRequests(twin, 'GET', NODES)).toBe(2);
    // only the kinds a page asked for are watched, and only on that cluster
    expect(countRequests(twin, 'GET', /^\/k8s\/app1\/api\/v1\/pods$/)).toBe(0);
    expect(countRequests(twin, 'GET', /^\/k8s\/mgmt\//)).toBe(0);
  });

  it('once warm, page reads make no request to the API servers, and a change arrives by the watch', async () => {
    const zones = await import('../zones');
    await zones.getZoneHealth();
    await zones.getVerifyChecklist();
    twin.requests.length = 0;
    for (let i = 0; i < 20; i++) {
      await zones.getZoneHealth();
      await zones.getVerifyChecklist();
    }
    expect(twin.requests.filter((r) => r.path.startsWith('/k8s/'))).toEqual([]);
    // A change made behind the cache's back (the twin's own API) reaches it with no list.
    const inf = informer.informers().of('app2');
    const name = inf.list('nodes')[0].metadata!.name!;
    const { getKubeClients } = await import('./index');
    const { core } = await getKubeClients('app2');
    await core.patchNode({ name, body: { spec: { unschedulable: true } } }, (await import('@kubernetes/client-node')).setHeaderOptions('Content-Type', (await import('@kubernetes/client-node')).PatchStrategy.MergePatch));
    await until(() => inf.get('nodes', name)?.spec?.unschedulable === true);
    expect(twin.requests.filter((r) => r.path.startsWith('/k8s/') && r.method === 'GET')).toEqual([]);
  });

  it('stops its watches when nobody has used it for a while, and starts again on the next read', async () => {
    await informer.resetInformers({ idleStopMs: 300 });
    const inf = informer.informers().of('app1');
    await informer.informers().read('app1', ['nodes'], 10_000);
    await until(() => watchers('app1') === 1);
    await until(() => !inf.isRunning, 5_000);
    expect(inf.stops).toBe(1);
    await until(() => watchers('app1') === 0, 5_000);
    await informer.informers().read('app1', ['nodes'], 10_000);
    expect(inf.isRunning).toBe(true);
    expect(inf.status(['nodes']).state).toBe('ok');
  });

  it('a failing API server shows as failed with its age, is retried with backoff, and resyncs', async () => {
    await fetch(`${url}/_twin/faults`, { method: 'POST', body: JSON.stringify({ path: '/k8s/app1/api/v1/nodes', status: 500, times: 2 }) });
    const inf = informer.informers().of('app1');
    const before = Date.now();
    await informer.informers().read('app1', ['nodes'], 10_000);
    const failed = inf.status(['nodes']);
    expect(failed.state).toBe('failed');
    expect(failed.failedAt).toBeGreaterThanOrEqual(before);
    expect(failed.attempts).toBe(1);
    // Backoff: no second try within the first step (300 ms).
    await sleep(150);
    expect(countRequests(twin, 'GET', NODES)).toBe(1);
    await until(() => inf.status(['nodes']).state === 'ok');
    // two refused lists, the good one, the watch
    await until(() => watchers('app1') === 1);
    expect(countRequests(twin, 'GET', NODES)).toBe(4);
    expect(inf.status(['nodes']).failedAt).toBeUndefined();

    // A watch cut mid-way (the twin drops every watch on reset) is resumed; a change after it still arrives.
    await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify({ profile: 'nap' }) });
    await until(() => watchers('app1') === 1);
    const { cordonZone } = await import('../zones');
    await cordonZone({ cluster: 'app1', zone: '1', drain: false });
    await until(() => inf.list('nodes').some((n) => n.spec?.unschedulable));
    expect(inf.status(['nodes']).state).toBe('ok');
  });
});
