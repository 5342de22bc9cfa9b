import Link from 'next/link';
import { When } from '@/components/ui/when';
import type { BudgetPageData, Breakdown, SourceStatus } from '@/lib/cost';
import { formatAge } from '../ui/age';
import { BurnChart } from './burn-chart';
import { GuardForm, RefreshButton, type ActionResult, type GuardSettingsInput } from './cost-actions';
import { hours, money, perHour } from './format';

export interface BudgetActions {
  saveGuard: (i: GuardSettingsInput) => Promise<ActionResult>;
  refresh: (i: Record<string, never>) => Promise<ActionResult>;
}

type Kind = 'actual' | 'forecast' | 'modelled';
const KIND_TONE: Record<Kind, string> = {
  actual: 'bg-teal-100 text-teal-800',
  forecast: 'bg-cyan-50 text-cyan-800',
  modelled: 'bg-violet-100 text-violet-800',
};

function Provenance({ kind, source, now, asOfLabel }: { kind: Kind; source?: SourceStatus; now: number; asOfLabel?: string }) {
  let age = asOfLabel ?? '';
  if (source) {
    if (source.status === 'pending') age = source.refreshing ? 'loading from Cost Management…' : 'no answer yet';
    else if (source.fetchedAt) age = `fetched ${formatAge(now - source.fetchedAt)}${source.status === 'stale' ? ' · stale' : ''}${source.refreshing ? ' · refreshing' : ''}`;
    if (source.status === 'failed') age = 'failed';
  }
  return (
    <span className="text-xs text-slate-500">
      <span className={`mr-1 rounded px-1.5 py-0.5 font-medium ${KIND_TONE[kind]}`}>{kind}</span>
      {age}
    </span>
  );
}

function Tile({ label, value, kind, source, now, note, asOfLabel }: { label: string; value: string; kind: Kind; source?: SourceStatus; now: number; note?: React.ReactNode; asOfLabel?: string }) {
  return (
    <div role="group" aria-label={label} className="rounded-lg border border-slate-200 bg-white p-3">
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-figure>
        {value}
      </div>
      <Provenance kind={kind} source={source} now={now} asOfLabel={asOfLabel} />
      {note && <p className="mt-1 text-xs text-slate-600">{note}</p>}
    </div>
  );
}

function SourceProblem({ name, source, now }: { name: string; source: SourceStatus; now: number }) {
  if (!source.error) return null;
  return (
    <p role="alert" className="text-sm text-rose-700">
      {name}: {source.error.message}
      {source.throttledUntil && source.throttledUntil > now ? <> — next try after <When at={source.throttledUntil} seconds /></> : ''}
      {source.fetchedAt ? ` (showing the answer from ${formatAge(now - source.fetchedAt)})` : ''}
    </p>
  );
}

