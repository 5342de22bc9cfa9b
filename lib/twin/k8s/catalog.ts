import { helmStepOf } from './helm';
import type { Affinity, Container, K8sObject, NodePool, PodDisruptionBudget, Toleration, Workload } from './types';

/**
 * What runs in each cluster once `infra/addons/install.sh` has finished
 * (the architecture's add-ons and cluster roles, where Azure behaves otherwise as
 * docs/azure-differences.md says): AKS-managed add-ons in kube-system, the Helm
 * add-ons with the replicas, PDBs and zone spread of the architecture's HA table
 * (`infra/addons/values/*.yaml`), the Istio add-on on mgmt and app1 (a supported
 * revision, gateways placed by preferred affinity), Kyverno on app1/app2, Kiali and
 * cert-manager on mgmt, and a sample application with a PDB and topology
 * spread on app1/app2 (`infra/manifests/examples/demo-app.yaml`).
 */
export type ClusterKey = 'mgmt' | 'app1' | 'app2';
export const MESH_REVISION = 'asm-1-30';
export const NODEPOOL_NAME = 'spot-workers';

export interface AddOn {
  namespace: string;
  name: string;
  kind: Workload['kind'];
  replicas?: number;
  image: string;
  cpu: string;
  memory: string;
  labels: Record<string, string>;
  clusters: readonly ClusterKey[];
  /** Zone spread as the chart values set it. */
  spread?: 'DoNotSchedule' | 'ScheduleAnyway';
  pdb?: { minAvailable?: number; maxUnavailable?: number };
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  priorityClassName?: string;
  annotations?: Record<string, string>;
  env?: Container['env'];
}

const ALL = ['mgmt', 'app1', 'app2'] as const;
const MESH = ['mgmt', 'app1'] as const;
const APPS = ['app1', 'app2'] as const;
const MCR = 'mcr.microsoft.com';

