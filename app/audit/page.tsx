import { AuditTable } from '@/components/audit/audit-table';
import { auditFilter, queryAudit } from '@/lib/audit';
import { definePage } from '@/lib/auth/page';
import { ActivityLogTable } from '@/components/monitor/monitor-view';
import { getActivityLog } from '@/lib/monitor';
import { Section, started } from '@/components/ui/streamed';

export const dynamic = 'force-dynamic';

const FIELDS = [
  ['user', 'User'],
  ['action', 'Action'],
  ['target', 'Target'],
] as const;

export default definePage<{ searchParams: Promise<Record<string, string | undefined>> }>('Reader', async ({ props }) => {
  const raw = Object.fromEntries(Object.entries(await props.searchParams).filter(([, v]) => v));
  const parsed = auditFilter.safeParse(raw);
  // The audit trail (the database) and Azure's activity log are read together; the heading and the filter go out at once.
  const page = started(parsed.success ? queryAudit(parsed.data) : Promise.resolve({ rows: [], nextCursor: undefined }));
  const activity = started(getActivityLog());
  const now = Date.now();
  const keep = new URLSearchParams(Object.entries(raw).filter(([k]) => k !== 'cursor') as [string, string][]);
  const olderHref = (cursor: string) => `/audit?${new URLSearchParams([...keep, ['cursor', cursor]])}`;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex items-end gap-4">
        <h1 className="text-xl font-semibold">Audit</h1>
        <a href={`/audit/export?${keep}`} className="ml-auto rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">
          Export CSV
        </a>
      </div>
      <form method="get" aria-label="filter audit entries" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm">
        {FIELDS.map(([name, label]) => (
          <label key={name} className="flex flex-col gap-1">
            <span className="text-xs text-slate-500">{label}</span>
            <input name={name} defaultValue={raw[name]} className="rounded border border-slate-300 px-2 py-1" />
          </label>
        ))}
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Result</span>
          <select name="result" defaultValue={raw.result ?? ''} className="rounded border border-slate-300 px-2 py-1">
            <option value="">any</option>
            {['ok', 'accepted', 'refused', 'failed', 'forbidden', 'invalid'].map((r) => (
              <option key={r} value={r}>{r}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">From (UTC)</span>
          <input type="datetime-local" name="from" defaultValue={raw.from} className="rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">To (UTC)</span>
          <input type="datetime-local" name="to" defaultValue={raw.to} className="rounded border border-slate-300 px-2 py-1" />
        </label>
        <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 text-white">Filter</button>
      </form>
      {!parsed.success && (
        <p role="alert" className="text-sm text-rose-700">
          {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}
        </p>
      )}
      <Section data={page} label="audit entries">
        {({ rows, nextCursor }) => (
          <>
            <AuditTable rows={rows} />
            {rows.length === 0 && <p className="text-sm text-slate-500">Nothing recorded matches.</p>}
            {nextCursor && (
              <a href={olderHref(nextCursor)} className="self-end text-sm underline">
                Older entries →
              </a>
            )}
          </>
        )}
      </Section>
      <Section data={activity} label="Azure activity log">{(a) => <ActivityLogTable read={a} now={now} />}</Section>
    </div>
  );
});
