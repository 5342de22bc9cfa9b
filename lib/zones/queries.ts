import { sharedReads } from '../cache/shared-read';
import { CLUSTER_KEYS, getConfig, type ClusterKey, clusterRef } from '../config';
import { summarizeCluster, ZONE_IDS, type ClusterZones, type NodeFacts, type PodFacts } from '../domain/zones';
import { toUserError, type UserError } from '../errors';
import { getKubeClients } from '../k8s';
import { getClusterTile } from '../topology';
import { fromK8sError, nodeFacts, podFacts } from './facts';

/** One cluster's row of the zone matrix. */
export interface ClusterZonesTile {
  key: ClusterKey;
  name: string;
  /** ok: fresh; stale: last good answer, the refresh failed; stopped: ARM says so; failed: no answer. */
  status: 'ok' | 'stale' | 'stopped' | 'failed';
  view?: ClusterZones;
  error?: UserError;
  fetchedAt?: number;
  /** Where the figures come from: a list through the shared cache, or the live watch relay. */
  source: 'list' | 'watch';
}

export interface ZoneHealthSnapshot {
  target: 'twin' | 'azure';
  /** The environment is the twin, whose fault scenarios can be injected. */
  scenarios: boolean;
  location: string;
  zones: readonly string[];
  clusters: ClusterZonesTile[];
  generatedAt: number;
}

export const zonesCacheKey = (key: ClusterKey) => `zones:${key}`;

export async function loadClusterFacts(key: ClusterKey): Promise<{ nodes: NodeFacts[]; pods: PodFacts[] }> {
  try {
    const { core } = await getKubeClients(key);
    const [nodes, pods] = await Promise.all([core.listNode(), core.listPodForAllNamespaces()]);
    return { nodes: nodes.items.map(nodeFacts), pods: pods.items.map(podFacts) };
  } catch (err) {
    throw fromK8sError(err, key);
  }
}

/** Tells a stopped cluster from an unreachable one, by ARM's power state (shared topology read). */
export async function unreachableTile(key: ClusterKey, error: unknown, last?: { view: ClusterZones; fetchedAt: number }, source: 'list' | 'watch' = 'list'): Promise<ClusterZonesTile> {
  const name = clusterRef(key).name;
  const arm = await getClusterTile(key).catch(() => undefined);
  if (arm?.view?.powerState === 'Stopped') {
    return { key, name, status: 'stopped', error: { kind: 'upstream', message: `${name} is stopped: its API server does not answer.` }, source };
  }
  return { key, name, status: last ? 'stale' : 'failed', view: last?.view, fetchedAt: last?.fetchedAt, error: toUserError(error), source };
}

export async function getClusterZones(key: ClusterKey): Promise<ClusterZonesTile> {
  const config = getConfig();
  const name = clusterRef(key).name;
  const r = await sharedReads().read(zonesCacheKey(key), config.readCacheTtlMs, () => loadClusterFacts(key));
  if (!r.error && r.value) return { key, name, status: 'ok', view: summarizeCluster(r.value.nodes, r.value.pods), fetchedAt: r.fetchedAt, source: 'list' };
  const last = r.value && r.fetchedAt ? { view: summarizeCluster(r.value.nodes, r.value.pods), fetchedAt: r.fetchedAt } : undefined;
  return unreachableTile(key, r.error, last);
}

/** The matrix clusters × zones; one cluster failing never hides the others. */
export async function getZoneHealth(): Promise<ZoneHealthSnapshot> {
  const config = getConfig();
  return {
    target: config.target,
    scenarios: config.twinUrl !== undefined,
    location: config.location,
    zones: ZONE_IDS,
    clusters: await Promise.all(CLUSTER_KEYS.map(getClusterZones)),
    generatedAt: Date.now(),
  };
}

export function invalidateZones(): void {
  sharedReads().invalidate('zones:');
  sharedReads().invalidate('verify:');
}
