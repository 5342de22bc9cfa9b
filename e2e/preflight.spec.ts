import { expect, signIn, test, twinAdmin } from './fixtures';

/**
 * Before a session: the pre-flight reads the region's quotas and supported versions. Break one
 * thing in the twin (the Spot vCPU quota), see which check fails and what to do, fix it, green.
 */
test('as an operator: a Spot quota too small for the NodePools fails the pre-flight, and passes once raised', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'operator', '/preflight');
  await expect(page.getByRole('heading', { name: 'Pre-flight', level: 1 })).toBeVisible();
  const spot = page.getByRole('listitem', { name: 'Spot vCPUs for the worker nodes' });
  await expect(spot).toHaveAttribute('data-status', 'pass');
  await expect(spot).toContainText('Needs 30 Spot vCPUs');
  await expect(page.getByRole('listitem', { name: 'Kubernetes 1.35.4 on aks-app1 is supported in koreacentral' })).toHaveAttribute('data-status', 'pass');

  await twinAdmin('POST', '/_twin/region/quota', { name: 'lowPriorityCores', limit: 8 });
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(spot).toHaveAttribute('data-status', 'fail');
  await expect(spot).toContainText('What to do');
  await expect(spot).toContainText('Total Regional Spot vCPUs');
  await expect(page.getByRole('region', { name: 'pre-flight result' })).toContainText('Not ready');

  await twinAdmin('POST', '/_twin/region/quota', { name: 'lowPriorityCores', limit: 60 });
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(spot).toHaveAttribute('data-status', 'pass');

  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('preflight.refresh');
});

test('as a reader: the pre-flight is readable, and asking Azure again is for operators', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'reader', '/preflight');
  await expect(page.getByRole('region', { name: 'checks' })).toContainText('Standard public IP addresses');
  await expect(page.getByRole('button', { name: 'Check again' })).toHaveCount(0);
});
