import 'server-only';
import type { V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { RbacObjects } from '../domain/contract';
import { sharedReads, type SharedReadResult } from '../cache/shared-read';
import { clusterRef, getConfig, type ClusterKey } from '../config';
import { translateKubernetesError } from '../errors';
import { getKubeClients } from '../k8s';

/**
 * The reads the contract makes that no other capability makes: the PodDisruptionBudgets, Kyverno's
 * ClusterPolicies, the gateway's Certificates and who may read its TLS Secret (RBAC). Each goes through the
 * shared read cache. The managed cluster and its pools are the topology's own read (`readClusterArm`).
 */
const ttl = () => getConfig().readCacheTtlMs;

async function kube<T>(key: ClusterKey, what: string, load: (c: Awaited<ReturnType<typeof getKubeClients>>) => Promise<T>): Promise<SharedReadResult<T>> {
  return sharedReads().read(`conformance:${what}:${key}`, ttl(), async () => {
    try {
      return await load(await getKubeClients(key));
    } catch (err) {
      throw translateKubernetesError(err, clusterRef(key).name);
    }
  });
}

const isNotFound = (err: unknown) => (err as { code?: unknown })?.code === 404;

/** Every PodDisruptionBudget of the cluster. */
export function readPdbs(key: ClusterKey): Promise<SharedReadResult<V1PodDisruptionBudget[]>> {
  return kube(key, 'pdbs', async ({ policy }) => (await policy.listPodDisruptionBudgetForAllNamespaces()).items);
}

/** Kyverno's ClusterPolicies; none where Kyverno's CRDs are not installed (the API server answers 404). */
export function readClusterPolicies(key: ClusterKey): Promise<SharedReadResult<unknown[]>> {
  return kube(key, 'clusterpolicies', async ({ custom }) => {
    try {
      const list = (await custom.listClusterCustomObject({ group: 'kyverno.io', version: 'v1', plural: 'clusterpolicies' })) as { items?: unknown[] };
      return list.items ?? [];
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  });
}

/** The gateway's cert-manager Certificates (namespace aks-istio-ingress); none without cert-manager. */
export function readGatewayCertificates(key: ClusterKey): Promise<SharedReadResult<unknown[]>> {
  return kube(key, 'certificates', async ({ custom }) => {
    try {
      const list = (await custom.listNamespacedCustomObject({ group: 'cert-manager.io', version: 'v1', namespace: 'aks-istio-ingress', plural: 'certificates' })) as { items?: unknown[] };
      return list.items ?? [];
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  });
}

/** The Roles and RoleBindings of the gateway's namespace and every ClusterRole and ClusterRoleBinding: who may read its TLS Secret. */
export function readGatewayRbac(key: ClusterKey, namespace: string): Promise<SharedReadResult<RbacObjects>> {
  return kube(key, 'rbac', async ({ rbac }) => {
    const [roles, roleBindings, clusterRoles, clusterRoleBindings] = await Promise.all([
      rbac.listNamespacedRole({ namespace }),
      rbac.listNamespacedRoleBinding({ namespace }),
      rbac.listClusterRole(),
      rbac.listClusterRoleBinding(),
    ]);
    return { roles: roles.items, roleBindings: roleBindings.items, clusterRoles: clusterRoles.items, clusterRoleBindings: clusterRoleBindings.items };
  });
}
