import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { startHarness } from '@/test/twin-harness';

// The client leaves call useRouter; outside Next's app router a stub stands in.
vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => undefined }) }));

let twin: Awaited<ReturnType<typeof startHarness>>['twin'];

beforeAll(async () => {
  ({ twin } = await startHarness({ profile: 'nap', clockSpeed: 1 }));
});

afterAll(async () => {
  await twin.close();
});

describe('BudgetView with the twin’s answers', () => {
  it("labels every figure and says where the architecture's figures do not hold", async () => {
    const { getBudgetPage } = await import('@/lib/cost');
    const { BudgetView } = await import('./budget-view');
    const { getDb } = await import('@/lib/db');
    await getBudgetPage();
    for (let i = 0; i < 100 && (await getDb().costAnswer.count({ where: { fetchedAt: { not: null } } })) < 3; i++) {
      await new Promise((r) => setTimeout(r, 30));
    }
    const data = await getBudgetPage();
    const noop = async () => ({ ok: true as const, data: null });
    const html = renderToStaticMarkup(createElement(BudgetView, { data, realNow: Date.now(), actions: { saveGuard: noop, refresh: noop } }));
    expect(html).toContain('aria-label="Month to date"');
    expect(html).toMatch(/data-figure="true">\$\d+\.\d\d</);
    expect(html).toContain('against the $250.00 budget');
    expect(html).toContain('aria-label="Hours of uptime left"');
    // NAP clusters: the full-stop strategy is not possible and the page says why.
    expect(html).toContain('Not possible here');
    expect(html).toContain('aks-mgmt, aks-app1, aks-app2 use node auto-provisioning');
    for (const kind of ['actual', 'forecast', 'modelled']) expect(html).toContain(`>${kind}</span>`);
    // The dashboard runs outside the environment here (DASHBOARD_HOSTING unset): no hosting section.
    expect(data.modelled.dashboard).toEqual([]);
    expect(html).not.toContain("the dashboard&#x27;s own hosting");
  });

  it('shows the dashboard’s hosting lines: a priced line with its meter and month, an unpriced one with why and where to read its price', async () => {
    const { getBudgetPage } = await import('@/lib/cost');
    const { BudgetView } = await import('./budget-view');
    const { dashboardLines, withPriceOverrides } = await import('@/lib/domain/cost');
    const data = await getBudgetPage();
    const hosting = { host: 'app_service' as const, sku: 'B1', database: 'postgresql' as const, resourceGroup: 'rg-k8s-demo-mgmt' };
    const lines = dashboardLines(hosting, withPriceOverrides({ appServicePlanPerHour: { B1: 0.05 }, postgresStoragePerGbMonth: 0.1 }), {
      appServicePlanPerHour: { from: 'retail', meter: '"B1 App" of "Azure App Service Basic Plan - Linux"', currency: 'USD', fetchedAt: Date.now() - 3 * 60_000 },
      postgresB1msPerHour: { from: 'unset', reason: 'the Retail Prices API could not be read: The Azure Retail Prices API answered 503: busy', failedAt: Date.now() - 60_000 },
      postgresStoragePerGbMonth: { from: 'settings' },
    });
    const noop = async () => ({ ok: true as const, data: null });
    const html = renderToStaticMarkup(createElement(BudgetView, { data: { ...data, modelled: { ...data.modelled, dashboard: lines } }, realNow: Date.now(), actions: { saveGuard: noop, refresh: noop } }));
    const row = (item: string) => html.slice(html.indexOf(`aria-label="${item}"`), html.indexOf('</tr>', html.indexOf(`aria-label="${item}"`)));
    expect(row('App Service plan B1 (Linux, 1 instance)')).toContain('$36.50');
    expect(row('App Service plan B1 (Linux, 1 instance)')).toContain('Azure Retail Prices API: meter &quot;B1 App&quot; of &quot;Azure App Service Basic Plan - Linux&quot;, USD, read');
    const compute = row('PostgreSQL Flexible Server, Burstable B1ms compute');
    expect(compute).toContain('Price not set: the Retail Prices API could not be read: The Azure Retail Prices API answered 503: busy');
    expect(compute).toContain('<time');
    expect(compute).toContain('Give <code class="font-mono">postgresB1msPerHour</code> in COST_PRICES');
    expect(compute).toContain('https://azure.microsoft.com/pricing/details/postgresql/flexible-server/');
    expect(row('PostgreSQL storage, 32 GiB provisioned')).toContain('Price from COST_PRICES');
  });
});
