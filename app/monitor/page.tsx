import { AlertsPanel, ClusterPanel } from '@/components/monitor/monitor-view';
import { Section, started } from '@/components/ui/streamed';
import { definePage } from '@/lib/auth/page';
import { CLUSTER_KEYS, clusterRef } from '@/lib/config';
import { getAlerts, getClusterLogs, getClusterMetrics, monitorLinks } from '@/lib/monitor';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  // Every read starts now, together; the heading goes out at once, then the alerts and each cluster (its metrics
  // from the one batch read, its own logs) as each arrives, each saying on its own when it failed or is stale.
  const metrics = started(getClusterMetrics());
  const alerts = started(getAlerts());
  const logs = CLUSTER_KEYS.map((k) => started(getClusterLogs(k)));
  const now = Date.now();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Azure Monitor</h1>
        <p className="text-sm text-slate-600">
          The platform&apos;s own evidence: AKS metrics for the last hour at one-minute grain, the alert rules the environment creates and the alerts they
          fired, and Container Insights logs. Shared by every viewer and refreshed at most once a minute; a slow answer shows the last one with its age.
        </p>
      </div>
      <Section data={alerts} label="alerts">{(a) => <AlertsPanel alerts={a} now={now} />}</Section>
      {CLUSTER_KEYS.map((key, i) => (
        <Section key={key} data={Promise.all([metrics, logs[i]])} label={`${clusterRef(key).name} monitor`}>
          {([m, l]) => <ClusterPanel c={{ key, name: clusterRef(key).name, metrics: m.value?.[key], logs: l, links: monitorLinks(key) }} metrics={m} now={now} />}
        </Section>
      ))}
    </div>
  );
});
