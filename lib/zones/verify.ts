import 'server-only';
import { CLUSTER_KEYS, getConfig, type ClusterKey, clusterRef } from '../config';
import { verifyCluster, type Check, type Condition, type VerifyFacts } from '../domain/zones-verify';
import { AppError, toUserError, translateKubernetesError, type UserError } from '../errors';
import { informers, type ClusterInformer, type KindName } from '../k8s/informer';

/**
 * The live verify-clusters checklist (`14-verify-clusters.sh`): every
 * check computed from a real Kubernetes API read, per cluster, through the
 * cluster's watch-fed cache.
 */
export interface VerifyTile {
  key: ClusterKey;
  name: string;
  status: 'ok' | 'stale' | 'failed';
  checks?: Check[];
  error?: UserError;
  fetchedAt?: number;
}

const DEFAULT_REVISION = 'asm-1-30';
const VERIFY_KINDS: KindName[] = ['nodes', 'pods', 'deployments', 'validatingwebhookconfigurations', 'gitrepositories', 'kustomizations', 'clustersecretstores', 'pushsecrets'];

type Custom = { status?: { conditions?: Condition[] } };
const conditions = (o: Custom | undefined) => o?.status?.conditions ?? [];

function deployment(inf: ClusterInformer, namespace: string, name: string) {
  const d = inf.get('deployments', name, namespace);
  return d ? { replicas: d.spec?.replicas ?? 0, ready: d.status?.readyReplicas ?? 0 } : undefined;
}

/** The checklist's facts, from the cluster's watch-fed cache (no call to the API server once it is warm). */
export function verifyFacts(key: ClusterKey, inf: ClusterInformer): VerifyFacts {
  const istiod = inf.list('deployments').find((d) => d.metadata?.namespace === 'aks-istio-system' && d.metadata?.labels?.app === 'istiod');
  const revision = istiod?.metadata?.labels?.['istio.io/rev'] ?? DEFAULT_REVISION;
  const deployments: VerifyFacts['deployments'] = {
    'kube-system/hubble-relay': deployment(inf, 'kube-system', 'hubble-relay'),
    'kyverno/kyverno-admission-controller': deployment(inf, 'kyverno', 'kyverno-admission-controller'),
    'reloader/reloader-reloader': deployment(inf, 'reloader', 'reloader-reloader'),
  };
  if (istiod) deployments[`aks-istio-system/${istiod.metadata?.name}`] = { replicas: istiod.spec?.replicas ?? 0, ready: istiod.status?.readyReplicas ?? 0 };
  const pods = inf.list('pods');
  const flux = (kind: 'gitrepositories' | 'kustomizations') =>
    inf.list(kind).filter((o) => o.metadata?.namespace === 'flux-system').map((o) => ({ name: o.metadata?.name ?? '', conditions: conditions(o as Custom) }));
  const store = inf.get('clustersecretstores', 'azure-key-vault') as Custom | undefined;
  const push = key === 'mgmt' ? (inf.get('pushsecrets', 'gateway-tls', 'aks-istio-ingress') as Custom | undefined) : undefined;
  return {
    cluster: key,
    nodes: inf.list('nodes').map((n) => ({ name: n.metadata?.name ?? '', ready: n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false })),
    podsNotRunning: pods
      .filter((p) => p.status?.phase !== 'Running' && p.status?.phase !== 'Succeeded')
      .map((p) => ({ namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '', phase: p.status?.phase ?? 'Unknown' })),
    podCount: pods.length,
    deployments,
    kyvernoWebhook: Boolean(inf.get('validatingwebhookconfigurations', 'kyverno-resource-validating-webhook-cfg')),
    gitRepositories: flux('gitrepositories'),
    kustomizations: flux('kustomizations'),
    clusterSecretStore: store ? { conditions: conditions(store) } : undefined,
    tlsPushSecret: push ? { conditions: conditions(push) } : undefined,
    istioRevision: revision,
  };
}

const checks = new WeakMap<ClusterInformer, { version: number; checks: Check[] }>();

function checksOf(inf: ClusterInformer): Check[] {
  const memo = checks.get(inf);
  if (memo && memo.version === inf.version) return memo.checks;
  const out = verifyCluster(verifyFacts(inf.cluster, inf));
  checks.set(inf, { version: inf.version, checks: out });
  return out;
}

export async function getVerifyTile(key: ClusterKey): Promise<VerifyTile> {
  const name = clusterRef(key).name;
  const inf = await informers().read(key, VERIFY_KINDS, getConfig().upstream.deadlineMs);
  const s = inf.status(VERIFY_KINDS);
  if (s.state === 'ok') return { key, name, status: 'ok', checks: checksOf(inf), fetchedAt: Date.now() };
  const error = s.error ? translateKubernetesError(s.error, name) : new AppError('upstream', `No answer from the Kubernetes API of ${name} yet; still waiting for it.`, 'ReadDeadline');
  return s.syncedAt
    ? { key, name, status: 'stale', checks: checksOf(inf), fetchedAt: s.failedAt ?? s.lastEventAt ?? s.syncedAt, error: toUserError(error) }
    : { key, name, status: 'failed', error: toUserError(error) };
}

export async function getVerifyChecklist(): Promise<VerifyTile[]> {
  return Promise.all(CLUSTER_KEYS.map(getVerifyTile));
}