function BreakdownTable({ title, rows }: { title: string; rows: Breakdown[] }) {
  return (
    <section aria-label={title} className="rounded-lg border border-slate-200 bg-white p-3">
      <h3 className="mb-1 text-sm font-semibold">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">No actual cost yet.</p>
      ) : (
        <table className="w-full text-sm">
          <tbody>
            {rows.map((r) => (
              <tr key={r.name} className="border-t border-slate-100">
                <td className="py-1 pr-2 break-all">{r.name}</td>
                <td className="py-1 text-right tabular-nums">{money(r.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const STATE_LABEL: Record<string, string> = {
  stopped: 'full AKS stop',
  asleep: 'sleep (system pool at minimum, ingress 0, no Spot; control plane billing)',
  'asleep-free': 'sleep on the Free tier',
  'torn-down': 'torn down',
  awake: 'awake',
};

/** The budget page's heading: from the settings only, so it is sent before any read. */
export function BudgetHeading({ budgetAmount, target, refresh }: { budgetAmount: number; target: 'twin' | 'azure'; refresh: BudgetActions['refresh'] }) {
  return (
    <div className="flex flex-wrap items-end gap-4">
      <div>
        <h1 className="text-xl font-semibold">Budget burn</h1>
        <p className="text-sm text-slate-600">
          Monthly budget {money(budgetAmount)} · {target === 'twin' ? "the twin's bill, on the twin's clock" : 'Azure Cost Management'} ·
          modelled figures use list prices on the live topology (<Link href="/docs/environment#cost" className="underline">how the cost is modelled</Link>)
        </p>
      </div>
      <div className="ml-auto">
        <RefreshButton refresh={refresh} />
      </div>
    </div>
  );
}

/** The budget page's body: props only; the guard form is the client leaf. */
export function BudgetView({ data, actions, realNow }: { data: BudgetPageData; actions: BudgetActions; realNow: number }) {
  const { actual, forecast, modelled, budgetAmount } = data;
  const hl = modelled.hoursLeft;
  const napClusters = modelled.idleStates.filter((s) => s.mode === 'Auto').map((s) => s.name);
  const asOf = actual.asOf ? <>as of <When at={actual.asOf} /></> : undefined;
  const fullStop = modelled.strategies.find((s) => s.id === 'full-stop' && s.bastion && s.caveats.length === 0);
  return (
    <div className="flex flex-col gap-6">
      <SourceProblem name="Cost Management (month to date)" source={actual.source} now={realNow} />
      <SourceProblem name="Cost Management (forecast)" source={forecast.source} now={realNow} />
      <SourceProblem name="Consumption budget" source={data.budget.source} now={realNow} />
      {modelled.topologyStatus !== 'ok' && (
        <p role="alert" className="text-sm text-rose-700">
          The topology is {modelled.topologyStatus === 'failed' ? 'unavailable' : 'partly unavailable'}: modelled figures cover only the clusters that answered.
        </p>
      )}

      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6">
        <Tile label="Month to date" value={money(actual.monthToDate)} kind="actual" source={actual.source} now={realNow} note={asOf} />
        <Tile label="Forecast to month end" value={money(forecast.monthEnd)} kind="forecast" source={forecast.source} now={realNow} note={`against the ${money(budgetAmount)} budget`} />
        <Tile
          label="Budget crossed on"
          value={forecast.crossing ? forecast.crossing.date : forecast.monthEnd !== undefined ? 'not this month' : '—'}
          kind={forecast.crossing?.kind === 'actual' ? 'actual' : 'forecast'}
          source={forecast.source}
          now={realNow}
        />
        <Tile label="Burn rate" value={perHour(modelled.burnRatePerHour)} kind="modelled" now={realNow} asOfLabel="now, from the live power state" />
        <Tile
          label="Hours of uptime left"
          value={hl ? (hl.unlimited ? `all ${hours(data.hoursToMonthEnd)}` : hours(hl.hours)) : '—'}
          kind="modelled"
          now={realNow}
          asOfLabel={`this month within ${money(budgetAmount)}`}
          note={
            hl?.overEvenIdle
              ? `Even powered down from now on, the month ends at ${money(hl.idleFloor)}: over budget.`
              : modelled.awakePerHour !== null
                ? `${perHour(modelled.awakePerHour)} awake, ${perHour(modelled.idlePerHour)} powered down, ${hours(data.hoursToMonthEnd)} left in the month.`
                : undefined
          }
        />
        <Tile
          label="This session"
          value={data.session.cost !== null ? money(data.session.cost) : '—'}
          kind="modelled"
          now={realNow}
          asOfLabel={data.session.wokeAt ? `since the last power-up ${formatAge(realNow - data.session.wokeAt)}` : 'no power-up recorded by this dashboard yet'}
        />
      </div>

      <section aria-label="daily cost" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-1 text-base font-semibold">Month so far and forecast, by day</h2>
        <p className="mb-2 text-xs text-slate-500">
          Cumulative: <span className="font-medium text-teal-800">actual</span> (Cost Management, {asOf ?? 'no answer yet'}) and{' '}
          <span className="font-medium text-cyan-700">forecast</span>; the dashed line is the budget.
        </p>
        {actual.daily.length > 0 ? <BurnChart days={actual.daily} budget={budgetAmount} /> : <p className="text-sm text-slate-500">No cost data yet.</p>}
      </section>

      <div className="grid gap-3 lg:grid-cols-3">
        <BreakdownTable title="By cluster (actual, month to date)" rows={actual.byCluster} />
        <BreakdownTable title="By resource group (actual)" rows={actual.byResourceGroup} />
        <BreakdownTable title="By service (actual)" rows={actual.byService} />
      </div>

      <section aria-label="strategies" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-1 text-base font-semibold">What each way of powering down costs a month</h2>
        <p className="mb-2 text-xs text-slate-500">
          <span className={`mr-1 rounded px-1.5 py-0.5 font-medium ${KIND_TONE.modelled}`}>modelled</span>
          On this topology, awake {modelled.schedule.awakeHoursPerMonth} h a month in {modelled.schedule.sessionsPerMonth} sessions, powered down the rest of a 730-hour month.
          Hours left above assume each cluster&apos;s own strategy:{' '}
          {modelled.idleStates.map((s) => `${s.name} → ${STATE_LABEL[s.state] ?? s.state}`).join('; ')}.
        </p>
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-400">
              <th className="font-medium">Strategy</th>
              <th className="font-medium">Bastion when idle</th>
              <th className="text-right font-medium">Awake</th>
              <th className="text-right font-medium">Powered down</th>
              <th className="text-right font-medium">Per month</th>
            </tr>
          </thead>
          <tbody>
            {modelled.strategies.map((s) => (
              <tr key={`${s.id}-${s.bastion}`} className="border-t border-slate-100 align-top">
                <td className="py-1 pr-2">
                  {s.label}
                  {s.caveats.length > 0 && <div className="text-xs text-rose-700">Not possible here: {s.caveats.join('; ')}. Costed as it would really bill.</div>}
                </td>
                <td>{s.id === 'always-on' ? '—' : s.id === 'tear-down' ? 'removed' : s.bastion ? 'kept' : 'removed'}</td>
                <td className="text-right tabular-nums">{perHour(s.awakePerHour)}</td>
                <td className="text-right tabular-nums">{perHour(s.idlePerHour)}</td>
                <td className={`text-right font-medium tabular-nums ${s.monthly > budgetAmount ? 'text-rose-700' : 'text-emerald-700'}`}>{money(s.monthly)}</td>
              </tr>
            ))}
            <tr className="border-t border-slate-200 bg-amber-50 align-top">
              <td className="py-1 pr-2">The architecture&apos;s figure: 8 h/day with AKS stop/start</td>
              <td>—</td>
              <td />
              <td />
              <td className="text-right tabular-nums">$200–220</td>
            </tr>
          </tbody>
        </table>
      </section>

      {modelled.dashboard.length > 0 && (
        <section aria-label="the dashboard's own hosting" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <h2 className="mb-1 text-base font-semibold">The dashboard&apos;s own hosting</h2>
          <p className="mb-2 text-xs text-slate-500">Billed while it exists, powered down or not; included in the figures above once its price is set.</p>
          <table className="w-full">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="font-medium">Item</th>
                <th className="text-right font-medium">Per hour</th>
                <th className="text-right font-medium">Per month</th>
              </tr>
            </thead>
            <tbody>
              {modelled.dashboard.map((l) => (
                <tr key={l.item} aria-label={l.item} className="border-t border-slate-100 align-top">
                  <td className="py-1 pr-2">
                    {l.item}
                    {l.priceNotSet && (
                      <div className="text-xs text-amber-800">
                        Price not set{l.priceNotSet.reason ? <>: {l.priceNotSet.reason}{l.priceNotSet.failedAt !== undefined && <> (<When at={l.priceNotSet.failedAt} />)</>}</> : ''}. Give <code className="font-mono">{l.priceNotSet.key}</code> in COST_PRICES from the published price for your region ({l.priceNotSet.source}). Not counted until then.
                      </div>
                    )}
                    {l.priceSource?.from === 'retail' && (
                      <div className="text-xs text-slate-500">
                        Azure Retail Prices API: meter {l.priceSource.meter}, {l.priceSource.currency}, read <When at={l.priceSource.fetchedAt} />
                      </div>
                    )}
                    {l.priceSource?.from === 'settings' && <div className="text-xs text-slate-500">Price from COST_PRICES</div>}
                  </td>
                  <td className="text-right tabular-nums">{l.priceNotSet ? '—' : perHour(l.perHour)}</td>
                  <td className="text-right tabular-nums">{l.priceNotSet ? '—' : money(l.perHour * 730)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section aria-label="where the architecture's cost figures do not hold" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm">
        <h2 className="mb-1 text-base font-semibold">
          Where the architecture&apos;s cost figures do not hold{' '}
          <Link href="/docs/azure-differences#what-the-environment-costs" className="text-sm font-normal underline">(details)</Link>
        </h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>
            The architecture&apos;s cost table for working hours (~$356) is computed on 160 hours (3 × $0.10 × 160 h = $48 for the control planes) but labelled &quot;24 h full run&quot;. With the same unit
            prices, 160 h of the clusters costs ≈ $354, and a 24/7 month ≈ $1,614 before Bastion.
          </li>
          <li>
            &quot;$200–220 with nightly stop/start&quot; does not hold.{' '}
            {napClusters.length > 0
              ? `${napClusters.join(', ')} use${napClusters.length === 1 ? 's' : ''} node auto-provisioning: AKS refuses to stop ${napClusters.length === 1 ? 'it' : 'them'}, so a nightly stop would fail. Power down puts ${napClusters.length === 1 ? 'it' : 'them'} to sleep instead, and asleep ${napClusters.length === 1 ? 'it' : 'they'} still bill${napClusters.length === 1 ? 's' : ''} the control plane and one system node.`
              : 'Where full stop works, 160 h of the clusters alone is ≈ $354, before what keeps billing while stopped.'}
            {fullStop ? ` Full stop on this topology: ${money(fullStop.monthly)} a month.` : ''}
          </li>
          <li>Missing from every pattern: Bastion (≈ $139/month if kept, $0.19/h), public IPs ($0.005/h each, billing even while stopped), and the items below.</li>
          <li>A Consumption budget only notifies, 8–24 h late; it stops nothing. The guard below acts.</li>
        </ul>
        <p className="mt-2 text-xs text-slate-600">Not modelled (no verified price): {modelled.notModelled.join('; ')}.</p>
      </section>

      <section aria-label="budget guard section" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-1 text-base font-semibold">Budget guard</h2>
        <p className="mb-2 text-xs text-slate-500">
          Admin only, off by default, audited. When a fresh forecast crosses {money(budgetAmount)}: record a notice, or power the environment down (the same command as the overview&apos;s
          Power down: clusters AKS can stop are stopped, clusters with node auto-provisioning are put to sleep).
          {data.guard.updatedBy ? ` Last changed by ${data.guard.updatedBy}.` : ''}
        </p>
        <GuardForm initial={{ enabled: data.guard.enabled, action: data.guard.action }} save={actions.saveGuard} />
        {data.guard.lastOutcome && (
          <p role="status" className="mt-2 text-sm text-amber-800">
            {data.guard.lastTriggeredAt ? `${formatAge(realNow - data.guard.lastTriggeredAt)}: ` : ''}
            {data.guard.lastOutcome}
          </p>
        )}
      </section>

      {data.budget.value && (
        <p className="text-xs text-slate-500">
          Consumption budget {data.budget.value.name}: {money(data.budget.value.amount)} {data.budget.value.timeGrain.toLowerCase()}, current spend {money(data.budget.value.currentSpend)}, notifications{' '}
          {data.budget.value.notifications.map((n) => `${n.thresholdType} ≥ ${n.threshold} %`).join(', ')} ·{' '}
          <Provenance kind="actual" source={data.budget.source} now={realNow} />
        </p>
      )}
    </div>
  );
}
