import { Overview } from '@/components/topology/overview';
import { LiveRefresh } from '@/components/live-refresh';
import { getTopology } from '@/lib/topology';
import { listOperations } from '@/lib/power';
import { currentActor, whyNot } from '@/lib/auth';
import { startCluster, startEnvironment, stopCluster, stopEnvironment } from './actions/power';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const [topology, operations, actor] = await Promise.all([getTopology(), listOperations(10), currentActor()]);
  const busy = topology.clusters.some((c) => c.view?.busy) || operations.some((o) => o.status === 'InProgress');
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const now = Date.now();
  return (
    <>
      <LiveRefresh intervalMs={busy ? 1500 : 5000} />
      <Overview
        topology={topology}
        operations={operations}
        now={now}
        deniedReason={whyNot(actor?.role, 'power.operate')}
        actions={{ stop: stopCluster, start: startCluster, stopAll: stopEnvironment, startAll: startEnvironment }}
      />
    </>
  );
}
