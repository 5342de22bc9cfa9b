import { formatAge } from '@/components/ui/age';
import type { NodeFacts } from '@/lib/domain/zones';
import type { ClusterZonesTile } from '@/lib/zones';

/** What a node's mark says, in the order a presenter explains them. */
export type NodeMark = 'ready' | 'spot' | 'cordoned' | 'not-ready';

export function markOf(n: NodeFacts): NodeMark {
  if (n.ready !== 'True') return 'not-ready';
  if (n.cordoned) return 'cordoned';
  return n.capacity === 'spot' ? 'spot' : 'ready';
}

const MARK: Record<NodeMark, { label: string; className: string }> = {
  ready: { label: 'Ready', className: 'bg-emerald-500' },
  spot: { label: 'Ready, Spot', className: 'bg-emerald-500 ring-4 ring-amber-400 ring-inset' },
  cordoned: { label: 'cordoned', className: 'bg-slate-400 bg-[repeating-linear-gradient(45deg,transparent_0_4px,rgba(255,255,255,.6)_4px_8px)]' },
  'not-ready': { label: 'NotReady or being replaced', className: 'bg-rose-600 animate-pulse' },
};

export function Legend() {
  return (
    <ul aria-label="legend" className="flex flex-wrap gap-4 text-[clamp(0.8rem,1vw,1.1rem)]">
      {(Object.keys(MARK) as NodeMark[]).map((m) => (
        <li key={m} className="flex items-center gap-2">
          <span aria-hidden className={`inline-block h-4 w-4 rounded-sm ${MARK[m].className}`} />
          {MARK[m].label}
        </li>
      ))}
    </ul>
  );
}

/**
 * The environment as a picture for a projector: three clusters × three zones,
 * each node a mark coloured by its state, with the zone's workload pods and
 * Ready ingress gateways as large numbers. Live from the zone page's watches.
 */
export function EnvironmentPicture({ tiles, highlightZone, now }: { tiles: ClusterZonesTile[]; highlightZone?: string; now: number }) {
  return (
    <div role="figure" aria-label="environment" className="grid grid-cols-3 gap-[1vw]">
      {tiles.map((t) => (
        <section key={t.key} aria-label={`cluster ${t.name}`} data-status={t.status} className="rounded-lg border-2 border-slate-300 bg-white p-[0.8vw]">
          <h3 className="flex items-baseline justify-between text-[clamp(1rem,1.6vw,2rem)] font-semibold">
            {t.name}
            <span aria-label="verdict" className={`text-[clamp(0.8rem,1vw,1.2rem)] font-semibold ${t.status !== 'ok' ? 'text-rose-700' : t.view?.verdict === 'ok' ? 'text-emerald-700' : t.view?.verdict === 'degraded' ? 'text-amber-700' : 'text-rose-700'}`}>
              {t.status === 'ok' ? t.view?.verdict : t.status}
            </span>
          </h3>
          {!t.view ? (
            <p className="py-6 text-center text-[clamp(0.9rem,1.2vw,1.4rem)] text-slate-600">{t.error?.message ?? 'no answer yet'}</p>
          ) : (
            <div className="mt-2 grid grid-cols-3 gap-[0.5vw]">
              {t.view.cells.map((c) => {
                const lost = c.nodes.length > 0 && c.nodes.every((n) => markOf(n) !== 'ready' && markOf(n) !== 'spot');
                return (
                  <div
                    key={c.zone}
                    aria-label={`${t.name} zone ${c.zone}`}
                    data-lost={lost}
                    className={`rounded border p-[0.4vw] ${lost ? 'border-rose-400 bg-rose-50' : 'border-slate-200'} ${highlightZone === c.zone ? 'outline outline-2 outline-sky-500' : ''}`}
                  >
                    <p className="text-[clamp(0.7rem,0.9vw,1rem)] text-slate-600">zone {c.zone}</p>
                    <ul aria-label="nodes" className="my-1 flex min-h-6 flex-wrap gap-1">
                      {c.nodes.map((n) => (
                        <li key={n.name} title={`${n.name} (${n.pool}): ${MARK[markOf(n)].label}`} data-mark={markOf(n)} className={`h-[clamp(0.9rem,1.3vw,1.6rem)] w-[clamp(0.9rem,1.3vw,1.6rem)] rounded-sm ${MARK[markOf(n)].className}`}>
                          <span className="sr-only">{`${n.name}: ${MARK[markOf(n)].label}`}</span>
                        </li>
                      ))}
                    </ul>
                    <p className="text-[clamp(1.1rem,2vw,2.6rem)] font-bold leading-none" aria-label={`pods in zone ${c.zone}`}>
                      {c.pods.running}
                      <span className="ml-1 text-[clamp(0.6rem,0.8vw,0.9rem)] font-normal text-slate-600">pods</span>
                    </p>
                    {t.view!.hasGateways && (
                      <p className="text-[clamp(0.7rem,0.9vw,1rem)]" aria-label={`gateways in zone ${c.zone}`}>
                        ⇄ {c.gateways.ready}/{c.gateways.total} gateway{c.gateways.total === 1 ? '' : 's'}
                      </p>
                    )}
                  </div>
                );
              })}
            </div>
          )}
          {t.view && t.status === 'stale' && (
            <p role="alert" className="mt-1 text-[clamp(0.8rem,1vw,1.2rem)] text-amber-800">
              As of {t.fetchedAt ? formatAge(now - t.fetchedAt) : 'an unknown time'}: {t.error?.message ?? 'the Kubernetes API does not answer'}
            </p>
          )}
          {t.view && t.view.pending.length > 0 && <p className="mt-1 text-[clamp(0.8rem,1vw,1.2rem)] font-semibold text-amber-700">{t.view.pending.length} pod(s) Pending</p>}
        </section>
      ))}
    </div>
  );
}
