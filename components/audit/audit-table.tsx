import { When } from '@/components/ui/when';
import { displayCluster } from '@/lib/config';
export interface AuditRow {
  id: string;
  at: Date;
  actorName: string;
  actorId: string;
  role: string;
  action: string;
  target: string;
  params: string;
  result: string;
  error: string | null;
  durationMs: number;
}

const ok = (r: string) => r === 'ok' || r === 'accepted';

/** The audit trail as a table. Props only. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
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
        {rows.map((e) => (
          <tr key={e.id} className="border-t border-slate-100 align-top">
            <td className="p-2 tabular-nums whitespace-nowrap"><When at={e.at} seconds local /></td>
            <td className="p-2">
              {e.actorName}
              <div className="text-[11px] text-slate-400">{e.actorId}</div>
            </td>
            <td className="p-2">{e.role}</td>
            <td className="p-2 font-mono text-xs">{e.action}</td>
            <td className="p-2">{displayCluster(e.target)}</td>
            <td className="max-w-xs p-2 font-mono text-xs break-words">{e.params}</td>
            <td className={`p-2 ${ok(e.result) ? 'text-emerald-700' : 'text-rose-700'}`}>
              {e.result}
              {e.error ? <div className="text-xs text-slate-600">{e.error}</div> : null}
            </td>
            <td className="p-2 tabular-nums">{e.durationMs} ms</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
