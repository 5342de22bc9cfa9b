import 'server-only';
import { getConfig } from '../config';
import { clusterName } from '../domain/cluster';
import { getDb } from '../db';
import {
  NOT_MODELLED,
  compareStrategies,
  currentBurnRate,
  dashboardLines,
  defaultIdleState,
  environmentLines,
  hoursLeftWithinBudget,
  hoursToMonthEnd,
  projectedCrossingDay,
  sessionCost,
  sumPerHour,
  type CostLine,
  type DailyCost,
  type HoursLeft,
  type StrategyCost,
} from '../domain/cost';
import type { UserError } from '../errors';
import { getTopology } from '../topology';
import { forecastCost, getBudget, queryCost, type BudgetView, type CostRow } from './client';
import { evaluateGuard, getGuard, type GuardSettings } from './guard';
import { livePrices, toCostTopology } from '../topology/cost-topology';
import { readAnswer, refreshOnDemand, type AnswerSpec, type Stored } from './store';

export { guardInput, setGuard, type GuardInput, type GuardSettings } from './guard';

/**
 * The budget page's one query. Actual and forecast figures come from Cost
 * Management and the budget as stored (refreshed in the background);
 * modelled figures come from the live topology and list prices.
 */
interface CostAnswerValue {
  asOf: number;
  rows: CostRow[];
}

const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);

function scope(): string {
  return `subscriptions/${getConfig().subscriptionId}`;
}

function monthToDateSpec(): AnswerSpec<CostAnswerValue> {
  const cfg = getConfig();
  return {
    key: `${scope()}|query|mtd-daily-rg-service`,
    scope: scope(),
    kind: 'query',
    maxAgeMs: cfg.cost.refreshMs,
    outdated: (v) => monthOf(v.asOf) !== monthOf(estimateNow(v.asOf, Date.now())),
    // One query (1 QPU) feeds the daily bars and every breakdown.
    load: async () => {
      const a = await queryCost(scope(), {
        type: 'ActualCost',
        timeframe: 'MonthToDate',
        dataset: {
          granularity: 'Daily',
          aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
          grouping: [
            { type: 'Dimension', name: 'ResourceGroup' },
            { type: 'Dimension', name: 'ServiceName' },
          ],
        },
      });
      return { asOf: a.asOf, rows: a.rows };
    },
  };
}

function forecastSpec(): AnswerSpec<CostAnswerValue> {
  const cfg = getConfig();
  return {
    key: `${scope()}|forecast|month-daily`,
    scope: scope(),
    kind: 'forecast',
    maxAgeMs: cfg.cost.refreshMs,
    outdated: (v) => monthOf(v.asOf) !== monthOf(estimateNow(v.asOf, Date.now())),
    load: async () => {
      // The month is the target's: on the twin its clock runs ahead, so ask with a whole-month window it clips itself.
      const probe = await queryCost(scope(), {
        type: 'ActualCost',
        timeframe: 'MonthToDate',
        dataset: { granularity: 'None', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } } },
      });
      const d = new Date(probe.asOf);
      const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString();
      const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0, 23, 59, 59)).toISOString();
      const f = await forecastCost(scope(), {
        type: 'ActualCost',
        timeframe: 'Custom',
        timePeriod: { from, to },
        dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } } },
        includeActualCost: false,
        includeFreshPartialCost: false,
      });
      const actual = probe.rows.reduce((s, r) => s + r.cost, 0);
      return { asOf: f.asOf, rows: [{ cost: actual, groups: {}, status: 'Actual' as const }, ...f.rows.filter((r) => r.status === 'Forecast')] };
    },
    onFresh: async (v) => {
      const projected = v.rows.reduce((s, r) => s + r.cost, 0);
      await evaluateGuard(projected, cfg.cost.budgetAmount);
    },
  };
}

function budgetSpec(): AnswerSpec<BudgetView> {
  return { key: `${scope()}|budget|${getConfig().cost.budgetName}`, scope: scope(), kind: 'budget', maxAgeMs: getConfig().cost.refreshMs, load: () => getBudget() };
}

/** The target's "now": the last answer's `Date` plus the time since (the twin's clock is the wall clock, as Azure's is). */
function estimateNow(asOf: number | undefined, fetchedAtReal: number | undefined): number {
  if (asOf === undefined || fetchedAtReal === undefined) return Date.now();
  return asOf + (Date.now() - fetchedAtReal);
}

