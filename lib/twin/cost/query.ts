import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { send, type TwinContext } from '../server';
import { TwinError } from '../state';
import type { CostBook } from './book';
import { DAY, HOUR, monthStartOf, usageDate, utcDay } from './ledger';
import type { Meter } from './meters';

/** Cost Management's Query and Forecast evaluated over the twin's bill: filters, grouping, time periods and the QPU charge. */

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

export interface Scope {
  /** As the caller wrote it, e.g. /subscriptions/{id}/resourceGroups/{rg}. */
  path: string;
  resourceGroup?: string;
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

export function query(ctx: TwinContext, b: CostBook, scope: Scope, raw: unknown, res: ServerResponse): void {
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
export function forecast(ctx: TwinContext, b: CostBook, scope: Scope, raw: unknown, res: ServerResponse): void {
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