/** DaemonSets of AKS tolerate every taint, so they run on Spot and ingress nodes too. */
const EVERYWHERE: Toleration[] = [{ operator: 'Exists' }];
/** The architecture's Spot workers carry AKS's spot taint; only workloads that tolerate it run there. */
const SPOT_TOLERATION: Toleration = { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot', effect: 'NoSchedule' };
const ON_SPOT = { kubernetes_azure_com_scalesetpriority: 'spot' };

const deploy = (a: Omit<AddOn, 'kind'>): AddOn => ({ kind: 'Deployment', ...a });
const daemon = (a: Omit<AddOn, 'kind' | 'replicas'>): AddOn => ({ kind: 'DaemonSet', tolerations: EVERYWHERE, priorityClassName: 'system-node-critical', ...a });

export const ADD_ONS: AddOn[] = [
  // AKS-managed (all clusters): DNS, metrics, Managed Cilium, Managed Prometheus and Container Insights, Key Vault CSI.
  deploy({ namespace: 'kube-system', name: 'coredns', replicas: 2, image: `${MCR}/oss/v2/kubernetes/coredns:v1.12.1-2`, cpu: '100m', memory: '70Mi', labels: { 'k8s-app': 'kube-dns' }, clusters: ALL, spread: 'ScheduleAnyway', pdb: { maxUnavailable: 1 }, priorityClassName: 'system-cluster-critical' }),
  deploy({ namespace: 'kube-system', name: 'coredns-autoscaler', replicas: 1, image: `${MCR}/oss/v2/kubernetes/autoscaler/cluster-proportional-autoscaler:v1.9.0`, cpu: '20m', memory: '10Mi', labels: { 'k8s-app': 'coredns-autoscaler' }, clusters: ALL }),
  deploy({ namespace: 'kube-system', name: 'metrics-server', replicas: 2, image: `${MCR}/oss/v2/kubernetes/metrics-server:v0.7.2`, cpu: '50m', memory: '80Mi', labels: { 'k8s-app': 'metrics-server' }, clusters: ALL, spread: 'ScheduleAnyway', pdb: { minAvailable: 1 } }),
  deploy({ namespace: 'kube-system', name: 'konnectivity-agent', replicas: 2, image: `${MCR}/oss/v2/kubernetes/apiserver-network-proxy/agent:v0.31.2`, cpu: '20m', memory: '20Mi', labels: { app: 'konnectivity-agent' }, clusters: ALL, pdb: { minAvailable: 1 } }),
  deploy({ namespace: 'kube-system', name: 'cilium-operator', replicas: 2, image: `${MCR}/containernetworking/cilium/operator-generic:v1.18.1`, cpu: '20m', memory: '64Mi', labels: { 'io.cilium/app': 'operator', name: 'cilium-operator' }, clusters: ALL }),
  deploy({ namespace: 'kube-system', name: 'ama-metrics', replicas: 1, image: `${MCR}/azuremonitor/containerinsights/ciprod/prometheus-collector/images:6.20.0-main`, cpu: '150m', memory: '500Mi', labels: { 'rsName': 'ama-metrics' }, clusters: ALL }),
  deploy({ namespace: 'kube-system', name: 'ama-metrics-ksm', replicas: 1, image: `${MCR}/oss/v2/kubernetes/kube-state-metrics:v2.15.0`, cpu: '10m', memory: '50Mi', labels: { 'app.kubernetes.io/name': 'ama-metrics-ksm' }, clusters: ALL }),
  deploy({ namespace: 'kube-system', name: 'tetragon-operator', replicas: 1, image: 'quay.io/cilium/tetragon-operator:v1.4.0', cpu: '10m', memory: '64Mi', labels: { 'app.kubernetes.io/name': 'tetragon-operator' }, clusters: ALL }),
  daemon({ namespace: 'kube-system', name: 'cilium', image: `${MCR}/containernetworking/cilium/cilium:v1.18.1`, cpu: '100m', memory: '300Mi', labels: { 'k8s-app': 'cilium' }, clusters: ALL }),
  daemon({ namespace: 'kube-system', name: 'azure-cns', image: `${MCR}/containernetworking/azure-cns:v1.7.1`, cpu: '40m', memory: '250Mi', labels: { 'k8s-app': 'azure-cns' }, clusters: ALL }),
  daemon({ namespace: 'kube-system', name: 'ama-metrics-node', image: `${MCR}/azuremonitor/containerinsights/ciprod/prometheus-collector/images:6.20.0-main`, cpu: '50m', memory: '180Mi', labels: { dsName: 'ama-metrics-node' }, clusters: ALL }),
  daemon({ namespace: 'kube-system', name: 'ama-logs', image: `${MCR}/azuremonitor/containerinsights/ciprod:3.1.28`, cpu: '75m', memory: '325Mi', labels: { component: 'ama-logs-agent' }, clusters: ALL }),
  daemon({ namespace: 'kube-system', name: 'aks-secrets-store-csi-driver', image: `${MCR}/oss/v2/kubernetes-csi/secrets-store/driver:v1.5.2`, cpu: '20m', memory: '50Mi', labels: { app: 'secrets-store-csi-driver' }, clusters: ALL }),
  daemon({ namespace: 'kube-system', name: 'tetragon', image: 'quay.io/cilium/tetragon:v1.4.0', cpu: '20m', memory: '100Mi', labels: { 'app.kubernetes.io/name': 'tetragon' }, clusters: ALL }),
  // 06: Flux v2 as the AKS GitOps extension (contract rule flux-with-deploy-key).
  ...['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller', 'fluxconfig-agent', 'fluxconfig-controller'].map((name) =>
    deploy({ namespace: 'flux-system', name, replicas: 1, image: `${MCR}/oss/fluxcd/${name}:v1.6.0`, cpu: '50m', memory: '64Mi', labels: { app: name }, clusters: ALL }),
  ),
  // 02: External Secrets Operator, 2 replicas, chart PDB, zone spread (the architecture's HA table).
  ...['external-secrets', 'external-secrets-webhook', 'external-secrets-cert-controller'].map((name) =>
    deploy({ namespace: 'external-secrets', name, replicas: 2, image: 'ghcr.io/external-secrets/external-secrets:v0.10.7', cpu: '50m', memory: '64Mi', labels: { 'app.kubernetes.io/name': name }, clusters: ALL, spread: 'ScheduleAnyway', pdb: { minAvailable: 1 }, priorityClassName: 'platform-critical' }),
  ),
  // 03: Reloader, 2 replicas, PDB minAvailable 1.
  deploy({ namespace: 'reloader', name: 'reloader-reloader', replicas: 2, image: 'ghcr.io/stakater/reloader:v1.4.2', cpu: '10m', memory: '64Mi', labels: { app: 'reloader-reloader' }, clusters: ALL, pdb: { minAvailable: 1 }, priorityClassName: 'platform-critical' }),
  // 16: OpenTelemetry Collector, 2 replicas, zone spread; traces go to Application Insights (its connection string from a Secret).
  deploy({
    namespace: 'otel', name: 'otel-collector-opentelemetry-collector', replicas: 2, image: 'otel/opentelemetry-collector-contrib:0.116.0', cpu: '100m', memory: '256Mi',
    labels: { 'app.kubernetes.io/name': 'opentelemetry-collector' }, clusters: ALL, spread: 'ScheduleAnyway', pdb: { minAvailable: 1 }, priorityClassName: 'platform-critical',
    env: [{ name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', valueFrom: { secretKeyRef: { name: 'appinsights', key: 'connection-string' } } }],
  }),
  // 19: VPA (Fairwinds chart).
  ...['vpa-recommender', 'vpa-updater', 'vpa-admission-controller'].map((name) =>
    deploy({ namespace: 'vpa', name, replicas: 1, image: `registry.k8s.io/autoscaling/${name.replace('vpa-', '')}:1.2.1`, cpu: '50m', memory: '128Mi', labels: { 'app.kubernetes.io/component': name.replace('vpa-', '') }, clusters: ALL, priorityClassName: 'platform-critical' }),
  ),
  // 01: cert-manager on mgmt, 2 replicas each, PDB minAvailable 1, zone spread.
  ...['cert-manager', 'cert-manager-webhook', 'cert-manager-cainjector'].map((name) =>
    deploy({ namespace: 'cert-manager', name, replicas: 2, image: `quay.io/jetstack/${name}:v1.19.1`, cpu: '50m', memory: '64Mi', labels: { 'app.kubernetes.io/name': name.replace('cert-manager-', '') || 'cert-manager', 'app.kubernetes.io/instance': name }, clusters: ['mgmt'], spread: 'ScheduleAnyway', pdb: { minAvailable: 1 }, priorityClassName: 'platform-critical' }),
  ),
  // 04: the Istio add-on's control plane (asm-1-30, a supported revision) and its external ingress gateway, which the
  // add-on places by preferred affinity to `azureservicemesh/istio.replica.preferred=true` ("Ingress pool without a taint" in docs/azure-differences.md).
  deploy({ namespace: 'aks-istio-system', name: `istiod-${MESH_REVISION}`, replicas: 2, image: `${MCR}/oss/istio/pilot:1.30.0-distroless`, cpu: '100m', memory: '256Mi', labels: { app: 'istiod', 'istio.io/rev': MESH_REVISION }, clusters: MESH, spread: 'ScheduleAnyway', pdb: { minAvailable: 1 } }),
  deploy({
    namespace: 'aks-istio-ingress', name: `aks-istio-ingressgateway-external-${MESH_REVISION}`, replicas: 3, image: `${MCR}/oss/istio/proxyv2:1.30.0-distroless`, cpu: '100m', memory: '128Mi',
    labels: { app: 'aks-istio-ingressgateway-external', istio: 'aks-istio-ingressgateway-external', 'istio.io/rev': MESH_REVISION },
    clusters: MESH, spread: 'ScheduleAnyway', pdb: { minAvailable: 1 },
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'azureservicemesh/istio.replica.preferred', operator: 'In', values: ['true'] }] } }] } },
  }),
  // 07: Kiali on mgmt; the architecture puts it on the mgmt Spot workers.
  deploy({ namespace: 'aks-istio-system', name: 'kiali', replicas: 1, image: 'quay.io/kiali/kiali:v2.21.0', cpu: '50m', memory: '128Mi', labels: { 'app.kubernetes.io/name': 'kiali' }, clusters: ['mgmt'], tolerations: [SPOT_TOLERATION], nodeSelector: ON_SPOT, priorityClassName: 'workload-high' }),
  // 05: Kyverno on app1/app2: admission 3 replicas, PDB minAvailable 2, zone spread.
  deploy({ namespace: 'kyverno', name: 'kyverno-admission-controller', replicas: 3, image: 'reg.kyverno.io/kyverno/kyverno:v1.16.1', cpu: '100m', memory: '128Mi', labels: { 'app.kubernetes.io/component': 'admission-controller', 'app.kubernetes.io/instance': 'kyverno' }, clusters: APPS, spread: 'ScheduleAnyway', pdb: { minAvailable: 2 }, priorityClassName: 'platform-critical' }),
  ...['background-controller', 'cleanup-controller', 'reports-controller'].map((c) =>
    deploy({ namespace: 'kyverno', name: `kyverno-${c}`, replicas: 2, image: `reg.kyverno.io/kyverno/${c}:v1.16.1`, cpu: '50m', memory: '64Mi', labels: { 'app.kubernetes.io/component': c, 'app.kubernetes.io/instance': 'kyverno' }, clusters: APPS, priorityClassName: 'platform-critical' }),
  ),
  // The sample application on the Spot workers: zone spread, one replica per node, PDB minAvailable 2
  // (one zone down, two replicas left). nodeTaintsPolicy Honor: cordoned nodes are no spread domain.
  deploy({
    namespace: 'demo', name: 'demo-app', replicas: 3, image: `${MCR}/azuredocs/aks-helloworld:v1`, cpu: '50m', memory: '64Mi',
    labels: { app: 'demo-app', version: 'v1' }, clusters: APPS, spread: 'DoNotSchedule', pdb: { minAvailable: 2 },
    tolerations: [SPOT_TOLERATION], nodeSelector: ON_SPOT, priorityClassName: 'workload-default', annotations: { 'reloader.stakater.com/auto': 'true' },
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'demo-app' } }, topologyKey: 'kubernetes.io/hostname' }] } },
  }),
];

