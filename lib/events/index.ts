import 'server-only';
import { CLUSTER_KEYS, getConfig } from '../config';
import { getDb } from '../db';
import { getBackupPage } from '../backup';
import { getBudgetPage } from '../cost';
import { getMonitorSnapshot, snapshotFingerprint, STREAM_TICK_MS } from '../monitor/stream';
import { informers } from '../k8s/informer';
import { getClusterTile } from '../topology';
import { eventHub, type EventHub } from './hub';

export { eventHub, openEventStream, isTopic, TOPICS, type Topic, type HubEvent, EventHub } from './hub';

/** Figures whose change is not news (the time a page was assembled). */
const fingerprint = (value: unknown) => JSON.stringify(value, (k, v: unknown) => (k === 'generatedAt' || k === 'now' ? undefined : v));

/**
 * The product's sources of change, registered once per process on the hub.
 * ARM is read through the shared read cache (the same answer the pages use);
 * the database by a small query per topic.
 */
export function registerProductSources(hub: EventHub, options: { intervalMs?: number } = {}): void {
  // Tests poll faster; the product's own intervals are below.
  const every = (ms: number) => options.intervalMs ?? ms;
  hub.register({
    topic: 'clusters',
    intervalMs: every(5_000),
    busyMs: every(1_500),
    read: async () => {
      const tiles = await Promise.all(CLUSTER_KEYS.map((k) => getClusterTile(k)));
      // Node counts per zone come from the watch-fed cache: the kubernetes topic tells of them.
      const state = tiles.map((t) => [t.key, t.status, t.error?.message, t.view && { ...t.view, pools: t.view.pools.map((p) => ({ ...p, liveZones: undefined })) }]);
      return { fingerprint: fingerprint(state), busy: tiles.some((t) => t.view?.busy) };
    },
  });
  hub.register({
    topic: 'kubernetes',
    start: (publish) => {
      const stops = CLUSTER_KEYS.map((k) => informers().of(k).subscribe(publish, ['nodes']));
      return () => stops.forEach((s) => s());
    },
  });
  const rows = (topic: 'operations' | 'power-runs' | 'jobs' | 'schedules', read: () => Promise<{ rows: unknown; busy: boolean }>) =>
    hub.register({ topic, intervalMs: every(3_000), busyMs: every(1_000), read: async () => {
      const r = await read();
      return { fingerprint: fingerprint(r.rows), busy: r.busy };
    } });
  rows('operations', async () => {
    const ops = await getDb().operation.findMany({ orderBy: { updatedAt: 'desc' }, take: 20, select: { id: true, status: true, updatedAt: true } });
    return { rows: ops, busy: ops.some((o) => o.status === 'InProgress') };
  });
  rows('power-runs', async () => {
    const runs = await getDb().powerRun.findMany({ orderBy: { updatedAt: 'desc' }, take: 20, select: { id: true, status: true, updatedAt: true } });
    return { rows: runs, busy: runs.some((r) => r.status === 'InProgress') };
  });
  rows('jobs', async () => {
    const jobs = await getDb().job.findMany({ orderBy: { createdAt: 'desc' }, take: 50, select: { id: true, status: true, lineCount: true, finishedAt: true } });
    return { rows: jobs, busy: jobs.some((j) => j.status === 'running' || j.status === 'queued') };
  });
  rows('schedules', async () => {
    const db = getDb();
    const [schedules, runs] = await Promise.all([
      db.schedule.findMany({ orderBy: { updatedAt: 'desc' }, select: { id: true, updatedAt: true } }),
      db.scheduleRun.findMany({ orderBy: { startedAt: 'desc' }, take: 20, select: { id: true, status: true, finishedAt: true } }),
    ]);
    return { rows: [schedules, runs], busy: runs.some((r) => !r.finishedAt) };
  });
  hub.register({
    topic: 'backup',
    intervalMs: every(5_000),
    busyMs: every(1_000),
    read: async () => {
      const data = await getBackupPage();
      const busy = data.clusters.some(
        (c) => (c.pending && !c.pending.settledAt) || (c.restore && !c.restore.settledAt) || c.jobs.value?.some((j) => j.state === 'running'),
      );
      return { fingerprint: fingerprint(data), busy };
    },
  });
  // Azure Monitor's alerts and zone series: the shared reads refresh upstream at most every MONITOR_REFRESH_SECONDS.
  hub.register({
    topic: 'alerts',
    intervalMs: every(Math.min(STREAM_TICK_MS, getConfig().monitor.refreshMs)),
    read: async () => ({ fingerprint: snapshotFingerprint(await getMonitorSnapshot()) }),
  });
  hub.register({
    topic: 'cost',
    intervalMs: every(5_000),
    busyMs: every(1_500),
    read: async () => {
      const data = await getBudgetPage();
      const busy = [data.actual.source, data.forecast.source].some((s) => s.refreshing || s.status === 'pending');
      return { fingerprint: fingerprint(data), busy };
    },
  });
}

const REGISTERED = Symbol.for('aks-demo.event-sources');
type Holder = { [REGISTERED]?: boolean };

/** The process's hub with the product's sources registered (once). */
export function productEvents(): EventHub {
  const hub = eventHub();
  const g = globalThis as Holder;
  if (!g[REGISTERED]) {
    registerProductSources(hub);
    g[REGISTERED] = true;
  }
  return hub;
}
