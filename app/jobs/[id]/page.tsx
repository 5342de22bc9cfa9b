import { notFound } from 'next/navigation';
import { applyPlan, cancelJob } from '@/app/actions/jobs';
import { JobDetail } from '@/components/jobs/job-detail';
import { currentActor } from '@/lib/auth';
import { whyNot } from '@/lib/auth/roles';
import { getJobDetail } from '@/lib/jobs';

export const dynamic = 'force-dynamic';

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [data, actor] = await Promise.all([getJobDetail(id), currentActor()]);
  if (!data) notFound();
  return (
    <JobDetail
      data={data}
      cancel={cancelJob}
      apply={applyPlan}
      cancelWhyNot={whyNot(actor?.role, data.job.mutating ? 'jobs.apply' : 'jobs.plan')}
      applyWhyNot={whyNot(actor?.role, 'jobs.apply')}
    />
  );
}
