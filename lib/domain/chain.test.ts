import { describe, expect, it } from 'vitest';
import { chainRole, evaluateChain, parseGoDuration, secretFacts, spanWords, type ChainInputs, type Condition } from './chain';

/**
 * Fixtures shaped as the twin seeds the objects (lib/twin/k8s/catalog.ts, lib/twin/keyvault), written
 * out here because the domain's tests import nothing but the domain.
 */
const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const REV = 'main@sha1:6f1c2b7e4d9a0c3b8e5f1a2d7c6b9e0f4a3d2c1b';
const NEXT = 'main@sha1:9b2e4c7a1f0d3e6b5c8a2f9e7d1c4b3a0e6f5d2c';
const readyTrue = (reason: string, message: string, at = NOW): Condition[] => [{ type: 'Ready', status: 'True', reason, message, lastTransitionTime: iso(at) }];
const readyFalse = (reason: string, message: string): Condition[] => [{ type: 'Ready', status: 'False', reason, message, lastTransitionTime: iso(NOW) }];
const read = <T,>(value: T) => ({ value, fetchedAt: NOW });
const issued = NOW - 30 * DAY;

const externalSecret = (conditions: Condition[], refreshed: number) => ({
  spec: { refreshInterval: '1h', target: { name: 'gateway-tls' } },
  status: { conditions, refreshTime: iso(refreshed), syncedResourceVersion: '1-3f2a9c1d7b6e5f4a', binding: { name: 'gateway-tls' } },
});

