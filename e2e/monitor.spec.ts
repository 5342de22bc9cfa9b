import { expect, signIn, test, twinAdmin } from './fixtures';

/**
 * Azure Monitor during a zone failure on the twin (its nodes stop reporting, as
 * in a real zone outage): the zone page's CPU series for that zone drops out,
 * the other zones carry the load, and infra's CPU alert fires and then resolves
 * on the zone page and the overview without a reload.
 */
test('a zone outage: zone 1’s CPU series drops out, the CPU alert fires on the zone page and the overview and its cluster card, then resolves', async ({ page, context, twin }) => {
  test.setTimeout(180_000);
  // The manual profile keeps the node count, so zones 2 and 3 carry the whole load.
  await twin.reset('manual');
  await twinAdmin('POST', '/_twin/monitor/load', { cluster: 'app1', demand: 75 });
  await signIn(page, 'operator', '/zones');
  const overview = await context.newPage();
  await overview.goto('/');

  const monitor = page.getByRole('region', { name: 'Azure Monitor' });
  await expect(monitor.getByRole('status', { name: 'monitor updates' })).toHaveText('live');
  await expect(overview.getByRole('region', { name: 'Azure Monitor' }).getByRole('status', { name: 'monitor updates' })).toHaveText('live');
  const app1 = monitor.getByRole('group', { name: 'aks-app1 CPU' });
  const zoneFigure = (zone: number) => app1.getByText(new RegExp(`^zone ${zone}: `));
  const percent = async (zone: number) => Number((await zoneFigure(zone).textContent())?.match(/: ([\d.]+)%$/)?.[1] ?? NaN);
  await expect(zoneFigure(1)).toHaveText(/^zone 1: [\d.]+%$/, { timeout: 30_000 });
  await expect(monitor.getByRole('region', { name: 'fired alerts' })).toContainText('No alert is firing.');
  const zone2Before = await percent(2);
  expect(zone2Before).toBeLessThan(90);

  await twinAdmin('POST', '/_twin/k8s/app1/zone-outage', { zone: '1' });
  // Pushed to the open page: zone 1 stops reporting and the other zones climb.
  await expect(zoneFigure(1)).toHaveText('zone 1: not reporting', { timeout: 40_000 });
  await expect.poll(() => percent(2), { timeout: 30_000 }).toBeGreaterThan(zone2Before);
  // The alert rule (average CPU above 90 % over 15 minutes) fires: on both open pages, no reload.
  const fired = (p: typeof page) => p.getByRole('region', { name: 'Azure Monitor' }).getByRole('region', { name: 'fired alerts' });
  await expect(fired(page).getByRole('listitem').filter({ hasText: 'alert-cpu-app1' })).toContainText('Sev2', { timeout: 60_000 });
  await expect(fired(overview).getByRole('listitem').filter({ hasText: 'alert-cpu-app1' })).toContainText('firing since', { timeout: 30_000 });
  // The cluster's card on the overview carries the same evidence: the alert and zone 1 not reporting.
  const card = overview.getByRole('region', { name: 'aks-app1' }).getByRole('group', { name: 'Azure Monitor for app1' });
  await expect(card.getByRole('alert', { name: 'alert alert-cpu-app1' })).toContainText('Sev2');
  await expect(card.getByText(/^zone 1: /)).toHaveText('zone 1: not reporting');
  await expect(overview.getByRole('region', { name: 'aks-app2' }).getByRole('group', { name: 'Azure Monitor for app2' }).getByText(/^ready: /)).toHaveText(/^ready: \d+$/);
  await page.screenshot({ path: 'data/e2e/zones-outage.png', fullPage: true });
  await overview.screenshot({ path: 'data/e2e/overview-outage.png', fullPage: true });
  // The other clusters are quiet.
  await expect(fired(page)).not.toContainText('alert-cpu-app2');

  await twinAdmin('POST', '/_twin/k8s/app1/zone-restore', { zone: '1' });
  await expect(zoneFigure(1)).toHaveText(/^zone 1: [\d.]+%$/, { timeout: 40_000 });
  await expect(fired(page)).toContainText('No alert is firing.', { timeout: 60_000 });
  await expect(fired(page)).toContainText('Resolved: alert-cpu-app1 (Sev2)');
  await expect(fired(overview)).toContainText('Resolved: alert-cpu-app1 (Sev2)', { timeout: 30_000 });
  await expect(card.getByRole('alert')).toHaveCount(0);
  await twinAdmin('POST', '/_twin/monitor/load', { cluster: 'app1', demand: 60 });
});
