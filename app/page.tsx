import { Overview } from '@/components/topology/overview';
import { LiveRefresh } from '@/components/live-refresh';
import { getTopology } from '@/lib/topology';
import { listOperations } from '@/lib/power';
import { getPowerOverview } from '@/lib/power/plans';
import { environmentName } from '@/lib/jobs';
import { whyNot } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { MonitorLive } from '@/components/monitor/monitor-live';
import { getMonitorSnapshot } from '@/lib/monitor/stream';
import { powerDownEnvironment, powerUpEnvironment, rebuild, sleepCluster, startCluster, stopCluster, tearDown, wakeCluster } from './actions/power';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  const [topology, operations, power, monitor] = await Promise.all([getTopology(), listOperations(10), getPowerOverview(), getMonitorSnapshot()]);
  const busy =
    topology.clusters.some((c) => c.view?.busy) || operations.some((o) => o.status === 'InProgress') || power.runs.some((r) => r.status === 'InProgress');
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const now = Date.now();
  return (
    <>
      <LiveRefresh intervalMs={busy ? 1500 : 5000} />
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
      <MonitorLive initial={monitor} layout="overview" />
    </>
  );
});
