import Link from 'next/link';
import { When } from '@/components/ui/when';
import { formatInZone } from '@/lib/domain/schedule';
import type { AutomationState, listAppSchedules } from '@/lib/schedule';
import { PowerButton, type ServerAction } from '../power/power-button';
import { LocalTime } from './local-time';
import { ScheduleForm, type ScheduleFormValue } from './schedule-form';
import { clusterNames, displayCluster } from '@/lib/config';
import { PermissionNote } from '../ui/permission-note';

type Data = Awaited<ReturnType<typeof listAppSchedules>>;
const DAY = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export interface ScheduleActions {
  save: ServerAction<ScheduleFormValue>;
  enable: ServerAction<{ id: string; enabled: boolean }>;
  skip: ServerAction<{ id: string; skip: boolean }>;
  remove: ServerAction<{ id: string }>;
}

/** The schedule page's heading: text only, sent before any read. */
export function ScheduleHeading() {
  return (
    <div>
      <h1 className="text-xl font-semibold">Schedule</h1>
      <p className="text-sm text-slate-600">
        Power the environment down and up on a timetable. A run calls the same command as the buttons, as the scheduler, once — even
        with several dashboard instances. A run missed while the dashboard was down is made up at start within the grace window, and recorded as
        missed beyond it. Clusters that AKS can stop are stopped; clusters that use node auto-provisioning, which AKS refuses to stop, are put to
        sleep instead (<Link href="/docs/azure-differences#nightly-stop-and-node-auto-provisioning" className="underline">why</Link>).
      </p>
    </div>
  );
}

export function SchedulePermissionNote({ editDenied }: { editDenied?: string }) {
  return <PermissionNote deniedReason={editDenied}>Editing schedules:</PermissionNote>;
}

