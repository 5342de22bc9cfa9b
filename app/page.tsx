import { Suspense } from 'react';
import { ClusterCards, OperationsTable, OverviewHeading, PermissionNote, PowerSection } from '@/components/topology/overview';
import { LiveEvents } from '@/components/live-events';
import { SectionLoading, Streamed } from '@/components/ui/streamed';
import { CLUSTER_KEYS, clusterRef, getConfig } from '@/lib/config';
import { getTopology } from '@/lib/topology';
import { listOperations } from '@/lib/power';
import { getPowerOverview } from '@/lib/power/plans';
import { environmentName } from '@/lib/jobs';
import { whyNot } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { MonitorLive } from '@/components/monitor/monitor-live';
import { ClusterPulse } from '@/components/monitor/cluster-pulse';
import { getMonitorSnapshot } from '@/lib/monitor/stream';
import { powerDownEnvironment, powerUpEnvironment, rebuild, sleepCluster, startCluster, stopCluster, tearDown, wakeCluster } from './actions/power';

export const dynamic = 'force-dynamic';

/** Reads that fail are shown by their own section; this keeps them from counting as unhandled meanwhile. */
function settled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

export default definePage('Reader', async ({ actor }) => {
  // Every read starts now, in parallel; the frame goes out at once and each section follows its own data.
  const topology = settled(getTopology());
  const operations = settled(listOperations(10));
  const power = settled(getPowerOverview());
  const monitor = settled(getMonitorSnapshot());
  const now = Date.now();
  const deniedReason = whyNot(actor.role, 'power.operate');
  const actions = { stop: stopCluster, start: startCluster, sleep: sleepCluster, wake: wakeCluster, powerDown: powerDownEnvironment, powerUp: powerUpEnvironment, tearDown, rebuild };
  const clusterNames = Object.fromEntries(CLUSTER_KEYS.map((k) => [k, clusterRef(k).name]));
  return (
    <>
      <LiveEvents topics={['clusters', 'kubernetes', 'operations', 'power-runs', 'jobs', 'alerts']} />
      <div className="flex flex-col gap-6">
        <Suspense fallback={<OverviewHeading />}>
          <Streamed data={topology} label="topology">{(t) => <OverviewHeading topology={t} />}</Streamed>
        </Suspense>
        <PermissionNote deniedReason={deniedReason} />
        <Suspense fallback={<SectionLoading label="power plan" />}>
          <Streamed data={power} label="power plan">
            {(p) => (
              <PowerSection power={p} actions={actions} now={now} deniedReason={deniedReason} tearDownDeniedReason={whyNot(actor.role, 'jobs.apply')} environmentName={environmentName()} clusterNames={clusterNames} />
            )}
          </Streamed>
        </Suspense>
        <Suspense fallback={<SectionLoading label="clusters" />}>
          <Streamed data={Promise.all([topology, operations, power.catch(() => undefined)])} label="clusters">
            {([t, ops, p]) => (
              <ClusterCards
                topology={t}
                operations={ops}
                power={p}
                actions={actions}
                now={now}
                deniedReason={deniedReason}
                pulse={(key) => (
                  <Suspense fallback={<p className="mt-3 text-xs text-slate-400">Reading Azure Monitor…</p>}>
                    <Streamed data={monitor} label="Azure Monitor">{(m) => <ClusterPulse cluster={key} initial={m} zone={getConfig().timeZone} />}</Streamed>
                  </Suspense>
                )}
              />
            )}
          </Streamed>
        </Suspense>
        <Suspense fallback={<SectionLoading label="operations" />}>
          <Streamed data={operations} label="operations">{(ops) => <OperationsTable operations={ops} now={now} />}</Streamed>
        </Suspense>
        <Suspense fallback={<SectionLoading label="Azure Monitor" />}>
          <Streamed data={monitor} label="Azure Monitor">{(m) => <MonitorLive initial={m} layout="overview" zone={getConfig().timeZone} />}</Streamed>
        </Suspense>
      </div>
    </>
  );
});
