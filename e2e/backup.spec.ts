import { expect, signIn, test } from './fixtures';

/**
 * Back up now: the twin's clock runs ×120 here, so an AKS backup (2½–5 twin
 * minutes) takes a few real seconds.
 */
test('as an operator: back up app1 now, see the job succeed and its recovery point listed', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'operator', '/backup');
  await expect(page.getByRole('heading', { name: 'Backup', level: 1 })).toBeVisible();
  await expect(page.getByLabel('vault redundancy')).toHaveText('ZoneRedundant');
  await expect(page.getByLabel('what the redundancy covers')).toContainText('operational tier');

  const app1 = page.getByRole('region', { name: 'backup aks-app1' });
  await expect(app1.getByLabel('RPO status')).toHaveText('green');
  await expect(app1.getByLabel('next scheduled run')).toContainText('11:00:00 Asia/Seoul');
  const points = app1.getByRole('table', { name: 'recovery points aks-app1' });
  await expect(points.getByRole('row')).toHaveCount(8); // header + 7 days
  await expect(points.getByRole('row').nth(1)).toContainText('operational');

  await app1.getByRole('button', { name: 'Back up now' }).click();
  const onDemand = app1.getByRole('table', { name: 'jobs aks-app1' }).getByRole('row').filter({ hasText: 'On demand' }).first();
  await expect(onDemand).toBeVisible();
  await expect(onDemand).toContainText('Succeeded', { timeout: 20_000 });

  // The new point is the snapshot the job took when it started.
  const started = (await onDemand.getByRole('cell').first().textContent())!;
  await expect(points.getByRole('row').filter({ hasText: started })).toHaveCount(1);
  await expect(app1.getByLabel('RPO status')).toHaveText('green');

  // The other clusters were not backed up.
  await expect(page.getByRole('region', { name: 'backup aks-mgmt' }).getByRole('table', { name: 'jobs aks-mgmt' })).not.toContainText('On demand');
  const dr = page.getByRole('table', { name: 'DR table' });
  await expect(dr.getByRole('row', { name: 'scenario AKS cluster failure' }).getByRole('cell').nth(2)).toHaveText('recoverable');
  await expect(dr.getByRole('row', { name: 'scenario Region failure' }).getByRole('cell').nth(2)).toHaveText('not recoverable');

  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('backup.run');
});

test('as a reader: the page shows, back up now is not offered', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'reader', '/backup');
  await expect(page.getByRole('region', { name: 'backup aks-mgmt' }).getByRole('button', { name: 'Back up now' })).toBeDisabled();
  await expect(page.getByLabel('your permissions')).toContainText('Operator');
});
