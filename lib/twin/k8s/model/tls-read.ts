import { K8sError, type K8sObject } from '../types';
import type { ClusterModel } from './index';
import type { ScenarioResult } from './shared';

const NAMESPACE = 'aks-istio-ingress';
const NAME = 'tls-secret-wide-reader';
/** A workload's identity: the sample application's, which has no business reading the gateway's key. */
const SUBJECT = { kind: 'ServiceAccount', name: 'demo-app', namespace: 'demo' };

/**
 * Widens who may read the gateway's TLS Secret, as a careless `kubectl apply` would: a Role granting list on
 * every Secret of the gateway's namespace (no resourceNames), bound to a workload's ServiceAccount.
 * A twin reset rebuilds the cluster and removes it.
 */
export function tlsSecretWideRead(m: ClusterModel): ScenarioResult {
  m.advance();
  if (!m.store.get('namespaces', undefined, NAMESPACE)) throw new K8sError(404, 'NotFound', `no namespace ${NAMESPACE} on ${m.key}`);
  const meta = () => ({ name: NAME, namespace: NAMESPACE, uid: '', resourceVersion: '', creationTimestamp: '' });
  const role: K8sObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(), rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] };
  const binding: K8sObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAME }, subjects: [SUBJECT],
  };
  if (!m.store.get('roles', NAMESPACE, NAME)) m.store.create('roles', role, m.time);
  if (!m.store.get('rolebindings', NAMESPACE, NAME)) m.store.create('rolebindings', binding, m.time);
  return { cluster: m.key, detail: `Role ${NAMESPACE}/${NAME} lets ServiceAccount demo/demo-app list every Secret in ${NAMESPACE}`, nodes: [] };
}
