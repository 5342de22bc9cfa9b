/**
 * A cluster's identity. The key (`mgmt`, `app1`, `app2`) is the product's
 * stable handle for one of the environment's three clusters — in URLs, forms,
 * the database and the audit trail. What a person reads is the cluster's Azure
 * resource name (`aks-app1` by default), as the Azure portal and `az aks list`
 * show it; configuration maps one to the other (see `lib/config`).
 */
export const CLUSTER_KEYS = ['mgmt', 'app1', 'app2'] as const;
export type ClusterKey = (typeof CLUSTER_KEYS)[number];

/** A cluster as configured: its key and where Azure keeps it. */
export interface ClusterRef {
  key: ClusterKey;
  resourceGroup: string;
  /** The AKS resource name: what every page shows. */
  name: string;
}

export function isClusterKey(value: string): value is ClusterKey {
  return (CLUSTER_KEYS as readonly string[]).includes(value);
}

/** The name a page shows for a cluster key: its resource name, or the key itself when it is not configured. */
export function clusterName(refs: readonly { key: string; name: string }[], key: string): string {
  return refs.find((r) => r.key === key)?.name ?? key;
}

/** The one lookup: the reference of a configured cluster; an unknown key is a programming error. */
export function findCluster(refs: readonly ClusterRef[], key: ClusterKey): ClusterRef {
  const ref = refs.find((r) => r.key === key);
  if (!ref) throw new Error(`unknown cluster ${key}`);
  return ref;
}
