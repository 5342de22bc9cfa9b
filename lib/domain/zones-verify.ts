import type { ClusterKey } from './cluster';
/**
 * The checks of `infra/addons/scripts/14-verify-clusters.sh`, as pure
 * rules over what the Kubernetes API answered for one cluster. A check that
 * does not apply (Kyverno on mgmt, Istio on app2, Hubble without Advanced Container Networking Services)
 * says so instead of passing silently.
 */
export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface Check {
  id: string;
  label: string;
  status: CheckStatus;
  detail: string;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface DeploymentFacts {
  replicas: number;
  ready: number;
}

export interface VerifyFacts {
  cluster: ClusterKey;
  nodes: { name: string; ready: boolean }[];
  /** Pods whose phase is neither Running nor Succeeded (what the script's field selector lists). */
  podsNotRunning: { namespace: string; name: string; phase: string }[];
  podCount: number;
  /** Deployments by "namespace/name"; absent when not found (404). */
  deployments: Record<string, DeploymentFacts | undefined>;
  kyvernoWebhook?: boolean;
  gitRepositories: { name: string; conditions: Condition[] }[];
  kustomizations: { name: string; conditions: Condition[] }[];
  clusterSecretStore?: { conditions: Condition[] };
  /** mgmt: the PushSecret that copies the gateway certificate to Key Vault, so the private key lives there. */
  tlsPushSecret?: { conditions: Condition[] };
  istioRevision: string;
}

const readyOf = (conds: Condition[]) => conds.find((c) => c.type === 'Ready');

function deploymentCheck(id: string, label: string, d: DeploymentFacts | undefined, missing: string): Check {
  if (!d) return { id, label, status: 'fail', detail: missing };
  const ok = d.replicas > 0 && d.ready >= d.replicas;
  return { id, label, status: ok ? 'pass' : 'fail', detail: `${d.ready}/${d.replicas} ready` };
}

function conditionsCheck(id: string, label: string, objects: { name: string; conditions: Condition[] }[]): Check {
  if (!objects.length) return { id, label, status: 'fail', detail: 'none found' };
  const bad = objects.filter((o) => readyOf(o.conditions)?.status !== 'True');
  if (bad.length) {
    return { id, label, status: 'fail', detail: bad.map((o) => `${o.name}: ${readyOf(o.conditions)?.message ?? 'not Ready'}`).join('; ') };
  }
  return { id, label, status: 'pass', detail: objects.map((o) => `${o.name}: ${readyOf(o.conditions)?.reason ?? 'Ready'}`).join('; ') };
}

export function verifyCluster(f: VerifyFacts): Check[] {
  const checks: Check[] = [];
  const notReady = f.nodes.filter((n) => !n.ready);
  checks.push({
    id: 'nodes-ready', label: 'Nodes Ready',
    status: f.nodes.length > 0 && notReady.length === 0 ? 'pass' : 'fail',
    detail: f.nodes.length === 0 ? 'no nodes' : notReady.length ? `not Ready: ${notReady.map((n) => n.name).join(', ')}` : `${f.nodes.length}/${f.nodes.length} Ready`,
  });
  checks.push({
    id: 'pods-running', label: 'Pods Running or Completed',
    status: f.podsNotRunning.length === 0 ? 'pass' : 'fail',
    detail: f.podsNotRunning.length === 0 ? `${f.podCount} pods` : `${f.podsNotRunning.length} not Running: ${f.podsNotRunning.slice(0, 5).map((p) => `${p.namespace}/${p.name} (${p.phase})`).join(', ')}${f.podsNotRunning.length > 5 ? ' …' : ''}`,
  });
  const hubble = f.deployments['kube-system/hubble-relay'];
  checks.push(
    hubble
      ? deploymentCheck('hubble-relay', 'Hubble relay', hubble, '')
      : { id: 'hubble-relay', label: 'Hubble relay', status: 'skip', detail: 'not deployed: Advanced Container Networking Services observability is off' },
  );
  checks.push(conditionsCheck('flux-source', 'Flux GitRepository reconciled', f.gitRepositories));
  checks.push(conditionsCheck('flux-kustomization', 'Flux Kustomization reconciled', f.kustomizations));
  if (f.cluster === 'app2') checks.push({ id: 'istiod', label: 'istiod', status: 'skip', detail: 'app2 is not in the mesh' });
  else checks.push(deploymentCheck('istiod', `istiod (${f.istioRevision})`, f.deployments[`aks-istio-system/istiod-${f.istioRevision}`], 'deployment not found'));
  if (f.cluster === 'mgmt') checks.push({ id: 'kyverno', label: 'Kyverno admission webhook', status: 'skip', detail: 'Kyverno runs on the application clusters only' });
  else {
    const d = deploymentCheck('kyverno', 'Kyverno admission webhook', f.deployments['kyverno/kyverno-admission-controller'], 'admission controller not found');
    if (d.status === 'pass' && !f.kyvernoWebhook) checks.push({ ...d, status: 'fail', detail: `${d.detail}; ValidatingWebhookConfiguration missing` });
    else checks.push(d.status === 'pass' ? { ...d, detail: `${d.detail}; webhook registered` } : d);
  }
  checks.push(
    f.clusterSecretStore
      ? conditionsCheck('eso-store', 'ESO ClusterSecretStore', [{ name: 'azure-key-vault', conditions: f.clusterSecretStore.conditions }])
      : { id: 'eso-store', label: 'ESO ClusterSecretStore', status: 'fail', detail: 'azure-key-vault not found' },
  );
  checks.push(deploymentCheck('reloader', 'Reloader', f.deployments['reloader/reloader-reloader'], 'deployment not found'));
  if (f.cluster === 'mgmt') {
    checks.push(
      f.tlsPushSecret
        ? conditionsCheck('tls-keyvault', 'TLS certificate synced to Key Vault', [{ name: 'PushSecret gateway-tls', conditions: f.tlsPushSecret.conditions }])
        : { id: 'tls-keyvault', label: 'TLS certificate synced to Key Vault', status: 'fail', detail: 'PushSecret aks-istio-ingress/gateway-tls not found' },
    );
  }
  return checks;
}