export function workloadsFor(cluster: ClusterKey): AddOn[] {
  return ADD_ONS.filter((a) => a.clusters.includes(cluster));
}

function fixSelector(sel: Record<string, string> | undefined): Record<string, string> | undefined {
  // Keys with "/" cannot be object-literal identifiers above without quotes everywhere.
  if (!sel) return undefined;
  return Object.fromEntries(Object.entries(sel).map(([k, v]) => [k === 'kubernetes_azure_com_scalesetpriority' ? 'kubernetes.azure.com/scalesetpriority' : k, v]));
}

const meta = (name: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string>) => ({
  name, namespace, labels, ...(annotations ? { annotations } : {}), uid: '', resourceVersion: '', creationTimestamp: '',
});

/** A workload as install.sh leaves it; at a larger twin scale its replicas grow with the nodes. */
export function workloadObject(a: AddOn, scale = 1): Workload {
  const apiVersion = 'apps/v1';
  return {
    apiVersion,
    kind: a.kind,
    metadata: meta(a.name, a.namespace, { ...a.labels, 'app.kubernetes.io/managed-by': a.namespace === 'kube-system' || a.namespace.startsWith('aks-istio') || a.namespace === 'flux-system' ? 'AKS' : 'Helm' }, a.annotations),
    spec: {
      ...(a.kind === 'DaemonSet' ? {} : { replicas: (a.replicas ?? 1) * scale }),
      selector: { matchLabels: a.labels },
      template: {
        metadata: { labels: { ...a.labels } },
        spec: {
          containers: [{ name: a.name.replace(/-asm-1-\d+$/, ''), image: a.image, resources: { requests: { cpu: a.cpu, memory: a.memory } }, ...(a.env ? { env: a.env } : {}) }],
          nodeSelector: fixSelector(a.nodeSelector),
          tolerations: a.tolerations,
          affinity: a.affinity,
          priorityClassName: a.priorityClassName,
          topologySpreadConstraints: a.spread
            ? [{
                maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: a.spread, labelSelector: { matchLabels: a.labels },
                ...(a.spread === 'DoNotSchedule' ? { nodeTaintsPolicy: 'Honor' as const } : {}),
              }]
            : undefined,
        },
      },
    },
    status: {},
  };
}

