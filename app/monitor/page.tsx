import { MonitorView } from '@/components/monitor/monitor-view';
import { Section, started } from '@/components/ui/streamed';
import { definePage } from '@/lib/auth/page';
import { CLUSTER_KEYS, clusterRef } from '@/lib/config';
import { getAlerts, getClusterLogs, getClusterMetrics, monitorLinks } from '@/lib/monitor';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  // Metrics, alerts and each cluster's logs are read together; the heading goes out at once. The view draws
  // alerts and clusters as one piece (each read already says on its own when it failed or is stale).
  const reads = started(Promise.all([getClusterMetrics(), getAlerts(), Promise.all(CLUSTER_KEYS.map((k) => getClusterLogs(k)))]));
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
      <Section data={reads} label="Azure Monitor">
        {([metrics, alerts, logs]) => (
          <MonitorView
            clusters={CLUSTER_KEYS.map((key, i) => ({ key, name: clusterRef(key).name, metrics: metrics.value?.[key], logs: logs[i], links: monitorLinks(key) }))}
            metrics={metrics}
            alerts={alerts}
            now={now}
          />
        )}
      </Section>
    </div>
  );
});