export interface SourceStatus {
  status: 'ok' | 'stale' | 'failed' | 'pending';
  fetchedAt?: number;
  error?: UserError;
  throttledUntil?: number;
  refreshing: boolean;
}

function statusOf<T>(s: Stored<T>, maxAgeMs: number): SourceStatus {
  const base = { fetchedAt: s.fetchedAt, error: s.error, throttledUntil: s.throttledUntil, refreshing: s.refreshing };
  if (s.value === undefined) return { ...base, status: s.error ? 'failed' : 'pending' };
  const stale = (s.error && (s.errorAt ?? 0) > (s.fetchedAt ?? 0)) || (s.fetchedAt !== undefined && Date.now() - s.fetchedAt > 2 * maxAgeMs);
  return { ...base, status: stale ? 'stale' : 'ok' };
}

export interface Breakdown {
  name: string;
  amount: number;
}

export interface BudgetPageData {
  target: 'twin' | 'azure';
  budgetAmount: number;
  budget: { value?: BudgetView; source: SourceStatus };
  actual: {
    source: SourceStatus;
    asOf?: number;
    monthToDate?: number;
    daily: { date: string; actual: number; forecast: number }[];
    byCluster: Breakdown[];
    byResourceGroup: Breakdown[];
    byService: Breakdown[];
  };
  forecast: { source: SourceStatus; asOf?: number; monthEnd?: number; crossing: { date: string; kind: 'actual' | 'forecast' } | null };
  /** The target's time the modelled figures are computed at. */
  now: number;
  hoursToMonthEnd: number;
  modelled: {
    topologyStatus: 'ok' | 'partial' | 'failed';
    burnRatePerHour: number | null;
    awakePerHour: number | null;
    idlePerHour: number | null;
    /** `name` is the cluster's resource name, what a page shows. */
    idleStates: { cluster: string; name: string; mode: string; state: string }[];
    hoursLeft: HoursLeft | null;
    strategies: StrategyCost[];
    schedule: { awakeHoursPerMonth: number; sessionsPerMonth: number };
    notModelled: readonly string[];
    /** The dashboard's own hosting (empty when it runs outside the environment); a line without a price says where to read it. */
    dashboard: CostLine[];
  };
  session: { wokeAt: number | null; cost: number | null };
  guard: GuardSettings;
}

function clusterOf(resourceGroup: string): string {
  const rg = resourceGroup.toLowerCase();
  for (const c of getConfig().clusters) {
    const own = c.resourceGroup.toLowerCase();
    if (rg === own || rg.startsWith(`mc_${own}_`)) return c.key;
  }
  return 'common';
}

function breakdown(rows: CostRow[], by: (r: CostRow) => string): Breakdown[] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(by(r), (m.get(by(r)) ?? 0) + r.cost);
  return [...m.entries()].map(([name, amount]) => ({ name, amount })).sort((a, b) => b.amount - a.amount);
}

