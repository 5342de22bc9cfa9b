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
  });
});
