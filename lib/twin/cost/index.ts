import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { perState, requireApiVersion, send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { TwinError, type TwinState } from '../state';
import { Ledger, monthStartOf, seedHistory, usageDate, utcDay } from './ledger';
import { structureOf, type BilledStructure, type Meter } from './meters';
import { QpuMeter } from './qpu';

/**
 * Cost Management (Query, Forecast) and Consumption budgets, answered from the
 * twin's own bill (ledger.ts), shaped as the examples in
 * lib/twin/fixtures/azure-examples/costmanagement and /consumption. Queries are metered
 * in QPU per tenant and refused with 429 and Cost Management's own headers.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const TWIN_BUDGET_NAME = 'budget-k8s-demo-monthly';

type Filter = {
  and?: Filter[];
  or?: Filter[];
  not?: Filter;
  dimensions?: { name: string; operator: 'In'; values: string[] };
  tags?: { name: string; operator: 'In'; values: string[] };
};
const comparison = z.object({ name: z.string(), operator: z.literal('In'), values: z.array(z.string()).min(1) });
const filterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.object({
    and: z.array(filterSchema).min(2).optional(),
    or: z.array(filterSchema).min(2).optional(),
    not: filterSchema.optional(),
    dimensions: comparison.optional(),
    tags: comparison.optional(),
  }),
);
const aggregation = z.record(z.string(), z.object({ name: z.string(), function: z.literal('Sum') }));
const timePeriod = z.object({ from: z.string(), to: z.string() });
const dataset = z.object({
  granularity: z.enum(['Daily', 'None']).optional(),
  aggregation: aggregation.optional(),
  grouping: z.array(z.object({ type: z.enum(['Dimension', 'TagKey']), name: z.string() })).max(2).optional(),
  filter: filterSchema.optional(),
});
const queryBody = z.object({
  type: z.enum(['Usage', 'ActualCost', 'AmortizedCost']),
  timeframe: z.enum(['MonthToDate', 'BillingMonthToDate', 'TheLastMonth', 'TheLastBillingMonth', 'WeekToDate', 'Custom']),
  timePeriod: timePeriod.optional(),
  dataset,
});
const forecastBody = z.object({
  type: z.enum(['Usage', 'ActualCost', 'AmortizedCost']),
  timeframe: z.enum(['MonthToDate', 'BillingMonthToDate', 'TheLastMonth', 'TheLastBillingMonth', 'WeekToDate', 'Custom']),
  timePeriod: timePeriod.optional(),
  dataset: dataset.extend({ granularity: z.literal('Daily').optional() }),
  includeActualCost: z.boolean().optional(),
  includeFreshPartialCost: z.boolean().optional(),
});
const budgetBody = z.object({
  eTag: z.string().optional(),
  properties: z.object({
    category: z.literal('Cost'),
    amount: z.number().positive(),
    timeGrain: z.enum(['Monthly', 'Quarterly', 'Annually', 'BillingMonth', 'BillingQuarter', 'BillingAnnual']),
    timePeriod: z.object({ startDate: z.string(), endDate: z.string().optional() }),
    filter: z.unknown().optional(),
    notifications: z
      .record(
        z.string(),
        z.object({
          enabled: z.boolean(),
          operator: z.enum(['EqualTo', 'GreaterThan', 'GreaterThanOrEqualTo']),
          threshold: z.number().positive(),
          thresholdType: z.enum(['Actual', 'Forecasted']).optional(),
          contactEmails: z.array(z.string()).optional(),
          contactGroups: z.array(z.string()).optional(),
          contactRoles: z.array(z.string()).optional(),
          locale: z.string().optional(),
        }),
      )
      .refine((n) => Object.keys(n).length <= 5, 'A budget has at most 5 notifications.')
      .optional(),
  }),
});

const DIMENSIONS: Record<string, (m: Meter) => string> = {
  resourcegroup: (m) => m.resourceGroup.toLowerCase(),
  resourcegroupname: (m) => m.resourceGroup.toLowerCase(),
  servicename: (m) => m.serviceName,
  resourcetype: (m) => m.resourceType,
  resourceid: (m) => m.resourceId.toLowerCase(),
  metercategory: (m) => m.meterCategory,
  resourcelocation: () => 'koreacentral',
};
const COLUMN_NAME: Record<string, string> = {
  resourcegroup: 'ResourceGroup', resourcegroupname: 'ResourceGroupName', servicename: 'ServiceName', resourcetype: 'ResourceType',
  resourceid: 'ResourceId', metercategory: 'MeterCategory', resourcelocation: 'ResourceLocation',
};

interface StoredBudget {
  name: string;
  scope: string;
  eTag: string;
  properties: z.infer<typeof budgetBody>['properties'];
}

/** One twin's cost state: its bill, QPU meter, budgets and settings. */
class CostBook {
  ledger!: Ledger;
  readonly qpu = new QpuMeter();
  budgets = new Map<string, StoredBudget>();
  /** Cost Management's data lags usage (hours on Azure); the twin's lags this many hours. */
  dataLatencyHours = 2;
  bastion = true;

  constructor(private readonly ctx: TwinContext) {
    ctx.state.events.on('power', (e) => this.onPower(e.clusterKey, e.power, e.at));
    ctx.state.events.on('reset', () => this.rebuild());
    this.rebuild();
  }

  private get state(): TwinState {
    return this.ctx.state;
  }

  rebuild(): void {
    const now = this.ctx.clock.now();
    this.ledger = new Ledger(this.ctx.subscriptionId, this.state.names.commonResourceGroup);
    const live = structureOf(this.state.clusters, this.state.names, this.bastion);
    const awake: BilledStructure = { ...live, clusters: live.clusters.map((c) => ({ ...c, running: true })) };
    const createdAt = seedHistory(this.ledger, now, awake);
    this.ledger.switchTo(createdAt, live);
    this.qpu.reset();
    this.budgets = new Map();
    const sub = `/subscriptions/${this.ctx.subscriptionId}`;
    // infra/modules/budget: $250 a month, 80 % and 100 % actual, 100 % forecast.
    const notification = (threshold: number, thresholdType: 'Actual' | 'Forecasted') => ({
      enabled: true, operator: 'GreaterThanOrEqualTo' as const, threshold, thresholdType, contactEmails: ['owner@example.com'], contactGroups: [], contactRoles: [],
    });
    this.budgets.set(`${sub.toLowerCase()}|${TWIN_BUDGET_NAME}`, {
      name: TWIN_BUDGET_NAME,
      scope: sub,
      eTag: `"${now.toString(16)}"`,
      properties: {
        category: 'Cost',
        amount: 250,
        timeGrain: 'Monthly',
        timePeriod: { startDate: new Date(monthStartOf(now)).toISOString().replace('.000Z', 'Z') },
        notifications: {
          Actual_GreaterThanOrEqualTo_80_Percent: notification(80, 'Actual'),
          Actual_GreaterThanOrEqualTo_100_Percent: notification(100, 'Actual'),
          Forecasted_GreaterThanOrEqualTo_100_Percent: notification(100, 'Forecasted'),
        },
      },
    });
  }

  /** Power events come from inside TwinState.advance: do not read `state.clusters` here. */
  private onPower(clusterKey: string, power: 'Running' | 'Stopped', at: number): void {
    const cur = this.ledger.current;
    if (!cur) return;
    const next: BilledStructure = {
      ...cur.structure,
      clusters: cur.structure.clusters.map((c) => (c.key === clusterKey ? { ...c, running: power === 'Running' } : c)),
    };
    this.ledger.switchTo(Math.min(at, this.ctx.clock.now()), next);
  }

  /** Catches changes no event announced (pool counts, tier): they bill from now. */
  reconcile(): void {
    const live = structureOf(this.state.clusters, this.state.names, this.bastion);
    this.ledger.switchTo(this.ctx.clock.now(), live);
  }

  get cutoff(): number {
    return this.ctx.clock.now() - this.dataLatencyHours * HOUR;
  }
}

export function costExtension(): TwinExtension {
  const books = perState((ctx) => new CostBook(ctx));
  const book = (ctx: TwinContext) => {
    const b = books(ctx);
    b.reconcile();
    return b;
  };

  return {
    name: 'cost',
    handle(ctx, req, res) {
      const path = req.url.pathname;
      const cm = /^(.*)\/providers\/microsoft\.costmanagement\/(query|forecast)$/i.exec(path);
      const budgets = /^(.*)\/providers\/microsoft\.consumption\/budgets(?:\/([^/]+))?$/i.exec(path);
      if (!cm && !budgets) return false;
      requireApiVersion(req.url);
      const b = book(ctx);
      const scope = parseScope(ctx, (cm ?? budgets)![1]);
      if (cm) {
        if (req.method !== 'POST') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
        const body = parseJson(req.body);
        if (cm[2].toLowerCase() === 'query') query(ctx, b, scope, body, res);
        else forecast(ctx, b, scope, body, res);
        return true;
      }
      budgetRoute(ctx, b, scope, budgets![2] ? decodeURIComponent(budgets![2]) : undefined, req, res);
      return true;
    },
    admin(ctx, req, res) {
      const route = `${req.method} ${req.url.pathname}`;
      const b = book(ctx);
      if (route === 'GET /_twin/cost/summary') {
        const now = ctx.clock.now();
        send(res, 200, {
          now: new Date(now).toISOString(),
          cutoff: new Date(b.cutoff).toISOString(),
          ratePerHour: b.ledger.rateNow(),
          monthToDate: b.ledger.total(monthStartOf(now), now),
          segments: b.ledger.segments.length,
          dataLatencyHours: b.dataLatencyHours,
          bastion: b.bastion,
        });
        return true;
      }
      if (route === 'POST /_twin/cost/config') {
        const v = z
          .object({ dataLatencyHours: z.number().min(0).max(48).optional(), bastion: z.boolean().optional() })
          .safeParse(req.body ? JSON.parse(req.body) : {});
        if (!v.success) {
          send(res, 400, { error: { code: 'BadRequest', message: v.error.message } });
          return true;
        }
        if (v.data.dataLatencyHours !== undefined) b.dataLatencyHours = v.data.dataLatencyHours;
        if (v.data.bastion !== undefined) {
          b.bastion = v.data.bastion;
          b.reconcile();
        }
        send(res, 200, { ok: true, dataLatencyHours: b.dataLatencyHours, bastion: b.bastion });
        return true;
      }
      if (route === 'POST /_twin/cost/qpu/reset') {
        b.qpu.reset();
        send(res, 200, { ok: true });
        return true;
      }
      return false;
    },
    reset(ctx) {
      // TwinState emits `reset`, which rebuilds the book; this only makes sure one exists.
      book(ctx);
    },
  };
}

interface Scope {
  /** As the caller wrote it, e.g. /subscriptions/{id}/resourceGroups/{rg}. */
  path: string;
  resourceGroup?: string;
}

function parseScope(ctx: TwinContext, raw: string): Scope {
  const parts = raw.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0]?.toLowerCase() !== 'subscriptions' || !parts[1] || (parts.length !== 2 && parts.length !== 4)) {
    throw new TwinError(400, 'BadRequest', `Scope '${raw}' is not supported by the twin (subscription or resource group only).`);
  }
  if (parts[1].toLowerCase() !== ctx.subscriptionId.toLowerCase()) {
    throw new TwinError(404, 'SubscriptionNotFound', `The subscription '${parts[1]}' could not be found.`);
  }
  if (parts.length === 4) {
    if (parts[2].toLowerCase() !== 'resourcegroups') throw new TwinError(400, 'BadRequest', `Scope '${raw}' is not supported by the twin.`);
    const rg = ctx.state.findResourceGroup(parts[3]);
    if (!rg) throw new TwinError(404, 'ResourceGroupNotFound', `Resource group '${parts[3]}' could not be found.`);
    return { path: `/subscriptions/${parts[1]}/resourceGroups/${rg.name}`, resourceGroup: rg.name };
  }
  return { path: `/subscriptions/${parts[1]}` };
}

