import type { ClusterReleases, ReleaseRow, ReleaseVerdict, ReleasesSnapshot } from '@/lib/releases';
import { formatAge } from '@/components/ui/age';
import { When } from '@/components/ui/when';
import { AddonsBlock } from './addons-view';

const TONE: Record<ReleaseVerdict, string> = {
  matches: 'text-emerald-700',
  drift: 'text-amber-800 font-semibold',
  missing: 'text-rose-700 font-semibold',
  failed: 'text-rose-700 font-semibold',
  unpinned: 'text-slate-600',
};
const ROW: Partial<Record<ReleaseVerdict, string>> = { drift: 'bg-amber-50', missing: 'bg-rose-50', failed: 'bg-rose-50' };

/** What the verdict means for this row, in words (a drift names both versions). */
function verdictText(r: ReleaseRow): string {
  switch (r.verdict) {
    case 'matches':
      return 'matches infra/';
    case 'drift':
      return `drift: installed ${r.installed?.chartVersion}, infra/ pins ${r.pinned}`;
    case 'missing':
      return `missing: infra/ pins ${r.pinned}, Helm has no release`;
    case 'failed':
      return `failed: Helm says ${r.installed?.status}`;
    case 'unpinned':
      return 'unpinned: installed, not in infra/';
  }
}

function ReleaseLine({ cluster, r }: { cluster: string; r: ReleaseRow }) {
  const i = r.installed;
  return (
    <tr aria-label={`${cluster} ${r.release}`} data-verdict={r.verdict} className={`border-t border-slate-100 ${ROW[r.verdict] ?? ''}`}>
      <td className="py-1 pr-3">
        <span className="font-medium">{r.release}</span>
        <span className="text-slate-500"> in {r.namespace}</span>
      </td>
      <td className="py-1 pr-3">{r.chart}</td>
      <td className="py-1 pr-3 tabular-nums">{i?.chartVersion ?? '—'}</td>
      <td className="py-1 pr-3 tabular-nums">{r.pinned ?? '—'}</td>
      <td className="py-1 pr-3 tabular-nums">{i?.appVersion ?? '—'}</td>
      <td className="py-1 pr-3">{i ? `${i.status}, revision ${i.revision}` : '—'}</td>
      <td className="py-1 pr-3">{i?.lastDeployed && Number.isFinite(Date.parse(i.lastDeployed)) ? <When at={Date.parse(i.lastDeployed)} /> : '—'}</td>
      <td className={`py-1 ${TONE[r.verdict]}`}>{verdictText(r)}</td>
    </tr>
  );
}

function ClusterBlock({ c, now }: { c: ClusterReleases; now: number }) {
  const rows = c.rows ?? [];
  const off = rows.filter((r) => r.verdict !== 'matches').length;
  return (
    <section aria-label={`releases ${c.key}`} className="rounded border border-slate-200 bg-white p-3">
      <h2 className="text-sm font-semibold">
        {c.name}{' '}
        <span className="font-normal text-slate-500">
          {c.rows ? (off ? `${off} of ${rows.length} releases differ from infra/` : `all ${rows.length} releases match infra/`) : 'no answer'}
        </span>{' '}
        <span className="text-[11px] font-normal text-slate-400">
          {c.status === 'ok' ? 'read' : c.status}{c.fetchedAt ? ` ${formatAge(now - c.fetchedAt)}` : ''}
        </span>
      </h2>
      {c.error && (
        <p role="alert" className="mt-1 text-xs text-rose-700">
          {c.status === 'stale' ? `Showing the last answer (${formatAge(now - (c.fetchedAt ?? now))}); the refresh failed: ` : 'Could not read the Helm releases: '}
          {c.error.message}
        </p>
      )}
      {!!c.unreadable?.length && <p className="mt-1 text-xs text-amber-800">Helm records that are not readable releases: {c.unreadable.join(', ')}</p>}
      {c.rows && (
        <table className="mt-2 w-full text-left text-xs">
          <thead className="text-slate-500">
            <tr>
              <th className="pr-3 font-medium">Release</th>
              <th className="pr-3 font-medium">Chart</th>
              <th className="pr-3 font-medium">Installed</th>
              <th className="pr-3 font-medium">infra/ pins</th>
              <th className="pr-3 font-medium">App version</th>
              <th className="pr-3 font-medium">Helm status</th>
              <th className="pr-3 font-medium">Last deployed</th>
              <th className="font-medium">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => <ReleaseLine key={`${r.namespace}/${r.release}`} cluster={c.key} r={r} />)}
          </tbody>
        </table>
      )}
      <AddonsBlock cluster={c.key} a={c.addons} now={now} />
    </section>
  );
}

/** Presenter: each cluster's Helm releases against the chart versions infra/ pins, and what AKS manages beside them. */
export function ReleasesView({ snapshot, now }: { snapshot: ReleasesSnapshot; now: number }) {
  return (
    <div className="space-y-3">
      {snapshot.clusters.map((c) => <ClusterBlock key={c.key} c={c} now={now} />)}
    </div>
  );
}
