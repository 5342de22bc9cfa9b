import { sharedReads } from '../cache/shared-read';
import { CLUSTER_KEYS, getConfig, type ClusterKey, clusterRef } from '../config';
import { verifyCluster, type Check, type Condition, type VerifyFacts } from '../domain/zones-verify';
import { toUserError, type UserError, translateKubernetesError } from '../errors';
import { getKubeClients, type KubeClients } from '../k8s';

/**
 * The live verify-clusters checklist (`14-verify-clusters.sh`): every
 * check computed from a real Kubernetes API read, per cluster, through the
 * shared read cache.
 */
export interface VerifyTile {
  key: ClusterKey;
  name: string;
  status: 'ok' | 'stale' | 'failed';
  checks?: Check[];
  error?: UserError;
  fetchedAt?: number;
}

const VERIFY_TTL_MS = 15_000;
const DEFAULT_REVISION = 'asm-1-30';

async function orMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if ((err as { code?: number }).code === 404) return undefined;
    throw err;
  }
}

type Custom = { status?: { conditions?: Condition[] } };
const conditions = (o: Custom | undefined) => o?.status?.conditions ?? [];

async function deployment(c: KubeClients, namespace: string, name: string) {
  const d = await orMissing(() => c.apps.readNamespacedDeployment({ name, namespace }));
  return d ? { replicas: d.spec?.replicas ?? 0, ready: d.status?.readyReplicas ?? 0 } : undefined;
}

export async function loadVerifyFacts(key: ClusterKey): Promise<VerifyFacts> {
  try {
    const c = await getKubeClients(key);
    const [nodes, pods, istiods, gitRepositories, kustomizations] = await Promise.all([
      c.core.listNode(),
      c.core.listPodForAllNamespaces(),
      c.apps.listNamespacedDeployment({ namespace: 'aks-istio-system', labelSelector: 'app=istiod' }),
      orMissing(() => c.custom.listNamespacedCustomObject({ group: 'source.toolkit.fluxcd.io', version: 'v1', namespace: 'flux-system', plural: 'gitrepositories' })) as Promise<{ items: (Custom & { metadata: { name: string } })[] } | undefined>,
      orMissing(() => c.custom.listNamespacedCustomObject({ group: 'kustomize.toolkit.fluxcd.io', version: 'v1', namespace: 'flux-system', plural: 'kustomizations' })) as Promise<{ items: (Custom & { metadata: { name: string } })[] } | undefined>,
    ]);
    const istiod = istiods.items[0];
    const revision = istiod?.metadata?.labels?.['istio.io/rev'] ?? DEFAULT_REVISION;
    const [hubble, kyverno, reloader, webhook, store, push] = await Promise.all([
      deployment(c, 'kube-system', 'hubble-relay'),
      deployment(c, 'kyverno', 'kyverno-admission-controller'),
      deployment(c, 'reloader', 'reloader-reloader'),
      orMissing(() => c.admission.readValidatingWebhookConfiguration({ name: 'kyverno-resource-validating-webhook-cfg' })),
      orMissing(() => c.custom.getClusterCustomObject({ group: 'external-secrets.io', version: 'v1beta1', plural: 'clustersecretstores', name: 'azure-key-vault' })) as Promise<Custom | undefined>,
      key === 'mgmt'
        ? (orMissing(() => c.custom.getNamespacedCustomObject({ group: 'external-secrets.io', version: 'v1alpha1', namespace: 'aks-istio-ingress', plural: 'pushsecrets', name: 'gateway-tls' })) as Promise<Custom | undefined>)
        : Promise.resolve(undefined),
    ]);
    const deployments: VerifyFacts['deployments'] = {
      'kube-system/hubble-relay': hubble,
      'kyverno/kyverno-admission-controller': kyverno,
      'reloader/reloader-reloader': reloader,
    };
    if (istiod) deployments[`aks-istio-system/${istiod.metadata?.name}`] = { replicas: istiod.spec?.replicas ?? 0, ready: istiod.status?.readyReplicas ?? 0 };
    return {
      cluster: key,
      nodes: nodes.items.map((n) => ({ name: n.metadata?.name ?? '', ready: n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false })),
      podsNotRunning: pods.items
        .filter((p) => p.status?.phase !== 'Running' && p.status?.phase !== 'Succeeded')
        .map((p) => ({ namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '', phase: p.status?.phase ?? 'Unknown' })),
      podCount: pods.items.length,
      deployments,
      kyvernoWebhook: Boolean(webhook),
      gitRepositories: (gitRepositories?.items ?? []).map((g) => ({ name: g.metadata.name, conditions: conditions(g) })),
      kustomizations: (kustomizations?.items ?? []).map((k) => ({ name: k.metadata.name, conditions: conditions(k) })),
      clusterSecretStore: store ? { conditions: conditions(store) } : undefined,
      tlsPushSecret: push ? { conditions: conditions(push) } : undefined,
      istioRevision: revision,
    };
  } catch (err) {
    throw translateKubernetesError(err, key);
  }
}

export async function getVerifyChecklist(): Promise<VerifyTile[]> {
  const config = getConfig();
  return Promise.all(
    CLUSTER_KEYS.map(async (key) => {
      const name = clusterRef(key).name;
      const r = await sharedReads().read(`verify:${key}`, Math.max(config.readCacheTtlMs, VERIFY_TTL_MS), () => loadVerifyFacts(key));
      if (!r.error && r.value) return { key, name, status: 'ok' as const, checks: verifyCluster(r.value), fetchedAt: r.fetchedAt };
      return { key, name, status: r.value ? ('stale' as const) : ('failed' as const), checks: r.value ? verifyCluster(r.value) : undefined, fetchedAt: r.fetchedAt, error: toUserError(r.error) };
    }),
  );
}
