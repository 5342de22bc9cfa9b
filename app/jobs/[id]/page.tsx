import { notFound } from 'next/navigation';
import { applyAddOnPlan, applyPlan, cancelJob } from '@/app/actions/jobs';
import { JobDetail } from '@/components/jobs/job-detail';
import { definePage } from '@/lib/auth/page';
import { whyNot } from '@/lib/auth/roles';
import { getJobDetail } from '@/lib/jobs';

export const dynamic = 'force-dynamic';

export default definePage<{ params: Promise<{ id: string }> }>('Reader', async ({ actor, props }) => {
  const { id } = await props.params;
  const data = await getJobDetail(id);
  if (!data) notFound();
  return (
    <JobDetail
      data={data}
      cancel={cancelJob}
      apply={applyPlan}
      applyAddOn={applyAddOnPlan}
      cancelWhyNot={whyNot(actor.role, data.job.mutating ? 'jobs.apply' : 'jobs.plan')}
      applyWhyNot={whyNot(actor.role, 'jobs.apply')}
    />
  );
});
