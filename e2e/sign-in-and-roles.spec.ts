import { readFileSync } from 'node:fs';
import { expect, signIn, test } from './fixtures';

/** The server action id of `stopCluster`, from the build's own manifest. */
function stopClusterActionId(): string {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === 'stopCluster');
  if (!entry) throw new Error('stopCluster not found in the server reference manifest');
  return entry[0];
}

test('an unauthenticated visit is sent to sign in; sign-out ends the session on the server', async ({ page, context }) => {
  await page.goto('/');
  // The twin's provider shows its account picker (no login_hint).
  await expect(page.getByRole('heading', { name: 'Pick a demo account' })).toBeVisible();
  await page.getByRole('button', { name: /Olivia Operator/ }).click();
  await expect(page.getByLabel('signed in user')).toContainText('Olivia Operator');
  const cookie = (await context.cookies()).find((c) => c.name === 'aksdemo_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Signed out' })).toBeVisible();
  // The old cookie no longer opens a session: the server forgot it.
  await context.addCookies([{ ...cookie!, expires: -1 }]);
  const res = await page.request.get('/audit/export', { maxRedirects: 0 });
  expect(res.status()).toBe(401);
});

test('Reader: the stop button is disabled with the reason; a crafted POST to the action is refused and audited', async ({ page, twin }) => {
  await twin.reset('manual');
  await signIn(page, 'reader');
  const app2 = page.getByRole('region', { name: 'aks-app2' });
  await expect(app2.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await expect(page.getByLabel('your permissions')).toContainText('Needs the Operator role (you are Reader)');

  await twin.clearRequests();
  const crafted = await page.request.post('/', {
    headers: { 'Next-Action': stopClusterActionId(), 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
    data: JSON.stringify([{ cluster: 'app2' }]),
  });
  expect(crafted.status()).toBe(200);
  expect(await crafted.text()).toContain('forbidden');
  expect((await twin.requests()).filter((r) => r.method === 'POST')).toHaveLength(0);
  await expect(app2.getByLabel('power state')).toHaveText('Running');

  await page.goto('/audit?action=cluster.stop');
  const rows = page.getByRole('table', { name: 'audit entries' });
  await expect(rows).toContainText('Riley Reader');
  await expect(rows).toContainText('forbidden');
});

test('Operator: stop app2 works and appears on the audit page with the user name', async ({ page, twin }) => {
  await twin.reset('manual');
  await signIn(page, 'operator');
  const app2 = page.getByRole('region', { name: 'aks-app2' });
  page.once('dialog', (d) => void d.accept());
  await app2.getByRole('button', { name: 'Stop' }).click();
  await expect(app2.getByLabel('power state')).toHaveText('Stopped');

  await page.goto('/audit?action=cluster.stop&result=accepted');
  const table = page.getByRole('table', { name: 'audit entries' });
  await expect(table).toContainText('Olivia Operator');
  await expect(table).toContainText('Operator');
  await expect(table).toContainText('app2');
  await expect(table).toContainText('accepted');

  const csv = await page.request.get('/audit/export?action=cluster.stop');
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain('"Olivia Operator"');
});

test('security headers: CSP with a nonce and no unsafe-inline scripts, frame-ancestors none', async ({ page }) => {
  await signIn(page, 'reader');
  const res = await page.request.get('/');
  const csp = res.headers()['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  expect(res.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
});