export function pdbObject(a: AddOn): PodDisruptionBudget | undefined {
  if (!a.pdb) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(`${a.name}-pdb`, a.namespace),
    spec: { ...a.pdb, selector: { matchLabels: a.labels } },
    status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 },
  };
}

export function namespacesFor(cluster: ClusterKey): string[] {
  const ns = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  for (const a of workloadsFor(cluster)) ns.add(a.namespace);
  if (cluster === 'mgmt' || cluster === 'app1') ns.add('aks-istio-ingress');
  return [...ns];
}

/** `infra/manifests/karpenter/nodepool-spot.yaml` (the architecture's NodePool with the nodeClassRef AKS requires); its limits grow with the twin's scale. */
export function nodePoolObject(location: string, scale = 1): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { ...meta(NODEPOOL_NAME), annotations: { 'karpenter.sh/nodepool-hash': '4012281712153924637', 'karpenter.sh/nodepool-hash-version': 'v3' } },
    spec: {
      template: {
        metadata: { labels: { role: 'worker' } },
        spec: {
          nodeClassRef: { group: 'karpenter.azure.com', kind: 'AKSNodeClass', name: 'default' },
          expireAfter: '720h',
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
            { key: 'karpenter.azure.com/sku-name', operator: 'In', values: ['Standard_D2s_v5'] },
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            { key: 'topology.kubernetes.io/zone', operator: 'In', values: [1, 2, 3].map((z) => `${location}-${z}`) },
          ],
        },
      },
      limits: { cpu: String(10 * scale), memory: `${40 * scale}Gi` },
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s', budgets: [{ nodes: '10%' }] },
    },
    status: { resources: {}, conditions: [] },
  };
}

