/**
 * What AKS manages for each cluster beside Helm, read from ARM: the Istio add-on's revisions
 * (checked against the region's mesh revisions, the read pre-flight shares), the Key Vault CSI
 * add-on, the cluster extensions and the Flux configurations. The images the cluster runs
 * (istiod, the Key Vault provider) are evidence when its API server answers; ARM's verdicts
 * stand without them.
 */
import 'server-only';
import type { Extension, FluxConfiguration } from '@azure/arm-kubernetesconfiguration';
import { getAzureClients } from '../azure';
import { sharedReads, type SharedReadResult } from '../cache/shared-read';
import { clusterRef, getConfig, type ClusterKey } from '../config';
import {
  compareExtensions,
  compareFluxConfigurations,
  expectedExtensions,
  fluxCompliance,
  imageTag,
  keyVaultCsi,
  meshVerdict,
  type ExpectedFluxConfiguration,
  type ExtensionRow,
  type ExtensionState,
  type FluxConfigurationState,
  type FluxObjectState,
  type FluxRow,
  type KeyVaultCsiRow,
  type MeshRow,
} from '../domain/addons';
import { toUserError, translateAzureError, translateKubernetesError, type UserError } from '../errors';
import { getKubeClients } from '../k8s';
import { regionMeshRevisions } from '../preflight';
import { readClusterArm } from '../topology';

export type { ExtensionRow, ExtensionVerdict, FluxRow, FluxVerdict, KeyVaultCsiRow, MeshRow, MeshVerdict } from '../domain/addons';

/** ARM's answer, cached per cluster: ok (fresh), stale (the last good answer; the refresh failed) or failed (none). */
export interface ReadState {
  status: 'ok' | 'stale' | 'failed';
  error?: UserError;
  fetchedAt?: number;
}

/** What the cluster runs, as evidence of the versions ARM does not report. */
export interface RunningImages extends ReadState {
  /** istiod's image tags by revision (`asm-1-30` → `1.30.0-distroless`). */
  istiod?: { revision: string; tags: string[] }[];
  /** The Key Vault CSI provider's tag, or the driver's when no provider pod is found. */
  keyVault?: { component: 'provider' | 'driver'; tag: string };
}

export interface ClusterAddons extends ReadState {
  kubernetesVersion?: string;
  mesh?: MeshRow;
  /** The region's mesh revisions could not be read: the mesh verdict is unknown, this says why. */
  meshRevisionsError?: UserError;
  keyVault?: KeyVaultCsiRow;
  extensions?: ExtensionRow[];
  flux?: FluxRow[];
  running: RunningImages;
}

const CLUSTER_RP = 'Microsoft.ContainerService';
const CLUSTER_RESOURCE = 'managedClusters';
const ISTIOD_SELECTOR = 'app=istiod';
const KEY_VAULT_SELECTOR = 'app in (csi-secrets-store-provider-azure,secrets-store-csi-driver)';

interface ArmAddons {
  kubernetesVersion?: string;
  meshRevisions: string[];
  keyVault: KeyVaultCsiRow;
  extensions: ExtensionState[];
  flux: FluxConfigurationState[];
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of pages) out.push(x);
  return out;
}

function extensionState(e: Extension): ExtensionState {
  const errors = [
    ...(e.errorInfo?.message ? [e.errorInfo.code ? `${e.errorInfo.message} (${e.errorInfo.code})` : e.errorInfo.message] : []),
    ...(e.statuses ?? []).filter((s) => s.level === 'Error' && s.message && s.message !== e.errorInfo?.message).map((s) => s.message!),
  ];
  return {
    name: e.name ?? '?',
    extensionType: e.extensionType,
    version: e.version ?? undefined,
    currentVersion: e.currentVersion,
    autoUpgradeMinorVersion: e.autoUpgradeMinorVersion,
    provisioningState: e.provisioningState,
    errors,
  };
}

function fluxObject(s: NonNullable<NonNullable<FluxConfiguration['statuses']>[number]>): FluxObjectState {
  const compliance = fluxCompliance(s.complianceState);
  const conditions = s.statusConditions ?? [];
  const why = conditions.find((c) => c.type === 'Ready' && c.status !== 'True') ?? conditions.find((c) => c.status === 'False');
  return { name: s.name ?? '?', namespace: s.namespace, kind: s.kind, compliance, message: compliance === 'compliant' ? undefined : why?.message || undefined };
}

function fluxState(f: FluxConfiguration): FluxConfigurationState {
  return {
    name: f.name ?? '?',
    url: f.gitRepository?.url ?? f.bucket?.url ?? f.azureBlob?.url,
    branch: f.gitRepository?.repositoryRef?.branch ?? undefined,
    compliance: fluxCompliance(f.complianceState),
    provisioningState: f.provisioningState,
    errorMessage: f.errorMessage || undefined,
    sourceSyncedCommitId: f.sourceSyncedCommitId || undefined,
    sourceUpdatedAt: f.sourceUpdatedAt ? f.sourceUpdatedAt.getTime() : undefined,
    statusUpdatedAt: f.statusUpdatedAt ? f.statusUpdatedAt.getTime() : undefined,
    kustomizations: (f.statuses ?? []).filter((s) => !!s && s.kind === 'Kustomization').map((s) => fluxObject(s!)),
  };
}

