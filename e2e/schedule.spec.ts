import { expect, signIn, test } from './fixtures';

/** HH:MM (UTC) of a minute boundary at least 20 s ahead. */
function nextMinuteUtc(): string {
  const t = new Date(Date.now() + 20_000);
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  return `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
}

test('a schedule a minute ahead stops app2 on time, once, as the scheduler', async ({ page, twin }) => {
  test.setTimeout(150_000);
  await twin.reset('manual');
  await signIn(page, 'admin', '/schedule');

  // The spec's defaults are there (disabled in this test run), with next runs in Seoul time.
  await expect(page.getByRole('region', { name: 'schedule Nightly power-down' })).toContainText('22:00 (Asia/Seoul)');

  const time = nextMinuteUtc();
  const form = page.getByRole('form', { name: 'Add schedule form' });
  await form.getByLabel('Name').fill('e2e stop app2');
  await form.getByLabel('Scope').selectOption('app2');
  for (const d of ['Sat', 'Sun']) await form.getByLabel(d, { exact: true }).check();
  await form.getByLabel('Time', { exact: true }).fill(time);
  await form.getByLabel('Time zone').fill('UTC');
  await form.getByRole('button', { name: 'Add schedule' }).click();
  const card = page.getByRole('region', { name: 'schedule e2e stop app2' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('list', { name: 'next runs' })).toContainText(`${time} (UTC)`);

  // Wait for the run: it appears in the history as succeeded, and app2 is stopped.
  const history = page.getByRole('region', { name: 'run history' });
  await expect(history).toContainText('e2e stop app2', { timeout: 100_000 });
  await expect(history).toContainText('app2: accepted');
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'aks-app2' }).getByLabel('power state')).toHaveText('Stopped', { timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'aks-app1' }).getByLabel('power state')).toHaveText('Running');

  await page.goto('/audit?action=schedule.stop');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('Scheduler');
});

test('an operator may skip the next run but not edit schedules', async ({ page }) => {
  await signIn(page, 'operator', '/schedule');
  const card = page.getByRole('region', { name: 'schedule Morning power-up' });
  await expect(card.getByRole('button', { name: 'Enable' })).toBeDisabled();
  await expect(page.getByLabel('your permissions')).toContainText('Needs the Admin role');
});
