import type { ActivityEntry, AlertsView, ClusterMetrics, LogTable, MonitorLinks, Read } from '@/lib/monitor';
import { formatAge } from '@/components/ui/age';
import { TimeSeries } from './time-series';
import { When } from '@/components/ui/when';
import { displayCluster, getConfig } from '@/lib/config';

/** Presenter of the monitor page: plain props in, no reads. */
export interface ClusterMonitor {
  key: string;
  name: string;
  metrics?: ClusterMetrics;
  logs: Read<LogTable[]>;
  links: MonitorLinks;
}

function ReadNote<T>({ read, now, what }: { read: Read<T>; now: number; what: string }) {
  if (read.status === 'ok') return read.fetchedAt ? <p className="text-xs text-slate-500">{what} as of {formatAge(now - read.fetchedAt)}</p> : null;
  if (read.status === 'stale') return <p className="text-xs text-amber-700">{what} as of {formatAge(now - (read.fetchedAt ?? now))}; the refresh failed: {read.error?.message}</p>;
  return <p role="alert" className="text-sm text-rose-700">{what} could not be read: {read.error?.message}</p>;
}

/** The alert rules infra/ creates, with their state, and the alerts they fired. */
export function AlertsPanel({ alerts, now }: { alerts: Read<AlertsView>; now: number }) {
  return (
    <section aria-label="alert rules" className="space-y-2">
      <h2 className="font-semibold">Alerts</h2>
      <ReadNote read={alerts} now={now} what="Alerts" />
      {alerts.value && (
        <>
          <table aria-label="alert rules" className="w-full text-sm">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th scope="col">Rule</th><th scope="col">Cluster</th><th scope="col">Condition</th><th scope="col">Severity</th><th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {alerts.value.rules.map((r) => (
                <tr key={r.name} className="border-t border-slate-100">
                  <td>{r.name}</td>
                  <td>{r.cluster ? displayCluster(r.cluster) : '—'}</td>
                  <td className="text-xs">{r.condition}</td>
                  <td>Sev{r.severity}</td>
                  <td className={r.state === 'firing' ? 'font-semibold text-rose-700' : 'text-slate-600'}>{r.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table aria-label="fired alerts" className="w-full text-sm">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th scope="col">Alert</th><th scope="col">Cluster</th><th scope="col">Severity</th><th scope="col">Since</th><th scope="col">Resolved</th>
              </tr>
            </thead>
            <tbody>
              {alerts.value.alerts.length === 0 && (
                <tr><td colSpan={5} className="text-slate-500">No alert fired in the last day.</td></tr>
              )}
              {alerts.value.alerts.map((a) => (
                <tr key={a.id} className="border-t border-slate-100">
                  <td>{a.rule}</td>
                  <td>{a.cluster ? displayCluster(a.cluster) : '—'}</td>
                  <td>{a.severity}</td>
                  <td>{a.since ? <When at={Date.parse(a.since)} /> : '—'}</td>
                  <td>{a.condition === 'Resolved' ? `resolved ${a.resolvedAt ? formatAge(now - Date.parse(a.resolvedAt)) : ''}` : 'firing'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** One cluster: its portal links, its platform metrics for the last hour and its Container Insights logs, each read saying when it failed or is stale. */
export function ClusterPanel({ c, metrics, now }: { c: ClusterMonitor; metrics: Read<unknown>; now: number }) {
  return (
    <section aria-label={`${c.name} monitor`} className="space-y-3 rounded-lg border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-semibold">{c.name}</h2>
        <nav aria-label={`${c.name} links`} className="flex flex-wrap gap-3 text-xs underline">
          <a href={c.links.portal.cluster} target="_blank" rel="noreferrer">Portal</a>
          <a href={c.links.portal.insights} target="_blank" rel="noreferrer">Container Insights</a>
          <a href={c.links.portal.metrics} target="_blank" rel="noreferrer">Metrics</a>
          <a href={c.links.portal.alerts} target="_blank" rel="noreferrer">Alerts</a>
          <a href={c.links.workspace} target="_blank" rel="noreferrer">Log Analytics workspace</a>
          {c.links.grafana && <a href={c.links.grafana} target="_blank" rel="noreferrer">Grafana</a>}
        </nav>
      </div>
      <ReadNote read={metrics} now={now} what="Metrics" />
      {c.metrics && (
        <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
          <TimeSeries zone={getConfig().timeZone} title="Node CPU %" times={c.metrics.times} unit="%" max={100} width={360} height={140} series={[{ label: 'CPU', values: c.metrics.cpu, color: '#0f766e' }]} />
          <TimeSeries zone={getConfig().timeZone} title="Node memory working set %" times={c.metrics.times} unit="%" max={100} width={360} height={140} series={[{ label: 'memory', values: c.metrics.memory, color: '#7c3aed' }]} />
          <TimeSeries zone={getConfig().timeZone} title="Nodes by Ready condition" times={c.metrics.times} width={360} height={140} series={[{ label: 'ready', values: c.metrics.nodesReady, color: '#0f766e' }, { label: 'not ready', values: c.metrics.nodesNotReady, color: '#e11d48' }]} />
          <TimeSeries zone={getConfig().timeZone} title="Pods ready / not ready" times={c.metrics.times} width={360} height={140} series={[{ label: 'ready', values: c.metrics.podsReady, color: '#0f766e' }, { label: 'not ready', values: c.metrics.podsNotReady, color: '#e11d48' }]} />
          <TimeSeries zone={getConfig().timeZone} title="Pending (unschedulable) pods" times={c.metrics.times} width={360} height={140} series={[{ label: 'pending', values: c.metrics.pendingPods, color: '#ea580c' }]} />
        </div>
      )}
      <div aria-label={`${c.name} logs`} role="region" className="space-y-2">
        <ReadNote read={c.logs} now={now} what="Logs" />
        {(c.logs.value ?? []).map((t) => (
          <details key={t.name} open={t.name === 'kube-events'}>
            <summary className="cursor-pointer text-sm font-medium">{t.title} ({t.rows.length})</summary>
            <div className="max-h-64 overflow-auto">
              <table aria-label={`${c.name} ${t.title}`} className="w-full text-xs">
                <thead>
                  <tr className="text-left text-slate-500">{t.columns.map((col) => <th key={col} scope="col" className="pr-2">{col}</th>)}</tr>
                </thead>
                <tbody>
                  {t.rows.map((row, i) => (
                    <tr key={i} className="border-t border-slate-100">{row.map((v, j) => <td key={j} className="pr-2 align-top">{v === null ? '' : String(v)}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        ))}
      </div>
    </section>
  );
}

export function ActivityLogTable({ read, now }: { read: Read<ActivityEntry[]>; now: number }) {
  return (
    <section aria-label="Azure activity log" className="space-y-2">
      <h2 className="font-semibold">Azure activity log</h2>
      <p className="text-xs text-slate-500">
        Who stopped, started, scaled or deleted what in the environment, from any tool (Portal, CLI, Automation or this dashboard), over the last day.
      </p>
      <ReadNote read={read} now={now} what="Activity log" />
      {read.value && (
        <table aria-label="activity log entries" className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th scope="col">Time (UTC)</th><th scope="col">Caller</th><th scope="col">Operation</th><th scope="col">Resource</th><th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {read.value.length === 0 && <tr><td colSpan={5} className="text-slate-500">No control-plane write in the last day.</td></tr>}
            {read.value.map((e) => (
              <tr key={e.id} className="border-t border-slate-100">
                <td>{e.at.slice(0, 19).replace('T', ' ')}</td>
                <td>{e.caller}</td>
                <td className="text-xs">{e.operation}</td>
                <td className="text-xs">{e.resource.split('/').slice(-1)[0]}</td>
                <td>{e.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