function parseJson(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    throw new TwinError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
}

function invalid(err: z.ZodError): TwinError {
  return new TwinError(400, 'BadRequest', `Invalid query definition: ${err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
}

/** [from, to) in twin time for a timeframe. */
function period(now: number, timeframe: string, tp?: { from: string; to: string }): [number, number] {
  const month = monthStartOf(now);
  switch (timeframe) {
    case 'MonthToDate':
    case 'BillingMonthToDate':
      return [month, now];
    case 'TheLastMonth':
    case 'TheLastBillingMonth':
      return [monthStartOf(month - 1), month];
    case 'WeekToDate': {
      const day = utcDay(now);
      const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
      return [day - sinceMonday * DAY, now];
    }
    default: {
      if (!tp) throw new TwinError(400, 'BadRequest', "Invalid query definition: timePeriod is required when timeframe is 'Custom'.");
      const from = Date.parse(tp.from);
      let to = Date.parse(tp.to);
      if (Number.isNaN(from) || Number.isNaN(to)) throw new TwinError(400, 'BadRequest', 'Invalid query definition: timePeriod.from and timePeriod.to must be dates.');
      // A date-only or midnight `to` means the whole of that day, as Cost Management reads it.
      if (to === utcDay(to)) to += DAY;
      if (to <= from) throw new TwinError(400, 'BadRequest', 'Invalid query definition: timePeriod.to must be after timePeriod.from.');
      if (to - from > 366 * DAY) throw new TwinError(400, 'BadRequest', 'Invalid query definition: the time period cannot exceed one year.');
      return [from, to];
    }
  }
}

function matches(f: Filter | undefined, m: Meter): boolean {
  if (!f) return true;
  if (f.and) return f.and.every((x) => matches(x, m));
  if (f.or) return f.or.some((x) => matches(x, m));
  if (f.not) return !matches(f.not, m);
  if (f.dimensions) {
    const get = DIMENSIONS[f.dimensions.name.toLowerCase()];
    if (!get) throw new TwinError(400, 'BadRequest', `Invalid query definition: dimension '${f.dimensions.name}' is not supported.`);
    const v = get(m).toLowerCase();
    return f.dimensions.values.some((x) => x.toLowerCase() === v);
  }
  // Every billed resource carries the project tag (infra/locals.tf tags).
  if (f.tags) return f.tags.name.toLowerCase() === 'project' && f.tags.values.includes('k8s-demo');
  return true;
}

/** Cost Management's `Date` header, in twin time: the twin's clock runs ahead of real time. */
function chargeQpu(ctx: TwinContext, b: CostBook, from: number, to: number, res: ServerResponse): Record<string, string> | undefined {
  const qpu = Math.max(1, Math.ceil((to - from) / (31 * DAY)));
  const d = b.qpu.charge(qpu);
  if (!d.ok) {
    send(res, 429, { error: { code: '429', message: 'Too many requests. Please retry.' } }, d.headers);
    return undefined;
  }
  return { ...d.headers, Date: new Date(ctx.clock.now()).toUTCString() };
}

function columnsOf(aggName: string, groupings: string[], daily: boolean, extra: string[] = []) {
  return [
    { name: aggName, type: 'Number' },
    ...groupings.map((g) => ({ name: COLUMN_NAME[g.toLowerCase()], type: 'String' })),
    ...(daily ? [{ name: 'UsageDate', type: 'Number' }] : []),
    ...extra.map((name) => ({ name, type: 'String' })),
    { name: 'Currency', type: 'String' },
  ];
}

function resultJson(ctx: TwinContext, scope: Scope, kind: 'query' | 'forecast', columns: unknown[], rows: unknown[][]) {
  const id = crypto.randomUUID();
  return {
    id: `${scope.path}/providers/Microsoft.CostManagement/${kind === 'query' ? 'Query' : 'query'}/${id}`,
    name: id,
    type: kind === 'query' ? 'microsoft.costmanagement/Query' : 'Microsoft.CostManagement/query',
    location: null,
    sku: null,
    eTag: null,
    properties: { nextLink: null, columns, rows },
  };
}

function query(ctx: TwinContext, b: CostBook, scope: Scope, raw: unknown, res: ServerResponse): void {
  const parsed = queryBody.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error);
  const q = parsed.data;
  const grouping = q.dataset.grouping ?? [];
  for (const g of grouping) {
    if (g.type !== 'Dimension' || !DIMENSIONS[g.name.toLowerCase()]) {
      throw new TwinError(400, 'BadRequest', `Invalid query definition: grouping by ${g.type} '${g.name}' is not supported.`);
    }
  }
  const [from, rawTo] = period(ctx.clock.now(), q.timeframe, q.timePeriod);
  const to = Math.min(rawTo, b.cutoff);
  const headers = chargeQpu(ctx, b, from, rawTo, res);
  if (!headers) return;
  const aggName = Object.values(q.dataset.aggregation ?? { totalCost: { name: 'PreTaxCost', function: 'Sum' } })[0]?.name ?? 'PreTaxCost';
  const daily = q.dataset.granularity === 'Daily';
  const sums = new Map<string, { cost: number; key: (string | number)[] }>();
  for (const r of b.ledger.accrue(from, to)) {
    if (scope.resourceGroup && r.meter.resourceGroup.toLowerCase() !== scope.resourceGroup.toLowerCase()) continue;
    if (!matches(q.dataset.filter, r.meter)) continue;
    const key = [...grouping.map((g) => DIMENSIONS[g.name.toLowerCase()](r.meter)), ...(daily ? [usageDate(r.day)] : [])];
    const k = JSON.stringify(key);
    const e = sums.get(k) ?? { cost: 0, key };
    e.cost += r.cost;
    sums.set(k, e);
  }
  const rows = [...sums.values()]
    .filter((e) => e.cost > 0)
    .sort((a, z2) => JSON.stringify(a.key.slice().reverse()).localeCompare(JSON.stringify(z2.key.slice().reverse())))
    .map((e) => [e.cost, ...e.key, 'USD']);
  send(res, 200, resultJson(ctx, scope, 'query', columnsOf(aggName, grouping.map((g) => g.name), daily), rows), headers);
}

/**
 * The twin's forecast carries the current hourly rate forward (Cost
 * Management's own model is statistical; with a bill this regular the result is the same).
 */
function forecast(ctx: TwinContext, b: CostBook, scope: Scope, raw: unknown, res: ServerResponse): void {
  const parsed = forecastBody.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error);
  const f = parsed.data;
  const now = ctx.clock.now();
  const [from, to] =
    f.timeframe === 'MonthToDate' || f.timeframe === 'BillingMonthToDate'
      ? [monthStartOf(now), monthStartOf(monthStartOf(now) + 32 * DAY)]
      : period(now, f.timeframe, f.timePeriod);
  const headers = chargeQpu(ctx, b, from, to, res);
  if (!headers) return;
  const aggName = Object.values(f.dataset.aggregation ?? { totalCost: { name: 'Cost', function: 'Sum' } })[0]?.name ?? 'Cost';
  const inScope = (m: Meter) => (!scope.resourceGroup || m.resourceGroup.toLowerCase() === scope.resourceGroup.toLowerCase()) && matches(f.dataset.filter, m);
  const cutoff = Math.max(from, Math.min(b.cutoff, to));
  const byDay = new Map<string, { date: number; status: 'Actual' | 'Forecast'; cost: number }>();
  const addRow = (day: number, status: 'Actual' | 'Forecast', cost: number) => {
    const k = `${day}|${status}`;
    const e = byDay.get(k) ?? { date: usageDate(day), status, cost: 0 };
    e.cost += cost;
    byDay.set(k, e);
  };
  if (f.includeActualCost) {
    for (const r of b.ledger.accrue(from, cutoff)) if (inScope(r.meter)) addRow(r.day, 'Actual', r.cost);
  }
  const rate = b.ledger.rateNow(inScope);
  for (let day = utcDay(cutoff); day < to; day += DAY) {
    const hours = (Math.min(to, day + DAY) - Math.max(cutoff, day)) / HOUR;
    if (hours > 0 && rate > 0) addRow(day, 'Forecast', rate * hours);
  }
  const rows = [...byDay.values()]
    .sort((a, z2) => a.date - z2.date || a.status.localeCompare(z2.status))
    .map((e) => [e.cost, e.date, e.status, 'USD']);
  send(res, 200, resultJson(ctx, scope, 'forecast', columnsOf(aggName, [], true, ['CostStatus']), rows), headers);
}

function budgetJson(ctx: TwinContext, b: CostBook, budget: StoredBudget) {
  const now = ctx.clock.now();
  const month = monthStartOf(now);
  const rg = /\/resourceGroups\/([^/]+)$/i.exec(budget.scope)?.[1];
  const inScope = (m: Meter) => !rg || m.resourceGroup.toLowerCase() === rg.toLowerCase();
  const actual = b.ledger.total(month, Math.max(month, b.cutoff), inScope);
  const nextMonth = monthStartOf(month + 32 * DAY);
  const forecastSpend = actual + b.ledger.rateNow(inScope) * ((nextMonth - Math.max(month, b.cutoff)) / HOUR);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    id: `${budget.scope.replace(/^\//, '')}/providers/Microsoft.Consumption/budgets/${budget.name}`,
    name: budget.name,
    type: 'Microsoft.Consumption/budgets',
    eTag: budget.eTag,
    properties: {
      ...budget.properties,
      currentSpend: { amount: round(actual), unit: 'USD' },
      forecastSpend: { amount: round(forecastSpend), unit: 'USD' },
    },
  };
}

function budgetRoute(ctx: TwinContext, b: CostBook, scope: Scope, name: string | undefined, req: TwinRequest, res: ServerResponse): void {
  const prefix = `${scope.path.toLowerCase()}|`;
  if (!name) {
    if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    const value = [...b.budgets.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => budgetJson(ctx, b, v));
    return send(res, 200, { value });
  }
  const key = `${prefix}${name}`;
  const existing = b.budgets.get(key);
  if (req.method === 'GET') {
    if (!existing) throw new TwinError(404, 'NotFound', `Budget '${name}' was not found.`);
    return send(res, 200, budgetJson(ctx, b, existing));
  }
  if (req.method === 'DELETE') {
    b.budgets.delete(key);
    return send(res, existing ? 200 : 204, undefined);
  }
  if (req.method === 'PUT') {
    const parsed = budgetBody.safeParse(parseJson(req.body));
    if (!parsed.success) throw new TwinError(400, 'BadRequest', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (existing && parsed.data.eTag && parsed.data.eTag !== existing.eTag) {
      throw new TwinError(412, 'PreconditionFailed', 'The eTag does not match the current budget; read it again before updating.');
    }
    const stored: StoredBudget = { name, scope: scope.path, eTag: `"${ctx.clock.now().toString(16)}"`, properties: parsed.data.properties };
    b.budgets.set(key, stored);
    return send(res, existing ? 200 : 201, budgetJson(ctx, b, stored));
  }
  throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
}
