import { dryRunAddOns, destroyEnvironment, forceUnlockEnvironment, initInfrastructure, installAddOns, planInfrastructure, verifyClusters } from '@/app/actions/jobs';
import { JobsView } from '@/components/jobs/jobs-view';
import { LiveEvents } from '@/components/live-events';
import { definePage } from '@/lib/auth/page';
import { whyNot } from '@/lib/auth/roles';
import { getJobsPage } from '@/lib/jobs';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  const data = await getJobsPage();
  return (
    <>
      <LiveEvents topics={['jobs']} />
      <JobsView
        data={data}
        actions={{ dryRunAddOns, verifyClusters, initInfrastructure, planInfrastructure, installAddOns, destroyEnvironment }}
        forceUnlock={forceUnlockEnvironment}
        planWhyNot={whyNot(actor.role, 'jobs.plan')}
        applyWhyNot={whyNot(actor.role, 'jobs.apply')}
      />
    </>
  );
});
