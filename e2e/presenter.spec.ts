import { expect, signIn, test } from './fixtures';

/**
 * The presenter view at 1920×1080: an Operator runs the zone failure and the
 * Spot eviction to green within the RTO on the twin, while a Reader's browser
 * on the audience screen follows the scenario and its steps live, with no
 * buttons. Every step is audited.
 */
test.use({ viewport: { width: 1920, height: 1080 } });
test.describe.configure({ mode: 'serial' });

test('zone failure and Spot eviction run to green within the RTO; the audience screen follows', async ({ page, browser, twin }) => {
  test.setTimeout(240_000);
  await twin.reset('nap');
  await signIn(page, 'operator', '/present');
  await expect(page.getByRole('heading', { name: 'Choose a scenario' })).toBeVisible();

  // The audience: a Reader in another browser, on the audience screen.
  const audienceContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const audience = await audienceContext.newPage();
  await signIn(audience, 'reader', '/present/audience');
  await expect(audience.getByRole('figure', { name: 'environment' })).toBeVisible();
  // Azure Monitor's evidence on both screens: fired alerts and each cluster's CPU by zone.
  await expect(page.getByRole('region', { name: 'Azure Monitor' }).getByRole('region', { name: 'CPU by zone' })).toBeVisible();
  await expect(audience.getByRole('region', { name: 'Azure Monitor' })).toBeVisible();
  await expect(audience.getByRole('main').getByRole('button')).toHaveCount(0);

  // Zone failure, zone 2.
  const zoneCard = page.getByRole('article', { name: 'Zone failure' });
  await zoneCard.getByLabel('zone').selectOption('2');
  await zoneCard.getByRole('button', { name: 'Start zone failure' }).click();
  await expect(page.getByRole('heading', { name: 'Zone failure' })).toBeVisible();
  await expect(audience.getByRole('heading', { name: 'Zone failure' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'speaker notes' })).toContainText('Three clusters');
  await expect(audience.getByRole('complementary', { name: 'speaker notes' })).toHaveCount(0);

  const steps = page.getByRole('region', { name: 'steps' });
  const step = (n: number) => steps.getByRole('listitem').nth(n);
  /** A key for the next step, once the previous one has answered (a key pressed meanwhile is ignored, as a double click). */
  const press = async (key: string) => {
    await expect(page.getByRole('button', { name: 'Run next step →' })).toBeEnabled({ timeout: 60_000 });
    await page.keyboard.press(key);
  };
  // Keyboard-driven: → runs the next step (a presenter's clicker sends PageDown, the same).
  await press('ArrowRight');
  await expect(step(0)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(page.getByRole('timer', { name: 'stopwatch' })).toHaveAttribute('data-state', 'idle');

  await press('PageDown');
  await expect(page.getByRole('timer', { name: 'stopwatch' })).toHaveAttribute('data-state', /running|stopped/);
  await expect(step(1)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(audience.getByLabel('current step')).toContainText('Step 3 of 4', { timeout: 15_000 });
  // Zone 2 lost on every cluster: its nodes cordoned, its pods gone; the entry keeps answering.
  for (const cluster of ['aks-mgmt', 'aks-app1', 'aks-app2']) {
    await expect(audience.getByLabel(`${cluster} zone 2`).getByLabel('pods in zone 2')).toContainText(/^0/);
  }
  await expect(page.getByRole('timer', { name: 'stopwatch' })).toHaveAttribute('data-state', 'stopped', { timeout: 60_000 });
  await expect(page.getByRole('timer', { name: 'stopwatch' })).toHaveAttribute('data-within-rto', 'true');
  await expect(page.getByLabel('last probe')).toContainText('200');
  await expect(page.getByRole('list', { name: 'recovery checks' }).getByRole('listitem').first()).toHaveAttribute('data-ok', 'true');
  await page.screenshot({ path: 'data/e2e/presenter-zone-failure.png' });
  await audience.screenshot({ path: 'data/e2e/presenter-audience.png' });

  await press('ArrowRight');
  await expect(step(2)).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await press('ArrowRight');
  await expect(page.getByLabel('current step')).toContainText('Recovered', { timeout: 60_000 });
  await expect(audience.getByLabel('current step')).toContainText('Recovered', { timeout: 15_000 });
  await expect(page.getByRole('table', { name: 'runs' })).toContainText('recovered');

  // Spot eviction on app1: through Azure's simulate-eviction API, Karpenter's replacement Ready.
  const spotCard = page.getByRole('article', { name: 'Spot eviction' });
  await spotCard.getByLabel('cluster').selectOption('app1');
  await spotCard.getByRole('button', { name: 'Start spot eviction' }).click();
  await expect(page.getByRole('heading', { name: 'Spot eviction' })).toBeVisible();
  await expect(audience.getByRole('heading', { name: 'Spot eviction' })).toBeVisible();
  for (let i = 0; i < 4; i++) {
    await press('ArrowRight');
    await expect(step(i)).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  }
  await expect(page.getByLabel('current step')).toContainText('Recovered', { timeout: 60_000 });
  await expect(page.getByRole('timer', { name: 'stopwatch' })).toHaveAttribute('data-within-rto', 'true');
  await expect(page.getByRole('table', { name: 'runs' }).getByRole('row')).toHaveCount(3);
  // Karpenter's NodeClaim for the replacement and the interruption's event, as Kubernetes recorded them.
  await expect(page.getByRole('region', { name: 'what Kubernetes recorded on app1' })).toContainText('NodeClaim');
  await expect(page.getByRole('region', { name: 'what Kubernetes recorded on app1' })).toContainText('SpotInterrupted');
  await page.screenshot({ path: 'data/e2e/presenter-spot-eviction.png' });

  // The report downloads as JSON with the run's steps and timings.
  const href = await page.getByRole('table', { name: 'runs' }).getByRole('link', { name: 'JSON' }).first().getAttribute('href');
  const report = await page.request.get(href!);
  expect(report.status()).toBe(200);
  const body = (await report.json()) as { run: { status: string; steps: { by?: string }[] }; stopwatch: { withinRto: boolean } };
  expect(body.run.status).toBe('passed');
  expect(body.run.steps.map((s) => s.by)).toEqual(['Olivia Operator', 'Olivia Operator', 'Olivia Operator', 'Olivia Operator']);
  expect(body.stopwatch.withinRto).toBe(true);

  // Every step was an audited action.
  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'audit entries' })).toContainText('presenter.step');
  await audienceContext.close();
});

