import type { ClusterZonesTile } from '@/lib/zones';
import type { ZoneCell } from '@/lib/domain/zones';
import { formatAge } from '@/components/ui/age';

/** Presenter: the matrix clusters × zones, from plain props. */
const STATE_TONE: Record<ZoneCell['state'], string> = {
  healthy: 'bg-emerald-50 border-emerald-200',
  degraded: 'bg-amber-50 border-amber-200',
  cordoned: 'bg-sky-50 border-sky-300',
  down: 'bg-rose-50 border-rose-300',
  empty: 'bg-slate-50 border-slate-200',
};

const VERDICT_TONE = { ok: 'text-emerald-700', degraded: 'text-amber-700', 'at-risk': 'text-rose-700' } as const;

function NodeChip({ n }: { n: ZoneCell['nodes'][number] }) {
  const state = n.ready !== 'True' ? 'NotReady' : n.cordoned ? 'cordoned' : 'Ready';
  const tone = n.ready !== 'True' ? 'bg-rose-100 text-rose-800' : n.cordoned ? 'bg-sky-100 text-sky-800' : 'bg-white text-slate-700';
  return (
    <li className={`flex items-center justify-between gap-2 rounded border border-slate-200 px-1.5 py-0.5 text-[11px] ${tone}`} title={n.name}>
      <span className="truncate">{n.pool}{n.nap ? ' (NAP)' : ''}</span>
      <span className="whitespace-nowrap">
        {n.capacity === 'spot' ? 'Spot' : 'Regular'} · {state}{n.ready !== 'True' && n.cordoned ? ', cordoned' : ''}
      </span>
    </li>
  );
}

export function ZoneMatrix({ tiles, zones, now, renderControls }: {
  tiles: ClusterZonesTile[];
  zones: readonly string[];
  now: number;
  renderControls?: (tile: ClusterZonesTile, zone: string) => React.ReactNode;
}) {
  return (
    <table aria-label="zone health" className="w-full table-fixed border-collapse text-sm">
      <thead>
        <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
          <th className="w-44 p-2">cluster</th>
          {zones.map((z) => <th key={z} className="p-2">zone {z}</th>)}
        </tr>
      </thead>
      <tbody>
        {tiles.map((t) => (
          <tr key={t.key} aria-label={`cluster ${t.name}`}>
            <th scope="row" className="border border-slate-200 bg-white p-2 text-left align-top font-normal">
              <div className="font-semibold">{t.name}</div>
              <div aria-label="cluster status" className="text-xs">
                {t.status === 'ok' && t.view && <span className={VERDICT_TONE[t.view.verdict]}>{t.view.verdict}</span>}
                {t.status === 'stopped' && <span className="text-slate-600">stopped</span>}
                {t.status === 'stale' && <span className="text-amber-700">stale</span>}
                {t.status === 'failed' && <span className="text-rose-700">unreachable</span>}
              </div>
              {t.view && t.view.why.length > 0 && <ul className="mt-1 list-disc pl-4 text-[11px] text-slate-600">{t.view.why.map((w) => <li key={w}>{w}</li>)}</ul>}
              {t.error && <p role="alert" className="mt-1 text-[11px] text-rose-700">{t.error.message}</p>}
              <p className="mt-1 text-[11px] text-slate-400">
                Kubernetes API {t.source === 'watch' ? 'watch (live)' : 'list'}{t.fetchedAt ? `, ${formatAge(now - t.fetchedAt)}` : ''}
              </p>
            </th>
            {t.view
              ? t.view.cells.map((cell) => (
                  <ZoneCellView key={cell.zone} cluster={t.name} cell={cell}>
                    {renderControls?.(t, cell.zone)}
                  </ZoneCellView>
                ))
              : zones.map((z) => (
                  <td key={z} aria-label={`${t.name} zone ${z}`} className="border border-slate-200 bg-slate-100 p-2 text-xs text-slate-500">
                    {t.status === 'stopped' ? 'cluster stopped: no nodes' : 'no answer from the API server'}
                  </td>
                ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ZoneCellView({ cluster, cell, children }: { cluster: string; cell: ZoneCell; children?: React.ReactNode }) {
  return (
    <td aria-label={`${cluster} zone ${cell.zone}`} className={`border p-2 align-top ${STATE_TONE[cell.state]}`}>
      <div className="flex items-baseline justify-between">
        <span aria-label="zone state" className="text-sm font-semibold">{cell.state}</span>
        <span className="text-xs text-slate-500">
          {cell.counts.ready}/{cell.nodes.length} Ready{cell.counts.cordoned ? ` · ${cell.counts.cordoned} cordoned` : ''}
        </span>
      </div>
      <ul aria-label="nodes" className="mt-1 space-y-0.5">
        {cell.nodes.map((n) => <NodeChip key={n.name} n={n} />)}
      </ul>
      <dl className="mt-1.5 grid grid-cols-2 gap-x-2 text-xs text-slate-600">
        <dt>pods</dt>
        <dd aria-label="workload pods">{cell.pods.running} running{cell.pods.notReady ? `, ${cell.pods.notReady} not ready` : ''}</dd>
        <dt>gateways</dt>
        <dd aria-label="ingress gateways">{cell.gateways.total ? `${cell.gateways.ready}/${cell.gateways.total} ready` : '—'}</dd>
      </dl>
      {children && <div className="mt-2 flex flex-wrap gap-1">{children}</div>}
    </td>
  );
}

export function PendingPods({ tiles }: { tiles: ClusterZonesTile[] }) {
  const rows = tiles.flatMap((t) => (t.view?.pending ?? []).map((p) => ({ cluster: t.name, ...p })));
  return (
    <section aria-label="pending pods" className="rounded border border-slate-200 bg-white p-3">
      <h2 className="text-sm font-semibold">Pending pods</h2>
      {rows.length === 0 ? (
        <p className="text-xs text-slate-500">None: every pod is bound to a node.</p>
      ) : (
        <ul className="mt-1 space-y-1 text-xs">
          {rows.map((p) => (
            <li key={`${p.cluster}/${p.namespace}/${p.name}`}>
              <span className="font-mono">{p.cluster} {p.namespace}/{p.name}</span>
              {p.reason && <span className="text-slate-500"> — {p.reason}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
