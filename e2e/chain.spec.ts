import { expect, reloadUntil, signIn, test, twinAdmin } from './fixtures';

/**
 * The GitOps and secret chain: the seeded twin is ok on every cluster; the certificate broken
 * through the twin's chain-fault knob (one day left, its renewal failing) is the first broken link
 * on mgmt, in its words, and every link after it depends on it; a reset makes the chain whole again.
 */
test('as a reader: every link ok, a certificate about to expire breaks the chain there, a reset mends it', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'reader', '/chain');
  await expect(page.getByRole('heading', { name: 'GitOps and secret chain', level: 1 })).toBeVisible();
  await expect(async () => {
    await page.reload();
    for (const key of ['mgmt', 'app1', 'app2']) {
      await expect(page.getByRole('region', { name: `chain ${key}` })).toContainText('every link ok', { timeout: 1_000 });
    }
  }).toPass({ timeout: 15_000 });
  await expect(page.locator('[data-verdict]:not([data-verdict="ok"])')).toHaveCount(0);
  const certificate = page.getByRole('group', { name: 'mgmt certificate' });
  await expect(certificate).toHaveAttribute('data-verdict', 'ok');

  await twinAdmin('POST', '/_twin/k8s/mgmt/chain-fault', { link: 'certificate-expiring' });
  await reloadUntil(page, certificate, 'data-verdict', 'broken');
  await expect(certificate).toHaveAttribute('data-first-broken', 'true');
  await expect(certificate).toContainText('The chain breaks here.');
  await expect(certificate).toContainText(/expires in \d+ hours; renewal was due 29 days ago and has not happened/);
  await expect(certificate).toContainText('the last issuance failed');
  await expect(page.getByRole('region', { name: 'chain mgmt' })).toContainText('broken at Certificate');
  // The links before it are ok; those after it depend on it.
  await expect(page.getByRole('group', { name: 'mgmt kustomization' })).toHaveAttribute('data-verdict', 'ok');
  for (const link of ['secret', 'pushsecret', 'keyvault', 'store', 'reloader', 'gateway']) {
    const box = page.getByRole('group', { name: `mgmt ${link}` });
    await expect(box).toHaveAttribute('data-depends-on', 'certificate');
    await expect(box).toContainText('Depends on Certificate, which is broken.');
  }
  await expect(page.getByRole('region', { name: 'chain app1' })).toContainText('every link ok');

  // The presenter view names the same break beside the contract, linking to this page.
  await page.goto('/present');
  const panel = page.getByRole('region', { name: 'GitOps and secret chain panel' });
  await expect(panel).toContainText('aks-mgmt: chain breaks at Certificate (6 links after it depend on it)');
  await expect(panel.getByRole('link', { name: 'GitOps and secret chain' })).toHaveAttribute('href', '/chain');
  await page.goto('/chain');

  await twin.reset('nap');
  await reloadUntil(page, certificate, 'data-verdict', 'ok');
  await expect(page.locator('[data-verdict]:not([data-verdict="ok"])')).toHaveCount(0);
  await expect(page.locator('[data-depends-on]')).toHaveCount(0);
});

/**
 * app1's gateway reads the certificate back from Key Vault: its ExternalSecret failing to sync
 * (the twin's knob) breaks app1's chain between the store and the TLS Secret, and mgmt stays whole.
 */
test('as a reader: app1’s sync from Key Vault failing breaks its chain there, mgmt stays whole', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'reader', '/chain');
  const sync = page.getByRole('group', { name: 'app1 externalsecret' });
  await expect(sync).toContainText('ExternalSecret aks-istio-ingress/gateway-tls');
  await twinAdmin('POST', '/_twin/k8s/app1/chain-fault', { link: 'externalsecret-failing' });
  await reloadUntil(page, sync, 'data-verdict', 'broken');
  await expect(sync).toHaveAttribute('data-first-broken', 'true');
  await expect(sync).toContainText('The ExternalSecret is not Ready (SecretSyncedError: could not get secret data from provider');
  await expect(page.getByRole('region', { name: 'chain app1' })).toContainText('broken at Sync from Key Vault');
  await expect(page.getByRole('group', { name: 'app1 store' })).toHaveAttribute('data-verdict', 'ok');
  for (const link of ['secret', 'reloader', 'gateway']) {
    await expect(page.getByRole('group', { name: `app1 ${link}` })).toContainText('Depends on Sync from Key Vault, which is broken.');
  }
  await expect(page.getByRole('region', { name: 'chain mgmt' })).toContainText('every link ok');
  await twin.reset('nap');
});
