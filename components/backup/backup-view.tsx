import Link from 'next/link';
import type { BackupPage, ClusterBackup, Sourced } from '@/lib/backup';
import type { DrRow, RpoStatus } from '@/lib/domain/backup';
import { PowerButton, type ServerAction } from '../power/power-button';
import { formatAge } from '../ui/age';
import { formatSpan } from './format';
import { When, whenText } from '@/components/ui/when';
import { PermissionNote } from '../ui/permission-note';

export interface BackupActions {
  backUpNow: ServerAction<{ cluster: string }>;
  restoreLatest: ServerAction<{ cluster: string; recoveryPointId?: string }>;
}

const RPO_LABEL: Record<RpoStatus, { text: string; tone: string }> = {
  green: { text: 'green', tone: 'bg-emerald-100 text-emerald-800' },
  'at-risk': { text: 'at risk', tone: 'bg-amber-100 text-amber-800' },
  breached: { text: 'breached', tone: 'bg-rose-100 text-rose-800' },
};

/** A dependency that failed or answered stale: say so, with the age of what is shown. */
function SourceNote({ what, src, realNow }: { what: string; src: Sourced<unknown>; realNow: number }) {
  if (src.status === 'ok') return null;
  const age = src.fetchedAt !== undefined ? ` — showing the answer from ${formatAge(realNow - src.fetchedAt)}` : '';
  return (
    <p role="alert" className="rounded bg-rose-50 px-3 py-2 text-sm text-rose-800">
      {what}: {src.status === 'stale' ? 'refresh failed' : 'unavailable'} ({src.error?.code ? `${src.error.code}: ` : ''}
      {src.error?.message ?? 'no answer'}){age}
    </p>
  );
}

function VaultPanel({ data, realNow }: { data: BackupPage; realNow: number }) {
  const v = data.vault.value;
  const p = data.policy.value;
  const vaultTierPoints = data.clusters.reduce((n, c) => n + (c.recoveryPoints.value?.filter((r) => r.tiers.includes('vault')).length ?? 0), 0);
  const allPoints = data.clusters.reduce((n, c) => n + (c.recoveryPoints.value?.length ?? 0), 0);
  return (
    <section aria-label="backup vault" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="text-base font-semibold">Backup vault {v ? v.name : ''}</h2>
      <SourceNote what="Data Protection API (vault)" src={data.vault} realNow={realNow} />
      {v && (
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Redundancy</dt>
          <dd aria-label="vault redundancy">{v.redundancy}</dd>
          <dt className="text-slate-500">Cross-Region Restore</dt>
          <dd>{v.crossRegionRestore ? 'Enabled' : 'Disabled (not applied in this environment)'}</dd>
          <dt className="text-slate-500">Soft delete</dt>
          <dd>{v.softDelete ? `${v.softDelete.state}${v.softDelete.days ? `, ${v.softDelete.days} days` : ''}` : '—'}</dd>
          <dt className="text-slate-500">Location</dt>
          <dd>{v.location}</dd>
        </dl>
      )}
      <SourceNote what="Data Protection API (policy)" src={data.policy} realNow={realNow} />
      {p && (
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">Policy</dt>
          <dd>{p.name}</dd>
          <dt className="text-slate-500">Schedule</dt>
          <dd aria-label="schedule">
            {p.schedule.join(', ') || '—'} {p.timeZone ? `(${p.timeZone})` : ''}
          </dd>
          <dt className="text-slate-500">Retention</dt>
          <dd aria-label="retention">
            {p.retention.map((r) => `${r.deleteAfter} in ${r.store} (${r.tier} tier)${r.copiesTo.length ? `, copied to ${r.copiesTo.join(', ')}` : ''}`).join('; ') || '—'}
          </dd>
        </dl>
      )}
      {v && (
        <p aria-label="what the redundancy covers" className="mt-3 rounded bg-sky-50 px-3 py-2 text-sm text-sky-900">
          The vault&apos;s {v.redundancy} setting covers the <strong>vault tier</strong> only. AKS backups here are taken in the{' '}
          <strong>operational tier</strong> — disk snapshots in the snapshot resource group and backup state in a blob container per cluster,
          in the same region — which the vault&apos;s redundancy does not cover. {vaultTierPoints} of {allPoints} recovery points listed are in the vault tier
          (<Link href="/docs/azure-differences#where-backups-live" className="underline">where backups live</Link>).
        </p>
      )}
    </section>
  );
}