function seeded(role = chainRole('mgmt')): ChainInputs {
  return {
    role,
    git: read({ status: { conditions: readyTrue('Succeeded', `stored artifact for revision '${REV}'`), artifact: { revision: REV, lastUpdateTime: iso(NOW) } } }),
    kustomization: read({ status: { conditions: readyTrue('ReconciliationSucceeded', `Applied revision: ${REV}`), lastAppliedRevision: REV, lastAttemptedRevision: REV } }),
    certificate: read({
      spec: { secretName: 'gateway-tls', renewBefore: '720h0m0s', issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' } },
      status: { conditions: readyTrue('Ready', 'Certificate is up to date and has not expired', issued), notBefore: iso(issued), notAfter: iso(issued + 90 * DAY), renewalTime: iso(issued + 60 * DAY) },
    }),
    secret: read(secretFacts({ type: 'kubernetes.io/tls', metadata: { creationTimestamp: iso(issued), annotations: { 'cert-manager.io/certificate-name': 'gateway-tls' } }, data: { 'tls.crt': 'x', 'tls.key': 'y' } })),
    pushSecret: read({ spec: { refreshInterval: '10m' }, status: { conditions: readyTrue('Synced', 'PushSecret synced successfully'), refreshTime: iso(NOW) } }),
    keyVault: read(['gateway-tls-crt', 'gateway-tls-key'].map((name) => ({ name, version: '0f3a9c2d7e1b4a5c8d6e2f1a0b9c8d7e', enabled: true, updated: issued + 120_000, expires: issued + 90 * DAY }))),
    store: read({ status: { conditions: readyTrue('Valid', 'store validated') } }),
    externalSecret: read(externalSecret(readyTrue('SecretSynced', 'secret synced'), NOW - 10 * 60_000)),
    reloader: read({ deployment: { replicas: 2, ready: 2 }, annotated: [] }),
    gateway: read({ name: 'aks-istio-ingressgateway-external-asm-1-30', replicas: 3, ready: 3 }),
  };
}

const verdicts = (inputs: ChainInputs) => Object.fromEntries(evaluateChain(inputs, NOW).links.map((l) => [l.id, l.verdict]));

describe('the GitOps and secret chain', () => {
  it('seeded as a finished install: every link of mgmt is ok, in the order the certificate travels', () => {
    const e = evaluateChain(seeded(), NOW);
    expect(e.links.map((l) => l.id)).toEqual(['git', 'kustomization', 'certificate', 'secret', 'pushsecret', 'keyvault', 'store', 'reloader', 'gateway']);
    expect(e.links.every((l) => l.verdict === 'ok')).toBe(true);
    expect(e.verdict).toBe('ok');
    expect(e.firstBroken).toBeUndefined();
    const cert = e.links.find((l) => l.id === 'certificate')!;
    expect(cert.evidence).toContain('issued by ClusterIssuer letsencrypt-prod');
    expect(cert.evidence.at(-1)).toBe('valid for 60 days more, renewed in 30 days');
    expect(cert.times.map((t) => t.label)).toEqual(['expires', 'renewal due', 'Ready since']);
  });

  it('app1 reads the certificate back from Key Vault; app2 has no gateway', () => {
    expect(evaluateChain(seeded('receives'), NOW).links.map((l) => l.id)).toEqual(['git', 'kustomization', 'keyvault', 'store', 'externalsecret', 'secret', 'reloader', 'gateway']);
    expect(evaluateChain(seeded('none'), NOW).links.map((l) => l.id)).toEqual(['git', 'kustomization', 'store', 'reloader']);
  });

  it('a failing Kustomization is the first broken link, behind the source; every link after it depends on it', () => {
    const inputs = seeded();
    inputs.git = read({ status: { conditions: readyTrue('Succeeded', 'stored'), artifact: { revision: NEXT, lastUpdateTime: iso(NOW) } } });
    inputs.kustomization = read({ status: { conditions: readyFalse('BuildFailed', 'kustomize build failed: no such file'), lastAppliedRevision: REV, lastAttemptedRevision: NEXT } });
    const e = evaluateChain(inputs, NOW);
    const k = e.links[1];
    expect(k.verdict).toBe('broken');
    expect(k.evidence).toEqual([
      'The Kustomization is not Ready (BuildFailed: kustomize build failed: no such file)',
      `applied revision ${REV}`,
      `last attempted ${NEXT}`,
      `behind the source, which has ${NEXT}`,
    ]);
    expect(e.firstBroken).toBe('kustomization');
    expect(e.verdict).toBe('broken');
    expect(e.links.slice(0, 2).map((l) => l.dependsOn)).toEqual([undefined, undefined]);
    expect(e.links.slice(2).every((l) => l.dependsOn === 'kustomization')).toBe(true);
  });

  it('a Ready Kustomization that has not applied the source’s revision is a warning', () => {
    const inputs = seeded();
    inputs.git = read({ status: { conditions: readyTrue('Succeeded', 'stored'), artifact: { revision: NEXT } } });
    expect(verdicts(inputs).kustomization).toBe('warning');
  });

  it('a certificate expiring tomorrow whose renewal failed is broken, with its words', () => {
    const inputs = seeded();
    const from = NOW + DAY - 90 * DAY;
    inputs.certificate = read({
      spec: { renewBefore: '720h0m0s', issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' } },
      status: {
        conditions: [...readyTrue('Ready', 'Certificate is up to date and has not expired', from), { type: 'Issuing', status: 'False', reason: 'Failed', message: 'the ACME server refused the order' }],
        notBefore: iso(from), notAfter: iso(NOW + DAY), renewalTime: iso(from + 60 * DAY),
      },
    });
    const e = evaluateChain(inputs, NOW);
    const cert = e.links.find((l) => l.id === 'certificate')!;
    expect(cert.verdict).toBe('broken');
    expect(cert.evidence).toContain('the last issuance failed (Failed: the ACME server refused the order)');
    expect(cert.evidence.at(-1)).toBe('expires in 24 hours; renewal was due 29 days ago and has not happened');
    expect(e.firstBroken).toBe('certificate');
    expect(e.links.filter((l) => l.dependsOn === 'certificate').map((l) => l.id)).toEqual(['secret', 'pushsecret', 'keyvault', 'store', 'reloader', 'gateway']);
  });

  it('a certificate within its renewBefore is a warning, an expired one broken', () => {
    const inputs = seeded();
    const cert = (notAfter: number) => read({ spec: { renewBefore: '720h0m0s' }, status: { conditions: readyTrue('Ready', 'ok'), notAfter: iso(notAfter), renewalTime: iso(notAfter - 30 * DAY) } });
    inputs.certificate = cert(NOW + 20 * DAY);
    expect(verdicts(inputs).certificate).toBe('warning');
    inputs.certificate = cert(NOW - DAY);
    expect(verdicts(inputs).certificate).toBe('broken');
  });

  it('a PushSecret not synced breaks the chain there; the vault, store, Reloader and gateway depend on it', () => {
    const inputs = seeded();
    inputs.pushSecret = read({ spec: { refreshInterval: '10m' }, status: { conditions: readyFalse('Errored', 'set secret failed: Forbidden'), refreshTime: iso(NOW - DAY) } });
    const e = evaluateChain(inputs, NOW);
    const push = e.links.find((l) => l.id === 'pushsecret')!;
    expect(push.verdict).toBe('broken');
    expect(push.evidence[0]).toBe('The PushSecret is not Ready (Errored: set secret failed: Forbidden)');
    expect(e.links.filter((l) => l.dependsOn).map((l) => l.id)).toEqual(['keyvault', 'store', 'reloader', 'gateway']);
    // Its own state is still judged: the vault's copy is fine, it only depends on the broken push.
    expect(e.links.find((l) => l.id === 'keyvault')!.verdict).toBe('ok');
  });

  it('app1’s sync from Key Vault: Ready and refreshed within twice its refreshInterval is ok, in words, its times apart', () => {
    const e = evaluateChain(seeded('receives'), NOW);
    expect(e.links.every((l) => l.verdict === 'ok')).toBe(true);
    const es = e.links.find((l) => l.id === 'externalsecret')!;
    expect([es.label, es.object]).toEqual(['Sync from Key Vault', 'ExternalSecret aks-istio-ingress/gateway-tls']);
    expect(es.evidence).toEqual(['The ExternalSecret is Ready (SecretSynced: secret synced)', 'writes Secret gateway-tls', 'synced resource version 1-3f2a9c1d7b6e5f4a', 'refreshes every 1h']);
    expect(es.times).toEqual([{ label: 'last sync', at: NOW - 10 * 60_000 }, { label: 'Ready since', at: NOW }]);
  });

  it('a sync older than twice its refreshInterval is a warning: the refresh has stopped', () => {
    const inputs = seeded('receives');
    inputs.externalSecret = read(externalSecret(readyTrue('SecretSynced', 'secret synced', NOW - DAY), NOW - 3 * 3_600_000));
    const es = evaluateChain(inputs, NOW).links.find((l) => l.id === 'externalsecret')!;
    expect(es.verdict).toBe('warning');
    expect(es.evidence.at(-1)).toBe('last synced 3 hours ago, more than twice its refreshInterval of 1h: the refresh has stopped');
    // Just inside two intervals is still ok.
    inputs.externalSecret = read(externalSecret(readyTrue('SecretSynced', 'secret synced'), NOW - 2 * 3_600_000 + 60_000));
    expect(verdicts(inputs).externalsecret).toBe('ok');
  });

  it('a failing sync breaks app1’s chain there, with its message; the Secret, Reloader and gateway depend on it', () => {
    const inputs = seeded('receives');
    inputs.externalSecret = read(externalSecret(readyFalse('SecretSyncedError', 'could not get secret data from provider'), NOW - DAY));
    const e = evaluateChain(inputs, NOW);
    const es = e.links.find((l) => l.id === 'externalsecret')!;
    expect(es.verdict).toBe('broken');
    expect(es.evidence[0]).toBe('The ExternalSecret is not Ready (SecretSyncedError: could not get secret data from provider)');
    expect(es.times.map((t) => t.label)).toEqual(['last sync', 'Not Ready since']);
    expect(e.firstBroken).toBe('externalsecret');
    expect(e.links.filter((l) => l.dependsOn === 'externalsecret').map((l) => l.id)).toEqual(['secret', 'reloader', 'gateway']);
    // A read that fails cannot tell, with the error and since when.
    inputs.externalSecret = { error: 'Kubernetes API of aks-app1 answered 500', failingSince: NOW - 60_000 };
    const unknown = evaluateChain(inputs, NOW).links.find((l) => l.id === 'externalsecret')!;
    expect(unknown.verdict).toBe('unknown');
    expect(unknown.readError).toEqual({ message: 'Kubernetes API of aks-app1 answered 500', since: NOW - 60_000 });
  });

  it('a Key Vault copy older than the certificate is behind; a missing one is broken', () => {
    const inputs = seeded();
    inputs.keyVault = read([{ name: 'gateway-tls-crt', version: 'aa', enabled: true, updated: issued - DAY, expires: issued + 60 * DAY }]);
    const kv = evaluateChain(inputs, NOW).links.find((l) => l.id === 'keyvault')!;
    expect(kv.verdict).toBe('broken');
    expect(kv.evidence).toEqual(["gateway-tls-crt (version aa) was written before the certificate's last issue: the push has not reached the vault", 'gateway-tls-key is not in the vault']);
  });

  it('a read that failed cannot tell, with its error; a stale answer is judged and carries the error and its age', () => {
    const inputs = seeded();
    inputs.store = { error: 'connect ECONNREFUSED' };
    inputs.reloader = { value: { deployment: { replicas: 2, ready: 2 }, annotated: [] }, fetchedAt: NOW - 60_000, error: 'timeout' };
    const e = evaluateChain(inputs, NOW);
    const store = e.links.find((l) => l.id === 'store')!;
    expect(store.verdict).toBe('unknown');
    expect(store.readError).toEqual({ message: 'connect ECONNREFUSED' });
    expect(e.verdict).toBe('unknown');
    const reloader = e.links.find((l) => l.id === 'reloader')!;
    expect(reloader.verdict).toBe('ok');
    expect(reloader.readError).toEqual({ message: 'timeout', lastGood: NOW - 60_000 });
  });

  it('an object that is not there is broken; Reloader names the workloads that ask for reloads', () => {
    const inputs = seeded('none');
    inputs.store = read(null);
    inputs.reloader = read({ deployment: { replicas: 2, ready: 1 }, annotated: [{ namespace: 'demo', name: 'demo-app', kind: 'Deployment', annotation: 'reloader.stakater.com/auto', lastRollout: iso(NOW - DAY) }] });
    const e = evaluateChain(inputs, NOW);
    expect(e.links.find((l) => l.id === 'store')!.evidence).toEqual(['ClusterSecretStore azure-key-vault not found']);
    const r = e.links.find((l) => l.id === 'reloader')!;
    expect(r.verdict).toBe('warning');
    expect(r.evidence).toEqual(['Reloader running, 1 of 2 replicas ready', 'Deployment demo/demo-app asks for reloads (reloader.stakater.com/auto)']);
    expect(r.times).toEqual([{ label: 'demo/demo-app last rollout', at: NOW - DAY }]);
  });

  it('reads Go durations and words spans', () => {
    expect(parseGoDuration('720h0m0s')).toBe(30 * DAY);
    expect(parseGoDuration('10m')).toBe(600_000);
    expect(parseGoDuration('soon')).toBeUndefined();
    expect(spanWords(DAY)).toBe('24 hours');
    expect(spanWords(3 * DAY + 5)).toBe('3 days');
    expect(spanWords(30_000)).toBe('1 minute');
  });

  it('keeps no Secret data: only the key names', () => {
    const facts = secretFacts({ type: 'kubernetes.io/tls', metadata: { labels: { 'reconcile.external-secrets.io/managed': 'true' } }, data: { 'tls.crt': 'secret', 'tls.key': 'secret' } });
    expect(facts).toEqual({ type: 'kubernetes.io/tls', created: undefined, keys: ['tls.crt', 'tls.key'], writer: 'External Secrets (from Key Vault)' });
  });
});
