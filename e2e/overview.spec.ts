import { expect, signIn, test } from './fixtures';

test.describe('overview on the seed profile (node auto-provisioning)', () => {
  test.beforeEach(async ({ twin }) => {
    await twin.reset('nap');
  });

  test('shows 3 clusters, 8 pools over zones 1–3, and the twin banner', async ({ page }) => {
    await signIn(page, 'reader');
    await expect(page.getByRole('status', { name: 'target' })).toContainText('Built-in twin');
    for (const name of ['aks-mgmt', 'aks-app1', 'aks-app2']) {
      await expect(page.getByRole('region', { name })).toBeVisible();
    }
    const pools = page.getByRole('row', { name: /^pool / });
    await expect(pools).toHaveCount(8);
    for (const p of ['mgmt/system', 'mgmt/ingress', 'mgmt/worker', 'app1/system', 'app1/ingress', 'app1/worker', 'app2/system', 'app2/worker']) {
      await expect(page.getByRole('row', { name: `pool ${p}` })).toBeVisible();
    }
    const app1 = page.getByRole('region', { name: 'aks-app1' });
    for (const z of ['Zone 1', 'Zone 2', 'Zone 3']) await expect(app1.getByRole('columnheader', { name: z })).toBeVisible();
    await expect(page.getByRole('row', { name: 'pool app1/worker' })).toContainText('node auto-provisioning');
    await expect(page.getByRole('row', { name: 'pool app1/worker' })).toContainText('Spot');
    await expect(page.getByRole('row', { name: 'pool app1/system' })).toContainText('Regular');
    await expect(app1).toContainText('1.35');
    await expect(app1).toContainText('Standard');
  });

  test('says why app2 cannot be stopped before anyone clicks, and offers sleep instead with its plan', async ({ page }) => {
    await signIn(page, 'operator');
    const app2 = page.getByRole('region', { name: 'aks-app2' });
    await expect(app2.getByRole('button', { name: 'Stop' })).toBeDisabled();
    await expect(app2.getByLabel('why it cannot stop')).toContainText('node auto-provisioning');
    await expect(app2.getByLabel('power state')).toHaveText('Running');
    // A NAP cluster cannot be stopped, so it is put to sleep; the plan and its saving are shown before it runs.
    await expect(app2.getByRole('button', { name: 'Sleep' })).toBeEnabled();
    await expect(app2.getByRole('button', { name: 'Wake' })).toBeDisabled();
    const plan = page.getByRole('group', { name: 'plan aks-app2' });
    await expect(plan.getByRole('list', { name: 'power down steps app2' })).toContainText('spot-workers');
    await expect(plan.getByLabel('saving per hour')).toContainText(/saves \$\d+\.\d{3}\/h/);
  });

  test('twenty browsers opening the overview cause one upstream read per cluster', async ({ page, twin }) => {
    await signIn(page, 'reader');
    const request = page.context().request; // carries the session cookie
    await page.goto('/audit'); // no page polling the overview meanwhile
    await new Promise((r) => setTimeout(r, 1200)); // let the 1 s read cache expire
    await twin.clearRequests();
    const responses = await Promise.all(Array.from({ length: 20 }, () => request.get('/')));
    for (const r of responses) expect(r.status()).toBe(200);
    for (const r of responses) expect(await r.text()).toContain('aks-app2');
    const reqs = await twin.requests();
    const clusterGets = reqs.filter((r) => r.method === 'GET' && /\/managedClusters\/aks-[a-z0-9]+$/i.test(r.path));
    const poolLists = reqs.filter((r) => r.method === 'GET' && /\/agentPools$/i.test(r.path));
    // One read per cluster per cache window: the twenty renders share it. They may straddle one expiry of the
    // 1 s cache on a slow run (the azure settings fetch tokens too), so at most two per cluster, never twenty.
    for (const name of ['aks-mgmt', 'aks-app1', 'aks-app2']) {
      const gets = clusterGets.filter((r) => r.path.endsWith(`/${name}`)).length;
      const lists = poolLists.filter((r) => r.path.includes(`/${name}/`)).length;
      expect(gets, name).toBeGreaterThanOrEqual(1);
      expect(gets, name).toBeLessThanOrEqual(2);
      expect(lists, name).toBeGreaterThanOrEqual(1);
      expect(lists, name).toBeLessThanOrEqual(2);
    }
  });
});
