import { z } from 'zod';
import type { DashboardHosting } from './cost-topology';
import type { HOSTING_PRICE_SOURCES, PriceSheet } from './cost-prices';

/**
 * The dashboard's hosting prices from the Azure Retail Prices API
 * (https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices):
 * a public, unauthenticated list of pay-as-you-go meters. Pure: the queries to send and how
 * to pick the one meter each price comes from. The environment's own prices stay the
 * architecture's figures; only what the dashboard adds by being hosted is read here,
 * because it depends on the region and SKU the deployment chose.
 */

export type HostingPriceKey = keyof typeof HOSTING_PRICE_SOURCES;

/** One item of the API's answer (`Items`); only the fields the choice reads. */
export const retailItemSchema = z.object({
  currencyCode: z.string().max(8),
  retailPrice: z.number().min(0),
  armRegionName: z.string().max(64),
  meterName: z.string().max(256),
  productName: z.string().max(256),
  skuName: z.string().max(256),
  serviceName: z.string().max(256),
  unitOfMeasure: z.string().max(64),
  type: z.string().max(64),
});
export type RetailItem = z.infer<typeof retailItemSchema>;

export const retailPageSchema = z.object({
  Items: z.array(z.unknown()).max(1000),
  NextPageLink: z.string().max(2048).nullish(),
});

