import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetTwin, startHarness, twinAdmin } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/**
 * The contract on the twin through the product's real clients: the seeded environment conforms (or the
 * page says why it cannot tell), a knob that breaks a rule fails it for that cluster, and a cluster whose
 * API fails leaves the rules that read it "cannot tell", never pass.
 */
let twin: Twin;
let url: string;
let conformance: typeof import('./index');

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap' }));
  conformance = await import('./index');
});

afterAll(async () => {
  await (await import('../k8s/informer')).informers().stop();
  await twin.close();
});

const admin = (method: string, path: string, body?: unknown) => twinAdmin(url, method, path, body);

const rule = (s: Awaited<ReturnType<typeof conformance.getContract>>, id: string) => s.results.find((r) => r.id === id)!;
const cells = (r: { clusters: { cluster: string; status: string }[] }) => r.clusters.map((c) => [c.cluster, c.status]);

describe('the live contract on the twin', () => {
  beforeEach(() => resetTwin(url));

  it('seeded: every rule passes, or cannot tell and says why; none fails', async () => {
    const s = await conformance.getContract();
    expect(s.results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.detail}`)).toEqual([]);
    for (const r of s.results.filter((x) => x.status === 'unknown')) expect(r.detail, r.id).not.toBe('ok');
    // Only what a live read cannot show is left unknown: how the code is built.
    expect(s.results.filter((r) => r.status === 'unknown').map((r) => r.id).sort()).toEqual(['opentofu-syntax', 'two-stage-install']);
    expect(cells(rule(s, 'spot-rescheduling'))).toEqual([['app1', 'pass'], ['app2', 'pass']]);
    expect(cells(rule(s, 'kyverno-on-app-clusters'))).toEqual([['mgmt', 'pass'], ['app1', 'pass'], ['app2', 'pass']]);
    for (const r of s.results) expect(r.evidence.length, r.id).toBeGreaterThan(0);
    expect(rule(s, 'private-api-server').evidence.every((e) => e.at !== undefined && !e.error)).toBe(true);
    expect(s.counts).toEqual({ pass: s.results.length - 2, fail: 0, unknown: 2 });
  });

  it('seeded: the TLS Secret is readable by name only, read from the Roles of mgmt and app1', async () => {
    const r = rule(await conformance.getContract(), 'tls-key-in-key-vault');
    expect(r.status).toBe('pass');
    const readers = r.evidence.find((e) => e.read.startsWith('who may read'))!;
    expect(readers.at).toBeDefined();
    expect(readers.error).toBeUndefined();
  });

  it('the wide-read knob fails tls-key-in-key-vault, naming the Role and its cluster', async () => {
    expect((await admin('POST', '/_twin/k8s/app1/tls-secret-wide-read', {})).status).toBe(200);
    conformance.invalidateContract();
    const r = rule(await conformance.getContract(), 'tls-key-in-key-vault');
    expect(r.status).toBe('fail');
    expect(r.detail).toBe('aks-app1: Role aks-istio-ingress/tls-secret-wide-reader lets ServiceAccount demo/demo-app list every Secret in aks-istio-ingress');
    await resetTwin(url);
    expect(rule(await conformance.getContract(), 'tls-key-in-key-vault').status).toBe('pass');
  });

  it('the wide-read knob refuses a cluster without the gateway, all clusters and a body, changing nothing', async () => {
    expect((await admin('POST', '/_twin/k8s/app2/tls-secret-wide-read', {})).status).toBe(404);
    expect((await admin('POST', '/_twin/k8s/all/tls-secret-wide-read', {})).status).toBe(400);
    expect((await admin('POST', '/_twin/k8s/mgmt/tls-secret-wide-read', { role: 'x' })).status).toBe(400);
    conformance.invalidateContract();
    expect(rule(await conformance.getContract(), 'tls-key-in-key-vault').status).toBe('pass');
  });

  it('RBAC not readable on a gateway cluster: tls-key-in-key-vault cannot tell, with the error and its age', async () => {
    await admin('POST', '/_twin/faults', { path: '/k8s/app1/apis/rbac.authorization.k8s.io/', status: 403, code: 'Forbidden', message: 'roles are forbidden' });
    try {
      const s = await conformance.getContract();
      const r = rule(s, 'tls-key-in-key-vault');
      expect(r.status).toBe('unknown');
      const readers = r.evidence.find((e) => e.read.startsWith('who may read'))!;
      expect(readers.error).toBeTruthy();
      expect(readers.at).toBeDefined();
      expect(r.detail).toContain(readers.error);
      // The rest of the TLS handling still stands.
      expect(rule(s, 'key-rotation-reaches-pods').status).toBe('pass');
      expect(s.counts.fail).toBe(0);
    } finally {
      await admin('DELETE', '/_twin/faults');
    }
  });

  it('the public API server knob fails private-api-server for that cluster only, with its evidence', async () => {
    expect((await admin('POST', '/_twin/arm/app1/public-api-server')).status).toBe(200);
    conformance.invalidateContract();
    const r = rule(await conformance.getContract(), 'private-api-server');
    expect(r.status).toBe('fail');
    expect(cells(r)).toEqual([['mgmt', 'pass'], ['app1', 'fail'], ['app2', 'pass']]);
    const app1 = r.clusters.find((c) => c.cluster === 'app1')!;
    expect(app1.detail).toBe('app1 is not a private cluster');
    expect(app1.evidence[0].read).toContain('aks-app1');
    const summary = await conformance.getContractSummary();
    expect(summary.failing).toEqual([{ id: 'private-api-server', title: r.title, clusters: ['aks-app1'] }]);
  });

  it('the knob refuses an unknown cluster or knob and changes nothing', async () => {
    expect((await admin('POST', '/_twin/arm/nope/public-api-server')).status).toBe(404);
    expect((await admin('POST', '/_twin/arm/app1/nope')).status).toBe(404);
    expect((await admin('GET', '/_twin/arm/app1/public-api-server')).status).toBe(405);
    conformance.invalidateContract();
    expect(rule(await conformance.getContract(), 'private-api-server').status).toBe('pass');
  });

  it('a cluster whose Kubernetes API fails: the rules that read it cannot tell for that cluster, with the error', async () => {
    await admin('POST', '/_twin/faults', { path: '/k8s/app2/', status: 500, code: 'InternalError', message: 'etcd is down' });
    try {
      const s = await conformance.getContract();
      for (const id of ['spot-rescheduling', 'kyverno-on-app-clusters', 'flux-with-deploy-key', 'csi-secrets-at-mount', 'app-independent-of-mgmt']) {
        const r = rule(s, id);
        expect(r.status, id).toBe('unknown');
        const app2 = r.clusters.find((c) => c.cluster === 'app2')!;
        expect(app2.status, id).toBe('unknown');
        expect(app2.evidence.some((e) => e.error), id).toBe(true);
        expect(r.clusters.filter((c) => c.cluster !== 'app2').every((c) => c.status === 'pass'), id).toBe(true);
      }
      // What ARM alone says still stands.
      expect(rule(s, 'private-api-server').status).toBe('pass');
      expect(s.counts.fail).toBe(0);
    } finally {
      await admin('DELETE', '/_twin/faults');
    }
  });
});
