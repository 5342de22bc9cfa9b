import 'server-only';
import type { AgentPool, ManagedCluster } from '@azure/arm-containerservice';
import { getAzureClients } from '../azure';
import { sharedReads, type SharedReadResult } from '../cache/shared-read';
import { CLUSTER_KEYS, getConfig, type ClusterKey, type ClusterRef, clusterRef } from '../config';
import { toClusterView, ZONES, type ClusterView } from '../domain/topology';
import { translateAzureError, toUserError, type UserError } from '../errors';
import { informers, type ClusterInformer } from '../k8s/informer';
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

/** A managed cluster and its agent pools as ARM answers them. */
export interface ClusterArm {
  cluster: ManagedCluster;
  pools: AgentPool[];
}

async function loadClusterArm(ref: ClusterRef): Promise<ClusterArm> {
  const { containerService } = getAzureClients();
  try {
    const [cluster, pools] = await Promise.all([
      containerService.managedClusters.get(ref.resourceGroup, ref.name),
      (async () => {
        const all: AgentPool[] = [];
        for await (const p of containerService.agentPools.list(ref.resourceGroup, ref.name)) all.push(p);
        return all;
      })(),
    ]);
    return { cluster, pools };
  } catch (err) {
    throw translateAzureError(err);
  }
}

export const clusterCacheKey = (key: ClusterKey) => `cluster:${key}`;

/**
 * One cluster's ARM answer through the shared read cache: the tile's view and the contract's model are
 * read from the same answer (one managed cluster read and one pool list per TTL, whatever reads it).
 */
export function readClusterArm(key: ClusterKey): Promise<SharedReadResult<ClusterArm>> {
  return sharedReads().read(clusterCacheKey(key), getConfig().readCacheTtlMs, () => loadClusterArm(clusterRef(key)));
}

/** The view of an answer, made once per answer (a tile is rendered far more often than ARM is read). */
const views = new WeakMap<ClusterArm, ClusterView>();
function viewOf(arm: ClusterArm): ClusterView {
  let view = views.get(arm);
  if (!view) {
    view = toClusterView(arm.cluster, arm.pools);
    views.set(arm, view);
  }
  return view;
}
/** How long a tile waits for the cluster's cache to be listed before it shows the configured spread instead. */
const NODES_WAIT_MS = 2_000;

const nodeZones = new WeakMap<ClusterInformer, { version: number; nodes: NodeZone[] }>();

/**
 * Adds the live per-zone counts from the cluster's watch-fed cache when it
 * holds the nodes; when it does not (stopped, unreachable), the tile keeps
 * ARM's configured spread. The overview does not wait long on an API server
 * that does not answer: the cache goes on trying and serves the next render.
 */
async function withNodes(key: ClusterKey, view: ClusterView): Promise<ClusterView> {
  if (view.powerState !== 'Running') return view;
  const inf = await informers().read(key, ['nodes'], NODES_WAIT_MS);
  const s = inf.status(['nodes']);
  // ARM says the cluster runs: a cache still waiting out its backoff tries again now.
  if (s.state === 'failed') inf.retrySoon();
  if (!s.syncedAt) return view;
  let memo = nodeZones.get(inf);
  if (!memo || memo.version !== inf.version) {
    memo = { version: inf.version, nodes: inf.list('nodes').map(nodeZone) };
    nodeZones.set(inf, memo);
  }
  return withLiveZones(view, memo.nodes);
}

/** One cluster's tile, from the shared read cache (one upstream read per TTL, whatever the number of viewers). */
export async function getClusterTile(key: ClusterKey): Promise<ClusterTile> {
  const ref = clusterRef(key);
  const r = await readClusterArm(key);
  const view = r.value && viewOf(r.value);
  const base = { key, resourceGroup: ref.resourceGroup, name: ref.name };
  if (!r.error) return { ...base, status: 'ok', view: view && (await withNodes(key, view)), fetchedAt: r.fetchedAt };
  const error = toUserError(r.error);
  if (error.kind === 'not_found') return { ...base, status: 'absent', error };
  return { ...base, status: view ? 'stale' : 'failed', view, fetchedAt: r.fetchedAt, error };
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
}
