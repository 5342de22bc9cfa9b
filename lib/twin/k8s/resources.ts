/** The resources the twin's API server serves: group/version/plural → kind and scope. */
export interface ResourceInfo {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Subresources served besides the object itself. */
  subresources?: string[];
  /** Kubernetes' own short names (`kubectl get ns`, `deploy`, `ds` …). */
  shortNames?: string[];
  /** What the API server answers beyond get/list/watch/patch/update. */
  extraVerbs?: string[];
  /** Not stored: answered from the model (metrics, access reviews, node leases). */
  computed?: boolean;
  /** Verbs of a computed resource, in full. */
  verbs?: string[];
}

const ALL = ['all'];

export const RESOURCES: ResourceInfo[] = [
  { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], extraVerbs: ['delete'] },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, subresources: ['eviction'], shortNames: ['po'], extraVerbs: ['delete'] },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  // Helm's release Secrets (what `helm list` reads) and the gateways' TLS Secret; the twin stores no other secret.
  { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, subresources: ['scale'], shortNames: ['deploy'] },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, subresources: ['scale'], shortNames: ['sts'] },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'] },
  // Who may read the gateways' TLS Secret: infra/'s Role and RoleBinding for it (no ClusterRole of infra/ reaches that namespace).
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { group: 'policy', version: 'v1', plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'] },
  { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true, computed: true, verbs: ['get', 'list'] },
  { group: 'authorization.k8s.io', version: 'v1', plural: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, computed: true, verbs: ['create'] },
  { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'nodes', kind: 'NodeMetrics', namespaced: false, computed: true, verbs: ['get', 'list'] },
  { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', kind: 'PodMetrics', namespaced: true, computed: true, verbs: ['get', 'list'] },
  { group: 'karpenter.sh', version: 'v1', plural: 'nodepools', kind: 'NodePool', namespaced: false },
  { group: 'karpenter.sh', version: 'v1', plural: 'nodeclaims', kind: 'NodeClaim', namespaced: false, extraVerbs: ['delete'] },
  { group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', namespaced: false },
  { group: 'external-secrets.io', version: 'v1', plural: 'clustersecretstores', kind: 'ClusterSecretStore', namespaced: false },
  { group: 'external-secrets.io', version: 'v1alpha1', plural: 'pushsecrets', kind: 'PushSecret', namespaced: true },
  // External Secrets' definitions enable the status subresource, as Flux's do.
  { group: 'external-secrets.io', version: 'v1', plural: 'externalsecrets', kind: 'ExternalSecret', namespaced: true, subresources: ['status'], shortNames: ['es'] },
  // Flux's definitions enable the status subresource: its controllers report through it.
  { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories', kind: 'GitRepository', namespaced: true, subresources: ['status'] },
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations', kind: 'Kustomization', namespaced: true, subresources: ['status'] },
  { group: 'cert-manager.io', version: 'v1', plural: 'certificates', kind: 'Certificate', namespaced: true },
  { group: 'kyverno.io', version: 'v1', plural: 'clusterpolicies', kind: 'ClusterPolicy', namespaced: false },
];

/** The verbs discovery lists for a resource. */
export function verbsOf(r: ResourceInfo): string[] {
  return r.verbs ?? ['get', 'list', 'watch', 'patch', 'update', ...(r.extraVerbs ?? [])];
}

/** Categories: `kubectl get all` lists the workload kinds. */
export function categoriesOf(r: ResourceInfo): string[] | undefined {
  return !r.group && r.plural === 'pods' ? ALL : r.group === 'apps' ? ALL : undefined;
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export const apiVersionOf = (r: ResourceInfo) => (r.group ? `${r.group}/${r.version}` : r.version);