const ready = (now: string, reason: string, message: string) => [{ type: 'Ready', status: 'True' as const, reason, message, lastTransitionTime: now, observedGeneration: 1 }];
const DAY_MS = 86_400_000;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The commit Flux has fetched and applied on every cluster. */
export const GITOPS_REVISION = 'main@sha1:6f1c2b7';
/**
 * The gateway certificate as cert-manager last issued it: 90 days (its `duration`), issued 30 days
 * before the seed, so renewal (`renewBefore` 30 days) falls 30 days after it. Key Vault's copy
 * (lib/twin/keyvault) has the same dates.
 */
export function gatewayCertificateDates(now: number): { notBefore: string; notAfter: string; renewalTime: string } {
  const notBefore = now - 30 * DAY_MS;
  return { notBefore: isoSeconds(notBefore), notAfter: isoSeconds(notBefore + 90 * DAY_MS), renewalTime: isoSeconds(notBefore + 60 * DAY_MS) };
}

/** The `kubernetes.io/tls` Secret of the gateways: cert-manager writes it on mgmt, External Secrets fills it from Key Vault on app1. */
function gatewayTlsSecret(cluster: ClusterKey, now: string): K8sObject {
  // Placeholders: the twin holds no key material, and the product never reads a Secret's data.
  const placeholder = Buffer.from('twin placeholder, not a certificate').toString('base64');
  const annotations: Record<string, string> = cluster === 'mgmt'
    ? { 'cert-manager.io/certificate-name': 'gateway-tls', 'cert-manager.io/issuer-name': 'letsencrypt-prod', 'cert-manager.io/issuer-kind': 'ClusterIssuer', 'cert-manager.io/common-name': 'demo.example.com' }
    : { 'reconcile.external-secrets.io/data-hash': '3f2a9c1d7b6e5f4a' };
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
    metadata: { ...meta('gateway-tls', 'aks-istio-ingress', cluster === 'mgmt' ? { 'controller.cert-manager.io/fao': 'true' } : { 'reconcile.external-secrets.io/managed': 'true' }), annotations, creationTimestamp: now },
    data: { 'tls.crt': placeholder, 'tls.key': placeholder },
  };
}

