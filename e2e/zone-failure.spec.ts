import { expect, signIn, test, twinAdmin } from './fixtures';

/**
 * The zone-failure demo on the twin: cordon zone 1 on app1 (drained
 * through the Eviction API, Karpenter kept out of zone 1), see it live, restore.
 */
test('cordon zone 1 on app1 → zone 1 cordoned, workloads in zones 2 and 3 → restore', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'operator', '/zones');
  await expect(page.getByRole('status', { name: 'live updates' })).toContainText('live');

  const cell = (cluster: string, zone: number) => page.getByRole('cell', { name: `aks-${cluster} zone ${zone}` });
  for (const z of [1, 2, 3]) await expect(cell('app1', z).getByLabel('zone state')).toHaveText('healthy');

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Cordon zone 1 on aks-app1' }).click();
  await expect(page.getByRole('status', { name: 'action result' })).toContainText('app1: 3 node(s) of zone 1 cordoned');

  // Live through the SSE relay, no reload: zone 1 cordoned and emptied, the workloads run in zones 2 and 3.
  await expect(cell('app1', 1).getByLabel('zone state')).toHaveText('cordoned');
  await expect(cell('app1', 1).getByLabel('workload pods')).toHaveText('0 running');
  for (const z of [2, 3]) await expect(cell('app1', z).getByLabel('workload pods')).not.toHaveText(/^0 running/);
  await expect(cell('app1', 2).getByLabel('ingress gateways')).not.toHaveText('—');
  await expect(page.getByRole('region', { name: 'pending pods' })).toContainText('None');
  // The other clusters are untouched.
  await expect(cell('app2', 1).getByLabel('zone state')).toHaveText('healthy');

  // The twin agrees: every zone-1 node of app1 is unschedulable.
  const summary = await twinAdmin<{ nodes: { zone: string; unschedulable: boolean }[] }>('GET', '/_twin/k8s/app1');
  expect(summary.nodes.filter((n) => n.zone === '1').every((n) => n.unschedulable)).toBe(true);

  await page.getByRole('button', { name: 'Restore zone 1 on aks-app1' }).click();
  await expect(cell('app1', 1).getByLabel('zone state')).toHaveText('healthy');
  // The stream shows the zone healthy before the action has answered (and been recorded): wait for its answer.
  await expect(page.getByRole('status', { name: 'action result' })).toContainText('node(s) of zone 1 schedulable again');
  await expect(page.getByRole('button', { name: 'Cordon zone 1 on aks-app1' })).toBeVisible();

  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('zone.cordon');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('zone.restore');
});

test('a Reader sees the matrix but cannot cordon; the stream refuses anonymous callers', async ({ page, twin, request }) => {
  await twin.reset('nap');
  const anonymous = await request.get('/zones/stream');
  expect(anonymous.status()).toBe(401);
  await signIn(page, 'reader', '/zones');
  await expect(page.getByRole('cell', { name: 'aks-app1 zone 1' }).getByLabel('zone state')).toHaveText('healthy');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Cordon zone 1 on aks-app1' }).click();
  await expect(page.getByRole('alert', { name: 'action result' })).toContainText('Operator');
});
