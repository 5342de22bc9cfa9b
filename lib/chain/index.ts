/**
 * The GitOps and secret chain of each cluster, read live: Flux's GitRepository and Kustomization,
 * cert-manager's gateway Certificate and its Secret, the PushSecret, the Key Vault secrets it writes
 * (through ARM's management plane: attributes, never values), the ClusterSecretStore, the
 * ExternalSecret that syncs the certificate back where it is received, Reloader and the ingress gateway. Every read goes through the shared read cache on its own, so one failing read
 * makes its link "cannot tell" (with the error and since when) while the others still show.
 */
import 'server-only';
import { sharedReads } from '../cache/shared-read';
import { CLUSTER_KEYS, displayCluster, getConfig, type ClusterKey } from '../config';
import {
  chainRole,
  evaluateChain,
  PUSHED_SECRETS,
  secretFacts,
  type CertificateObject,
  type ChainEvaluation,
  type ChainInputs,
  type ExternalSecretObject,
  type GatewayFacts,
  type GitRepositoryObject,
  type KustomizationObject,
  type PushSecretObject,
  type Read,
  type ReloaderFacts,
  type SecretFacts,
  type SecretStoreObject,
  type VaultSecretFacts,
} from '../domain/chain';
import { isAppError, toUserError, translateAzureError, translateKubernetesError } from '../errors';
import { getAzureClients } from '../azure';
import { getKubeClients, type KubeClients } from '../k8s';

export type { ChainEvaluation, ChainLink, ChainLinkId, LinkVerdict } from '../domain/chain';

export interface ClusterChain {
  key: ClusterKey;
  name: string;
  chain: ChainEvaluation;
}

export interface ChainSnapshot {
  clusters: ClusterChain[];
  /** The vault read (infra/modules/keyvault's). */
  keyVault: string;
  /** When the chain was judged: the "now" of every verdict. */
  evaluatedAt: number;
}

const NAMESPACE = 'aks-istio-ingress';
const GATEWAY_SELECTOR = 'istio=aks-istio-ingressgateway-external';
const RELOADER = { namespace: 'reloader', name: 'reloader-reloader' };
const RELOADER_ANNOTATION = /(^|\.)reloader\.stakater\.com\//;

/** Since when each cache key has been failing (cleared by its next good answer). */
const failingSince = new Map<string, number>();

async function cached<T>(key: string, load: () => Promise<T>): Promise<Read<T>> {
  const r = await sharedReads().read(key, getConfig().readCacheTtlMs, load);
  if (!r.error) {
    failingSince.delete(key);
    return { value: r.value, fetchedAt: r.fetchedAt };
  }
  const since = failingSince.get(key) ?? Date.now();
  failingSince.set(key, since);
  return { ...(r.value !== undefined ? { value: r.value, fetchedAt: r.fetchedAt } : {}), error: toUserError(r.error).message, failingSince: since };
}

/** A Kubernetes read whose 404 means "not there" (a verdict), not a failed read. */
async function kube<T>(key: ClusterKey, read: (c: KubeClients) => Promise<T>): Promise<T | null> {
  try {
    return await read(await getKubeClients(key));
  } catch (err) {
    const e = translateKubernetesError(err, displayCluster(key));
    if (isAppError(e) && e.kind === 'not_found') return null;
    throw e;
  }
}

const namespaced = <T>(key: ClusterKey, group: string, version: string, plural: string, name: string, namespace = NAMESPACE) =>
  kube(key, async (c) => (await c.custom.getNamespacedCustomObject({ group, version, namespace, plural, name })) as T);

const iso = (d: Date | string | undefined) => (d instanceof Date ? d.toISOString() : d);

async function loadReloader(key: ClusterKey): Promise<ReloaderFacts> {
  const deployment = await kube(key, (c) => c.apps.readNamespacedDeployment(RELOADER));
  const all = await kube(key, (c) => c.apps.listDeploymentForAllNamespaces());
  const annotated = (all?.items ?? []).flatMap((d) => {
    const annotation = Object.keys(d.metadata?.annotations ?? {}).find((a) => RELOADER_ANNOTATION.test(a));
    if (!annotation) return [];
    // A restart stamps the pod template (Reloader's rollout strategy, `kubectl rollout restart`); without one, the Deployment's creation was its last rollout.
    const restarted = d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];
    return [{ namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '', kind: 'Deployment', annotation, lastRollout: restarted ?? iso(d.metadata?.creationTimestamp) }];
  });
  return {
    deployment: deployment ? { replicas: deployment.spec?.replicas ?? 0, ready: deployment.status?.readyReplicas ?? 0 } : null,
    annotated,
  };
}

