import { When } from '@/components/ui/when';
import { formatElapsed } from '@/lib/domain/stopwatch';
import type { RunSummary } from '@/lib/presenter';

const OUTCOME: Record<RunSummary['status'], string> = { ready: 'ready', running: 'running', passed: 'recovered', failed: 'failed', abandoned: 'stopped' };

/** Every run of a scenario, newest first: who ran it, the stopwatch against the RTO, and its report to download. */
export function RunList({ runs }: { runs: RunSummary[] }) {
  if (!runs.length) return <p className="text-sm text-slate-600">No run yet. Rehearse on the twin; every run is kept here with its timings and checks.</p>;
  return (
    <table aria-label="runs" className="w-full text-sm">
      <thead className="text-left text-slate-600">
        <tr>
          <th className="py-1">Scenario</th>
          <th>Started</th>
          <th>By</th>
          <th>Outcome</th>
          <th>Stopwatch</th>
          <th>Report</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} className="border-t border-slate-100" data-status={r.status}>
            <td className="py-1">{r.title}</td>
            <td><When at={r.createdAt} seconds /></td>
            <td>{r.startedBy}</td>
            <td>{OUTCOME[r.status]}</td>
            <td className="tabular-nums">
              {r.stopwatch.state === 'idle' ? 'not started' : `${formatElapsed(r.stopwatch.elapsedMs)}${r.stopwatch.rtoMs !== null ? ` of ${formatElapsed(r.stopwatch.rtoMs)} RTO${r.stopwatch.withinRto ? '' : ' (over)'}` : ''}`}
            </td>
            <td>
              <a className="underline" href={`/present/report?id=${r.id}`} download={`scenario-${r.scenarioId}-${r.id.slice(0, 8)}.json`}>JSON</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
