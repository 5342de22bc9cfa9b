import type { PreflightCheck, PreflightStatus } from '@/lib/domain/preflight';
import type { PreflightReport } from '@/lib/preflight';
import { formatAge } from '@/components/ui/age';
import { CheckAgain } from './check-again';

const STATUS: Record<PreflightStatus, { label: string; className: string }> = {
  pass: { label: 'Pass', className: 'bg-emerald-100 text-emerald-800' },
  warn: { label: 'Warning', className: 'bg-amber-100 text-amber-800' },
  fail: { label: 'Fail', className: 'bg-rose-100 text-rose-800' },
  unknown: { label: 'Cannot tell', className: 'bg-slate-200 text-slate-700' },
};

const HEADLINE: Record<PreflightStatus, string> = {
  pass: 'Ready for the session.',
  warn: 'Ready, with warnings to read.',
  fail: 'Not ready: fix what fails before the session.',
  unknown: 'Some checks cannot tell: their reads failed.',
};

function Badge({ status }: { status: PreflightStatus }) {
  const s = STATUS[status];
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${s.className}`}>{s.label}</span>;
}

function CheckRow({ c }: { c: PreflightCheck }) {
  return (
    <li className="flex flex-col gap-1 border-b border-slate-100 py-3 last:border-0" aria-label={c.title} data-status={c.status}>
      <div className="flex items-center gap-3">
        <Badge status={c.status} />
        <span className="font-medium">{c.title}</span>
      </div>
      <p className="text-sm text-slate-600">{c.evidence}</p>
      {c.fix && <p className="text-sm text-slate-800"><span className="font-semibold">What to do: </span>{c.fix}</p>}
    </li>
  );
}

/** The pre-flight page's heading and its controls: they need no read, so they are sent at once. */
export function PreflightHeading({ sessionHours, canRefresh, refresh }: { sessionHours: number; canRefresh: boolean; refresh: Parameters<typeof CheckAgain>[0]['run'] }) {
  return (
    <div className="flex flex-wrap items-end gap-4">
      <h1 className="text-xl font-semibold">Pre-flight</h1>
      <form method="get" className="flex items-end gap-2 text-sm" aria-label="session length">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Session length (hours)</span>
          <input name="hours" type="number" min={0.5} max={12} step={0.5} defaultValue={sessionHours} className="w-24 rounded border border-slate-300 px-2 py-1" />
        </label>
        <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">Apply</button>
      </form>
      {canRefresh && <span className="ml-auto"><CheckAgain run={refresh} /></span>}
    </div>
  );
}

/** The pre-flight report: a headline, each check with its evidence and fix, and the age of every read behind it. */
export function PreflightView({ report, realNow }: { report: PreflightReport; realNow: number }) {
  const order: PreflightStatus[] = ['fail', 'unknown', 'warn', 'pass'];
  const checks = [...report.checks].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  return (
    <>
      <section aria-label="pre-flight result" className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <Badge status={report.overall} />
        <p className="font-medium">{HEADLINE[report.overall]}</p>
        <p className="ml-auto text-xs text-slate-500">Region {report.region}</p>
      </section>
      <section aria-label="checks" className="rounded-lg border border-slate-200 bg-white px-4">
        <ul>{checks.map((c) => <CheckRow key={c.id} c={c} />)}</ul>
      </section>
      <section aria-label="reads" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <h2 className="mb-2 font-semibold">What was read</h2>
        <ul className="flex flex-col gap-1">
          {report.sources.map((s) => (
            <li key={s.what} data-status={s.status}>
              <span className={s.status === 'ok' ? 'text-slate-700' : 'text-rose-700'}>
                {s.what}: {s.status === 'ok' ? 'read' : s.status === 'stale' ? 'the last answer, the new read failed' : 'failed'}
                {s.fetchedAt !== undefined ? ` (${formatAge(realNow - s.fetchedAt)})` : ''}
              </span>
              {s.error && <span className="text-rose-700"> — {s.error.message}</span>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
