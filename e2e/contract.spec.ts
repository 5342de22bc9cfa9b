import { expect, reloadUntil, signIn, test, twinAdmin } from './fixtures';

/**
 * The architecture's contract on the running environment: the seeded twin fails no rule (what only the code
 * can show reads "cannot tell"); the twin admin turns app1's private cluster off, and after a reload the
 * private API server rule fails naming that cluster; a reset makes it pass again. Widening who may read the
 * gateway's TLS Secret on app1 fails the TLS rule naming the Role that does it.
 */
test('as a reader: no rule fails, a public API server fails its rule for that cluster, a reset passes again', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'reader', '/contract');
  await expect(page.getByRole('heading', { name: 'Architecture contract', level: 1 })).toBeVisible();
  const rule = page.getByRole('row', { name: 'private-api-server' });
  await expect(rule).toHaveAttribute('data-status', 'pass');
  await expect(page.locator('tr[data-status="fail"]')).toHaveCount(0);
  await expect(page.getByLabel('contract counts')).toContainText('0 fail');
  await expect(page.locator('tr[data-status="unknown"]').first()).toContainText(/only the code says|was not read/);

  await twinAdmin('POST', '/_twin/arm/app1/public-api-server');
  await reloadUntil(page, rule, 'data-status', 'fail');
  await expect(page.getByRole('cell', { name: 'private-api-server on aks-app1' })).toHaveAttribute('data-status', 'fail');
  await expect(page.getByRole('cell', { name: 'private-api-server on aks-app1' })).toContainText('app1 is not a private cluster');
  await expect(page.getByRole('cell', { name: 'private-api-server on aks-app2' })).toHaveAttribute('data-status', 'pass');
  await expect(page.getByLabel('contract counts')).toContainText('1 fail');

  await twin.reset('nap');
  await reloadUntil(page, rule, 'data-status', 'pass');
  await expect(page.locator('tr[data-status="fail"]')).toHaveCount(0);
});

test('as a reader: a Role reading every Secret of the gateway namespace fails the TLS rule, naming the Role; a reset passes again', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'reader', '/contract');
  const rule = page.getByRole('row', { name: 'tls-key-in-key-vault' });
  await expect(rule).toHaveAttribute('data-status', 'pass');

  await twinAdmin('POST', '/_twin/k8s/app1/tls-secret-wide-read', {});
  await reloadUntil(page, rule, 'data-status', 'fail');
  await expect(rule).toContainText('Role aks-istio-ingress/tls-secret-wide-reader lets ServiceAccount demo/demo-app list every Secret in aks-istio-ingress');
  await expect(page.getByLabel('contract counts')).toContainText('1 fail');

  await twin.reset('nap');
  await reloadUntil(page, rule, 'data-status', 'pass');
});