async function loadGateway(key: ClusterKey): Promise<GatewayFacts | null> {
  const [deployments, pods] = await Promise.all([
    kube(key, (c) => c.apps.listNamespacedDeployment({ namespace: NAMESPACE })),
    kube(key, (c) => c.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: GATEWAY_SELECTOR })),
  ]);
  const d = deployments?.items.find((x) => x.metadata?.name?.startsWith('aks-istio-ingressgateway-external'));
  if (!d) return null;
  const ready = (pods?.items ?? []).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
  return { name: d.metadata?.name ?? '', replicas: d.spec?.replicas ?? 0, ready };
}

async function loadSecret(key: ClusterKey): Promise<SecretFacts | null> {
  const s = await kube(key, (c) => c.core.readNamespacedSecret({ namespace: NAMESPACE, name: 'gateway-tls' }));
  // Only its type, dates and key names are kept: the data (the private key) goes no further.
  return s && secretFacts(s);
}

/** The pushed secrets' current versions, read through ARM (Key Vault's management plane returns no value). */
async function loadKeyVault(): Promise<VaultSecretFacts[]> {
  const { keyVault } = getAzureClients();
  const { commonResourceGroup, keyVaultName } = getConfig();
  const found = await Promise.all(
    PUSHED_SECRETS.map(async (name) => {
      try {
        const s = await keyVault.secrets.get(commonResourceGroup, keyVaultName, name);
        const a = s.properties.attributes;
        return [{ name, version: s.properties.secretUriWithVersion?.split('/').pop(), enabled: a?.enabled, updated: a?.updated?.getTime(), expires: a?.expires?.getTime() }];
      } catch (err) {
        const e = translateAzureError(err);
        if (isAppError(e) && e.kind === 'not_found' && e.code === 'SecretNotFound') return [];
        throw e;
      }
    }),
  );
  return found.flat();
}

async function clusterInputs(key: ClusterKey, keyVault: Promise<Read<VaultSecretFacts[]>>): Promise<ChainInputs> {
  const role = chainRole(key);
  const k = (link: string) => `chain:${key}:${link}`;
  const [git, kustomization, store, reloader, certificate, secret, pushSecret, externalSecret, gateway] = await Promise.all([
    cached(k('git'), () => namespaced<GitRepositoryObject>(key, 'source.toolkit.fluxcd.io', 'v1', 'gitrepositories', 'gitops-config', 'flux-system')),
    cached(k('kustomization'), () => namespaced<KustomizationObject>(key, 'kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations', 'gitops-config-infra', 'flux-system')),
    cached(k('store'), () => kube(key, async (c) => (await c.custom.getClusterCustomObject({ group: 'external-secrets.io', version: 'v1', plural: 'clustersecretstores', name: 'azure-key-vault' })) as SecretStoreObject)),
    cached(k('reloader'), () => loadReloader(key)),
    role === 'issues' ? cached(k('certificate'), () => namespaced<CertificateObject>(key, 'cert-manager.io', 'v1', 'certificates', 'gateway-tls')) : undefined,
    role !== 'none' ? cached(k('secret'), () => loadSecret(key)) : undefined,
    role === 'issues' ? cached(k('pushsecret'), () => namespaced<PushSecretObject>(key, 'external-secrets.io', 'v1alpha1', 'pushsecrets', 'gateway-tls')) : undefined,
    role === 'receives' ? cached(k('externalsecret'), () => namespaced<ExternalSecretObject>(key, 'external-secrets.io', 'v1', 'externalsecrets', 'gateway-tls')) : undefined,
    role !== 'none' ? cached(k('gateway'), () => loadGateway(key)) : undefined,
  ]);
  return { role, git, kustomization, store, reloader, certificate, secret, pushSecret, externalSecret, gateway, ...(role !== 'none' ? { keyVault: await keyVault } : {}) };
}

/** Every cluster's chain; one cluster (or the vault) failing never hides the others. */
export async function getChain(): Promise<ChainSnapshot> {
  const keyVault = cached('chain:keyvault', loadKeyVault);
  const inputs = await Promise.all(CLUSTER_KEYS.map((key) => clusterInputs(key, keyVault)));
  const now = Date.now();
  return {
    clusters: CLUSTER_KEYS.map((key, i) => ({ key, name: displayCluster(key), chain: evaluateChain(inputs[i], now) })),
    keyVault: getConfig().keyVaultName,
    evaluatedAt: now,
  };
}

/** Forgets the chain's answers (after the twin's knobs or a reset), so the next read asks again. */
export function invalidateChain(): void {
  sharedReads().invalidate('chain:');
}
