import { expect, signIn, test, twinAdmin } from './fixtures';

/** Jobs from the dashboard, with live logs; on the twin, tofu and helm are simulated. */

test('an operator runs the add-on dry run for app1 and watches its lines arrive', async ({ page, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'operator', '/jobs');
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await expect(page.getByRole('note')).toContainText('Simulated on the twin');
  // An Operator may plan and dry-run, not apply, install or destroy (jobs.apply is Admin).
  await expect(page.getByRole('button', { name: 'Install add-ons' })).toBeDisabled();

  await page.getByLabel('Cluster').selectOption('app1');
  await page.getByRole('button', { name: 'Dry run add-ons' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('install.sh --cluster app1 --dry-run');

  const log = page.getByRole('log', { name: 'job log' });
  await expect(log).toContainText('-- dry run: commands are printed, nothing is executed');
  await expect(page.getByLabel('streamed status')).toHaveText('status: succeeded');
  // The view follows the end of the log: the last step and the exit line are on screen.
  await expect(log).toContainText('==> [app1] 14-verify-clusters');
  await expect(log).toContainText('exit code 0');
  const count = Number((await page.getByLabel('line count').textContent())!.replace(/\D/g, ''));
  expect(count).toBeGreaterThan(40);
  await expect(page.getByLabel('job status')).toHaveText('succeeded');
  // The dry run is the real script even on the twin: not marked simulated.
  await expect(page.getByText('simulated on the twin')).toHaveCount(0);

  await page.getByRole('link', { name: 'Jobs', exact: true }).first().click();
  await expect(page.getByRole('table', { name: 'job history' })).toContainText('install.sh --cluster app1 --dry-run');
});

test('an admin plans and applies on a torn-down twin (simulated) and the topology appears on the overview', async ({ page, twin }) => {
  test.setTimeout(120_000);
  await twin.reset('nap');
  await twinAdmin('POST', '/_twin/jobs/teardown');
  await new Promise((r) => setTimeout(r, 1100));
  await signIn(page, 'admin', '/');
  await expect(page.getByRole('region', { name: 'aks-app1' }).getByLabel('power state')).toHaveText('Not deployed');

  await page.goto('/jobs');
  await page.getByRole('button', { name: 'Plan' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const summary = page.getByRole('region', { name: 'plan summary' });
  await expect(summary).toContainText('19 to add', { timeout: 30_000 });
  await expect(summary).toContainText('module.aks["app1"].azurerm_kubernetes_cluster.this');

  page.once('dialog', (d) => void d.accept());
  await summary.getByRole('button', { name: 'Apply this plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('tofu apply (saved plan)');
  await expect(page.getByText('simulated on the twin')).toBeVisible();
  const log = page.getByRole('log', { name: 'job log' });
  await expect(log).toContainText('Creating...');
  await expect(log).toContainText('Apply complete! Resources: 19 added', { timeout: 60_000 });
  await expect(page.getByLabel('job status')).toHaveText('succeeded');

  await page.goto('/');
  for (const name of ['aks-mgmt', 'aks-app1', 'aks-app2']) {
    await expect(page.getByRole('region', { name }).getByLabel('power state')).toHaveText('Running');
  }
});

test('a second mutating job is refused while one holds the lock, saying who and since when', async ({ page, twin }) => {
  test.setTimeout(90_000);
  await twin.reset('nap');
  await signIn(page, 'admin', '/jobs');
  await page.getByLabel('Environment name to confirm').fill('k8s-demo');
  await page.getByRole('button', { name: 'Destroy' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const destroyJob = page.url();
  await expect(page.getByRole('log', { name: 'job log' })).toContainText('Destroying...');

  await page.goto('/jobs');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Install add-ons' }).click();
  const launcher = page.getByRole('region', { name: 'start a job' });
  await expect(launcher.getByRole('alert')).toContainText(/Another job holds the lock on k8s-demo: started by .* at \d{4}-/);
  await expect(page.getByRole('region', { name: 'environment lock' })).toContainText('Locked by');

  // Cancel the destroy (interrupt between resources); the lock is released.
  await page.goto(destroyJob);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByLabel('job status')).toHaveText('cancelled');
  await expect(page.getByRole('log', { name: 'job log' })).toContainText('cancel requested by');
  await page.goto('/jobs');
  await expect(page.getByRole('region', { name: 'environment lock' })).toContainText('Not locked');
  await twin.reset('nap');
});

test('a log of 100 000 lines loads without freezing the page: only the rows in view are rendered', async ({ page }) => {
  test.setTimeout(120_000);
  // A finished job with a 100 000-line log, written straight into the e2e database (no job kind prints that much).
  const { createDb } = await import('../lib/db');
  const db = createDb('file:./data/e2e/app.db');
  const id = crypto.randomUUID();
  const at = new Date();
  await db.job.create({ data: { id, kind: 'addons-dry-run', args: JSON.stringify({ kind: 'addons-dry-run', cluster: 'all' }), environment: 'k8s-demo', mutating: false, simulated: false, status: 'succeeded', exitCode: 0, actorName: 'e2e', instance: 'e2e', lineCount: 100_000, createdAt: at, finishedAt: at } });
  for (let start = 1; start <= 100_000; start += 5_000) {
    await db.jobLine.createMany({ data: Array.from({ length: 5_000 }, (_, i) => ({ jobId: id, seq: start + i, at, stream: 'out', text: `\u001b[32mline ${start + i}\u001b[0m + helm upgrade --install something --namespace x` })) });
  }
  await db.$disconnect();

  await signIn(page, 'reader', `/jobs/${id}`);
  await expect(page.getByLabel('line count')).toHaveText('100,000 lines', { timeout: 60_000 });
  const log = page.getByRole('log', { name: 'job log' });
  // Following the end: the last line is on screen, coloured; the DOM holds a window, not 100 000 rows.
  await expect(log).toContainText('line 100000 + helm upgrade');
  expect(await log.locator('[data-seq]').count()).toBeLessThan(200);
  // The page still answers: scroll to the middle and the rows there appear at once.
  const t0 = Date.now();
  await log.evaluate((el) => { el.scrollTop = 50_000 * 20; });
  await expect(log.locator('[data-seq="50001"]')).toBeVisible();
  expect(Date.now() - t0).toBeLessThan(2_000);
  await expect(log.locator('[data-seq="50001"] span[style*="color"]').first()).toHaveText('line 50001');
});
