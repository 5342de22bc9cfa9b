import Link from 'next/link';
import type { AddonPlanSummary, JobRow, ReleaseDiff } from '@/lib/jobs';
import { MAX_PLAN_PATCH_CHARS, MAX_RELEASE_PATCH_CHARS, planTotals, planTotalsLine } from '@/lib/domain/addon-plan';
import { ApplyPlanButton } from './job-controls';
import type { ServerAction } from './types';

/** A unified diff line's colour: added, removed, hunk header, file header, context. */
function lineTone(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('===')) return 'text-slate-500';
  if (line.startsWith('+')) return 'bg-emerald-50 text-emerald-800';
  if (line.startsWith('-')) return 'bg-rose-50 text-rose-800';
  if (line.startsWith('@@')) return 'text-sky-700';
  return 'text-slate-700';
}

function ReleasePatch({ d }: { d: ReleaseDiff }) {
  const lines = d.patch.replace(/\n$/, '').split('\n');
  return (
    <div aria-label={`diff ${d.release}`} className="mt-3">
      <h3 className="font-mono text-xs font-semibold">
        {d.release} <span className="font-normal text-slate-500">in {d.namespace}:</span> {d.installed ? `${d.chart} ${d.installed}` : 'not installed'} → {d.chart} {d.pinned}
        <span className="ml-2 font-normal text-slate-500">{planTotalsLine(d)}</span>
      </h3>
      {d.tooLarge ? (
        <p className="text-xs text-amber-800">Too many changed lines to show a line diff; the objects are counted above.</p>
      ) : d.patch ? (
        <pre className="mt-1 max-h-[32rem] overflow-auto rounded border border-slate-200 bg-white text-xs leading-5">
          {lines.map((l, i) => <div key={i} className={`px-2 ${lineTone(l)}`}>{l || ' '}</div>)}
        </pre>
      ) : null}
      {d.truncated && !d.tooLarge && (
        <p className="text-xs text-amber-800">
          The diff is cut here: a plan keeps at most {MAX_RELEASE_PATCH_CHARS / 1000} K characters of a release&apos;s diff and {MAX_PLAN_PATCH_CHARS / 1000} K for the whole plan; the counts are of the whole diff.
        </p>
      )}
    </div>
  );
}

interface Props {
  job: JobRow;
  plan: AddonPlanSummary;
  applicable: boolean;
  related: JobRow | null;
  /** Why this plan may no longer be applied (too old, infra/ changed). */
  stale?: string;
  apply: ServerAction<{ planJobId: string }>;
  applyWhyNot?: string;
}

/** An add-on plan: what helm upgrade would change, release by release, with Apply for an Admin. */
export function AddonPlanView({ job, plan, applicable, related, stale, apply, applyWhyNot }: Props) {
  const totals = planTotals(plan.releases);
  const nothing = totals.objectsChanged === 0;
  return (
    <section aria-label="add-on plan" className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm">
      <h2 className="font-semibold">
        {plan.addon} on {plan.cluster}: <span aria-label="plan totals">{planTotalsLine(totals)}</span>
        <span className="ml-2 text-xs font-normal text-slate-500">
          {plan.simulated ? 'rendered by the twin (simulated plan)' : 'helm upgrade --dry-run=server against helm get manifest'}; Secrets are not shown
        </span>
      </h2>
      {plan.releases.map((d) => <ReleasePatch key={d.release} d={d} />)}
      <div className="mt-3 flex flex-wrap items-center gap-3">
        {applicable ? (
          <ApplyPlanButton
            planJobId={job.id}
            action={apply}
            whyNot={applyWhyNot ?? stale ?? (nothing ? 'Nothing to apply: the release already matches its pin.' : undefined)}
            summary={`${plan.addon} on ${plan.cluster}: ${planTotalsLine(totals)}.`}
          />
        ) : related ? (
          <span>Applied by <Link className="underline" href={`/jobs/${related.id}`}>this job</Link> ({related.status}).</span>
        ) : null}
        {applicable && stale && <span className="text-xs text-amber-800">{stale}</span>}
      </div>
    </section>
  );
}