function JobsTable({ c, now, realNow }: { c: ClusterBackup; now: number; realNow: number }) {
  const jobs = c.jobs.value ?? [];
  return (
    <div>
      <h3 className="mb-1 text-sm font-semibold">Jobs</h3>
      <SourceNote what="Data Protection API (jobs)" src={c.jobs} realNow={realNow} />
      {jobs.length === 0 && c.jobs.value ? (
        <p className="text-sm text-slate-500">No jobs.</p>
      ) : (
        <table aria-label={`jobs ${c.name}`} className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-400">
              <th className="font-medium">Started</th>
              <th className="font-medium">Kind</th>
              <th className="font-medium">Status</th>
              <th className="font-medium">Duration</th>
              <th className="font-medium">Error</th>
            </tr>
          </thead>
          <tbody>
            {jobs.slice(0, 10).map((j) => (
              <tr key={j.id} className="border-t border-slate-100 align-top">
                <td className="py-1 pr-3 tabular-nums"><When at={j.startTime} seconds local /></td>
                <td className="pr-3">{j.category === 'Restore' ? 'Restore' : j.userTriggered ? 'On demand' : 'Scheduled'}</td>
                <td className={`pr-3 ${j.state === 'failed' ? 'font-medium text-rose-700' : j.state === 'running' ? 'text-amber-700' : ''}`}>{j.status}</td>
                <td className="pr-3 tabular-nums">{formatSpan((j.endTime ?? now) - j.startTime)}</td>
                <td className="text-xs text-rose-700">{j.errors.map((e) => `${e.code ?? ''}${e.code && e.message ? ': ' : ''}${e.message ?? ''}`).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function PointsTable({ c, now, realNow }: { c: ClusterBackup; now: number; realNow: number }) {
  const points = c.recoveryPoints.value ?? [];
  return (
    <div>
      <h3 className="mb-1 text-sm font-semibold">Recovery points</h3>
      <SourceNote what="Data Protection API (recovery points)" src={c.recoveryPoints} realNow={realNow} />
      {points.length === 0 && c.recoveryPoints.value ? (
        <p className="text-sm text-slate-500">No recovery points.</p>
      ) : (
        <table aria-label={`recovery points ${c.name}`} className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-400">
              <th className="font-medium">Taken</th>
              <th className="font-medium">Tier</th>
              <th className="font-medium">Expires</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.id} className="border-t border-slate-100">
                <td className="py-1 pr-3 tabular-nums"><When at={p.time} seconds local /></td>
                <td className="pr-3">{p.tiers.length ? p.tiers.join(' + ') : 'unknown'}</td>
                <td className="tabular-nums">{p.expiry !== undefined ? <><When at={p.expiry} /> (in {formatSpan(p.expiry - now)})</> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * "Restore latest": the newest usable recovery point, named with its time in the confirmation and beside
 * the button; the point confirmed is the point restored (its id goes with the request).
 */
function RestoreControl({ c, action, deniedReason }: { c: ClusterBackup; action: BackupActions['restoreLatest']; deniedReason?: string }) {
  const point = c.restorable;
  const busy = c.jobs.value?.find((j) => j.state === 'running');
  const disabled =
    deniedReason ??
    (!c.instance.value
      ? 'No backup instance for this cluster.'
      : !point
        ? 'No completed recovery point to restore from.'
        : busy
          ? `A ${busy.category === 'Restore' ? 'restore' : 'backup'} of this cluster is running.`
          : undefined);
  const confirm = point
    ? `Restore ${c.name} in place from recovery point ${point.id}, taken ${whenText(point.time, { seconds: true })} (${point.tier} tier)? Resources that exist are left as they are; missing ones are recreated from the backup.`
    : undefined;
  return (
    <div className="flex flex-col items-end gap-1">
      <PowerButton label="Restore latest" variant="danger" action={action} input={{ cluster: c.key, recoveryPointId: point?.id }} confirm={confirm} disabledReason={disabled} />
      {point && (
        <span aria-label={`restore point ${c.name}`} className="text-xs text-slate-500">
          from <When at={point.time} seconds /> ({point.tier})
        </span>
      )}
    </div>
  );
}

/** What became of the last "restore latest" asked of this process: waiting for its job, its job's status, or why it failed. */
function RestoreProgress({ c }: { c: ClusterBackup }) {
  const r = c.restore;
  if (!r) return null;
  if (r.error) {
    return (
      <p role="alert" className="mt-2 text-sm text-rose-700">
        The last restore request failed: {r.error.message}
      </p>
    );
  }
  const job = r.jobId ? c.jobs.value?.find((j) => j.id === r.jobId) : undefined;
  return (
    <p role="status" aria-label={`restore progress ${c.name}`} className="mt-2 text-sm text-slate-600">
      Restore from the recovery point of <When at={r.recoveryPoint.time} seconds />, requested by {r.actor}:{' '}
      {job ? <span className={job.state === 'failed' ? 'font-medium text-rose-700' : ''}>job {job.status}</span> : 'waiting for Data Protection to start the job…'}
    </p>
  );
}

function ClusterBackupCard({ c, now, realNow, actions, deniedReason }: { c: ClusterBackup; now: number; realNow: number; actions: BackupActions; deniedReason?: string }) {
  const rpo = c.rpo ? RPO_LABEL[c.rpo.status] : { text: 'unknown', tone: 'bg-slate-100 text-slate-700' };
  const instance = c.instance.value;
  const running = c.jobs.value?.some((j) => j.state === 'running' && j.category === 'Backup');
  const requested = c.pending && !c.pending.settledAt && !c.jobs.value?.some((j) => j.id === c.pending?.jobId);
  const disabled = deniedReason ?? (!instance ? 'No backup instance for this cluster.' : running ? 'A backup of this cluster is running.' : undefined);
  return (
    <section aria-label={`backup ${c.name}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-start gap-3">
        <div>
          <h2 className="text-base font-semibold">
            {c.name}
          </h2>
          <div className="text-xs text-slate-500">
            {instance ? `${instance.name} · ${instance.protectionStatus}` : c.instance.value === null ? 'not protected: no backup instance' : 'backup instance unknown'}
            {' · '}power {c.power}
          </div>
        </div>
        <span aria-label="RPO status" className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${rpo.tone}`}>
          {rpo.text}
        </span>
        <div className="ml-auto flex items-start gap-2">
          <PowerButton label="Back up now" action={actions.backUpNow} input={{ cluster: c.key }} disabledReason={disabled} />
          <RestoreControl c={c} action={actions.restoreLatest} deniedReason={deniedReason} />
        </div>
      </div>
      <SourceNote what="Data Protection API (backup instances)" src={c.instance} realNow={realNow} />
      <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Last good backup</dt>
        <dd aria-label="last good backup">
          {c.rpo?.ageMs !== undefined ? `${formatSpan(c.rpo.ageMs)} ago, against a 24 h RPO` : c.rpo ? 'none' : 'unknown'}
        </dd>
        {c.rpo && c.rpo.reasons.length > 0 && (
          <>
            <dt className="text-slate-500">Why</dt>
            <dd>{c.rpo.reasons.join('; ')}</dd>
          </>
        )}
        <dt className="text-slate-500">Next scheduled run</dt>
        <dd aria-label="next scheduled run">
          {c.nextRunAt !== undefined ? <><When at={c.nextRunAt} seconds local /> (in {formatSpan(c.nextRunAt - now)})</> : 'unknown'}
        </dd>
        {instance?.protectionError && (
          <>
            <dt className="text-slate-500">Protection error</dt>
            <dd className="text-rose-700">
              {instance.protectionError.code}: {instance.protectionError.message}
            </dd>
          </>
        )}
      </dl>
      {c.power === 'Stopped' && (
        <p className="mt-2 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">This cluster is stopped: Azure Backup cannot back up a stopped cluster, so a backup now or at the next run fails (<Link href="/docs/azure-differences#where-backups-live" className="underline">why</Link>).</p>
      )}
      {requested && (
        <p role="status" className="mt-2 text-sm text-slate-600">
          Backup requested by {c.pending!.actor}; waiting for Data Protection to start the job…
        </p>
      )}
      {c.pending?.error && (
        <p role="alert" className="mt-2 text-sm text-rose-700">
          The last back-up-now request failed: {c.pending.error.message}
        </p>
      )}
      <RestoreProgress c={c} />
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <JobsTable c={c} now={now} realNow={realNow} />
        <PointsTable c={c} now={now} realNow={realNow} />
      </div>
    </section>
  );
}

const VERDICT: Record<DrRow['verdict'], { text: string; tone: string }> = {
  recoverable: { text: 'recoverable', tone: 'text-emerald-700' },
  'not-recoverable': { text: 'not recoverable', tone: 'text-rose-700' },
  unknown: { text: 'unknown', tone: 'text-slate-500' },
};

function DrTable({ rows }: { rows: DrRow[] }) {
  return (
    <section aria-label="DR scenarios" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="mb-2 text-base font-semibold">DR scenarios, given the current state <Link href="/docs/environment#backup-and-recovery" className="text-sm font-normal underline">(the recovery goals)</Link></h2>
      <table aria-label="DR table" className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs uppercase tracking-wide text-slate-400">
            <th className="font-medium">Scenario</th>
            <th className="font-medium">Recovery</th>
            <th className="font-medium">RTO</th>
            <th className="font-medium">Now</th>
            <th className="font-medium">Why</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} aria-label={`scenario ${r.scenario}`} className="border-t border-slate-100 align-top">
              <th scope="row" className="py-1 pr-3 text-left font-medium">{r.scenario}</th>
              <td className="pr-3">{r.method}</td>
              <td className="pr-3">{r.rto}</td>
              <td className={`pr-3 font-medium ${VERDICT[r.verdict].tone}`}>{VERDICT[r.verdict].text}</td>
              <td className="text-xs text-slate-600">{r.reasons.join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The backup page's heading, sent before any read; the time of the answer joins it when the answer arrives. */
export function BackupHeading({ target, asOf }: { target: 'twin' | 'azure'; asOf?: number }) {
  return (
    <div>
      <h1 className="text-xl font-semibold">Backup</h1>
      <p className="text-sm text-slate-600">
        Azure Backup for AKS: RPO 24 h, RTO 30 min. From the Data Protection API{target === 'twin' ? ' (twin)' : ''}{asOf === undefined ? '.' : <>, as of <When at={asOf} seconds />.</>}
      </p>
    </div>
  );
}

export function BackupPermissionNote({ deniedReason }: { deniedReason?: string }) {
  return <PermissionNote deniedReason={deniedReason}>You can watch everything here. Backing up and restoring are not available to you:</PermissionNote>;
}

/** The backup page's body: vault, one card per cluster, the DR table. Props only. */
export function BackupView({ data, realNow, actions, deniedReason }: { data: BackupPage; realNow: number; actions: BackupActions; deniedReason?: string }) {
  return (
    <div className="flex flex-col gap-6">
      <VaultPanel data={data} realNow={realNow} />
      {data.clusters.map((c) => (
        <ClusterBackupCard key={c.key} c={c} now={data.now} realNow={realNow} actions={actions} deniedReason={deniedReason} />
      ))}
      <DrTable rows={data.dr} />
    </div>
  );
}