test('a Reader watches the presenter page but cannot start a scenario; the report needs a session', async ({ page, request, twin }) => {
  await twin.reset('nap');
  expect((await request.get('/present/report?id=00000000-0000-4000-8000-000000000000')).status()).toBe(401);
  await signIn(page, 'reader', '/present');
  const start = page.getByRole('article', { name: 'Zone failure' }).getByRole('button', { name: 'Start zone failure' });
  await expect(start).toBeDisabled();
  await expect(page.getByRole('region', { name: 'scenarios' }).getByText('Needs the Operator role')).toBeVisible();
  await expect(page.getByRole('region', { name: 'share links' }).getByRole('button', { name: 'Create a link' })).toBeDisabled();
});

test('a share link shows the audience screen to someone without an account, until it is revoked', async ({ page, browser, twin }) => {
  await twin.reset('nap');
  await signIn(page, 'operator', '/present');
  const links = page.getByRole('region', { name: 'share links' });
  await links.getByLabel('hours').selectOption('1');
  await links.getByRole('button', { name: 'Create a link' }).click();
  const url = (await links.getByRole('status', { name: 'new link' }).locator('code').textContent())!;
  expect(url).toMatch(/\/watch\/[A-Za-z0-9_-]{43}$/);

  const guest = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const screen = await guest.newPage();
  await screen.goto(url);
  await expect(screen.getByRole('figure', { name: 'environment' })).toBeVisible();
  await expect(screen.getByRole('status', { name: 'live updates' }).first()).toContainText('live');
  await expect(screen.getByRole('main').getByRole('button')).toHaveCount(0);
  // The link opens that screen only: the rest of the dashboard still wants a sign-in.
  await screen.goto('/present');
  await expect(screen).toHaveURL(/\/signin|login|authorize/);

  await page.reload();
  await links.getByRole('button', { name: 'Revoke' }).click();
  await expect(links.getByRole('list', { name: 'valid links' })).toHaveCount(0);
  // The page is "not found" (streamed behind the app's loading shell, so its status is the shell's) and its streams refuse.
  await screen.goto(url);
  await expect(screen.getByText('could not be found')).toBeVisible();
  await expect(screen.getByRole('figure', { name: 'environment' })).toHaveCount(0);
  expect((await screen.request.get(`${url}/events`)).status()).toBe(404);
  expect((await screen.request.get(`${url}/zones`)).status()).toBe(404);
  await guest.close();
});