export async function getBudgetPage(): Promise<BudgetPageData> {
  const cfg = getConfig();
  const mtdSpec = monthToDateSpec();
  const fcSpec = forecastSpec();
  const bSpec = budgetSpec();
  const [mtd, fc, budget, topology, guard, lastWake, live] = await Promise.all([
    readAnswer(mtdSpec),
    readAnswer(fcSpec),
    readAnswer(bSpec),
    getTopology(),
    getGuard(),
    getDb().operation.findFirst({ where: { kind: { in: ['start', 'wake'] }, status: 'Succeeded' }, orderBy: { finishedAt: 'desc' } }),
    livePrices(),
  ]);

  const now = estimateNow(mtd.value?.asOf, mtd.fetchedAt);
  const rows = mtd.value?.rows ?? [];
  const dailyActual = breakdown(rows, (r) => r.date ?? '?');
  const forecastRows = (fc.value?.rows ?? []).filter((r) => r.status === 'Forecast' && r.date);
  const days = new Map<string, { actual: number; forecast: number }>();
  for (const d of dailyActual) days.set(d.name, { actual: d.amount, forecast: 0 });
  for (const r of forecastRows) {
    const e = days.get(r.date!) ?? { actual: 0, forecast: 0 };
    e.forecast += r.cost;
    days.set(r.date!, e);
  }
  const daily = [...days.entries()].map(([date, v]) => ({ date, ...v })).sort((a, b) => a.date.localeCompare(b.date));
  const monthToDate = mtd.value ? rows.reduce((s, r) => s + r.cost, 0) : undefined;
  const monthEnd = fc.value ? fc.value.rows.reduce((s, r) => s + r.cost, 0) : undefined;
  const crossingDays: DailyCost[] = daily.flatMap((d) => [
    { date: d.date, amount: d.actual, kind: 'actual' as const },
    ...(d.forecast > 0 ? [{ date: d.date, amount: d.forecast, kind: 'forecast' as const }] : []),
  ]);

  // Modelled: from the live topology (shared ARM reads) and list prices.
  const p = live.sheet;
  const known = topology.clusters.filter((c) => c.view);
  const topologyStatus = known.length === topology.clusters.length ? 'ok' : known.length > 0 ? 'partial' : 'failed';
  const t = toCostTopology(topology, cfg.commonResourceGroup);
  let modelled: BudgetPageData['modelled'] = {
    topologyStatus, burnRatePerHour: null, awakePerHour: null, idlePerHour: null, idleStates: [], hoursLeft: null,
    strategies: [], schedule: cfg.cost.schedule, notModelled: NOT_MODELLED, dashboard: dashboardLines(cfg.cost.dashboard, p, live.hosting),
  };
  const hoursLeftInMonth = hoursToMonthEnd(now);
  if (t.clusters.length > 0) {
    const burn = currentBurnRate(t, p).perHour;
    const awakePerHour = sumPerHour(environmentLines(t, { clusters: {}, bastion: t.bastion }, p));
    const idle = Object.fromEntries(t.clusters.map((c) => [c.key, defaultIdleState(c)]));
    const idlePerHour = sumPerHour(environmentLines(t, { clusters: idle, bastion: t.bastion }, p));
    modelled = {
      ...modelled,
      burnRatePerHour: burn,
      awakePerHour,
      idlePerHour,
      idleStates: t.clusters.map((c) => ({ cluster: c.key, name: clusterName(getConfig().clusters, c.key), mode: c.nodeProvisioningMode, state: idle[c.key] })),
      hoursLeft:
        monthToDate === undefined
          ? null
          : hoursLeftWithinBudget({ budget: cfg.cost.budgetAmount, spentToDate: monthToDate, hoursRemaining: hoursLeftInMonth, awakePerHour, idlePerHour }),
      strategies: compareStrategies(t, cfg.cost.schedule, p),
    };
  }
  const allAwake = t.clusters.length > 0 && t.clusters.every((c) => c.powerState === 'Running');
  const wokeAt = lastWake?.finishedAt?.getTime() ?? null;

  return {
    target: cfg.target,
    budgetAmount: cfg.cost.budgetAmount,
    budget: { value: budget.value, source: statusOf(budget, cfg.cost.refreshMs) },
    actual: {
      source: statusOf(mtd, cfg.cost.refreshMs),
      asOf: mtd.value?.asOf,
      monthToDate,
      daily,
      byCluster: breakdown(rows, (r) => clusterOf(r.groups.ResourceGroup ?? '')),
      byResourceGroup: breakdown(rows, (r) => r.groups.ResourceGroup ?? '?'),
      byService: breakdown(rows, (r) => r.groups.ServiceName ?? '?'),
    },
    forecast: { source: statusOf(fc, cfg.cost.refreshMs), asOf: fc.value?.asOf, monthEnd, crossing: projectedCrossingDay(crossingDays, cfg.cost.budgetAmount) },
    now,
    hoursToMonthEnd: hoursLeftInMonth,
    modelled,
    session: {
      wokeAt,
      cost:
        wokeAt !== null && allAwake && modelled.burnRatePerHour !== null
          ? sessionCost(0, Date.now() - wokeAt, modelled.burnRatePerHour)
          : null,
    },
    guard,
  };
}

/** "Refresh now" (within the quota): all three answers, each refused if Cost Management asked to wait. */
export async function refreshCostNow(): Promise<{ answer: string; refreshed: boolean; reason?: string }[]> {
  const min = getConfig().cost.onDemandMinMs;
  const specs: AnswerSpec<unknown>[] = [monthToDateSpec(), forecastSpec(), budgetSpec()] as AnswerSpec<unknown>[];
  return Promise.all(specs.map(async (s) => ({ answer: s.kind, ...(await refreshOnDemand(s, min)) })));
}