/**
 * infra/manifests/external-secrets/gateway-external-secret.yaml, which 02-external-secrets applies on the
 * cluster with a gateway that does not issue the certificate (app1), as External Secrets reports its last
 * sync: Ready, the Secret it writes (binding) and the resource version it synced.
 */
function gatewayExternalSecret(now: string): K8sObject {
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: meta('gateway-tls', 'aks-istio-ingress'),
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: 'azure-key-vault', kind: 'ClusterSecretStore' },
      target: { name: 'gateway-tls', creationPolicy: 'Owner', template: { type: 'kubernetes.io/tls' } },
      data: [
        { secretKey: 'tls.crt', remoteRef: { key: 'gateway-tls-crt' } },
        { secretKey: 'tls.key', remoteRef: { key: 'gateway-tls-key' } },
      ],
    },
    status: {
      conditions: ready(now, 'SecretSynced', 'secret synced'),
      refreshTime: now,
      syncedResourceVersion: '1-3f2a9c1d7b6e5f4a',
      binding: { name: 'gateway-tls' },
    },
  };
}

/** `infra/manifests/external-secrets/tls-secret-rbac.yaml`: only the gateway may read its TLS Secret, and only by name. */
function gatewayTlsRbac(): { resource: string; object: K8sObject }[] {
  const name = 'gateway-tls-reader';
  return [
    {
      resource: 'roles',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(name, 'aks-istio-ingress'),
        rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['gateway-tls'], verbs: ['get', 'watch'] }],
      },
    },
    {
      resource: 'rolebindings',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(name, 'aks-istio-ingress'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name: 'aks-istio-ingressgateway-external', namespace: 'aks-istio-ingress' }],
      },
    },
  ];
}

