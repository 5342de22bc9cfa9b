import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareExtensions,
  compareFluxConfigurations,
  expectedExtensions,
  expectedFluxConfigurations,
  fluxCompliance,
  imageTag,
  keyVaultCsi,
  meshVerdict,
  type ExtensionState,
  type FluxConfigurationState,
} from './addons';
import { CLUSTER_KEYS } from './cluster';
import type { MeshRevisionInfo } from './preflight';

const SCRIPTS = resolve(__dirname, '../../infra/addons/scripts');
const realScripts = () => readdirSync(SCRIPTS).filter((f) => f.endsWith('.sh')).map((name) => ({ name, text: readFileSync(join(SCRIPTS, name), 'utf8') }));

const REVISIONS: MeshRevisionInfo[] = [
  { revision: 'asm-1-29', kubernetes: ['1.33', '1.34'], upgrades: ['asm-1-30'] },
  { revision: 'asm-1-30', kubernetes: ['1.34', '1.35'], upgrades: [] },
];

const ok = (name: string, extensionType: string): ExtensionState => ({ name, extensionType, currentVersion: '1.0.0', autoUpgradeMinorVersion: true, provisioningState: 'Succeeded', errors: [] });

describe('what infra/ expects beside Helm', () => {
  it('reads the Flux configuration 06-flux.sh creates, with its scope, and the extensions that follow', () => {
    const flux = expectedFluxConfigurations({ scripts: realScripts() });
    expect(flux).toEqual([{ name: 'gitops-config', clusters: ['mgmt', 'app1', 'app2'], step: '06-flux' }]);
    expect(expectedExtensions(flux).map((e) => [e.name, e.extensionType, e.clusters.join(' ')])).toEqual([
      ['azure-aks-backup', 'microsoft.dataprotection.kubernetes', 'mgmt app1 app2'],
      ['flux', 'microsoft.flux', 'mgmt app1 app2'],
    ]);
  });

  it('a Flux step scoped to one cluster expects the flux extension there only', () => {
    const text = '# scope: app1\nrun az k8s-configuration flux create \\\n  --name cfg \\\n  --url ssh://x\n';
    const flux = expectedFluxConfigurations({ scripts: [{ name: '09-other.sh', text }] });
    expect(flux).toEqual([{ name: 'cfg', clusters: ['app1'], step: '09-other' }]);
    expect(expectedExtensions(flux).find((e) => e.name === 'flux')?.clusters).toEqual(['app1']);
    expect(expectedExtensions([]).map((e) => e.name)).toEqual(['azure-aks-backup']);
  });
});

describe('the Istio add-on’s revisions', () => {
  it('a revision the region offers for the cluster’s Kubernetes minor is supported', () => {
    expect(meshVerdict(['asm-1-30'], '1.35.4', REVISIONS)).toEqual({ verdict: 'supported', revisions: [{ revision: 'asm-1-30', verdict: 'supported', detail: 'offered for Kubernetes 1.35' }] });
  });

  it('a revision not compatible with the Kubernetes minor, or no longer offered, is unsupported; the worst revision decides', () => {
    const incompatible = meshVerdict(['asm-1-29'], '1.35.4', REVISIONS);
    expect(incompatible.verdict).toBe('unsupported');
    expect(incompatible.revisions[0].detail).toBe('compatible with Kubernetes 1.33, 1.34, not 1.35');
    const canary = meshVerdict(['asm-1-28', 'asm-1-30'], '1.35.4', REVISIONS);
    expect(canary.revisions.map((r) => r.verdict)).toEqual(['unsupported', 'supported']);
    expect(canary.verdict).toBe('unsupported');
    expect(canary.revisions[0].detail).toContain('asm-1-29, asm-1-30');
  });

  it('no revision: not enabled; the region’s list unread: unknown', () => {
    expect(meshVerdict([], '1.35.4', REVISIONS)).toEqual({ verdict: 'not-enabled', revisions: [] });
    expect(meshVerdict(['asm-1-30'], '1.35.4', null).verdict).toBe('unknown');
  });
});

