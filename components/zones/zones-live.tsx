'use client';

import { useEffect, useState, useTransition } from 'react';
import { CLUSTER_KEYS, clusterName, type ClusterKey } from '@/lib/domain/cluster';
import type { ZoneHealthSnapshot } from '@/lib/zones';
import { PendingPods, ZoneMatrix } from './zone-matrix';
import { useZoneTiles } from './use-zone-tiles';
import type { ActionResult } from '../ui/action';

export type { ActionResult } from '../ui/action';
type Zone = '1' | '2' | '3';

export interface ZoneActions {
  cordon: (input: { cluster: ClusterKey | 'all'; zone: Zone; drain: boolean }) => Promise<ActionResult>;
  restore: (input: { cluster: ClusterKey | 'all'; zone: Zone }) => Promise<ActionResult>;
  /** Azure's simulated eviction of a Spot node's VM (the named node, or the first Ready Spot node). */
  evictSpot: (input: { cluster: ClusterKey; node?: string }) => Promise<ActionResult>;
  scenario: (input: { cluster: ClusterKey | 'all'; kind: 'zone-outage' | 'zone-restore'; zone: Zone }) => Promise<ActionResult>;
}

function summarise(data: unknown, nameOf: (key: string) => string): string {
  if (!Array.isArray(data)) return data && typeof data === 'object' && 'message' in data ? String(data.message) : 'done';
  return (data as { cluster: string; message?: string; detail?: string; outcome?: string }[])
    .map((r) => `${nameOf(r.cluster)}: ${r.message ?? r.detail ?? r.outcome ?? 'done'}`)
    .join(' · ');
}

/**
 * The live zone matrix: starts from the server's snapshot, then applies each
 * cluster row the server relays from its shared Kubernetes watches (SSE).
 */
