import { getAzureClients } from '../azure';
import { sharedReads } from '../cache/shared-read';
import { CLUSTER_KEYS, getConfig, type ClusterKey, type ClusterRef, clusterRef } from '../config';
import { toClusterView, ZONES, type ClusterView } from '../domain/topology';
import { translateAzureError, toUserError, type UserError } from '../errors';
import { getKubeClients } from '../k8s';
import { nodeZone, withLiveZones, type NodeZone } from './zones';

export interface ClusterTile {
  key: ClusterKey;
  resourceGroup: string;
  name: string;
  /** ok: fresh; stale: the last good answer, the refresh failed; failed: no answer at all; absent: ARM says it does not exist (torn down). */
  status: 'ok' | 'stale' | 'failed' | 'absent';
  view?: ClusterView;
  error?: UserError;
  fetchedAt?: number;
}

export interface TopologySnapshot {
  target: 'twin' | 'azure';
  subscriptionId: string;
  location: string;
  zones: readonly string[];
  clusters: ClusterTile[];
  generatedAt: number;
}

async function loadCluster(ref: ClusterRef): Promise<ClusterView> {
  const { containerService } = getAzureClients();
  try {
    const [cluster, pools] = await Promise.all([
      containerService.managedClusters.get(ref.resourceGroup, ref.name),
      (async () => {
        const all = [];
        for await (const p of containerService.agentPools.list(ref.resourceGroup, ref.name)) all.push(p);
        return all;
      })(),
    ]);
    return toClusterView(cluster, pools);
  } catch (err) {
    throw translateAzureError(err);
  }
}

export const clusterCacheKey = (key: ClusterKey) => `cluster:${key}`;
const nodesCacheKey = (key: ClusterKey) => `cluster-nodes:${key}`;
/** How long a tile waits for the cluster's node list before it shows the configured spread instead. */
const NODES_WAIT_MS = 2_000;

async function loadNodeZones(key: ClusterKey): Promise<NodeZone[]> {
  const { core } = await getKubeClients(key);
  return (await core.listNode()).items.map(nodeZone);
}

/**
 * Adds the live per-zone counts when the cluster's API server answers; when it
 * does not (stopped, unreachable), the tile keeps ARM's configured spread.
 */
async function withNodes(key: ClusterKey, view: ClusterView): Promise<ClusterView> {
  if (view.powerState !== 'Running') return view;
  const read = sharedReads().read(nodesCacheKey(key), getConfig().readCacheTtlMs, () => loadNodeZones(key));
  // The overview does not wait long on an API server that does not answer: it shows ARM's configured
  // spread meanwhile, and the read, which goes on, serves the next render.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), NODES_WAIT_MS);
  });
  const r = await Promise.race([read, late]).finally(() => clearTimeout(timer));
  return !r || r.error || !r.value ? view : withLiveZones(view, r.value);
}

/** One cluster's tile, from the shared read cache (one upstream read per TTL, whatever the number of viewers). */
export async function getClusterTile(key: ClusterKey): Promise<ClusterTile> {
  const config = getConfig();
  const ref = clusterRef(key);
  const r = await sharedReads().read(clusterCacheKey(key), config.readCacheTtlMs, () => loadCluster(ref));
  const base = { key, resourceGroup: ref.resourceGroup, name: ref.name };
  if (!r.error) return { ...base, status: 'ok', view: r.value && (await withNodes(key, r.value)), fetchedAt: r.fetchedAt };
  const error = toUserError(r.error);
  if (error.kind === 'not_found') return { ...base, status: 'absent', error };
  return { ...base, status: r.value ? 'stale' : 'failed', view: r.value, fetchedAt: r.fetchedAt, error };
}

/** The topology: every cluster, each on its own; one failing never hides the others. */
export async function getTopology(): Promise<TopologySnapshot> {
  const config = getConfig();
  const clusters = await Promise.all(CLUSTER_KEYS.map((k) => getClusterTile(k)));
  return {
    target: config.target,
    subscriptionId: config.subscriptionId,
    location: config.location,
    zones: ZONES,
    clusters,
    generatedAt: Date.now(),
  };
}

export function invalidateCluster(key: ClusterKey): void {
  sharedReads().invalidate(clusterCacheKey(key));
  sharedReads().invalidate(nodesCacheKey(key));
}
