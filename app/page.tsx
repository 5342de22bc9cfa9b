import { Overview } from '@/components/topology/overview';
import { LiveEvents } from '@/components/live-events';
import { getTopology } from '@/lib/topology';
import { listOperations } from '@/lib/power';
import { getPowerOverview } from '@/lib/power/plans';
import { environmentName } from '@/lib/jobs';
import { whyNot } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { powerDownEnvironment, powerUpEnvironment, rebuild, sleepCluster, startCluster, stopCluster, tearDown, wakeCluster } from './actions/power';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  const [topology, operations, power] = await Promise.all([getTopology(), listOperations(10), getPowerOverview()]);
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const now = Date.now();
  return (
    <>
      <LiveEvents topics={['clusters', 'kubernetes', 'operations', 'power-runs', 'jobs', 'alerts']} />
      <Overview
        topology={topology}
        operations={operations}
        power={power}
        now={now}
        deniedReason={whyNot(actor.role, 'power.operate')}
        tearDownDeniedReason={whyNot(actor.role, 'jobs.apply')}
        environmentName={environmentName()}
        actions={{ stop: stopCluster, start: startCluster, sleep: sleepCluster, wake: wakeCluster, powerDown: powerDownEnvironment, powerUp: powerUpEnvironment, tearDown, rebuild }}
      />
    </>
  );
});