export function ZonesLive({ initial, actions, twin }: { initial: ZoneHealthSnapshot; actions: ZoneActions; twin: boolean }) {
  const { tiles, live, receivedAt } = useZoneTiles(initial.clusters);
  const [now, setNow] = useState(initial.generatedAt);
  const [drain, setDrain] = useState(true);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const [scenarioCluster, setScenarioCluster] = useState<ClusterKey | 'all'>('app1');
  const [scenarioZone, setScenarioZone] = useState<Zone>('1');
  const [spotCluster, setSpotCluster] = useState<ClusterKey>('app1');
  const [spotNode, setSpotNode] = useState('');

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(tick);
  }, []);

  function run(label: string, confirmText: string | null, call: () => Promise<ActionResult>) {
    if (confirmText && !window.confirm(confirmText)) return;
    setMessage(null);
    startTransition(async () => {
      const result = await call();
      setMessage(result.ok ? { ok: true, text: `${label}: ${summarise(result.data, (key) => clusterName(tiles, key))}` } : { ok: false, text: `${label}: ${result.error.code ? `${result.error.code}: ` : ''}${result.error.message}` });
    });
  }

  // Keys go to the actions; people read the clusters' resource names.
  const nameOf = (cluster: ClusterKey | 'all') => (cluster === 'all' ? 'all clusters' : (tiles.find((t) => t.key === cluster)?.name ?? cluster));
  const cordon = (cluster: ClusterKey | 'all', zone: Zone) =>
    run(`Cordon zone ${zone} on ${nameOf(cluster)}`, `Cordon every node of zone ${zone} on ${nameOf(cluster)}${drain ? ' and drain it (pods are evicted within their PDBs)' : ''}?`, () => actions.cordon({ cluster, zone, drain }));
  const restore = (cluster: ClusterKey | 'all', zone: Zone) => run(`Restore zone ${zone} on ${nameOf(cluster)}`, null, () => actions.restore({ cluster, zone }));
  const spotNodes = (tiles.find((t) => t.key === spotCluster)?.view?.cells ?? []).flatMap((c) => c.nodes).filter((n) => n.capacity === 'spot');
  const evictSpot = () =>
    run(
      `Spot eviction on ${nameOf(spotCluster)}`,
      `Ask Azure to evict ${spotNode || 'the first Ready Spot node'} of ${nameOf(spotCluster)} (its VM gets the Spot notice and is removed; the node is replaced)?`,
      () => actions.evictSpot({ cluster: spotCluster, node: spotNode || undefined }),
    );
  const button = 'rounded px-2 py-1 text-xs font-medium text-white disabled:cursor-not-allowed disabled:bg-slate-300';

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <p role="status" aria-label="live updates" className="text-xs text-slate-600">
          {live === 'live' ? '● live: Kubernetes watch relayed by the server' : live === 'connecting' ? '○ connecting to the live relay…' : '○ reconnecting to the live relay…'}
        </p>
        <label className="flex items-center gap-1 text-xs">
          <input type="checkbox" checked={drain} onChange={(e) => setDrain(e.target.checked)} /> drain after cordon (kubectl drain --ignore-daemonsets)
        </label>
      </div>

      <section aria-label="all clusters" className="flex flex-wrap items-center gap-2 rounded border border-slate-200 bg-white p-3">
        <span className="text-sm font-semibold">All clusters:</span>
        {(['1', '2', '3'] as const).map((z) => (
          <span key={z} className="flex gap-1">
            <button type="button" disabled={pending} className={`${button} bg-sky-700 hover:bg-sky-800`} onClick={() => cordon('all', z)}>Cordon zone {z} on all clusters</button>
            <button type="button" disabled={pending} className={`${button} bg-emerald-600 hover:bg-emerald-700`} onClick={() => restore('all', z)}>Restore zone {z} on all clusters</button>
          </span>
        ))}
      </section>

      <section aria-label="spot eviction" className="flex flex-wrap items-center gap-2 rounded border border-amber-200 bg-white p-3 text-sm">
        <span className="font-semibold">Spot eviction (Azure&apos;s simulated eviction of the node&apos;s VM):</span>
        <label className="text-xs">cluster{' '}
          <select value={spotCluster} onChange={(e) => { setSpotCluster(e.target.value as ClusterKey); setSpotNode(''); }} className="rounded border px-1">
            {CLUSTER_KEYS.map((c) => <option key={c} value={c}>{nameOf(c)}</option>)}
          </select>
        </label>
        <label className="text-xs">node{' '}
          <select value={spotNode} onChange={(e) => setSpotNode(e.target.value)} className="rounded border px-1">
            <option value="">first Ready Spot node</option>
            {spotNodes.map((n) => <option key={n.name} value={n.name}>{n.name} (zone {n.zone ?? '-'}{n.ready === 'True' ? '' : ', not Ready'})</option>)}
          </select>
        </label>
        <button type="button" disabled={pending} className={`${button} bg-amber-700 hover:bg-amber-800`} onClick={evictSpot}>Evict a Spot node</button>
      </section>

      {twin && (
        <section aria-label="twin scenarios" className="flex flex-wrap items-center gap-2 rounded border border-amber-200 bg-amber-50 p-3 text-sm">
          <span className="font-semibold">Twin scenarios:</span>
          <label className="text-xs">cluster{' '}
            <select value={scenarioCluster} onChange={(e) => setScenarioCluster(e.target.value as ClusterKey | 'all')} className="rounded border px-1">
              {[...CLUSTER_KEYS, 'all' as const].map((c) => <option key={c} value={c}>{nameOf(c)}</option>)}
            </select>
          </label>
          <label className="text-xs">zone{' '}
            <select value={scenarioZone} onChange={(e) => setScenarioZone(e.target.value as Zone)} className="rounded border px-1">
              {['1', '2', '3'].map((z) => <option key={z}>{z}</option>)}
            </select>
          </label>
          <button type="button" disabled={pending} className={`${button} bg-rose-700 hover:bg-rose-800`} onClick={() => run('Zone outage', `Take zone ${scenarioZone} down on ${scenarioCluster} (the twin's nodes there stop reporting)?`, () => actions.scenario({ cluster: scenarioCluster, kind: 'zone-outage', zone: scenarioZone }))}>Zone outage</button>
          <button type="button" disabled={pending} className={`${button} bg-emerald-600 hover:bg-emerald-700`} onClick={() => run('End zone outage', null, () => actions.scenario({ cluster: scenarioCluster, kind: 'zone-restore', zone: scenarioZone }))}>End zone outage</button>
        </section>
      )}

      {message && <p role={message.ok ? 'status' : 'alert'} aria-label="action result" className={`text-xs ${message.ok ? 'text-slate-700' : 'text-rose-700'}`}>{message.text}</p>}

      <ZoneMatrix
        tiles={tiles}
        zones={initial.zones}
        now={Math.max(now, receivedAt ?? 0)}
        renderControls={(t, zone) => {
          const cell = t.view?.cells.find((c) => c.zone === zone);
          const z = zone as Zone;
          const cordoned = (cell?.counts.cordoned ?? 0) > 0;
          return (
            <>
              {cell && cell.counts.cordoned < cell.nodes.length && (
                <button type="button" disabled={pending} className={`${button} bg-sky-700 hover:bg-sky-800`} onClick={() => cordon(t.key, z)}>Cordon zone {zone} on {t.name}</button>
              )}
              {cordoned && (
                <button type="button" disabled={pending} className={`${button} bg-emerald-600 hover:bg-emerald-700`} onClick={() => restore(t.key, z)}>Restore zone {zone} on {t.name}</button>
              )}
            </>
          );
        }}
      />
      <PendingPods tiles={tiles} />
    </div>
  );
}