/** The custom resources verify-clusters reads (the last install step), in the state a finished install leaves them. */
export function verifyObjects(cluster: ClusterKey, now: string): { resource: string; object: K8sObject }[] {
  const at = Date.parse(now);
  const out: { resource: string; object: K8sObject }[] = [
    {
      resource: 'gitrepositories',
      object: {
        apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: meta('gitops-config', 'flux-system'),
        spec: { url: 'ssh://git@github.com/org/k8s-manifests.git', ref: { branch: 'main' }, interval: '1m0s' },
        status: {
          observedGeneration: 1,
          conditions: [
            ...ready(now, 'Succeeded', `stored artifact for revision '${GITOPS_REVISION}'`),
            { type: 'ArtifactInStorage', status: 'True', reason: 'Succeeded', message: `stored artifact for revision '${GITOPS_REVISION}'`, lastTransitionTime: now, observedGeneration: 1 },
          ],
          artifact: { path: `gitrepository/flux-system/gitops-config/${GITOPS_REVISION.slice(10)}.tar.gz`, revision: GITOPS_REVISION, lastUpdateTime: now, size: 48_211 },
        },
      },
    },
    {
      resource: 'kustomizations',
      object: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: meta('gitops-config-infra', 'flux-system'),
        spec: { path: `./clusters/${cluster}`, prune: true, interval: '10m0s', sourceRef: { kind: 'GitRepository', name: 'gitops-config' } },
        status: {
          observedGeneration: 1,
          conditions: [
            ...ready(now, 'ReconciliationSucceeded', `Applied revision: ${GITOPS_REVISION}`),
            { type: 'Healthy', status: 'True', reason: 'Succeeded', message: 'Health check passed', lastTransitionTime: now, observedGeneration: 1 },
          ],
          lastAppliedRevision: GITOPS_REVISION,
          lastAttemptedRevision: GITOPS_REVISION,
        },
      },
    },
    {
      resource: 'clustersecretstores',
      object: {
        apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: meta('azure-key-vault'),
        spec: { provider: { azurekv: { authType: 'WorkloadIdentity', vaultUrl: 'https://kv-k8s-demo.vault.azure.net/' } } },
        status: { conditions: ready(now, 'Valid', 'store validated'), capabilities: 'ReadWrite' },
      },
    },
  ];
  if (cluster !== 'mgmt') {
    out.push({
      resource: 'validatingwebhookconfigurations',
      object: {
        apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration',
        metadata: meta('kyverno-resource-validating-webhook-cfg', undefined, { 'webhook.kyverno.io/managed-by': 'kyverno' }),
        webhooks: [{ name: 'validate.kyverno.svc-fail', admissionReviewVersions: ['v1'], sideEffects: 'NoneOnDryRun', failurePolicy: 'Fail', clientConfig: { service: { namespace: 'kyverno', name: 'kyverno-svc', path: '/validate/fail', port: 443 } } }],
      },
    });
  }
  if (cluster === 'app1') out.push({ resource: 'secrets', object: gatewayTlsSecret(cluster, now) }, { resource: 'externalsecrets', object: gatewayExternalSecret(now) });
  if (cluster === 'mgmt' || cluster === 'app1') out.push(...gatewayTlsRbac());
  if (cluster === 'mgmt') {
    const cert = gatewayCertificateDates(at);
    out.push(
      {
        resource: 'certificates',
        object: {
          apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta('gateway-tls', 'aks-istio-ingress'),
          spec: { secretName: 'gateway-tls', duration: '2160h0m0s', renewBefore: '720h0m0s', issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' } },
          status: {
            conditions: [{ ...ready(now, 'Ready', 'Certificate is up to date and has not expired')[0], lastTransitionTime: cert.notBefore }],
            notBefore: cert.notBefore, notAfter: cert.notAfter, renewalTime: cert.renewalTime, revision: 3,
          },
        },
      },
      { resource: 'secrets', object: gatewayTlsSecret(cluster, cert.notBefore) },
      {
        // Contract rule tls-key-in-key-vault: the certificate pushed to Key Vault, so Key Vault holds the private key (infra/manifests/external-secrets/push-secret.yaml).
        resource: 'pushsecrets',
        object: {
          apiVersion: 'external-secrets.io/v1alpha1', kind: 'PushSecret', metadata: meta('gateway-tls', 'aks-istio-ingress'),
          spec: { refreshInterval: '10m', secretStoreRefs: [{ name: 'azure-key-vault', kind: 'ClusterSecretStore' }], selector: { secret: { name: 'gateway-tls' } } },
          status: {
            conditions: ready(now, 'Synced', 'PushSecret synced successfully'),
            syncedPushSecrets: { 'ClusterSecretStore/azure-key-vault': { 'gateway-tls-crt': { match: { secretKey: 'tls.crt', remoteRef: { remoteKey: 'gateway-tls-crt' } } }, 'gateway-tls-key': { match: { secretKey: 'tls.key', remoteRef: { remoteKey: 'gateway-tls-key' } } } } },
            refreshTime: now,
            syncedResourceVersion: '1-3f2a9c1d7b6e5f4a',
          },
        },
      },
    );
  }
  return out;
}

