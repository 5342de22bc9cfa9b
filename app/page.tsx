import { ClusterCards, OperationsTable, OverviewHeading, PowerPermissionNote, PowerSection } from '@/components/topology/overview';
import { LiveEvents } from '@/components/live-events';
import { Section, started } from '@/components/ui/streamed';
import { clusterNames, getConfig } from '@/lib/config';
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

export default definePage('Reader', async ({ actor }) => {
  // Every read starts now, in parallel; the frame goes out at once and each section follows its own data.
  const topology = started(getTopology());
  const operations = started(listOperations(10));
  const power = started(getPowerOverview());
  const monitor = started(getMonitorSnapshot());
  const now = Date.now();
  const deniedReason = whyNot(actor.role, 'power.operate');
  const actions = { stop: stopCluster, start: startCluster, sleep: sleepCluster, wake: wakeCluster, powerDown: powerDownEnvironment, powerUp: powerUpEnvironment, tearDown, rebuild };
  return (
    <>
      <LiveEvents topics={['clusters', 'kubernetes', 'operations', 'power-runs', 'jobs', 'alerts']} />
      <div className="flex flex-col gap-6">
        <Section data={topology} label="topology" fallback={<OverviewHeading />}>{(t) => <OverviewHeading topology={t} />}</Section>
        <PowerPermissionNote deniedReason={deniedReason} />
        <Section data={power} label="power plan">
          {(p) => (
            <PowerSection power={p} actions={actions} now={now} deniedReason={deniedReason} tearDownDeniedReason={whyNot(actor.role, 'jobs.apply')} environmentName={environmentName()} clusterNames={clusterNames()} />
          )}
        </Section>
        <Section data={Promise.all([topology, operations, power.catch(() => undefined)])} label="clusters">
          {([t, ops, p]) => (
            <ClusterCards
              topology={t}
              operations={ops}
              power={p}
              actions={actions}
              now={now}
              deniedReason={deniedReason}
              pulse={(key) => (
                <Section data={monitor} label="Azure Monitor" fallback={<p className="mt-3 text-xs text-slate-400">Reading Azure Monitor…</p>}>
                  {(m) => <ClusterPulse cluster={key} initial={m} zone={getConfig().timeZone} />}
                </Section>
              )}
            />
          )}
        </Section>
        <Section data={operations} label="operations">{(ops) => <OperationsTable operations={ops} now={now} />}</Section>
        <Section data={monitor} label="Azure Monitor">{(m) => <MonitorLive initial={m} layout="overview" zone={getConfig().timeZone} />}</Section>
      </div>
    </>
  );
});
