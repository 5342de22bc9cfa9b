import Link from 'next/link';
import type { JobDetailData } from '@/lib/jobs';
import { AddonPlanView } from './addon-plan';
import { ApplyPlanButton, CancelJobButton } from './job-controls';
import { LiveLog } from './live-log';
import { When } from '@/components/ui/when';
import { getConfig } from '@/lib/config';
import { STATUS_TONE, type ServerAction } from './types';

interface Props {
  data: JobDetailData;
  cancel: ServerAction<{ jobId: string }>;
  apply: ServerAction<{ planJobId: string }>;
  applyAddOn: ServerAction<{ planJobId: string }>;
  cancelWhyNot?: string;
  applyWhyNot?: string;
}

const iso = (t: number | null) => (t ? <When at={t} seconds local /> : '—');

/** One job: what it ran, who started it, its status, a plan's summary with Apply, and the live log. */
export function JobDetail({ data, cancel, apply, applyAddOn, cancelWhyNot, applyWhyNot }: Props) {
  const { job, related } = data;
  const open = job.status === 'queued' || job.status === 'running';
  const s = job.summary;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/jobs" className="text-sm text-slate-500 underline">Jobs</Link>
        <h1 className="font-mono text-xl font-semibold">{job.title}</h1>
        <span aria-label="job status" className={`rounded px-2 py-0.5 text-sm ${STATUS_TONE[job.status]}`}>{job.status}</span>
        {job.simulated && <span className="rounded bg-amber-100 px-2 py-0.5 text-sm text-amber-900">simulated on the twin</span>}
        {open && <span className="ml-auto"><CancelJobButton jobId={job.id} action={cancel} whyNot={cancelWhyNot} /></span>}
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm md:grid-cols-4">
        <dt className="text-slate-500">Started by</dt><dd>{job.actorName}</dd>
        <dt className="text-slate-500">Environment</dt><dd>{job.environment}{job.mutating && ' (holds the lock while it runs)'}</dd>
        <dt className="text-slate-500">Created</dt><dd>{iso(job.createdAt)}</dd>
        <dt className="text-slate-500">Finished</dt><dd>{iso(job.finishedAt)}</dd>
        <dt className="text-slate-500">Exit code</dt><dd>{job.exitCode ?? '—'}</dd>
        {job.cancelledBy && (<><dt className="text-slate-500">Cancelled by</dt><dd>{job.cancelledBy}</dd></>)}
        {job.error && (<><dt className="text-slate-500">Error</dt><dd className="col-span-3 text-rose-700">{job.error}</dd></>)}
        {(job.kind === 'tofu-apply' || job.kind === 'addon-apply') && related && (<><dt className="text-slate-500">Saved plan</dt><dd><Link className="underline" href={`/jobs/${related.id}`}>plan of {iso(related.createdAt)}</Link></dd></>)}
      </dl>
      {s && (
        <section aria-label="plan summary" className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm">
          <h2 className="font-semibold">
            Plan: <span className="text-emerald-700">{s.add} to add</span>, <span className="text-amber-700">{s.change} to change</span>, <span className="text-rose-700">{s.destroy} to destroy</span>
            <span className="ml-2 text-xs font-normal text-slate-500">{s.simulated ? 'from the twin (simulated plan)' : 'from tofu show -json'}</span>
          </h2>
          <ul className="mt-2 max-h-64 overflow-auto font-mono text-xs">
            {s.resources.map((r) => (
              <li key={r.address}>{r.actions.join('/')} {r.address}</li>
            ))}
          </ul>
          <div className="mt-3 flex items-center gap-3">
            {data.applicable ? (
              <ApplyPlanButton planJobId={job.id} action={apply} whyNot={applyWhyNot ?? (s.add + s.change + s.destroy === 0 ? 'Nothing to apply.' : undefined)} summary={`${s.add} to add, ${s.change} to change, ${s.destroy} to destroy.`} />
            ) : related ? (
              <span>Applied by <Link className="underline" href={`/jobs/${related.id}`}>this job</Link> ({related.status}).</span>
            ) : null}
          </div>
        </section>
      )}
      {job.addonPlan && (
        <AddonPlanView job={job} plan={job.addonPlan} applicable={data.applicable} related={related} stale={data.stale} apply={applyAddOn} applyWhyNot={applyWhyNot} />
      )}
      <LiveLog jobId={job.id} initialStatus={job.status} zone={getConfig().timeZone} />
    </div>
  );
}