/** The twin's stand-in for the registry infra/ creates (its name is chosen per deployment). */
const ACR = 'acrk8sdemo.azurecr.io';
const REGISTRIES = [ACR, 'docker.io/library', 'quay.io', 'registry.k8s.io', MCR, 'ghcr.io'].map((r) => `${r}/*`).join(' | ');
const EXCLUDED = ['aks-istio-*', 'flux-system', 'dataprotection-microsoft', 'kube-system'];

const validate = (failureAction: 'Enforce' | 'Audit', extra: Record<string, unknown> = {}) => ({ failureAction, ...extra });

/** `infra/manifests/kyverno/*.yaml` as 05-kyverno applies them on the app clusters: the allow-list and each policy's action. */
export function kyvernoPolicyObjects(cluster: ClusterKey): { resource: string; object: K8sObject }[] {
  if (!(APPS as readonly ClusterKey[]).includes(cluster)) return [];
  const policy = (name: string, rule: Record<string, unknown>): { resource: string; object: K8sObject } => ({
    resource: 'clusterpolicies',
    object: {
      apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: meta(name),
      spec: { background: true, rules: [{ name, match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'Ready' }] },
    },
  });
  return [
    policy('restrict-image-registries', {
      exclude: { any: [{ resources: { namespaces: EXCLUDED } }] },
      validate: validate('Enforce', { pattern: { spec: { containers: [{ image: REGISTRIES }] } } }),
    }),
    policy('require-resource-limits', { validate: validate('Enforce') }),
    policy('disallow-privileged-containers', { validate: validate('Enforce') }),
    policy('require-labels', { validate: validate('Audit') }),
    policy('generate-pdb', { generate: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' } }),
    policy('require-topology-spread', { validate: validate('Audit') }),
  ];
}

/**
 * Which `infra/addons/install.sh` step creates an object of the catalog, or null when
 * `tofu apply` creates it with the cluster (AKS-managed add-ons; istiod, since the mesh is declared
 * in HCL so that the next apply keeps it). A cluster created by a simulated apply holds only the null ones until its
 * add-ons are installed step by step.
 */
export function installStepOf(resource: string, object: K8sObject): string | null {
  const ns = object.metadata.namespace;
  const name = object.metadata.name;
  switch (resource) {
    case 'nodepools':
      return '08-karpenter-nodepool';
    case 'gitrepositories':
    case 'kustomizations':
      return '06-flux';
    case 'clustersecretstores':
    case 'pushsecrets':
    case 'externalsecrets':
    case 'roles':
    case 'rolebindings':
      return '02-external-secrets';
    case 'validatingwebhookconfigurations':
    case 'clusterpolicies':
      return '05-kyverno';
    case 'certificates':
      return '01-cert-manager';
    case 'secrets':
      // The gateway's TLS Secret: cert-manager's on mgmt, External Secrets' copy from Key Vault on app1.
      if (object.metadata.annotations?.['cert-manager.io/certificate-name']) return '01-cert-manager';
      if (object.metadata.labels?.['reconcile.external-secrets.io/managed']) return '02-external-secrets';
      return helmStepOf(object) ?? null;
  }
  if (ns === 'kube-system') return name.startsWith('tetragon') ? '15-tetragon' : null;
  if (ns === 'aks-istio-system') return name === 'kiali' ? '07-kiali' : null;
  const byNamespace: Record<string, string> = {
    'flux-system': '06-flux',
    // The sample application arrives through Flux (GitOps), once 06 has configured it.
    demo: '06-flux',
    'external-secrets': '02-external-secrets',
    reloader: '03-reloader',
    otel: '16-otel-collector',
    vpa: '19-vpa',
    'cert-manager': '01-cert-manager',
    'aks-istio-ingress': '04-istio',
    kyverno: '05-kyverno',
  };
  return ns ? (byNamespace[ns] ?? null) : null;
}