/** The dashboard's schedules with their next runs (schedule zone and viewer zone) and their controls. Props only. */
export function ScheduleList({ data, actions, editDenied, skipDenied }: { data: Data; actions: ScheduleActions; editDenied?: string; skipDenied?: string }) {
  return (
    <>
      {data.warnings.map((w) => (
        <p key={w} role="alert" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">{w}</p>
      ))}
      {data.schedules.map((s) => (
        <section key={s.id} aria-label={`schedule ${s.name}`} className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="flex flex-wrap items-center gap-3">
            <h2 className="font-semibold">{s.name}</h2>
            <span className={`rounded px-2 py-0.5 text-xs ${s.action === 'stop' ? 'bg-rose-50 text-rose-800' : 'bg-emerald-50 text-emerald-800'}`}>
              {s.action === 'stop' ? 'power down' : 'power up'} · {s.scope === 'all' ? 'all clusters' : s.scope}
            </span>
            <span className="text-sm text-slate-600">
              {s.spec.days.map((d) => DAY[d]).join(' ')} at {s.time} ({s.timeZone})
            </span>
            <span aria-label="state" className={`rounded px-2 py-0.5 text-xs ${s.enabled ? 'bg-emerald-100 text-emerald-800' : 'bg-slate-100 text-slate-600'}`}>
              {s.enabled ? 'enabled' : 'disabled'}
            </span>
            <div className="ml-auto flex gap-2">
              <PowerButton label={s.enabled ? 'Disable' : 'Enable'} variant={s.enabled ? 'danger' : 'primary'} action={actions.enable} input={{ id: s.id, enabled: !s.enabled }} disabledReason={editDenied} />
              {s.enabled && (
                <PowerButton label={s.skipNext ? 'Do not skip' : 'Skip next run'} action={actions.skip} input={{ id: s.id, skip: !s.skipNext }} disabledReason={skipDenied} />
              )}
              <PowerButton label="Delete" variant="danger" action={actions.remove} input={{ id: s.id }} disabledReason={editDenied} confirm={`Delete the schedule "${s.name}"?`} />
            </div>
          </div>
          {s.holidays !== '[]' && <p className="mt-1 text-xs text-slate-500">Not on: {(JSON.parse(s.holidays) as string[]).join(', ')}</p>}
          <div className="mt-2 text-sm">
            {s.skippedRun && (
              <p className="text-amber-800">
                Skipping {formatInZone(s.skippedRun, s.timeZone)} as requested.
              </p>
            )}
            {s.enabled ? (
              <ul aria-label="next runs" className="mt-1 space-y-0.5">
                {s.nextRuns.map((at) => (
                  <li key={at.toISOString()}>
                    {formatInZone(at, s.timeZone)} · <LocalTime iso={at.toISOString()} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-slate-500">Disabled: no runs.</p>
            )}
          </div>
          {!editDenied && (
            <details className="mt-3">
              <summary className="cursor-pointer text-xs text-slate-500">Edit</summary>
              <div className="mt-2">
                <ScheduleForm
                clusterNames={clusterNames()}
                  submitLabel="Save schedule"
                  save={actions.save}
                  initial={{ id: s.id, name: s.name, action: s.action as 'stop' | 'start', scope: s.scope as ScheduleFormValue['scope'], days: s.spec.days, time: s.time, timeZone: s.timeZone, holidays: s.spec.holidays, enabled: s.enabled }}
                />
              </div>
            </details>
          )}
        </section>
      ))}
    </>
  );
}

/** Azure Automation's runbook schedules, and where they and the dashboard's would fight. */
export function AutomationSchedules({ automation, warnings }: { automation: AutomationState; warnings: string[] }) {
  return (
    <>
      {warnings.map((w) => (
        <p key={w} role="alert" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">{w}</p>
      ))}
      <section aria-label="azure automation schedules" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <h2 className="mb-1 font-semibold">Azure Automation runbook schedules ({automation.account})</h2>
        <p className="mb-2 text-xs text-slate-500">
          infra/ can also power the environment from Azure Automation (variable <code>automation_power_enabled</code>). Shown here so the two never fight.
        </p>
        {automation.status === 'absent' && <p className="text-slate-600">Not deployed: only this dashboard powers the environment on a schedule.</p>}
        {automation.status === 'failed' && (
          <p role="alert" className="text-rose-700">
            Could not read Azure Automation: {automation.error.code ? `${automation.error.code}: ` : ''}
            {automation.error.message}
          </p>
        )}
        {automation.status === 'ok' && (
          <ul className="space-y-0.5">
            {automation.schedules.map((a) => (
              <li key={a.name}>
                <span className="font-mono text-xs">{a.name}</span> — {a.action === 'stop' ? 'power down' : a.action === 'start' ? 'power up' : 'unknown action'},{' '}
                {a.days.map((d) => DAY[d]).join(' ')} at {a.time} ({a.timeZone}) ·{' '}
                <span className={a.enabled ? 'text-emerald-700' : 'text-slate-500'}>{a.enabled ? 'enabled' : 'disabled'}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** The form for a new schedule: needs no read, so it is there at once. */
export function NewSchedule({ save, editDenied }: { save: ScheduleActions['save']; editDenied?: string }) {
  return (
    <section aria-label="new schedule" className="rounded-lg border border-dashed border-slate-300 bg-white p-4">
      <h2 className="mb-2 font-semibold">New schedule</h2>
      <ScheduleForm
                clusterNames={clusterNames()}
        submitLabel="Add schedule"
        save={save}
        disabledReason={editDenied}
        initial={{ name: '', action: 'stop', scope: 'all', days: [1, 2, 3, 4, 5], time: '22:00', timeZone: 'Asia/Seoul', holidays: [], enabled: true }}
      />
    </section>
  );
}

export function ScheduleRuns({ runs }: { runs: Data['runs'] }) {
  return (
    <section aria-label="run history" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-2 font-semibold">Runs</h2>
      {runs.length === 0 ? (
        <p className="text-sm text-slate-500">No run yet.</p>
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-400">
              <th className="font-medium">Due</th><th className="font-medium">Schedule</th><th className="font-medium">Status</th><th className="font-medium">Clusters</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top">
                <td className="py-1 tabular-nums"><When at={r.dueAt} local /></td>
                <td>{r.scheduleName}</td>
                <td className={r.status === 'failed' || r.status === 'missed' ? 'text-rose-700' : r.status === 'partial' ? 'text-amber-700' : 'text-emerald-700'}>{r.status}</td>
                <td className="text-xs text-slate-600">
                  {r.results.map((x) => `${displayCluster(x.cluster)}: ${x.outcome}${'reason' in x && x.reason ? ` (${x.reason})` : ''}`).join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
