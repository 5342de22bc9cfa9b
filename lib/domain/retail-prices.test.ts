import { describe, expect, it } from 'vitest';
import { hostingQueries, pickHostingPrices, withHostingPrices, type RetailItem } from './retail-prices';
import { SPEC_PRICES } from './cost-prices';
import { dashboardLines } from './cost-lines';

const appService = (sku: string) => ({ host: 'app_service' as const, sku, database: 'sqlite' as const, resourceGroup: 'rg-k8s-demo-mgmt' });
const withPostgres = { ...appService('B1'), database: 'postgresql' as const };

function item(over: Partial<RetailItem>): RetailItem {
  return {
    currencyCode: 'USD', retailPrice: 1, armRegionName: 'koreacentral', meterName: 'B1 App', productName: 'Azure App Service Basic Plan - Linux',
    skuName: 'B1', serviceName: 'Azure App Service', unitOfMeasure: '1 Hour', type: 'Consumption', ...over,
  };
}

// An answer as the API gives it for a plan SKU: the Linux and Windows plans, a reservation, another region.
const answer: RetailItem[] = [
  item({ retailPrice: 0.018 }),
  item({ retailPrice: 0.075, productName: 'Azure App Service Basic Plan' }),
  item({ retailPrice: 0.016, armRegionName: 'eastus' }),
  item({ skuName: 'P1 v3', meterName: 'P1 v3 App', productName: 'Azure App Service Premium v3 Plan - Linux', retailPrice: 0.154 }),
  item({ skuName: 'P1 v3', meterName: 'P1 v3 App', productName: 'Azure App Service Premium v3 Plan - Linux', retailPrice: 0.097, type: 'Reservation' }),
  item({ serviceName: 'Azure Database for PostgreSQL', productName: 'Azure Database for PostgreSQL Flexible Server Burstable BS Series Compute', skuName: 'B1ms', meterName: 'B1ms', retailPrice: 0.0208 }),
  item({ serviceName: 'Azure Database for PostgreSQL', productName: 'Az DB for PostgreSQL Flexible Server Storage', skuName: 'Storage', meterName: 'Storage Data Stored', unitOfMeasure: '1 GB/Month', retailPrice: 0.127 }),
];

describe('the dashboard hosting priced from the Azure Retail Prices API', () => {
  it('asks nothing for the Jump VM or a workstation; one query for the plan, a second with PostgreSQL', () => {
    expect(hostingQueries({ host: 'jump_vm' }, 'koreacentral')).toEqual([]);
    expect(hostingQueries({ host: 'none' }, 'koreacentral')).toEqual([]);
    const [plan] = hostingQueries(appService('P1v3'), 'koreacentral');
    // The API spells v3 SKUs with a space; both spellings are asked for.
    expect(plan.filter).toBe("serviceName eq 'Azure App Service' and armRegionName eq 'koreacentral' and priceType eq 'Consumption' and (skuName eq 'P1v3' or skuName eq 'P1 v3')");
    expect(hostingQueries(withPostgres, 'koreacentral').map((q) => q.purpose)).toEqual(['App Service plan B1', 'PostgreSQL Flexible Server B1ms and its storage']);
  });

  it('chooses the Linux pay-as-you-go meter of the region, not Windows, a reservation or another region', () => {
    expect(pickHostingPrices(appService('B1'), 'koreacentral', answer)).toEqual([
      { ok: true, key: 'appServicePlanPerHour', price: { key: 'appServicePlanPerHour', price: 0.018, currency: 'USD', meter: '"B1 App" of "Azure App Service Basic Plan - Linux"' } },
    ]);
    const [p1] = pickHostingPrices(appService('P1v3'), 'koreacentral', answer);
    expect(p1).toMatchObject({ ok: true, price: { price: 0.154 } });
    const picks = pickHostingPrices(withPostgres, 'koreacentral', answer);
    expect(picks.map((p) => (p.ok ? [p.key, p.price.price] : [p.key, p.reason]))).toEqual([
      ['appServicePlanPerHour', 0.018],
      ['postgresB1msPerHour', 0.0208],
      ['postgresStoragePerGbMonth', 0.127],
    ]);
  });

  it('says why when no meter, or two different prices, answer for the SKU', () => {
    const [none] = pickHostingPrices(appService('B2'), 'koreacentral', answer);
    expect(none).toEqual({ ok: false, key: 'appServicePlanPerHour', reason: 'the Retail Prices API lists no pay-as-you-go meter for a Linux App Service plan B2 in koreacentral' });
    const [two] = pickHostingPrices(appService('B1'), 'koreacentral', [...answer, item({ retailPrice: 0.02, meterName: 'B1 App (new)' })]);
    expect(two.ok).toBe(false);
    expect(!two.ok && two.reason).toMatch(/2 different prices .*"B1 App" 0\.018, "B1 App \(new\)" 0\.02.*COST_PRICES/);
  });

  it('fills the sheet: COST_PRICES first, then the API, else unset with the reason and when it failed', () => {
    const read = { picks: pickHostingPrices(withPostgres, 'koreacentral', answer), fetchedAt: 1_000 };
    const given = { ...SPEC_PRICES, postgresB1msPerHour: 0.5 };
    const { sheet, sources } = withHostingPrices(given, withPostgres, { postgresB1msPerHour: true }, read);
    expect(sheet.appServicePlanPerHour.B1).toBe(0.018);
    expect(sheet.postgresB1msPerHour).toBe(0.5);
    expect(sheet.postgresStoragePerGbMonth).toBe(0.127);
    expect(sources).toMatchObject({ appServicePlanPerHour: { from: 'retail', fetchedAt: 1_000 }, postgresB1msPerHour: { from: 'settings' } });

    const failed = withHostingPrices(SPEC_PRICES, withPostgres, {}, { picks: [], error: 'The Azure Retail Prices API answered 503: busy', failedAt: 2_000 });
    expect(failed.sheet.appServicePlanPerHour.B1).toBeUndefined();
    expect(failed.sources.appServicePlanPerHour).toEqual({ from: 'unset', reason: 'the Retail Prices API could not be read: The Azure Retail Prices API answered 503: busy', failedAt: 2_000 });
    const lines = dashboardLines(withPostgres, failed.sheet, failed.sources);
    expect(lines.filter((l) => l.priceNotSet).map((l) => l.priceNotSet?.failedAt)).toEqual([2_000, 2_000, 2_000]);
    expect(lines.every((l) => l.perHour === 0)).toBe(true);
  });

  it('does not count a price in another currency as dollars', () => {
    const eur = [item({ currencyCode: 'EUR', retailPrice: 0.017 })];
    const { sheet, sources } = withHostingPrices(SPEC_PRICES, appService('B1'), {}, { picks: pickHostingPrices(appService('B1'), 'koreacentral', eur), fetchedAt: 1 });
    expect(sheet.appServicePlanPerHour.B1).toBeUndefined();
    expect(sources.appServicePlanPerHour).toMatchObject({ from: 'unset', reason: expect.stringContaining('EUR') });
  });

  it('a priced line says which meter it came from and counts in the totals', () => {
    const { sheet, sources } = withHostingPrices(SPEC_PRICES, appService('B1'), {}, { picks: pickHostingPrices(appService('B1'), 'koreacentral', answer), fetchedAt: 5 });
    const [plan] = dashboardLines(appService('B1'), sheet, sources);
    expect(plan).toMatchObject({ perHour: 0.018, priceSource: { from: 'retail', meter: '"B1 App" of "Azure App Service Basic Plan - Linux"', fetchedAt: 5 } });
    expect(plan.priceNotSet).toBeUndefined();
  });
});
