import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, twinAdmin, type Twin } from '../../test/twin-harness';

// The dashboard on App Service, P1v3 (a SKU the API spells "P1 v3"), with SQLite on /home.
process.env.DASHBOARD_HOSTING = 'app_service';
process.env.DASHBOARD_APP_SERVICE_SKU = 'P1v3';

let twin: Twin;
let url: string;
let lib: {
  model: typeof import('./cost-topology');
  client: typeof import('../azure/retail-prices');
  domain: typeof import('../domain/retail-prices');
  cache: typeof import('../cache/shared-read');
  config: typeof import('../config');
};

beforeAll(async () => {
  ({ twin, url } = await startHarness());
  lib = {
    model: await import('./cost-topology'),
    client: await import('../azure/retail-prices'),
    domain: await import('../domain/retail-prices'),
    cache: await import('../cache/shared-read'),
    config: await import('../config'),
  };
});

afterAll(async () => {
  await twin.close();
  delete process.env.DASHBOARD_HOSTING;
  delete process.env.DASHBOARD_APP_SERVICE_SKU;
});

beforeEach(async () => {
  await twinAdmin(url, 'DELETE', '/_twin/faults');
  lib.cache.sharedReads().clear();
});

describe('the hosting prices read from the Retail Prices API (the twin answers it as Azure does)', () => {
  it('prices the App Service plan from the region’s Linux pay-as-you-go meter', async () => {
    const { sheet, hosting } = await lib.model.livePrices();
    expect(sheet.appServicePlanPerHour.P1v3).toBe(0.154);
    expect(hosting.appServicePlanPerHour).toMatchObject({ from: 'retail', meter: '"P1 v3 App" of "Azure App Service Premium v3 Plan - Linux"', currency: 'USD' });
    // The environment's own prices are untouched.
    expect(sheet.vmRegularPerHour.Standard_D2s_v5).toBe(0.096);
  });

  it('follows the answer’s pages on its own origin and keeps every item', async () => {
    const base = lib.config.getConfig().cost.retailPricesUrl;
    const items = await lib.client.readRetailPrices(base, "serviceName eq 'Azure App Service' and armRegionName eq 'koreacentral'", 10_000);
    // 4 plans × Linux and Windows, and a reservation: more than one page of the twin's 4.
    expect(items).toHaveLength(9);
    expect(new Set(items.map((i) => i.productName)).size).toBe(4);
  });

  it('prices PostgreSQL B1ms and its storage from the same API', async () => {
    const base = lib.config.getConfig().cost.retailPricesUrl;
    const hosting = { host: 'app_service' as const, sku: 'B1', database: 'postgresql' as const, resourceGroup: 'rg' };
    const items = (await Promise.all(lib.domain.hostingQueries(hosting, 'koreacentral').map((q) => lib.client.readRetailPrices(base, q.filter, 10_000)))).flat();
    const picks = lib.domain.pickHostingPrices(hosting, 'koreacentral', items);
    expect(picks.map((p) => (p.ok ? p.price.price : p.reason))).toEqual([0.018, 0.0208, 0.127]);
  });

  it('an API that fails leaves the price unset with the error and when it failed; the rest of the sheet stands', async () => {
    await twinAdmin(url, 'POST', '/_twin/faults', { path: '/api/retail/prices', status: 503, code: 'ServiceUnavailable', message: 'busy' });
    const before = Date.now();
    const { sheet, hosting } = await lib.model.livePrices();
    expect(sheet.appServicePlanPerHour.P1v3).toBeUndefined();
    expect(sheet.controlPlaneStandardPerHour).toBe(0.1);
    const source = hosting.appServicePlanPerHour;
    expect(source?.from).toBe('unset');
    if (source?.from !== 'unset') return;
    expect(source.reason).toMatch(/could not be read: The Azure Retail Prices API answered 503/);
    expect(source.failedAt).toBeGreaterThanOrEqual(before);
  });

  it('a filter the API cannot parse is refused with its message', async () => {
    const base = lib.config.getConfig().cost.retailPricesUrl;
    await expect(lib.client.readRetailPrices(base, "serviceName ne 'x'", 10_000)).rejects.toThrow(/answered 400: .*Invalid \$filter/);
  });
});