async function loadArm(key: ClusterKey): Promise<ArmAddons> {
  const { resourceGroup, name } = clusterRef(key);
  const { kubernetesConfiguration } = getAzureClients();
  try {
    const [arm, extensions, flux] = await Promise.all([
      // The managed cluster as the topology read it (one read per TTL for every page).
      readClusterArm(key),
      all(kubernetesConfiguration.extensions.list(resourceGroup, CLUSTER_RP, CLUSTER_RESOURCE, name)),
      all(kubernetesConfiguration.fluxConfigurations.list(resourceGroup, CLUSTER_RP, CLUSTER_RESOURCE, name)),
    ]);
    if (!arm.value) throw arm.error;
    const { cluster } = arm.value;
    const mesh = cluster.serviceMeshProfile;
    return {
      kubernetesVersion: cluster.currentKubernetesVersion ?? cluster.kubernetesVersion,
      meshRevisions: mesh?.mode === 'Istio' ? (mesh.istio?.revisions ?? []) : [],
      keyVault: keyVaultCsi(cluster.addonProfiles?.azureKeyvaultSecretsProvider),
      extensions: extensions.map(extensionState),
      flux: flux.map(fluxState),
    };
  } catch (err) {
    throw translateAzureError(err);
  }
}

interface PodImages {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: { image?: string }[] };
}

const tagsOf = (pods: readonly PodImages[]) => [...new Set(pods.flatMap((p) => (p.spec?.containers ?? []).flatMap((c) => (c.image ? [imageTag(c.image)] : [])).filter((t): t is string => !!t)))].sort();

async function loadRunning(key: ClusterKey): Promise<Pick<RunningImages, 'istiod' | 'keyVault'>> {
  try {
    const { core } = await getKubeClients(key);
    const [istiod, keyVault] = await Promise.all([
      core.listNamespacedPod({ namespace: 'aks-istio-system', labelSelector: ISTIOD_SELECTOR }),
      core.listNamespacedPod({ namespace: 'kube-system', labelSelector: KEY_VAULT_SELECTOR }),
    ]);
    const byRevision = new Map<string, PodImages[]>();
    for (const p of istiod.items) {
      const rev = p.metadata?.labels?.['istio.io/rev'] ?? 'default';
      byRevision.set(rev, [...(byRevision.get(rev) ?? []), p]);
    }
    const provider = keyVault.items.filter((p) => p.metadata?.labels?.app === 'csi-secrets-store-provider-azure');
    const driver = keyVault.items.filter((p) => p.metadata?.labels?.app === 'secrets-store-csi-driver');
    const kvTag = tagsOf(provider).at(-1) ?? tagsOf(driver).at(-1);
    return {
      istiod: [...byRevision].sort(([a], [b]) => a.localeCompare(b)).map(([revision, pods]) => ({ revision, tags: tagsOf(pods) })),
      keyVault: kvTag ? { component: provider.length ? 'provider' : 'driver', tag: kvTag } : undefined,
    };
  } catch (err) {
    throw translateKubernetesError(err, clusterRef(key).name);
  }
}

function readState<T>(r: SharedReadResult<T>): ReadState {
  if (!r.error) return { status: 'ok', fetchedAt: r.fetchedAt };
  return { status: r.value !== undefined ? 'stale' : 'failed', fetchedAt: r.fetchedAt, error: toUserError(r.error) };
}

export const addonsCacheKey = (key: ClusterKey) => `releases:addons:${key}`;
export const runningCacheKey = (key: ClusterKey) => `releases:running:${key}`;

/**
 * One cluster's add-ons, extensions and Flux configurations against infra/ (`flux`: the Flux
 * configurations its steps create). ARM, the cluster and the region's mesh revisions are read
 * together, each through the shared read cache; one failing leaves the others shown.
 */
export async function getClusterAddons(key: ClusterKey, flux: Promise<readonly ExpectedFluxConfiguration[]> | readonly ExpectedFluxConfiguration[]): Promise<ClusterAddons> {
  const ttl = getConfig().readCacheTtlMs;
  const [arm, running, offered] = await Promise.all([
    sharedReads().read(addonsCacheKey(key), ttl, () => loadArm(key)),
    sharedReads().read(runningCacheKey(key), ttl, () => loadRunning(key)),
    regionMeshRevisions(),
  ]);
  const expectedFlux = await flux;
  const out: ClusterAddons = { ...readState(arm), running: { ...readState(running), ...running.value } };
  const a = arm.value;
  if (!a) return out;
  return {
    ...out,
    kubernetesVersion: a.kubernetesVersion,
    mesh: meshVerdict(a.meshRevisions, a.kubernetesVersion ?? null, offered.value ?? null),
    ...(offered.value ? {} : { meshRevisionsError: offered.error ? toUserError(offered.error) : undefined }),
    keyVault: a.keyVault,
    extensions: compareExtensions(key, expectedExtensions(expectedFlux), a.extensions),
    flux: compareFluxConfigurations(key, expectedFlux, a.flux),
  };
}
