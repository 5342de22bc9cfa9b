import Link from 'next/link';
import { When } from '@/components/ui/when';
import type { JobRow, LockView, ToolStatus } from '@/lib/jobs';
import { formatAge } from '@/components/ui/age';
import { ForceUnlockForm } from './job-controls';
import { STATUS_TONE, type ServerAction } from './types';

/** The jobs page's heading: from the settings only, sent before any read. */
export function JobsHeading({ simulate }: { simulate: boolean }) {
  return (
    <>
      <h1 className="text-xl font-semibold">Jobs</h1>
      {simulate && (
        <p role="note" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          <strong>Simulated on the twin:</strong> tofu and helm are not run here. Plan, apply, destroy, the add-on install and verify drive the
          twin through its own API and say so in their log; <code>install.sh --dry-run</code> is always the real script.
        </p>
      )}
    </>
  );
}

export function ToolsPanel({ tools, simulate }: { tools: ToolStatus[]; simulate: boolean }) {
  return (
    <section aria-label="tools on this server" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-2 text-sm font-semibold">Tools on this server</h2>
      <table className="w-full text-sm">
        <tbody>
          {tools.map((t) => (
            <tr key={t.tool} aria-label={`tool ${t.tool}`} className="border-t border-slate-100">
              <td className="py-1 pr-3 font-mono">{t.tool}</td>
              <td className="py-1">
                {t.found ? <span className="text-emerald-700">{t.version}</span> : <span className="text-rose-700">missing — install {t.hint}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {simulate && <p className="mt-2 text-xs text-slate-500">On the twin target, jobs that need a missing tool are simulated instead.</p>}
    </section>
  );
}

/** The environment's lock (held, cut off, or free) and the plan waiting for review. */
export function LockPanel({ environmentName, lock, reviewablePlan, now, forceUnlock, applyWhyNot }: {
  environmentName: string;
  lock: LockView | null;
  reviewablePlan: JobRow | null;
  now: number;
  forceUnlock: ServerAction<{ jobId: string; confirm: string }>;
  applyWhyNot?: string;
}) {
  return (
    <section aria-label="environment lock" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="mb-2 text-sm font-semibold">Environment {environmentName}</h2>
      {lock && !lock.abandoned && (
        <p>
          Locked by <strong>{lock.holder}</strong> since <When at={lock.since} seconds local /> ({formatAge(now - lock.since.getTime())}) —{' '}
          <Link className="underline" href={`/jobs/${lock.jobId}`}>the job</Link>. Another apply, destroy or install is refused until it ends.
        </p>
      )}
      {lock?.abandoned && (
        <div role="status" aria-label="lock held by an interrupted job">
          <p>
            Locked by <strong>{lock.holder}</strong> since <When at={lock.since} seconds local /> ({formatAge(now - lock.since.getTime())}) —{' '}
            <Link className="underline" href={`/jobs/${lock.jobId}`}>the job</Link> was cut off ({lock.jobStatus}
            {lock.heartbeatAt && <>, last heartbeat {formatAge(now - lock.heartbeatAt.getTime())} ago</>}): its server stopped while it ran.
          </p>
          {lock.lastLine && (
            <p className="mt-1 text-xs text-slate-600">Its last log line: <code className="break-all font-mono">{lock.lastLine}</code></p>
          )}
          <p className="mt-1 text-slate-700">
            The lock stays until an Admin releases it, as OpenTofu keeps its state lock: check what the job changed (plan), then force unlock.
          </p>
          <ForceUnlockForm jobId={lock.jobId} environmentName={environmentName} action={forceUnlock} whyNot={applyWhyNot} />
        </div>
      )}
      {!lock && (
        <p className="text-slate-600">Not locked: one apply, destroy or install may run at a time.</p>
      )}
      {reviewablePlan?.summary && (
        <p className="mt-2">
          Plan ready for review:{' '}
          <Link className="underline" href={`/jobs/${reviewablePlan.id}`}>
            {reviewablePlan.summary.add} to add, {reviewablePlan.summary.change} to change, {reviewablePlan.summary.destroy} to destroy
          </Link>
        </p>
      )}
    </section>
  );
}

export function JobHistory({ jobs, now }: { jobs: JobRow[]; now: number }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white">
      <table aria-label="job history" className="w-full text-sm">
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th className="px-3 py-2">Job</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2">Started by</th>
            <th className="px-3 py-2">When</th>
            <th className="px-3 py-2">Lines</th>
          </tr>
        </thead>
        <tbody>
          {jobs.length === 0 && (
            <tr><td colSpan={5} className="px-3 py-4 text-slate-500">No job has run yet.</td></tr>
          )}
          {jobs.map((j) => (
            <tr key={j.id} className="border-t border-slate-100">
              <td className="px-3 py-2">
                <Link href={`/jobs/${j.id}`} className="font-mono underline">{j.title}</Link>
                {j.simulated && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">simulated</span>}
              </td>
              <td className="px-3 py-2"><span className={`rounded px-1.5 py-0.5 text-xs ${STATUS_TONE[j.status]}`}>{j.status}</span>{j.exitCode !== null && <span className="ml-1 text-xs text-slate-500">exit {j.exitCode}</span>}</td>
              <td className="px-3 py-2">{j.actorName}</td>
              <td className="px-3 py-2 text-slate-600" title={new Date(j.createdAt).toISOString()}>{formatAge(now - j.createdAt)}</td>
              <td className="px-3 py-2 tabular-nums">{j.lineCount.toLocaleString('en')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
