import type { ServerResponse } from 'node:http';
import { send, type TwinRequest } from '../server';
import { TwinError } from '../state';

/**
 * The Azure Retail Prices API (`GET /api/retail/prices?$filter=…`), public like Azure's, answered
 * from the twin's own price list: the meters the dashboard's hosting needs, in Azure's item shape,
 * with the neighbours a real answer also holds (Windows plans, reservations, another region), so
 * that choosing the right meter is exercised. The figures are the twin's, illustrative; on Azure
 * the same query reads the region's published prices. Pages hold PAGE_SIZE items, fewer than
 * Azure's 100, so that following NextPageLink is exercised too.
 */

export interface TwinRetailItem {
  currencyCode: string;
  tierMinimumUnits: number;
  retailPrice: number;
  unitPrice: number;
  armRegionName: string;
  location: string;
  effectiveStartDate: string;
  meterId: string;
  meterName: string;
  productId: string;
  skuId: string;
  productName: string;
  skuName: string;
  serviceName: string;
  serviceId: string;
  serviceFamily: string;
  unitOfMeasure: string;
  type: 'Consumption' | 'Reservation' | 'DevTestConsumption';
  isPrimaryMeterRegion: boolean;
  armSkuName: string;
}

const PAGE_SIZE = 4;

function item(region: string, service: string, product: string, sku: string, meter: string, unit: string, price: number, type: TwinRetailItem['type'] = 'Consumption'): TwinRetailItem {
  const id = `${service}|${product}|${sku}|${meter}|${region}|${type}`;
  const hash = [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16).padStart(8, '0');
  return {
    currencyCode: 'USD',
    tierMinimumUnits: 0,
    retailPrice: price,
    unitPrice: price,
    armRegionName: region,
    location: region === 'koreacentral' ? 'KR Central' : 'US East',
    effectiveStartDate: '2026-01-01T00:00:00Z',
    meterId: `${hash}-0000-4000-8000-${hash}0000`,
    meterName: meter,
    productId: `DZH3${hash.slice(0, 8).toUpperCase()}`,
    skuId: `DZH3${hash.slice(0, 8).toUpperCase()}/000${type === 'Reservation' ? 'R' : '1'}`,
    productName: product,
    skuName: sku,
    serviceName: service,
    serviceId: service === 'Azure App Service' ? 'DZH3177NTW6S' : 'DZH31774WFWK',
    serviceFamily: service === 'Azure App Service' ? 'Compute' : 'Databases',
    unitOfMeasure: unit,
    type,
    isPrimaryMeterRegion: true,
    armSkuName: '',
  };
}

/** The twin's price list. */
export function twinRetailItems(): TwinRetailItem[] {
  const items: TwinRetailItem[] = [];
  for (const [region, factor] of [['koreacentral', 1], ['eastus', 0.9]] as const) {
    const plan = (tier: string, sku: string, linux: number, windows: number) => {
      items.push(item(region, 'Azure App Service', `Azure App Service ${tier} Plan - Linux`, sku, `${sku} App`, '1 Hour', +(linux * factor).toFixed(4)));
      items.push(item(region, 'Azure App Service', `Azure App Service ${tier} Plan`, sku, `${sku} App`, '1 Hour', +(windows * factor).toFixed(4)));
    };
    plan('Basic', 'B1', 0.018, 0.075);
    plan('Basic', 'B2', 0.036, 0.15);
    plan('Premium v3', 'P0 v3', 0.077, 0.154);
    plan('Premium v3', 'P1 v3', 0.154, 0.308);
    items.push(item(region, 'Azure App Service', 'Azure App Service Premium v3 Plan - Linux', 'P1 v3', 'P1 v3 App', '1 Hour', +(0.097 * factor).toFixed(4), 'Reservation'));
    items.push(item(region, 'Azure Database for PostgreSQL', 'Azure Database for PostgreSQL Flexible Server Burstable BS Series Compute', 'B1ms', 'B1ms', '1 Hour', +(0.0208 * factor).toFixed(4)));
    items.push(item(region, 'Azure Database for PostgreSQL', 'Azure Database for PostgreSQL Flexible Server Burstable BS Series Compute', 'B1ms', 'B1ms', '1 Hour', +(0.013 * factor).toFixed(4), 'Reservation'));
    items.push(item(region, 'Azure Database for PostgreSQL', 'Az DB for PostgreSQL Flexible Server Storage', 'Storage', 'Storage Data Stored', '1 GB/Month', +(0.127 * factor).toFixed(4)));
  }
  return items;
}