/** OData string literal: a quote inside is doubled. */
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** "P1v3" → ["P1v3", "P1 v3"]: the API writes App Service's v2/v3 SKUs with a space. */
function skuSpellings(sku: string): string[] {
  const spaced = sku.replace(/^([A-Za-z]+\d+)(v\d+)$/i, '$1 $2');
  return [...new Set([sku, spaced])];
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

export interface RetailQuery {
  /** What it prices, for the error when it fails. */
  purpose: string;
  /** The OData `$filter`. */
  filter: string;
}

/** The queries the hosting needs: none on the Jump VM (no resource of its own) or without a dashboard. */
export function hostingQueries(hosting: DashboardHosting | undefined, region: string): RetailQuery[] {
  if (!hosting || hosting.host !== 'app_service') return [];
  const where = (service: string) => `serviceName eq ${lit(service)} and armRegionName eq ${lit(region)} and priceType eq 'Consumption'`;
  const anyOf = (field: string, values: string[]) => `(${values.map((v) => `${field} eq ${lit(v)}`).join(' or ')})`;
  const queries: RetailQuery[] = [
    { purpose: `App Service plan ${hosting.sku}`, filter: `${where('Azure App Service')} and ${anyOf('skuName', skuSpellings(hosting.sku))}` },
  ];
  if (hosting.database === 'postgresql') {
    queries.push({
      purpose: 'PostgreSQL Flexible Server B1ms and its storage',
      filter: `${where('Azure Database for PostgreSQL')} and ${anyOf('skuName', ['B1ms', 'B1MS', 'Storage'])}`,
    });
  }
  return queries;
}

export interface PickedPrice {
  key: HostingPriceKey;
  /** Per hour, or per GiB-month for storage, in the item's currency. */
  price: number;
  currency: string;
  /** Which meter, in words: "B1 App" of "Azure App Service Basic Plan - Linux". */
  meter: string;
}

export type PickResult = { ok: true; key: HostingPriceKey; price: PickedPrice } | { ok: false; key: HostingPriceKey; reason: string };

const payAsYouGo = (i: RetailItem) => i.type === 'Consumption' && !/reserv|spot|low priority/i.test(`${i.meterName} ${i.productName}`);

function pick(key: HostingPriceKey, what: string, candidates: RetailItem[]): PickResult {
  const prices = [...new Set(candidates.map((i) => i.retailPrice))];
  if (prices.length === 0) return { ok: false, key, reason: `the Retail Prices API lists no pay-as-you-go meter for ${what}` };
  if (prices.length > 1) {
    return { ok: false, key, reason: `the Retail Prices API lists ${prices.length} different prices for ${what} (${candidates.map((i) => `"${i.meterName}" ${i.retailPrice}`).join(', ')}); set it in COST_PRICES` };
  }
  const i = candidates[0];
  return { ok: true, key, price: { key, price: i.retailPrice, currency: i.currencyCode, meter: `"${i.meterName}" of "${i.productName}"` } };
}

/** The hosting's prices out of the API's items: one meter each, or why none could be chosen. */
export function pickHostingPrices(hosting: DashboardHosting | undefined, region: string, items: RetailItem[]): PickResult[] {
  if (!hosting || hosting.host !== 'app_service') return [];
  const here = items.filter((i) => i.armRegionName.toLowerCase() === region.toLowerCase() && payAsYouGo(i));
  const results: PickResult[] = [
    pick(
      'appServicePlanPerHour',
      `a Linux App Service plan ${hosting.sku} in ${region}`,
      here.filter((i) => i.serviceName === 'Azure App Service' && /linux/i.test(i.productName) && norm(i.skuName) === norm(hosting.sku) && i.unitOfMeasure === '1 Hour'),
    ),
  ];
  if (hosting.database === 'postgresql') {
    const pg = here.filter((i) => i.serviceName === 'Azure Database for PostgreSQL' && /flexible/i.test(i.productName));
    results.push(pick('postgresB1msPerHour', `PostgreSQL Flexible Server B1ms compute in ${region}`, pg.filter((i) => norm(i.skuName) === 'b1ms' && i.unitOfMeasure === '1 Hour')));
    results.push(
      pick(
        'postgresStoragePerGbMonth',
        `PostgreSQL Flexible Server storage in ${region}`,
        pg.filter((i) => /storage/i.test(i.productName) && i.meterName === 'Storage Data Stored' && i.unitOfMeasure === '1 GB/Month'),
      ),
    );
  }
  return results;
}

/** The prices a hosting needs: the plan's, and PostgreSQL's compute and storage when it has one. */
export function hostingPriceKeys(hosting: DashboardHosting | undefined): HostingPriceKey[] {
  if (!hosting || hosting.host !== 'app_service') return [];
  return hosting.database === 'postgresql' ? ['appServicePlanPerHour', 'postgresB1msPerHour', 'postgresStoragePerGbMonth'] : ['appServicePlanPerHour'];
}

/** Which of those COST_PRICES gives. */
export function givenHostingPrices(hosting: DashboardHosting | undefined, given: Partial<PriceSheet>): Partial<Record<HostingPriceKey, boolean>> {
  return {
    appServicePlanPerHour: hosting?.host === 'app_service' && given.appServicePlanPerHour?.[hosting.sku] !== undefined,
    postgresB1msPerHour: given.postgresB1msPerHour !== undefined,
    postgresStoragePerGbMonth: given.postgresStoragePerGbMonth !== undefined,
  };
}

/** Where a hosting line's price came from, shown next to it. */
export type HostingPriceSource =
  | { from: 'settings' }
  | { from: 'retail'; meter: string; currency: string; fetchedAt: number }
  | { from: 'unset'; reason: string; failedAt?: number };

/**
 * The price sheet with the hosting prices filled: a price given in COST_PRICES wins (the
 * operator's figure, e.g. a negotiated one), then the Retail Prices API's; anything else
 * stays unset with the reason.
 */
export function withHostingPrices(
  sheet: PriceSheet,
  hosting: DashboardHosting | undefined,
  overridden: Partial<Record<HostingPriceKey, boolean>>,
  read: { picks: PickResult[]; fetchedAt?: number; error?: string; failedAt?: number },
): { sheet: PriceSheet; sources: Partial<Record<HostingPriceKey, HostingPriceSource>> } {
  if (!hosting || hosting.host !== 'app_service') return { sheet, sources: {} };
  const next: PriceSheet = { ...sheet, appServicePlanPerHour: { ...sheet.appServicePlanPerHour } };
  const sources: Partial<Record<HostingPriceKey, HostingPriceSource>> = {};
  for (const key of hostingPriceKeys(hosting)) {
    if (overridden[key]) {
      sources[key] = { from: 'settings' };
      continue;
    }
    const r = read.picks.find((p) => p.key === key);
    if (r?.ok && read.fetchedAt !== undefined) {
      if (r.price.currency !== 'USD') {
        sources[key] = { from: 'unset', reason: `the Retail Prices API answered in ${r.price.currency}; the cost model counts USD` };
        continue;
      }
      if (key === 'appServicePlanPerHour') next.appServicePlanPerHour[hosting.sku] = r.price.price;
      else next[key] = r.price.price;
      sources[key] = { from: 'retail', meter: r.price.meter, currency: r.price.currency, fetchedAt: read.fetchedAt };
    } else {
      const reason = r && !r.ok ? r.reason : read.error ? `the Retail Prices API could not be read: ${read.error}` : 'the Retail Prices API has not answered yet';
      sources[key] = { from: 'unset', reason, failedAt: read.failedAt };
    }
  }
  return { sheet: next, sources };
}
