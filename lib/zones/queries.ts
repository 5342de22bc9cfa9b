import 'server-only';
import { CLUSTER_KEYS, getConfig, type ClusterKey, clusterRef } from '../config';
import { summarizeCluster, ZONE_IDS, type ClusterZones } from '../domain/zones';
import { AppError, toUserError, translateKubernetesError, type UserError } from '../errors';
import { informers, type ClusterInformer, type KindName } from '../k8s/informer';
import { getClusterTile } from '../topology';
import { nodeFacts, podFacts } from './facts';

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

/** What the zone matrix reads from a cluster's cache. */
export const ZONE_KINDS: KindName[] = ['nodes', 'pods'];

const views = new WeakMap<ClusterInformer, { version: number; view: ClusterZones }>();

/** The zone view of a cluster's cache, computed once per change of it (not once per viewer). */
export function zoneView(inf: ClusterInformer): ClusterZones {
  const memo = views.get(inf);
  if (memo && memo.version === inf.version) return memo.view;
  const view = summarizeCluster(inf.list('nodes').map(nodeFacts), inf.list('pods').map(podFacts));
  views.set(inf, { version: inf.version, view });
  return view;
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

/** One cluster's row, from its watch-fed cache: no call to the API server once the cache is warm. */
export async function zonesTile(inf: ClusterInformer): Promise<ClusterZonesTile> {
  const key = inf.cluster;
  const name = clusterRef(key).name;
  const s = inf.status(ZONE_KINDS);
  if (s.state === 'ok') return { key, name, status: 'ok', view: zoneView(inf), fetchedAt: Date.now(), source: 'watch' };
  // Failing: the last objects are kept, as of the moment the watch broke.
  const last = s.syncedAt ? { view: zoneView(inf), fetchedAt: s.failedAt ?? s.lastEventAt ?? s.syncedAt } : undefined;
  const error = s.error ? translateKubernetesError(s.error, name) : new AppError('upstream', `No answer from the Kubernetes API of ${name} yet; still waiting for it.`, 'ReadDeadline');
  return unreachableTile(key, error, last, 'watch');
}

export async function getClusterZones(key: ClusterKey): Promise<ClusterZonesTile> {
  return zonesTile(await informers().read(key, ZONE_KINDS, getConfig().upstream.deadlineMs));
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

const COMMAND_KINDS: KindName[] = ['nodes', 'pods', 'deployments', 'nodepools'];

/** After a command changed these clusters: the next read shows its effect (one list per kind, per command). */
export async function invalidateZones(keys: readonly ClusterKey[] = CLUSTER_KEYS): Promise<void> {
  await Promise.all(keys.map((k) => informers().of(k).refresh(COMMAND_KINDS)));
}
