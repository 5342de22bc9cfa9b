import type { ChainLink, ChainLinkId, ChainSnapshot, ClusterChain, LinkVerdict } from '@/lib/chain';
import { formatAge } from '@/components/ui/age';
import { When } from '@/components/ui/when';

const WORDS: Record<LinkVerdict, string> = { ok: 'ok', warning: 'warning', broken: 'broken', unknown: 'cannot tell' };
const BOX: Record<LinkVerdict, string> = {
  ok: 'border-emerald-300 bg-emerald-50',
  warning: 'border-amber-300 bg-amber-50',
  broken: 'border-rose-300 bg-rose-50',
  unknown: 'border-slate-300 bg-slate-50',
};
const BADGE: Record<LinkVerdict, string> = {
  ok: 'bg-emerald-600 text-white',
  warning: 'bg-amber-500 text-white',
  broken: 'bg-rose-600 text-white',
  unknown: 'bg-slate-500 text-white',
};

function labelOf(c: ClusterChain, id: ChainLinkId): string {
  return c.chain.links.find((l) => l.id === id)?.label ?? id;
}

function LinkBox({ c, link, now }: { c: ClusterChain; link: ChainLink; now: number }) {
  const first = c.chain.firstBroken === link.id;
  const dependent = !!link.dependsOn;
  return (
    <div
      role="group"
      aria-label={`${c.key} ${link.id}`}
      data-verdict={link.verdict}
      data-first-broken={first || undefined}
      data-depends-on={link.dependsOn}
      className={`relative w-52 shrink-0 rounded-md border p-2 text-xs ${BOX[link.verdict]} ${first ? 'ring-4 ring-rose-500' : ''} ${dependent ? 'opacity-60' : ''}`}
    >
      <div className="flex items-start justify-between gap-1">
        <span className="font-semibold">{link.label}</span>
        <span className={`rounded px-1.5 py-0.5 text-[10px] font-semibold uppercase ${BADGE[link.verdict]}`}>{WORDS[link.verdict]}</span>
      </div>
      <div className="mt-0.5 break-words text-[11px] text-slate-500">{link.object}</div>
      {first && <p className="mt-1 font-semibold text-rose-800">The chain breaks here.</p>}
      {dependent && <p className="mt-1 italic text-slate-600">Depends on {labelOf(c, link.dependsOn!)}, which is broken.</p>}
      <ul className="mt-1 space-y-0.5">
        {link.evidence.map((e) => <li key={e} className="break-words">{e}</li>)}
      </ul>
      {link.readError && (
        <p role="alert" className="mt-1 break-words text-rose-700">
          {link.readError.lastGood !== undefined ? `Last answer ${formatAge(now - link.readError.lastGood)}; the refresh failed` : 'The read failed'}
          {link.readError.since !== undefined ? ` (failing since ${formatAge(now - link.readError.since)})` : ''}: {link.readError.message}
        </p>
      )}
      {link.times.length > 0 && (
        <dl className="mt-1 space-y-0.5 text-[11px] text-slate-600">
          {link.times.map((t) => (
            <div key={t.label}>
              <dt className="inline">{t.label}: </dt>
              <dd className="inline"><When at={t.at} /></dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function summary(c: ClusterChain): string {
  const { chain } = c;
  if (chain.firstBroken) return `broken at ${labelOf(c, chain.firstBroken)}`;
  if (chain.verdict === 'unknown') return 'some links cannot be told';
  if (chain.verdict === 'warning') return 'working, with warnings';
  return 'every link ok';
}

function ClusterRow({ c, now }: { c: ClusterChain; now: number }) {
  return (
    <section aria-label={`chain ${c.key}`} data-verdict={c.chain.verdict} className="rounded border border-slate-200 bg-white p-3">
      <h2 className="text-sm font-semibold">
        {c.name} <span className="font-normal text-slate-500">{summary(c)}</span>
      </h2>
      <ol className="mt-2 flex items-stretch gap-0 overflow-x-auto pb-2">
        {c.chain.links.map((link, i) => (
          <li key={link.id} className="flex items-center">
            {i > 0 && <span aria-hidden className="mx-1 h-0.5 w-4 shrink-0 bg-slate-400" />}
            <LinkBox c={c} link={link} now={now} />
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Presenter: each cluster's GitOps and secret chain as a row of linked boxes, the first broken link marked. */
export function ChainView({ snapshot }: { snapshot: ChainSnapshot }) {
  return (
    <div className="space-y-3">
      {snapshot.clusters.map((c) => <ClusterRow key={c.key} c={c} now={snapshot.evaluatedAt} />)}
      <p className="text-xs text-slate-500">
        Judged <When at={snapshot.evaluatedAt} seconds />. Key Vault {snapshot.keyVault} read through Azure Resource Manager (versions and dates, never values).
      </p>
    </div>
  );
}
