'use client';

import type { ClusterKey } from '@/lib/domain/cluster';
import type { MonitorSnapshot } from '@/lib/monitor/stream';
import { formatAge } from '@/components/ui/age';
import { FiringAlert } from './firing-alert';
import { TimeSeries } from './time-series';
import { ZONE_COLORS } from './zone-colors';
import { useMonitorSnapshot } from './use-monitor';

/**
 * A cluster's last hour from Azure Monitor on its overview card: node CPU by
 * zone and its pods (ready, not ready, pending), live from the page's one
 * monitor stream, with the alerts of this cluster that are firing now.
 */
export function ClusterPulse({ cluster, initial, zone }: { cluster: ClusterKey; initial: MonitorSnapshot; /** The environment's stated time zone. */ zone: string }) {
  const { snap, now } = useMonitorSnapshot(initial);
  const series = snap.zones.value?.find((c) => c.key === cluster);
  const firing = (snap.alerts.value?.alerts ?? []).filter((a) => a.cluster === cluster && a.condition === 'Fired');
  return (
    <div role="group" aria-label={`Azure Monitor for ${cluster}`} className="mt-3 border-t border-slate-100 pt-2">
      {firing.map((a) => (
        <p key={a.id} role="alert" aria-label={`alert ${a.rule}`} className="mb-1 rounded border border-rose-300 bg-rose-50 px-2 py-1 text-xs text-rose-900">
          <FiringAlert alert={a} now={now} />
        </p>
      ))}
      {!series ? (
        <p className="text-xs text-slate-500">{snap.zones.status === 'failed' ? `Azure Monitor's metrics could not be read: ${snap.zones.error?.message ?? 'no answer'}` : 'No metrics for this cluster yet.'}</p>
      ) : (
        <div className="flex flex-wrap gap-4">
          <TimeSeries
            zone={zone}
            title="Node CPU % by zone"
            times={series.times}
            unit="%"
            max={100}
            series={Object.entries(series.cpu).map(([z, values]) => ({ label: `zone ${z}`, values, color: ZONE_COLORS[z] ?? '#334155' }))}
          />
          <TimeSeries
            zone={zone}
            title="Pods"
            times={series.times}
            series={[
              { label: 'ready', values: series.podsReady, color: '#0f766e' },
              { label: 'not ready', values: series.podsNotReady, color: '#e11d48' },
              { label: 'pending', values: series.pendingPods, color: '#ea580c', dash: [4, 3] },
            ]}
          />
        </div>
      )}
      {snap.zones.status === 'stale' && snap.zones.fetchedAt && <p className="text-[11px] text-amber-700">Metrics as of {formatAge(now - snap.zones.fetchedAt)}.</p>}
    </div>
  );
}
