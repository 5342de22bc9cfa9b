import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetTwin, startHarness, twinAdmin } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

let twin: Twin;
let url: string;
let releases: typeof import('./index');

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap' }));
  releases = await import('./index');
});

afterAll(async () => {
  await twin.close();
});

const admin = (method: string, path: string, body?: unknown) => twinAdmin(url, method, path, body);

const verdicts = (c: { rows?: { release: string; verdict: string }[] }) => c.rows?.map((r) => `${r.release}:${r.verdict}`);

describe('Helm releases against infra/’s pins, through the real Kubernetes client', () => {
  beforeEach(() => resetTwin(url));

  it('a seeded twin: every cluster’s releases match their pins', async () => {
    const expected = await releases.expectedReleases();
    const s = await releases.getReleases();
    expect(s.clusters.map((c) => [c.key, c.status])).toEqual([['mgmt', 'ok'], ['app1', 'ok'], ['app2', 'ok']]);
    expect(verdicts(s.clusters[0])).toEqual(['cert-manager:matches', 'external-secrets:matches', 'reloader:matches', 'kiali-server:matches', 'tetragon:matches', 'otel-collector:matches', 'vpa:matches']);
    expect(verdicts(s.clusters[2])).toEqual(['external-secrets:matches', 'reloader:matches', 'kyverno:matches', 'tetragon:matches', 'otel-collector:matches', 'vpa:matches']);
    const reloader = s.clusters[1].rows!.find((r) => r.release === 'reloader')!;
    expect(reloader).toMatchObject({ namespace: 'reloader', pinned: expected.find((e) => e.release === 'reloader')!.version, installed: { revision: 1, status: 'deployed', appVersion: 'v1.4.21' } });
    expect(reloader.installed!.chartVersion).toBe(reloader.pinned);
    expect(reloader.installed!.lastDeployed).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('after the drift knob: that release shows drift with both versions, a new revision; a reset brings the pin back', async () => {
    const r = await admin('POST', '/_twin/k8s/app1/helm-release', { namespace: 'kyverno', release: 'kyverno', version: '3.9.0', appVersion: 'v1.19.0' });
    expect(r.status).toBe(200);
    releases.invalidateReleases();
    const pinned = (await releases.expectedReleases()).find((e) => e.release === 'kyverno')!.version;
    const s = await releases.getReleases();
    const kyverno = s.clusters[1].rows!.find((x) => x.release === 'kyverno')!;
    expect(kyverno).toMatchObject({ verdict: 'drift', pinned, installed: { chartVersion: '3.9.0', appVersion: 'v1.19.0', revision: 2, status: 'deployed' } });
    // Only that release on that cluster.
    expect(s.clusters[1].rows!.filter((x) => x.verdict !== 'matches').map((x) => x.release)).toEqual(['kyverno']);
    expect(s.clusters[2].rows!.every((x) => x.verdict === 'matches')).toBe(true);
    await resetTwin(url);
    expect((await releases.getReleases()).clusters[1].rows!.every((x) => x.verdict === 'matches')).toBe(true);
  });

  it('the knob refuses bad input and changes nothing', async () => {
    expect((await admin('POST', '/_twin/k8s/app1/helm-release', { namespace: 'kyverno', release: 'nope', version: '1.0.0' })).status).toBe(404);
    expect((await admin('POST', '/_twin/k8s/app1/helm-release', { namespace: 'kyverno', release: 'kyverno', version: '../x' })).status).toBe(400);
    expect((await admin('POST', '/_twin/k8s/all/helm-release', { namespace: 'vpa', release: 'vpa', version: '5.1.0' })).status).toBe(400);
    releases.invalidateReleases();
    expect((await releases.getReleases()).clusters.every((c) => c.rows!.every((x) => x.verdict === 'matches'))).toBe(true);
  });

  it('a cluster whose API fails shows as failed while the others still show', async () => {
    await admin('POST', '/_twin/faults', { path: '/k8s/app2/api/v1/secrets', status: 500, code: 'InternalError', message: 'etcd is down' });
    try {
      const s = await releases.getReleases();
      expect(s.clusters.map((c) => [c.key, c.status])).toEqual([['mgmt', 'ok'], ['app1', 'ok'], ['app2', 'failed']]);
      expect(s.clusters[2].error?.message).toBeTruthy();
      expect(s.clusters[2].rows).toBeUndefined();
      expect(s.clusters[0].rows!.length).toBeGreaterThan(0);
    } finally {
      await admin('DELETE', '/_twin/faults');
    }
  });
});
