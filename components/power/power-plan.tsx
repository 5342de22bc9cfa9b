import Link from 'next/link';
import type { ClusterPowerView, PowerOverview } from '@/lib/power/plans';
import type { ClusterPlan } from '@/lib/domain/power-plan';
import { clusterName } from '@/lib/domain/cluster';
import { formatAge } from '../ui/age';

const usd = (n: number) => `$${n.toFixed(2)}`;
const usd3 = (n: number) => `$${n.toFixed(3)}`;

const ACTION_LABEL: Record<ClusterPlan['action'], string> = { stop: 'AKS stop', start: 'AKS start', sleep: 'Sleep', wake: 'Wake', none: 'Nothing to do' };
const PHASE_LABEL: Record<ClusterPlan['phase'], string> = {
  running: 'Awake', stopped: 'Stopped', asleep: 'Asleep', 'partially-asleep': 'Partially asleep', busy: 'Busy', unknown: 'Unknown',
};

export function phaseOf(v: ClusterPowerView | undefined): string | null {
  return v?.down ? PHASE_LABEL[v.down.phase] : null;
}

function Steps({ plan, label }: { plan: ClusterPlan; label: string }) {
  if (plan.action === 'none') return <p className="text-xs text-slate-500">{plan.reason}</p>;
  return (
    <div>
      <p className="text-xs text-slate-700">
        <strong>{ACTION_LABEL[plan.action]}</strong> · ≈ {plan.minutes} min · {plan.reason}
      </p>
      <ol aria-label={label} className="ml-5 mt-1 list-decimal text-xs text-slate-600">
        {plan.steps.map((s) => (
          <li key={s.id} title={s.doc}>
            {s.label} <span className="text-slate-400">— {s.doc.split(' (')[0]}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function ClusterPlanCard({ c }: { c: ClusterPowerView }) {
  const down = c.down;
  const target = down && down.action !== 'none' ? down.targetState : null;
  const saving = target ? c.awakePerHour - (c.perHour[target] ?? c.awakePerHour) : 0;
  const freeSaving = c.downFree && c.downFree.action !== 'none' ? c.awakePerHour - (c.perHour[c.downFree.targetState] ?? c.awakePerHour) : null;
  return (
    // A group, not a region: the overview's regions are named by cluster and tests find them by that name.
    <div role="group" aria-label={`plan ${c.name}`} className="rounded border border-slate-200 p-3">
      <div className="flex flex-wrap items-baseline gap-2">
        <h3 className="text-sm font-semibold">{c.name}</h3>
        {down && <span aria-label="sleep state" className="rounded-full bg-slate-100 px-2 py-0.5 text-xs">{PHASE_LABEL[down.phase]}</span>}
        {down && <span className="text-xs text-slate-500">strategy: {down.strategy}</span>}
        <span className="ml-auto text-xs text-slate-600" aria-label="saving per hour">
          {target ? <>saves <strong>{usd3(saving)}/h</strong> ({usd3(c.awakePerHour)} → {usd3(c.awakePerHour - saving)}/h, modelled){freeSaving !== null && <> · on the Free tier {usd3(freeSaving)}/h</>}</> : <>awake {usd3(c.awakePerHour)}/h (modelled)</>}
        </span>
      </div>
      {c.error && <p role="alert" className="mt-1 text-xs text-rose-700">{c.error}</p>}
      <div className="mt-2 grid gap-2 md:grid-cols-2">
        <div>
          <h4 className="text-xs font-medium uppercase tracking-wide text-slate-400">Power down</h4>
          {down ? <Steps plan={down} label={`power down steps ${c.key}`} /> : <p className="text-xs text-slate-500">No plan: the cluster state could not be read.</p>}
        </div>
        <div>
          <h4 className="text-xs font-medium uppercase tracking-wide text-slate-400">Power up</h4>
          {c.up ? <Steps plan={c.up} label={`power up steps ${c.key}`} /> : null}
        </div>
      </div>
    </div>
  );
}

/** The power plan of the environment, shown before it runs: per cluster what it will do, its steps, what it saves. */
export function PowerPlan({ overview, now, controls }: { overview: PowerOverview; now: number; controls: React.ReactNode }) {
  const o = overview;
  return (
    <section aria-label="power plan" className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-start gap-4">
        <div className="max-w-3xl">
          <h2 className="text-base font-semibold">Power down / power up</h2>
          <p className="text-sm text-slate-600" aria-label="environment saving">
            Power down saves <strong>{usd(o.savingPerHour)}/h</strong> of {usd(o.awakePerHour)}/h for the clusters
            {o.savingPerHourFree > o.savingPerHour && <> ({usd(o.savingPerHourFree)}/h with the Free tier while asleep)</>}; removing Bastion saves {usd3(o.bastion.perHour)}/h more.
            Modelled from the live topology and list prices, not billed figures. AKS stops clusters whose node provisioning is Manual;
            it refuses clusters with node auto-provisioning, which are put to sleep: their control plane, system node and public IPs keep billing
            (<Link href="/docs/azure-differences#nightly-stop-and-node-auto-provisioning" className="underline">why</Link>).
          </p>
        </div>
        <div className="ml-auto">{controls}</div>
      </div>
      <div className="mt-3 grid gap-3">
        {o.clusters.map((c) => (
          <ClusterPlanCard key={c.key} c={c} />
        ))}
      </div>
      <details className="mt-3 text-xs text-slate-600">
        <summary className="cursor-pointer font-medium">Other strategies: tear down, switching node auto-provisioning off</summary>
        <p className="mt-2">
          <strong>Tear down</strong>: <code>tofu destroy</code> between sessions, <code>tofu apply</code> + add-on install to wake, through Jobs (Admin).
          While torn down, only the shared resources that are kept go on billing: {usd3(o.tearDown.idlePerHour)}/h; each session adds ≈ {o.tearDown.overheadMinutes} min of apply and destroy.
        </p>
        <p className="mt-2">
          <strong>{o.napOff.label}</strong> (≈ {o.napOff.minutes} min each way; {o.napOff.doc}). Offered, not automated. Risks: {o.napOff.risks.join(' ')}
        </p>
      </details>
      {o.runs.length > 0 && (
        <table aria-label="sleep and wake runs" className="mt-3 w-full text-xs">
          <thead>
            <tr className="text-left uppercase tracking-wide text-slate-400">
              <th className="font-medium">When</th><th className="font-medium">What</th><th className="font-medium">Target</th><th className="font-medium">By</th><th className="font-medium">Status</th><th className="font-medium">Steps</th>
            </tr>
          </thead>
          <tbody>
            {o.runs.map((r) => (
              <tr key={r.id} aria-label={`run ${r.direction} ${r.cluster}`} className="border-t border-slate-100 align-top">
                <td className="py-1">{formatAge(now - r.startedAt.getTime())}</td>
                <td>{r.direction}{r.strategy !== 'bastion' ? ` (${r.strategy})` : ''}</td>
                <td>{clusterName(o.clusters, r.cluster)}</td>
                <td>{r.actorName}</td>
                <td className={r.status === 'Failed' ? 'text-rose-700' : ''}>{r.status}{r.error ? ` — ${r.error}` : ''}</td>
                <td>
                  <ol aria-label="steps" className="flex flex-wrap gap-1">
                    {r.steps.map((s) => (
                      <li key={s.id} title={s.detail ?? undefined} className={`rounded px-1 ${s.status === 'done' ? 'bg-emerald-50 text-emerald-800' : s.status === 'running' ? 'bg-amber-50 text-amber-800' : s.status === 'failed' ? 'bg-rose-50 text-rose-800' : 'bg-slate-50 text-slate-500'}`}>
                        {s.label}
                      </li>
                    ))}
                  </ol>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
