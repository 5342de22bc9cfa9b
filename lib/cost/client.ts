import 'server-only';
import type { Client } from '@azure-rest/core-client';
import { getAzureClients } from '../azure';
import { getConfig } from '../config';
import { AppError, translateAzureError } from '../errors';
import { COST_THROTTLING_POLICY, CostThrottledError, QPU_CONSUMED_HEADER, QPU_REMAINING_HEADER, costThrottlingPolicy } from './throttling';

/**
 * Cost Management query and forecast over the REST client (no stable SDK),
 * and the Consumption budget through @azure/arm-consumption. Same
 * code for the twin and Azure; answers are mapped once into plain rows.
 */
export const COST_MANAGEMENT_API_VERSION = '2026-08-01';

export interface CostRow {
  cost: number;
  /** yyyy-mm-dd, when the query was daily. */
  date?: string;
  /** Grouping values by column name (ResourceGroup, ServiceName …). */
  groups: Record<string, string>;
  status?: 'Actual' | 'Forecast';
}

export interface CostAnswer {
  rows: CostRow[];
  currency: string;
  qpuConsumed?: number;
  qpuRemaining?: string;
  /** The answer's `Date` header: the time the figures are as of (the twin's clock on the twin). */
  asOf: number;
}

export interface QueryDefinition {
  type: 'ActualCost' | 'Usage' | 'AmortizedCost';
  timeframe: 'MonthToDate' | 'TheLastMonth' | 'Custom';
  timePeriod?: { from: string; to: string };
  dataset: {
    granularity: 'Daily' | 'None';
    aggregation: Record<string, { name: string; function: 'Sum' }>;
    grouping?: { type: 'Dimension'; name: string }[];
  };
}

export interface ForecastDefinition extends Omit<QueryDefinition, 'dataset'> {
  dataset: { granularity: 'Daily'; aggregation: Record<string, { name: string; function: 'Sum' }> };
  includeActualCost: boolean;
  includeFreshPartialCost: boolean;
}

function costClient(): Client {
  const client = getAzureClients().costManagement;
  // Installed once per client, after the SDK's retry policy so it sees every 429.
  if (!client.pipeline.getOrderedPolicies().some((p) => p.name === COST_THROTTLING_POLICY)) {
    client.pipeline.addPolicy(costThrottlingPolicy(), { afterPhase: 'Retry' });
  }
  return client;
}

interface RawResult {
  properties?: { columns?: { name: string; type: string }[]; rows?: unknown[][]; nextLink?: string | null };
}

/** Maps Cost Management's columns/rows table into rows; a column is found by name, not position. */
export function parseCostTable(body: RawResult, aggregationName: string): { rows: CostRow[]; currency: string } {
  const columns = body.properties?.columns ?? [];
  const index = (name: string) => columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  const costAt = index(aggregationName) >= 0 ? index(aggregationName) : columns.findIndex((c) => c.type === 'Number' && c.name !== 'UsageDate');
  const dateAt = index('UsageDate');
  const statusAt = index('CostStatus');
  const currencyAt = index('Currency');
  const groupCols = columns.map((c, i) => ({ c, i })).filter(({ i }) => i !== costAt && i !== dateAt && i !== statusAt && i !== currencyAt);
  let currency = 'USD';
  const rows = (body.properties?.rows ?? []).map((r): CostRow => {
    if (currencyAt >= 0 && typeof r[currencyAt] === 'string') currency = r[currencyAt] as string;
    const d = dateAt >= 0 ? String(r[dateAt]) : undefined;
    return {
      cost: Number(r[costAt]),
      date: d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : undefined,
      groups: Object.fromEntries(groupCols.map(({ c, i }) => [c.name, String(r[i])])),
      status: statusAt >= 0 ? (r[statusAt] === 'Forecast' ? 'Forecast' : 'Actual') : undefined,
    };
  });
  return { rows, currency };
}

async function post(scope: string, operation: 'query' | 'forecast', body: QueryDefinition | ForecastDefinition): Promise<CostAnswer> {
  const path = `/${scope.replace(/^\//, '')}/providers/Microsoft.CostManagement/${operation}`;
  let response;
  try {
    response = await costClient().pathUnchecked(path).post({ body, queryParameters: { 'api-version': COST_MANAGEMENT_API_VERSION } });
  } catch (err) {
    if (err instanceof CostThrottledError) throw err;
    throw translateAzureError(err);
  }
  const status = Number(response.status);
  const date = Date.parse(String(response.headers.date ?? ''));
  const asOf = Number.isNaN(date) ? Date.now() : date;
  if (status === 204) return { rows: [], currency: 'USD', asOf };
  if (status !== 200) {
    const e = (response.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    const message = e?.message ?? `Cost Management answered ${status}`;
    if (status === 404) throw new AppError('not_found', message, e?.code);
    if (status >= 400 && status < 500) throw new AppError('refused', message, e?.code);
    throw new AppError('upstream', `Cost Management failed (${status}): ${message}`, e?.code);
  }
  const aggregationName = Object.values(body.dataset.aggregation)[0]?.name ?? 'Cost';
  const parsed = parseCostTable(response.body as RawResult, aggregationName);
  const consumed = Number(response.headers[QPU_CONSUMED_HEADER]);
  return { ...parsed, asOf, qpuConsumed: Number.isFinite(consumed) ? consumed : undefined, qpuRemaining: response.headers[QPU_REMAINING_HEADER] };
}

export function queryCost(scope: string, definition: QueryDefinition): Promise<CostAnswer> {
  return post(scope, 'query', definition);
}

export function forecastCost(scope: string, definition: ForecastDefinition): Promise<CostAnswer> {
  return post(scope, 'forecast', definition);
}

export interface BudgetView {
  name: string;
  amount: number;
  timeGrain: string;
  currentSpend: number | null;
  forecastSpend: number | null;
  currency: string;
  notifications: { name: string; threshold: number; thresholdType: string; operator: string; enabled: boolean }[];
}

/** The Consumption budget at subscription scope (infra/modules/budget). */
export async function getBudget(name = getConfig().cost.budgetName): Promise<BudgetView> {
  const { consumption } = getAzureClients();
  const scope = `subscriptions/${getConfig().subscriptionId}`;
  try {
    const b = await consumption.budgets.get(scope, name);
    return {
      name: b.name ?? name,
      amount: b.amount ?? 0,
      timeGrain: b.timeGrain ?? 'Monthly',
      currentSpend: b.currentSpend?.amount ?? null,
      forecastSpend: b.forecastSpend?.amount ?? null,
      currency: b.currentSpend?.unit ?? 'USD',
      notifications: Object.entries(b.notifications ?? {}).map(([key, n]) => ({
        name: key,
        threshold: n.threshold,
        thresholdType: n.thresholdType ?? 'Actual',
        operator: n.operator,
        enabled: n.enabled,
      })),
    };
  } catch (err) {
    throw translateAzureError(err);
  }
}
