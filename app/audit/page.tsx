import { listAudit } from '@/lib/audit';

export const dynamic = 'force-dynamic';

export default async function AuditPage() {
  const entries = await listAudit(100);
  return (
    <div>
      <h1 className="mb-4 text-xl font-semibold">Audit</h1>
      <table aria-label="audit entries" className="w-full rounded-lg border border-slate-200 bg-white text-sm">
        <thead>
          <tr className="text-left text-xs uppercase tracking-wide text-slate-400">
            <th className="p-2 font-medium">Time (UTC)</th>
            <th className="p-2 font-medium">Who</th>
            <th className="p-2 font-medium">Role</th>
            <th className="p-2 font-medium">Action</th>
            <th className="p-2 font-medium">Target</th>
            <th className="p-2 font-medium">Parameters</th>
            <th className="p-2 font-medium">Result</th>
            <th className="p-2 font-medium">Duration</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} className="border-t border-slate-100 align-top">
              <td className="p-2 tabular-nums">{e.at.toISOString().replace('T', ' ').slice(0, 19)}</td>
              <td className="p-2">{e.actorName}</td>
              <td className="p-2">{e.role}</td>
              <td className="p-2 font-mono text-xs">{e.action}</td>
              <td className="p-2">{e.target}</td>
              <td className="p-2 font-mono text-xs">{e.params}</td>
              <td className={`p-2 ${e.result === 'ok' || e.result === 'accepted' ? 'text-emerald-700' : 'text-rose-700'}`}>
                {e.result}
                {e.error ? <div className="text-xs text-slate-600">{e.error}</div> : null}
              </td>
              <td className="p-2 tabular-nums">{e.durationMs} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p className="mt-3 text-sm text-slate-500">Nothing recorded yet.</p>}
    </div>
  );
}
