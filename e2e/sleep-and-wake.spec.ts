import { expect, signIn, test, twinAdmin } from './fixtures';

/**
 * AKS cannot stop a cluster that uses node auto-provisioning (see "Nightly stop and node
 * auto-provisioning" in docs/azure-differences.md), so a NAP cluster is put to sleep and woken again,
 * from the overview, with the twin clock at ×120.
 */
interface Summary {
  nodes: { name: string; pool?: string; ready?: string; spot: boolean }[];
  pods: { pending: string[]; running: number };
}
const summary = () => twinAdmin<Summary>('GET', '/_twin/k8s/app1');
const count = (s: Summary, pool: string) => s.nodes.filter((n) => n.pool === pool).length;

test('put app1 to sleep: its Spot nodes go, the system pool shrinks; wake: all nodes Ready and the add-ons Running again', async ({ page, twin }) => {
  test.setTimeout(180_000);
  await twin.reset('nap');
  const before = await summary();
  expect(before.nodes.filter((n) => n.spot).length).toBeGreaterThan(0);
  expect(count(before, 'system')).toBe(3);

  await signIn(page, 'operator');
  const app1 = page.getByRole('region', { name: 'aks-app1' });
  const plan = page.getByRole('group', { name: 'plan aks-app1' });
  // The plan before it runs: the steps and what it saves.
  await expect(plan.getByLabel('sleep state')).toHaveText('Awake');
  await expect(plan.getByRole('list', { name: 'power down steps app1' })).toContainText('system pool system 3 → 1');
  await expect(plan.getByLabel('saving per hour')).toContainText('saves $');

  page.once('dialog', (d) => void d.accept());
  await app1.getByRole('button', { name: 'Sleep' }).click();

  await expect.poll(async () => (await summary()).nodes.filter((n) => n.spot).length, { timeout: 60_000 }).toBe(0);
  await expect.poll(async () => count(await summary(), 'system'), { timeout: 60_000 }).toBe(1);
  await expect.poll(async () => count(await summary(), 'ingress'), { timeout: 60_000 }).toBe(0);
  await expect(page.getByRole('row', { name: 'run sleep app1' }).first()).toContainText('Succeeded', { timeout: 60_000 });
  await expect(plan.getByLabel('sleep state')).toHaveText('Asleep');
  await expect(page.getByRole('row', { name: 'pool app1/system' })).toContainText('1 nodes');
  await expect(app1.getByRole('button', { name: 'Sleep' })).toBeDisabled();

  await app1.getByRole('button', { name: 'Wake' }).click();
  await expect(page.getByRole('row', { name: 'run wake app1' }).first()).toContainText('Succeeded', { timeout: 90_000 });
  const after = await summary();
  expect(count(after, 'system')).toBe(3);
  expect(count(after, 'ingress')).toBe(3);
  expect(after.nodes.filter((n) => n.spot).length).toBe(before.nodes.filter((n) => n.spot).length);
  expect(after.nodes.every((n) => n.ready === 'True')).toBe(true);
  expect(after.pods.pending).toEqual([]);
  await expect(plan.getByLabel('sleep state')).toHaveText('Awake');

  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('cluster.sleep');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('cluster.wake');
});
