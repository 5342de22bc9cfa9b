import { planAddOn } from '@/app/actions/jobs';
import { PlanAddOnButton } from '@/components/jobs/job-controls';
import { ReleasesView } from '@/components/releases/releases-view';
import { Section, started } from '@/components/ui/streamed';
import { definePage } from '@/lib/auth/page';
import { whyNot } from '@/lib/auth/roles';
import { getReleases, type ReleaseRow } from '@/lib/releases';

export const dynamic = 'force-dynamic';

/** infra/ would change these rows: a release off its pin, failed, or missing (an unpinned one is not infra/'s). */
const PLANNED: ReleaseRow['verdict'][] = ['drift', 'failed', 'missing'];

export default definePage('Reader', async ({ actor }) => {
  // The heading goes out at once; the clusters' releases follow in their own section.
  const releases = started(getReleases());
  const now = Date.now();
  const planWhyNot = whyNot(actor.role, 'jobs.plan');
  const rowAction = (cluster: string, r: ReleaseRow) =>
    r.step && PLANNED.includes(r.verdict) ? (
      <PlanAddOnButton cluster={cluster} addon={r.step} install={r.verdict === 'missing'} action={planAddOn} whyNot={planWhyNot} />
    ) : null;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Helm releases</h1>
        <p className="text-sm text-slate-600">
          What Helm has installed on each cluster (its release records, newest revision) against the chart versions
          infra/addons/lib/versions.sh pins for the install steps in that cluster&apos;s scope. Beside them, what AKS
          manages, as ARM reports it: the Istio add-on&apos;s revisions against the region&apos;s supported ones, the Key
          Vault CSI add-on, the cluster extensions and the Flux configurations infra/ declares.
        </p>
      </div>
      <Section data={releases} label="Helm releases">{(s) => <ReleasesView snapshot={s} now={now} rowAction={rowAction} />}</Section>
    </div>
  );
});
