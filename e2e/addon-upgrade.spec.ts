import { expect, reloadUntil, signIn, test, twinAdmin } from './fixtures';

/**
 * One add-on brought back to its pin: a release upgraded behind infra/'s back (the twin's
 * helm-release knob), an Operator plans the upgrade from /releases and reads the diff, an Admin
 * applies that plan, and /releases shows the release matching infra/ again.
 */
test('drift → an operator plans the upgrade and sees the diff → an admin applies it → the release matches', async ({ page, twin }) => {
  test.setTimeout(120_000);
  await twin.reset('nap');
  await twinAdmin('POST', '/_twin/k8s/app1/helm-release', { namespace: 'reloader', release: 'reloader', version: '2.2.10', appVersion: 'v1.4.0' });

  await signIn(page, 'operator', '/releases');
  const row = page.getByRole('row', { name: 'app1 reloader' });
  await reloadUntil(page, row, 'data-verdict', 'drift');
  // Only rows infra/ would change offer a plan.
  await expect(page.getByRole('row', { name: 'app2 reloader' }).getByRole('button')).toHaveCount(0);

  await row.getByRole('button', { name: 'Plan upgrade' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('install.sh --cluster app1 --step 03-reloader --plan');
  await expect(page.getByLabel('job status')).toHaveText('succeeded', { timeout: 30_000 });
  await page.reload();
  const plan = page.getByRole('region', { name: 'add-on plan' });
  await expect(plan.getByLabel('plan totals')).toHaveText(/^1 object changed, \+\d+ −\d+ lines$/);
  const diff = plan.getByLabel('diff reloader');
  await expect(diff).toContainText('reloader 2.2.10 → reloader 2.2.16');
  await expect(diff).toContainText('-    helm.sh/chart: reloader-2.2.10');
  await expect(diff).toContainText('+    helm.sh/chart: reloader-2.2.16');
  await expect(diff).toContainText('+          image: ghcr.io/stakater/reloader:v1.4.21');
  // An Operator plans; applying is the Admin's.
  await expect(plan.getByRole('button', { name: 'Apply this plan' })).toBeDisabled();
  const planUrl = page.url();

  await page.context().clearCookies();
  await signIn(page, 'admin', new URL(planUrl).pathname);
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('region', { name: 'add-on plan' }).getByRole('button', { name: 'Apply this plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('install.sh --cluster app1 --step 03-reloader (saved plan)');
  const log = page.getByRole('log', { name: 'job log' });
  await expect(log).toContainText('Release "reloader" has been upgraded. Happy Helming!', { timeout: 60_000 });
  await expect(log).toContainText('REVISION: 3');
  await expect(page.getByLabel('job status')).toHaveText('succeeded');

  await page.goto('/releases');
  await reloadUntil(page, row, 'data-verdict', 'matches');
  await expect(row).toContainText('deployed, revision 3');
  await expect(row.getByRole('button')).toHaveCount(0);
});
