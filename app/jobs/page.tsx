import { dryRunAddOns, destroyEnvironment, forceUnlockEnvironment, initInfrastructure, installAddOns, planInfrastructure, verifyClusters } from '@/app/actions/jobs';
import { JobHistory, JobsHeading, LockPanel, ToolsPanel } from '@/components/jobs/jobs-view';
import { JobLauncher } from '@/components/jobs/job-launcher';
import { LiveEvents } from '@/components/live-events';
import { Section, started } from '@/components/ui/streamed';
import { definePage } from '@/lib/auth/page';
import { whyNot } from '@/lib/auth/roles';
import { environmentName, getLock, getPreflight, jobsOptions, latestReviewablePlan, listJobs } from '@/lib/jobs';
import { clusterNames } from '@/lib/config';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  // The tools on this server, the lock and the history are read together; the launcher needs none of them.
  const tools = started(getPreflight());
  const lock = started(Promise.all([getLock(), latestReviewablePlan()]));
  const jobs = started(listJobs());
  const now = Date.now();
  const { simulate } = jobsOptions();
  const name = environmentName();
  const applyWhyNot = whyNot(actor.role, 'jobs.apply');
  return (
    <>
      <LiveEvents topics={['jobs']} />
      <div className="flex flex-col gap-4">
        <JobsHeading simulate={simulate} />
        <div className="grid gap-4 md:grid-cols-2">
          <Section data={tools} label="tools on this server">{(t) => <ToolsPanel tools={t} simulate={simulate} />}</Section>
          <Section data={lock} label="environment lock">
            {([l, plan]) => <LockPanel environmentName={name} lock={l} reviewablePlan={plan} now={now} forceUnlock={forceUnlockEnvironment} applyWhyNot={applyWhyNot} />}
          </Section>
        </div>
        <JobLauncher
          actions={{ dryRunAddOns, verifyClusters, initInfrastructure, planInfrastructure, installAddOns, destroyEnvironment }}
          environmentName={name}
          clusterNames={clusterNames()}
          planWhyNot={whyNot(actor.role, 'jobs.plan')}
          applyWhyNot={applyWhyNot}
          simulate={simulate}
        />
        <Section data={jobs} label="job history">{(j) => <JobHistory jobs={j} now={now} />}</Section>
      </div>
    </>
  );
});
