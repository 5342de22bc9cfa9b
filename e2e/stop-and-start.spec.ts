import { expect, signIn, test } from './fixtures';

test('on the Manual profile: stop app2, watch it stop, start it again — without reloading', async ({ page, twin }) => {
  await twin.reset('manual');
  await signIn(page, 'operator');
  const app2 = page.getByRole('region', { name: 'aks-app2' });
  const state = app2.getByLabel('power state');
  await expect(state).toHaveText('Running');
  await expect(page.getByRole('row', { name: 'pool app2/worker' })).toContainText('autoscale 0–5');

  page.once('dialog', (d) => void d.accept());
  await app2.getByRole('button', { name: 'Stop' }).click();
  await expect(state).toHaveText('Stopping');
  await expect(state).toHaveText('Stopped');
  await expect(app2.getByRole('button', { name: 'Stop' })).toBeDisabled();

  // AKS asks for a pause between a stop and a start: the card says so right after the stop.
  await expect(app2.getByLabel('start soon after stop')).toContainText('15–30 minutes');
  await app2.getByRole('button', { name: 'Start' }).click();
  await expect(state).toHaveText('Starting');
  await expect(state).toHaveText('Running');

  // The other clusters were never touched.
  await expect(page.getByRole('region', { name: 'aks-app1' }).getByLabel('power state')).toHaveText('Running');
  await expect(page.getByRole('region', { name: 'operations' })).toContainText('Succeeded');

  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('cluster.stop');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('cluster.start');
});