describe('cluster extensions against infra/', () => {
  const expected = expectedExtensions([{ name: 'gitops-config', clusters: ['mgmt', 'app1', 'app2'], step: '06-flux' }]);

  it('both present and succeeded: ok; one installed by hand is listed after them', () => {
    const rows = compareExtensions('app1', expected, [ok('flux', 'microsoft.flux'), ok('azure-aks-backup', 'microsoft.dataprotection.kubernetes'), ok('dapr', 'microsoft.dapr')]);
    expect(rows.map((r) => [r.name, r.verdict, r.expected])).toEqual([['azure-aks-backup', 'ok', true], ['flux', 'ok', true], ['dapr', 'ok', false]]);
  });

  it('a failed extension is failed with its errors; one still installing is pending', () => {
    const failed: ExtensionState = { ...ok('azure-aks-backup', 'microsoft.dataprotection.kubernetes'), provisioningState: 'Failed', errors: ['the backup pod crashed'] };
    const rows = compareExtensions('mgmt', expected, [failed, { ...ok('flux', 'microsoft.flux'), provisioningState: 'Creating' }]);
    expect(rows.map((r) => [r.name, r.verdict])).toEqual([['azure-aks-backup', 'failed'], ['flux', 'pending']]);
    expect(rows[0].state?.errors).toEqual(['the backup pod crashed']);
    // An error reported by the extension's agent fails it even while ARM still says Succeeded.
    expect(compareExtensions('mgmt', expected, [{ ...ok('flux', 'microsoft.flux'), errors: ['helm upgrade failed'] }]).find((r) => r.name === 'flux')?.verdict).toBe('failed');
  });

  it('an extension infra/ declares and ARM does not list is missing', () => {
    const rows = compareExtensions('app2', expected, [ok('flux', 'microsoft.flux')]);
    expect(rows[0]).toMatchObject({ name: 'azure-aks-backup', verdict: 'missing', expected: true, declaredIn: 'infra/modules/backup/main.extension.tf' });
    expect(rows[0].state).toBeUndefined();
  });
});

describe('Flux configurations', () => {
  const config = (over: Partial<FluxConfigurationState> = {}): FluxConfigurationState => ({
    name: 'gitops-config', url: 'ssh://git@github.com/org/k8s-manifests.git', branch: 'main', compliance: 'compliant', provisioningState: 'Succeeded',
    kustomizations: [{ name: 'gitops-config-infra', kind: 'Kustomization', compliance: 'compliant' }], ...over,
  });
  const expected = [{ name: 'gitops-config', clusters: [...CLUSTER_KEYS], step: '06-flux' }];

  it('reads ARM’s compliance words whatever their case or dash', () => {
    expect(['Compliant', 'Non-Compliant', 'NonCompliant', 'Pending', 'Suspended', 'Unknown', undefined].map(fluxCompliance)).toEqual(['compliant', 'non-compliant', 'non-compliant', 'pending', 'suspended', 'unknown', 'unknown']);
  });

  it('compliant; a non-compliant Kustomization makes the configuration non-compliant; a failed provisioning is failed; absent is missing', () => {
    expect(compareFluxConfigurations('app1', expected, [config()])[0].verdict).toBe('compliant');
    const broken = config({ compliance: 'non-compliant', kustomizations: [{ name: 'gitops-config-infra', kind: 'Kustomization', compliance: 'non-compliant', message: 'kustomization path not found' }] });
    const row = compareFluxConfigurations('app1', expected, [broken])[0];
    expect(row.verdict).toBe('non-compliant');
    expect(row.state?.kustomizations[0].message).toBe('kustomization path not found');
    // The Kustomization alone (ARM's summary not yet updated) is enough.
    expect(compareFluxConfigurations('app1', expected, [config({ kustomizations: broken.kustomizations })])[0].verdict).toBe('non-compliant');
    expect(compareFluxConfigurations('app1', expected, [config({ provisioningState: 'Failed' })])[0].verdict).toBe('failed');
    expect(compareFluxConfigurations('app1', expected, [config({ compliance: 'pending' })])[0].verdict).toBe('pending');
    expect(compareFluxConfigurations('app1', expected, [])).toEqual([{ name: 'gitops-config', expected: true, step: '06-flux', verdict: 'missing', state: undefined }]);
  });
});

describe('the Key Vault CSI add-on and image tags', () => {
  it('reads the add-on profile’s string config', () => {
    expect(keyVaultCsi({ enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } })).toEqual({ enabled: true, secretRotation: true, rotationPollInterval: '2m' });
    expect(keyVaultCsi({ enabled: true, config: { enableSecretRotation: 'false' } })).toEqual({ enabled: true, secretRotation: false, rotationPollInterval: undefined });
    expect(keyVaultCsi(undefined)).toEqual({ enabled: false, secretRotation: false, rotationPollInterval: undefined });
  });

  it('takes the tag of an image reference, not a registry port or a digest', () => {
    expect(imageTag('mcr.microsoft.com/oss/istio/pilot:1.30.0-distroless')).toBe('1.30.0-distroless');
    expect(imageTag('localhost:5000/pilot')).toBeUndefined();
    expect(imageTag('mcr.microsoft.com/pilot:1.30.0@sha256:abc')).toBe('1.30.0');
  });
});
