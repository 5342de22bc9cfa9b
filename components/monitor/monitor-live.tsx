'use client';

import type { MonitorSnapshot } from '@/lib/monitor/stream';
import { formatAge } from '@/components/ui/age';
import { FiringAlert } from './firing-alert';
import { TimeSeries } from './time-series';
import { ZONE_COLORS } from './zone-colors';
import { useMonitorSnapshot } from './use-monitor';

/**
 * Azure Monitor beside the zone matrix and the cluster cards: fired alerts
 * (live through server-sent events, no reload) and each cluster's CPU per zone.
 */
export function MonitorLive({ initial, layout, zone }: { initial: MonitorSnapshot; /** overview: alerts only, each cluster's charts are on its card; presenter: the zone page's, large. */ layout: 'zones' | 'overview' | 'presenter'; /** The environment's stated time zone. */ zone: string }) {
  const { snap, live, now } = useMonitorSnapshot(initial);
  const alerts = snap.alerts.value;
  const firing = (alerts?.alerts ?? []).filter((a) => a.condition === 'Fired');
  const resolved = (alerts?.alerts ?? []).filter((a) => a.condition === 'Resolved').slice(0, 5);
  return (
    <section aria-label="Azure Monitor" className="space-y-3 rounded-lg border border-slate-200 bg-white p-3">
      <div className="flex items-center gap-2 text-sm">
        <h2 className="font-semibold">Azure Monitor</h2>
        <span role="status" aria-label="monitor updates" className="text-xs text-slate-500">
          {live ? 'live' : 'connecting…'}
        </span>
        <a href="/monitor" className="ml-auto text-xs underline">Metrics, alerts and logs</a>
      </div>
      <div role="region" aria-label="fired alerts" className="text-sm">
        {snap.alerts.status === 'failed' ? (
          <p className="text-rose-700">Alerts could not be read: {snap.alerts.error?.message}</p>
        ) : firing.length === 0 ? (
          <p className="text-slate-600">No alert is firing.</p>
        ) : (
          <ul className="space-y-1">
            {firing.map((a) => (
              <li key={a.id} className="rounded border border-rose-300 bg-rose-50 px-2 py-1 text-rose-900">
                <FiringAlert alert={a} now={now} />
              </li>
            ))}
          </ul>
        )}
        {resolved.length > 0 && (
          <ul className="mt-1 text-xs text-slate-500">
            {resolved.map((a) => (
              <li key={a.id}>
                Resolved: {a.rule} ({a.severity}), fired {formatAge(now - Date.parse(a.since))}, resolved {formatAge(now - Date.parse(a.resolvedAt ?? ''))}
              </li>
            ))}
          </ul>
        )}
        {snap.alerts.status === 'stale' && snap.alerts.fetchedAt && <p className="text-xs text-amber-700">As of {formatAge(now - snap.alerts.fetchedAt)}: {snap.alerts.error?.message ?? 'refreshing'}</p>}
      </div>
      {layout !== 'overview' && <div role="region" aria-label="CPU by zone" className={layout === 'presenter' ? 'grid gap-3 lg:grid-cols-2 2xl:grid-cols-3' : 'grid gap-3 md:grid-cols-3'}>
        {snap.zones.status === 'failed' && <p className="text-sm text-rose-700">Metrics could not be read: {snap.zones.error?.message}</p>}
        {(snap.zones.value ?? []).map((c) => (
          <div key={c.key} aria-label={`${c.name} CPU`} role="group">
            <TimeSeries
              zone={zone}
              title={`${c.name} node CPU % by zone`}
              times={c.times}
              unit="%"
              max={100}
              {...(layout === 'presenter' ? { large: true, width: 560, height: 180 } : {})}
              series={Object.entries(c.cpu).map(([zone, values]) => ({ label: `zone ${zone}`, values, color: ZONE_COLORS[zone] ?? '#334155' }))}
            />
          </div>
        ))}
        {snap.zones.status === 'stale' && snap.zones.fetchedAt && <p className="text-xs text-amber-700">Metrics as of {formatAge(now - snap.zones.fetchedAt)}.</p>}
      </div>}
    </section>
  );
}
