import { expect, signIn, test } from './fixtures';

/** The number in a tile's figure, e.g. "$2.45/h" → 2.45. */
async function figure(page: import('@playwright/test').Page, label: string): Promise<number> {
  const text = (await page.getByRole('group', { name: label }).locator('[data-figure]').textContent()) ?? '';
  return Number(text.replace(/[^0-9.]/g, ''));
}

test('the budget page shows month to date, forecast, the $250 line and hours left; powering down lowers the burn rate', async ({ page, twin }) => {
  // Manual profile: a Spot pool under the autoscaler, so AKS can stop the clusters.
  await twin.reset('manual');
  await signIn(page, 'operator', '/budget');
  await page.goto('/budget');
  await expect(page.getByRole('heading', { name: 'Budget burn' })).toBeVisible();

  // Cost Management answers arrive in the background; the page re-renders until they are in.
  await expect(page.getByRole('group', { name: 'Month to date' }).locator('[data-figure]')).toHaveText(/^\$[\d,]+\.\d\d$/);
  await expect(page.getByRole('group', { name: 'Month to date' })).toContainText('actual');
  await expect(page.getByRole('group', { name: 'Forecast to month end' }).locator('[data-figure]')).toHaveText(/^\$[\d,]+\.\d\d$/);
  await expect(page.getByRole('group', { name: 'Forecast to month end' })).toContainText('forecast');
  // The chart (uPlot) has its figures as text: the budget line among them.
  await expect(page.getByRole('figure', { name: /Cumulative cost by day against the \$250 budget/ })).toContainText('budget: 250 USD');
  await expect(page.getByRole('group', { name: 'Hours of uptime left' }).locator('[data-figure]')).toHaveText(/\d+(\.\d)? h/);
  await expect(page.getByRole('group', { name: 'Hours of uptime left' })).toContainText('modelled');
  await expect(page.getByRole('region', { name: 'strategies' })).toContainText('Sleep on the Free tier');
  await expect(page.getByRole('region', { name: "where the architecture's cost figures do not hold" })).toContainText('$1,614');

  const before = await figure(page, 'Burn rate');
  expect(before).toBeGreaterThan(2);

  await page.goto('/');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Power down' }).click();
  for (const name of ['aks-mgmt', 'aks-app1', 'aks-app2']) {
    await expect(page.getByRole('region', { name }).getByLabel('power state')).toHaveText('Stopped', { timeout: 30_000 });
  }

  await page.goto('/budget');
  await expect.poll(() => figure(page, 'Burn rate'), { timeout: 15_000 }).toBeLessThan(before / 4);
  await expect(page.getByRole('group', { name: 'Burn rate' })).toContainText('modelled');
});
