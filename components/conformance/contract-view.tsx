import type { ClusterVerdict, ContractSnapshot, ContractSummary, Evidence, RuleResult, RuleStatus } from '@/lib/conformance';
import { When } from '@/components/ui/when';

const WORD: Record<RuleStatus, string> = { pass: 'pass', fail: 'fail', unknown: 'cannot tell' };
const TONE: Record<RuleStatus, string> = {
  pass: 'text-emerald-700',
  fail: 'text-rose-700 font-semibold',
  unknown: 'text-amber-800 font-semibold',
};
const ROW: Record<RuleStatus, string> = { pass: '', fail: 'bg-rose-50', unknown: 'bg-amber-50' };

function Status({ status }: { status: RuleStatus }) {
  return <span className={TONE[status]}>{WORD[status]}</span>;
}

/** One read the verdict rests on: what, when it last answered, and its error. */
function EvidenceLine({ e }: { e: Evidence }) {
  return (
    <li className={e.error ? 'text-rose-800' : 'text-slate-600'}>
      {e.read}
      {e.at !== undefined && (
        <>
          {e.error ? ', last answer ' : ', read '}
          <When at={e.at} seconds />
        </>
      )}
      {e.error && `: ${e.error}`}
    </li>
  );
}

function ClusterCell({ rule, v, name }: { rule: string; v: ClusterVerdict | undefined; name: string }) {
  if (!v) return <td className="px-2 py-1 text-slate-400">not judged</td>;
  return (
    <td aria-label={`${rule} on ${name}`} data-status={v.status} className={`px-2 py-1 align-top ${ROW[v.status]}`}>
      <Status status={v.status} />
      {v.status !== 'pass' && <p className="text-xs text-slate-700">{v.detail}</p>}
    </td>
  );
}

function RuleRow({ r, clusters }: { r: RuleResult; clusters: ContractSnapshot['clusters'] }) {
  return (
    <tr aria-label={r.id} data-status={r.status} className={`border-t border-slate-100 ${ROW[r.status]}`}>
      <td className="px-2 py-1 align-top">
        <p className="font-medium">{r.title}</p>
        <p className="text-xs text-slate-500">{r.id}</p>
        {r.status !== 'pass' && <p className="text-xs text-slate-700">{r.detail}</p>}
        <details className="text-xs">
          <summary className="cursor-pointer text-slate-500">evidence</summary>
          <ul className="ml-4 list-disc">
            {r.evidence.map((e, i) => (
              <EvidenceLine key={i} e={e} />
            ))}
          </ul>
        </details>
      </td>
      <td className="px-2 py-1 align-top">
        <Status status={r.status} />
      </td>
      {clusters.map((c) => (
        <ClusterCell key={c.key} rule={r.id} name={c.name} v={r.clusters.find((v) => v.cluster === c.key)} />
      ))}
    </tr>
  );
}

function Counts({ counts }: { counts: Record<RuleStatus, number> }) {
  return (
    <p aria-label="contract counts" className="text-sm">
      <span className={TONE.pass}>{counts.pass} pass</span>
      {' · '}
      <span className={TONE.fail}>{counts.fail} fail</span>
      {' · '}
      <span className={TONE.unknown}>{counts.unknown} cannot tell</span>
    </p>
  );
}

/** Every rule of the contract on the running environment: per rule and per cluster, each with the reads it rests on. */
export function ContractView({ snapshot }: { snapshot: ContractSnapshot }) {
  return (
    <section aria-label="contract" className="space-y-2">
      <Counts counts={snapshot.counts} />
      <div className="overflow-x-auto rounded border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="px-2 py-1">Rule</th>
              <th className="px-2 py-1">Verdict</th>
              {snapshot.clusters.map((c) => (
                <th key={c.key} className="px-2 py-1">{c.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {snapshot.results.map((r) => (
              <RuleRow key={r.id} r={r} clusters={snapshot.clusters} />
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-xs text-slate-500">
        Evaluated <When at={snapshot.generatedAt} seconds />.
      </p>
    </section>
  );
}

/** The presenter's compact panel: the counts and the failing rules with the clusters they fail on. */
export function ContractPanel({ summary }: { summary: ContractSummary }) {
  return (
    <section aria-label="contract panel" className="rounded-lg border border-slate-200 bg-white p-3">
      <h2 className="text-[clamp(0.9rem,1.2vw,1.4rem)] font-semibold">Architecture contract</h2>
      <Counts counts={summary.counts} />
      {summary.failing.length > 0 && (
        <ul className="mt-1 list-disc pl-5 text-sm text-rose-800">
          {summary.failing.map((f) => (
            <li key={f.id}>
              {f.title}
              {f.clusters.length > 0 && ` (${f.clusters.join(', ')})`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
