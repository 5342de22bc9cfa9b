import { expect, reloadUntil, signIn, test, twinAdmin } from './fixtures';

/**
 * Helm's releases against infra/'s pins: the seeded twin matches everywhere; one release upgraded
 * behind infra/'s back (the twin's helm-release knob) shows as drift with both versions; a reset
 * brings the pinned version back.
 */
test('as a reader: every release matches infra/, a drift shows both versions, a reset matches again', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'reader', '/releases');
  await expect(page.getByRole('heading', { name: 'Helm releases', level: 1 })).toBeVisible();
  for (const key of ['mgmt', 'app1', 'app2']) {
    await expect(page.getByRole('region', { name: `releases ${key}` })).toContainText('releases match infra/');
  }
  await expect(page.locator('tr[data-verdict]:not([data-verdict="matches"])')).toHaveCount(0);
  const kyverno = page.getByRole('row', { name: 'app1 kyverno' });
  await expect(kyverno).toHaveAttribute('data-verdict', 'matches');

  await twinAdmin('POST', '/_twin/k8s/app1/helm-release', { namespace: 'kyverno', release: 'kyverno', version: '3.9.0' });
  await reloadUntil(page, kyverno, 'data-verdict', 'drift');
  await expect(kyverno).toContainText(/installed 3\.9\.0, infra\/ pins \d/);
  await expect(page.getByRole('region', { name: 'releases app1' })).toContainText('1 of 6 releases differ from infra/');
  await expect(page.getByRole('row', { name: 'app2 kyverno' })).toHaveAttribute('data-verdict', 'matches');

  // The presenter view lists the drift before the session, with the page that shows it.
  await page.goto('/present');
  const panel = page.getByRole('region', { name: 'Releases and add-ons panel' });
  await expect(panel).toContainText(/aks-app1: kyverno: installed 3\.9\.0, infra\/ pins \d/);
  await page.goto('/releases');

  await twin.reset('nap');
  await reloadUntil(page, kyverno, 'data-verdict', 'matches');
  await expect(page.locator('tr[data-verdict]:not([data-verdict="matches"])')).toHaveCount(0);
  await page.goto('/present');
  await expect(page.getByRole('region', { name: 'Releases and add-ons panel' })).toContainText('Every release, add-on and extension as infra/ expects.');
});

/**
 * What AKS manages beside Helm, read from ARM: the seeded twin is as infra/ expects everywhere; an
 * extension made to fail (the twin's extension-failure knob) shows as failed with its message on that
 * cluster only; a reset brings it back.
 */
test('as a reader: the add-ons and extensions are as infra/ expects, a failed extension shows its message, a reset clears it', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'reader', '/releases');
  for (const key of ['mgmt', 'app1', 'app2']) {
    const block = page.getByRole('region', { name: `addons ${key}` });
    await expect(block).toContainText('AKS-managed add-ons and extensions');
    await expect(block).toContainText('all as infra/ expects');
    await expect(page.getByRole('row', { name: `${key} flux gitops-config` })).toHaveAttribute('data-addon-verdict', 'compliant');
    await expect(page.getByRole('row', { name: `${key} key vault csi` })).toContainText('rotation on, every 2m');
  }
  await expect(page.getByRole('row', { name: 'app1 istio' })).toHaveAttribute('data-addon-verdict', 'supported');
  await expect(page.getByRole('row', { name: 'app2 istio' })).toHaveAttribute('data-addon-verdict', 'not-enabled');

  const message = 'the backup agent could not reach its storage account';
  await twinAdmin('POST', '/_twin/arm/app2/extension-failure', { name: 'azure-aks-backup', message });
  const backup = page.getByRole('row', { name: 'app2 extension azure-aks-backup' });
  await reloadUntil(page, backup, 'data-addon-verdict', 'failed');
  await expect(backup).toContainText(message);
  await expect(page.getByRole('region', { name: 'addons app2' })).toContainText('1 needs attention');
  await expect(page.getByRole('row', { name: 'app1 extension azure-aks-backup' })).toHaveAttribute('data-addon-verdict', 'ok');
  // Helm's rows are not affected.
  await expect(page.locator('tr[data-verdict]:not([data-verdict="matches"])')).toHaveCount(0);

  await twin.reset('nap');
  await reloadUntil(page, backup, 'data-addon-verdict', 'ok');
});
