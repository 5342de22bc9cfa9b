import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetTwin, startHarness, twinAdmin } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

let twin: Twin;
let url: string;
let chain: typeof import('./index');

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap' }));
  chain = await import('./index');
});

afterAll(async () => {
  await twin.close();
});

const admin = (method: string, path: string, body?: unknown) => twinAdmin(url, method, path, body);

const verdicts = (c: { chain: { links: { id: string; verdict: string }[] } }) => c.chain.links.map((l) => `${l.id}:${l.verdict}`);

describe('the GitOps and secret chain, through the real Kubernetes client and ARM', () => {
  beforeEach(() => resetTwin(url));

  it('a seeded twin: every link of every cluster is ok, each cluster with the links it has', async () => {
    const s = await chain.getChain();
    expect(s.clusters.map((c) => [c.key, c.chain.verdict, c.chain.firstBroken])).toEqual([['mgmt', 'ok', undefined], ['app1', 'ok', undefined], ['app2', 'ok', undefined]]);
    expect(verdicts(s.clusters[0])).toEqual(['git:ok', 'kustomization:ok', 'certificate:ok', 'secret:ok', 'pushsecret:ok', 'keyvault:ok', 'store:ok', 'reloader:ok', 'gateway:ok']);
    expect(verdicts(s.clusters[1])).toEqual(['git:ok', 'kustomization:ok', 'keyvault:ok', 'store:ok', 'externalsecret:ok', 'secret:ok', 'reloader:ok', 'gateway:ok']);
    expect(verdicts(s.clusters[2])).toEqual(['git:ok', 'kustomization:ok', 'store:ok', 'reloader:ok']);
    const links = Object.fromEntries(s.clusters[0].chain.links.map((l) => [l.id, l]));
    expect(links.certificate.evidence).toContain('issued by ClusterIssuer letsencrypt-prod');
    expect(links.certificate.times.map((t) => t.label)).toEqual(['expires', 'renewal due', 'Ready since']);
    expect(links.secret.evidence).toEqual(['kubernetes.io/tls with tls.crt and tls.key, written by cert-manager']);
    expect(links.keyvault.evidence).toEqual([expect.stringMatching(/^gateway-tls-crt: version [0-9a-f]{8}, current$/), expect.stringMatching(/^gateway-tls-key: version [0-9a-f]{8}, current$/)]);
    expect(links.gateway.evidence).toEqual(['3 of 3 gateway pods Ready']);
    // The demo application asks Reloader for reloads on the app clusters (its manifest's annotation).
    expect(s.clusters[1].chain.links.find((l) => l.id === 'reloader')!.evidence).toContain('Deployment demo/demo-app asks for reloads (reloader.stakater.com/auto)');
    // app1's Secret is filled from Key Vault by the ExternalSecret its manifest declares.
    const sync = s.clusters[1].chain.links.find((l) => l.id === 'externalsecret')!;
    expect(sync.evidence).toEqual(['The ExternalSecret is Ready (SecretSynced: secret synced)', 'writes Secret gateway-tls', 'synced resource version 1-3f2a9c1d7b6e5f4a', 'refreshes every 1h']);
    expect(sync.times.map((t) => t.label)).toEqual(['last sync', 'Ready since']);
    expect(s.keyVault).toBe('kv-k8s-demo');
  });

  const knobs: [cluster: 'mgmt' | 'app1', fault: string, link: string, words: RegExp][] = [
    ['mgmt', 'kustomization-failing', 'kustomization', /^The Kustomization is not Ready \(BuildFailed: kustomize build failed/],
    ['mgmt', 'certificate-expiring', 'certificate', /^expires in \d+ hours; renewal was due 29 days ago and has not happened$/],
    ['mgmt', 'certificate-not-ready', 'certificate', /^The certificate is not Ready \(Failed: /],
    ['mgmt', 'pushsecret-failing', 'pushsecret', /^The PushSecret is not Ready \(Errored: set secret failed/],
    ['app1', 'store-not-ready', 'store', /^The store is not Ready \(InvalidProviderConfig: /],
    ['app1', 'externalsecret-failing', 'externalsecret', /^The ExternalSecret is not Ready \(SecretSyncedError: could not get secret data from provider: /],
  ];

  it.each(knobs)('%s %s: that link is the first broken one, with its words; the links after it depend on it', async (cluster, fault, link, words) => {
    expect((await admin('POST', `/_twin/k8s/${cluster}/chain-fault`, { link: fault })).status).toBe(200);
    chain.invalidateChain();
    const s = await chain.getChain();
    const c = s.clusters.find((x) => x.key === cluster)!;
    expect(c.chain.firstBroken).toBe(link);
    const at = c.chain.links.findIndex((l) => l.id === link);
    expect(c.chain.links[at].verdict).toBe('broken');
    expect(c.chain.links[at].evidence.some((e) => words.test(e))).toBe(true);
    expect(c.chain.links.slice(0, at).every((l) => l.verdict === 'ok' && !l.dependsOn)).toBe(true);
    expect(c.chain.links.slice(at + 1).every((l) => l.dependsOn === link)).toBe(true);
    // The other clusters are untouched.
    expect(s.clusters.filter((x) => x.key !== cluster).every((x) => x.chain.verdict === 'ok')).toBe(true);
    await resetTwin(url);
    expect((await chain.getChain()).clusters.every((x) => x.chain.verdict === 'ok')).toBe(true);
  });

  it('a failing Kustomization leaves it behind the source; a knob’s message replaces the controller’s words', async () => {
    await admin('POST', '/_twin/k8s/app2/chain-fault', { link: 'kustomization-failing', message: 'dry-run failed: the Namespace demo is being deleted' });
    chain.invalidateChain();
    const k = (await chain.getChain()).clusters[2].chain.links.find((l) => l.id === 'kustomization')!;
    expect(k.evidence[0]).toBe('The Kustomization is not Ready (BuildFailed: dry-run failed: the Namespace demo is being deleted)');
    expect(k.evidence).toContain('behind the source, which has main@sha1:9b2e4c7');
  });

  it('the knob refuses bad input and changes nothing', async () => {
    expect((await admin('POST', '/_twin/k8s/mgmt/chain-fault', { link: 'everything' })).status).toBe(400);
    expect((await admin('POST', '/_twin/k8s/mgmt/chain-fault', { link: 'store-not-ready', extra: 1 })).status).toBe(400);
    expect((await admin('POST', '/_twin/k8s/app2/chain-fault', { link: 'certificate-expiring' })).status).toBe(404);
    expect((await admin('POST', '/_twin/k8s/mgmt/chain-fault', { link: 'externalsecret-failing' })).status).toBe(404);
    // Sent to every cluster, a certificate fault is refused before mgmt's certificate changes.
    expect((await admin('POST', '/_twin/k8s/all/chain-fault', { link: 'certificate-not-ready' })).status).toBe(404);
    chain.invalidateChain();
    expect((await chain.getChain()).clusters.every((x) => x.chain.verdict === 'ok')).toBe(true);
  });

  it('a cluster whose API fails cannot tell, with the error and since when, while the others still show', async () => {
    await admin('POST', '/_twin/faults', { path: '/k8s/app2/', status: 500, code: 'InternalError', message: 'etcd is down' });
    try {
      const s = await chain.getChain();
      const app2 = s.clusters[2].chain;
      expect(app2.verdict).toBe('unknown');
      expect(app2.links.every((l) => l.verdict === 'unknown' && l.readError?.message && l.readError.since !== undefined)).toBe(true);
      expect(app2.links[0].readError!.message).toBe('Kubernetes API of aks-app2 answered 500');
      expect(s.clusters.slice(0, 2).every((c) => c.chain.verdict === 'ok')).toBe(true);
    } finally {
      await admin('DELETE', '/_twin/faults');
    }
  });

  it('Key Vault not answering: its link cannot tell on mgmt and app1, the Kubernetes links still show', async () => {
    await admin('POST', '/_twin/faults', { path: '/providers/Microsoft.KeyVault/', status: 503, code: 'ServiceUnavailable', message: 'the vault is unavailable' });
    try {
      const s = await chain.getChain();
      for (const c of s.clusters.slice(0, 2)) {
        const kv = c.chain.links.find((l) => l.id === 'keyvault')!;
        expect(kv.verdict).toBe('unknown');
        expect(kv.readError!.message).toMatch(/vault is unavailable/);
        expect(c.chain.links.filter((l) => l.id !== 'keyvault').every((l) => l.verdict === 'ok')).toBe(true);
      }
    } finally {
      await admin('DELETE', '/_twin/faults');
    }
  });
});
