import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
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

const call = (method: string, path: string, body?: unknown) => twinAdmin(url, method, path, body);

/** What kustomize-controller does: writes the Kustomization's status through its `status` subresource. */
async function setKustomizationStatus(status: unknown) {
  const { custom } = await (await import('../k8s')).getKubeClients('app2');
  const ref = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', namespace: 'flux-system', plural: 'kustomizations', name: 'gitops-config-infra' };
  return custom.patchNamespacedCustomObjectStatus({ ...ref, body: { status } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

describe('the AKS-managed add-ons, extensions and Flux configurations, read from ARM', () => {
  beforeEach(() => resetTwin(url));

  it('a seeded twin: the mesh supported where enabled, Key Vault CSI with rotation, both extensions ok, Flux compliant', async () => {
    const s = await releases.getReleases();
    const byKey = Object.fromEntries(s.clusters.map((c) => [c.key, c.addons]));
    for (const key of ['mgmt', 'app1', 'app2']) {
      const a = byKey[key];
      expect(a.status).toBe('ok');
      expect(a.keyVault).toEqual({ enabled: true, secretRotation: true, rotationPollInterval: '2m' });
      expect(a.extensions!.map((e) => [e.name, e.extensionType, e.verdict, e.expected])).toEqual([
        ['azure-aks-backup', 'microsoft.dataprotection.kubernetes', 'ok', true],
        ['flux', 'microsoft.flux', 'ok', true],
      ]);
      expect(a.extensions!.every((e) => e.state!.currentVersion && e.state!.autoUpgradeMinorVersion === true && e.state!.errors.length === 0)).toBe(true);
      expect(a.flux!.map((f) => [f.name, f.verdict])).toEqual([['gitops-config', 'compliant']]);
      expect(a.flux![0].state).toMatchObject({ url: 'ssh://git@github.com/org/k8s-manifests.git', branch: 'main', compliance: 'compliant', sourceSyncedCommitId: 'main/6f1c2b7' });
      expect(a.flux![0].state!.kustomizations).toEqual([{ name: 'gitops-config-infra', namespace: 'flux-system', kind: 'Kustomization', compliance: 'compliant', message: undefined }]);
      expect(a.flux![0].state!.statusUpdatedAt).toBeGreaterThan(0);
      expect(a.running.status).toBe('ok');
      expect(a.running.keyVault).toEqual({ component: 'driver', tag: 'v1.5.2' });
    }
    expect(byKey.app1.mesh).toMatchObject({ verdict: 'supported', revisions: [{ revision: 'asm-1-30', verdict: 'supported' }] });
    expect(byKey.app1.running.istiod).toEqual([{ revision: 'asm-1-30', tags: ['1.30.0-distroless'] }]);
    expect(byKey.app2.mesh).toEqual({ verdict: 'not-enabled', revisions: [] });
    expect(byKey.app2.running.istiod).toEqual([]);
  });

  it('after the extension-failure knob: that extension failed with its message, only there; clearing it brings ok back', async () => {
    const r = await call('POST', '/_twin/arm/app1/extension-failure', { name: 'azure-aks-backup', message: 'the backup agent could not reach its storage account' });
    expect(r.status).toBe(200);
    releases.invalidateReleases();
    const s = await releases.getReleases();
    const backup = s.clusters[1].addons.extensions!.find((e) => e.name === 'azure-aks-backup')!;
    expect(backup.verdict).toBe('failed');
    expect(backup.state!.provisioningState).toBe('Failed');
    expect(backup.state!.errors).toEqual(['the backup agent could not reach its storage account (ExtensionOperationFailed)']);
    expect(s.clusters.flatMap((c) => c.addons.extensions!.filter((e) => e.verdict !== 'ok').map((e) => `${c.key}/${e.name}`))).toEqual(['app1/azure-aks-backup']);
    // Helm's rows are untouched.
    expect(s.clusters[1].rows!.every((x) => x.verdict === 'matches')).toBe(true);

    expect((await call('DELETE', '/_twin/arm/app1/extension-failure', { name: 'azure-aks-backup' })).status).toBe(200);
    releases.invalidateReleases();
    expect((await releases.getReleases()).clusters[1].addons.extensions!.every((e) => e.verdict === 'ok')).toBe(true);
  });

  it('a twin reset clears the failure; the knob refuses bad input and changes nothing', async () => {
    await call('POST', '/_twin/arm/mgmt/extension-failure', { name: 'flux', message: 'helm install failed' });
    await resetTwin(url);
    expect((await releases.getReleases()).clusters[0].addons.extensions!.every((e) => e.verdict === 'ok')).toBe(true);

    expect((await call('POST', '/_twin/arm/app9/extension-failure', { name: 'flux' })).status).toBe(404);
    expect((await call('POST', '/_twin/arm/app1/extension-failure', { name: 'dapr' })).status).toBe(404);
    expect((await call('POST', '/_twin/arm/app1/extension-failure', { name: '' })).status).toBe(400);
    expect((await call('POST', '/_twin/arm/app1/extension-failure', { name: 'flux', extra: true })).status).toBe(400);
    expect((await call('POST', '/_twin/arm/app1/extension-failure', { name: 'flux', message: 'x'.repeat(1001) })).status).toBe(400);
    releases.invalidateReleases();
    expect((await releases.getReleases()).clusters.every((c) => c.addons.extensions!.every((e) => e.verdict === 'ok'))).toBe(true);
  });

  it('ARM’s fluxConfigurations follow the Kustomization’s status set through the Kubernetes API', async () => {
    const message = 'kustomization path not found: stat /tmp/kustomization/clusters/app2: no such file or directory';
    const patched = (await setKustomizationStatus({ conditions: [{ type: 'Ready', status: 'False', reason: 'ArtifactFailed', message, lastTransitionTime: new Date().toISOString() }] })) as { metadata: { name: string } };
    expect(patched.metadata.name).toBe('gitops-config-infra');
    releases.invalidateReleases();
    const s = await releases.getReleases();
    const flux = s.clusters[2].addons.flux![0];
    expect(flux.verdict).toBe('non-compliant');
    expect(flux.state!.compliance).toBe('non-compliant');
    expect(flux.state!.kustomizations).toEqual([{ name: 'gitops-config-infra', namespace: 'flux-system', kind: 'Kustomization', compliance: 'non-compliant', message }]);
    expect(s.clusters[1].addons.flux![0].verdict).toBe('compliant');

    // A status without conditions (a controller that has not reported yet) is read without failing: compliant again.
    await setKustomizationStatus({ conditions: null });
    releases.invalidateReleases();
    expect((await releases.getReleases()).clusters[2].addons.flux![0].verdict).toBe('compliant');
  });

  it('a failed ARM read shows as failed while the Helm rows still show', async () => {
    await call('POST', '/_twin/faults', { path: 'managedClusters/aks-app2/providers/Microsoft.KubernetesConfiguration/extensions', status: 500, code: 'InternalServerError', message: 'the extension manager is down' });
    try {
      const s = await releases.getReleases();
      expect(s.clusters.map((c) => [c.key, c.status, c.addons.status])).toEqual([['mgmt', 'ok', 'ok'], ['app1', 'ok', 'ok'], ['app2', 'ok', 'failed']]);
      expect(s.clusters[2].addons.error?.message).toBeTruthy();
      expect(s.clusters[2].addons.extensions).toBeUndefined();
      expect(s.clusters[2].rows!.length).toBeGreaterThan(0);
    } finally {
      await call('DELETE', '/_twin/faults');
    }
  });
});