/** The OData subset the API is queried with: `field eq 'value'`, `and`, `or`, parentheses. */
const FIELDS: Record<string, keyof TwinRetailItem> = {
  servicename: 'serviceName', armregionname: 'armRegionName', pricetype: 'type', skuname: 'skuName', metername: 'meterName',
  productname: 'productName', armskuname: 'armSkuName', servicefamily: 'serviceFamily', currencycode: 'currencyCode', location: 'location',
};
type Predicate = (i: TwinRetailItem) => boolean;

function parseFilter(filter: string): Predicate {
  const tokens = filter.match(/'(?:[^']|'')*'|\(|\)|[A-Za-z]+/g) ?? [];
  if (tokens.join('').replace(/\s/g, '') !== filter.replace(/\s/g, '')) throw new TwinError(400, 'InvalidFilter', `Invalid $filter: ${filter}`);
  let at = 0;
  const next = () => tokens[at++];
  const expect = (t: string) => {
    if (next()?.toLowerCase() !== t) throw new TwinError(400, 'InvalidFilter', `Invalid $filter near '${tokens[at - 1] ?? 'end'}': expected ${t}`);
  };
  const primary = (): Predicate => {
    const t = next();
    if (t === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    const field = t ? FIELDS[t.toLowerCase()] : undefined;
    if (!field) throw new TwinError(400, 'InvalidFilter', `Invalid $filter: unknown field '${t ?? ''}'`);
    expect('eq');
    const v = next();
    if (!v?.startsWith("'")) throw new TwinError(400, 'InvalidFilter', `Invalid $filter: a quoted value after ${t} eq`);
    const value = v.slice(1, -1).replaceAll("''", "'");
    return (i) => String(i[field]) === value;
  };
  const and = (): Predicate => {
    let p = primary();
    while (tokens[at]?.toLowerCase() === 'and') {
      at++;
      const [l, r] = [p, primary()];
      p = (i) => l(i) && r(i);
    }
    return p;
  };
  const or = (): Predicate => {
    let p = and();
    while (tokens[at]?.toLowerCase() === 'or') {
      at++;
      const [l, r] = [p, and()];
      p = (i) => l(i) || r(i);
    }
    return p;
  };
  const p = or();
  if (at !== tokens.length) throw new TwinError(400, 'InvalidFilter', `Invalid $filter near '${tokens[at]}'`);
  return p;
}

export function retailPrices(req: TwinRequest, res: ServerResponse, baseUrl: string): boolean {
  if (req.url.pathname !== '/api/retail/prices') return false;
  try {
    if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    const filter = req.url.searchParams.get('$filter') ?? '';
    if (filter.length > 2000) throw new TwinError(400, 'InvalidFilter', '$filter is too long.');
    const match = filter ? parseFilter(filter) : () => true;
    const skip = Math.max(0, Number.parseInt(req.url.searchParams.get('$skip') ?? '0', 10) || 0);
    const all = twinRetailItems().filter(match);
    const page = all.slice(skip, skip + PAGE_SIZE);
    const next = new URL('/api/retail/prices', baseUrl);
    for (const [k, v] of req.url.searchParams) if (k !== '$skip') next.searchParams.set(k, v);
    next.searchParams.set('$skip', String(skip + PAGE_SIZE));
    send(res, 200, { BillingCurrency: 'USD', CustomerEntityId: 'Default', CustomerEntityType: 'Retail', Items: page, NextPageLink: skip + PAGE_SIZE < all.length ? next.toString() : null, Count: page.length });
  } catch (err) {
    if (!(err instanceof TwinError)) throw err;
    send(res, err.status, { error: { code: err.code, message: err.message } });
  }
  return true;
}
