import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, countRequests } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

let twin: Twin;
let lib: {
  cost: typeof import('./index');
  store: typeof import('./store');
  guard: typeof import('./guard');
  topology: typeof import('../topology');
  db: typeof import('../db');
};

beforeAll(async () => {
  ({ twin } = await startHarness({ profile: 'nap', clockSpeed: 1 }));
  lib = {
    cost: await import('./index'),
    store: await import('./store'),
    guard: await import('./guard'),
    topology: await import('../topology'),
    db: await import('../db'),
  };
});

afterAll(async () => {
  await twin.close();
});

async function reset(profile: 'nap' | 'manual') {
  twin.state.reset(profile);
  twin.requests.length = 0;
  twin['faults'].length = 0;
  for (const k of ['mgmt', 'app1', 'app2'] as const) lib.topology.invalidateCluster(k);
  const db = lib.db.getDb();
  await db.costAnswer.deleteMany({});
  await db.budgetGuard.deleteMany({});
}

async function settle() {
  for (let i = 0; i < 200; i++) {
    const rows = await lib.db.getDb().costAnswer.findMany();
    if (rows.length > 0 && rows.every((r) => r.leaseUntil === null)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('refreshes did not finish');
}

const cmPosts = () => countRequests(twin, 'POST', /Microsoft\.CostManagement\/(query|forecast)$/i);
const budgetGets = () => countRequests(twin, 'GET', /Microsoft\.Consumption\/budgets\//i);

describe('Cost Management answers kept in the database', () => {
  beforeEach(() => reset('nap'));

  it('the first render does not wait: it shows pending and starts one refresh, however many viewers', async () => {
    const pages = await Promise.all(Array.from({ length: 20 }, () => lib.cost.getBudgetPage()));
    for (const p of pages) {
      expect(p.actual.source.status).toBe('pending');
      expect(p.actual.monthToDate).toBeUndefined();
      // Modelled figures do not depend on Cost Management.
      expect(p.modelled.burnRatePerHour).toBeGreaterThan(2);
    }
    await settle();
    // One month-to-date query, one probe + one forecast, one budget read.
    expect(cmPosts()).toBe(3);
    expect(budgetGets()).toBe(1);

    const page = await lib.cost.getBudgetPage();
    expect(page.actual.source.status).toBe('ok');
    expect(page.actual.monthToDate).toBeGreaterThan(0);
    expect(page.forecast.monthEnd!).toBeGreaterThan(page.actual.monthToDate!);
    expect(page.budget.value?.amount).toBe(250);
    expect(page.actual.byCluster.map((b) => b.name).sort()).toEqual(['app1', 'app2', 'common', 'mgmt']);
    expect(page.actual.byService.some((b) => b.name === 'Virtual Machines')).toBe(true);
    expect(page.modelled.hoursLeft).not.toBeNull();
    expect(page.modelled.idleStates.map((s) => s.state)).toEqual(['asleep', 'asleep', 'asleep']);
    // Fresh answers are served from the database: no further call.
    await Promise.all(Array.from({ length: 10 }, () => lib.cost.getBudgetPage()));
    expect(cmPosts()).toBe(3);
    expect(budgetGets()).toBe(1);
  });

  it('a 429 stores "throttled until" and no refresh is attempted before then; the last answer stays', async () => {
    await lib.cost.getBudgetPage();
    await settle();
    const before = await lib.cost.getBudgetPage();
    // Make every answer old, then throttle the query.
    await lib.db.getDb().costAnswer.updateMany({ data: { fetchedAt: new Date(Date.now() - 24 * 3_600_000) } });
    twin['faults'].push({ method: 'POST', path: 'Microsoft.CostManagement/query', status: 429, code: '429', message: 'Too many requests. Please retry.', times: 10 });
    twin.requests.length = 0;
    await lib.cost.getBudgetPage();
    await settle();
    twin['faults'].length = 0;
    const row = await lib.db.getDb().costAnswer.findFirst({ where: { kind: 'query' } });
    // The policy waited the 1 s the twin asked for once, then gave up and stored when to try again.
    expect(row?.throttledUntil?.getTime()).toBeGreaterThan(Date.now() - 2_000);
    expect(cmPosts()).toBeGreaterThanOrEqual(2);
    // Cost Management asks for an hour: nothing is sent until then, however old the answers are.
    await lib.db.getDb().costAnswer.updateMany({ data: { throttledUntil: new Date(Date.now() + 3_600_000) } });
    const page = await lib.cost.getBudgetPage();
    expect(page.actual.monthToDate).toBeCloseTo(before.actual.monthToDate!, 9);
    expect(page.actual.source.error?.kind).toBe('throttled');
    expect(page.actual.source.throttledUntil).toBeDefined();
    const posts = cmPosts();
    await lib.cost.getBudgetPage();
    await settle();
    expect(cmPosts()).toBe(posts); // still throttled: nothing sent
  });

  it('on-demand refresh is refused while the answer is younger than the minimum', async () => {
    await lib.cost.getBudgetPage();
    await settle();
    const r = await lib.cost.refreshCostNow();
    expect(r.every((x) => !x.refreshed)).toBe(true);
    expect(r[0].reason).toContain('min');
  });
});

describe('budget guard', () => {
  it('is off by default and does nothing', async () => {
    await reset('manual');
    expect((await lib.guard.getGuard()).enabled).toBe(false);
    expect(await lib.guard.evaluateGuard(400, 250)).toMatchObject({ acted: false, reason: 'guard off' });
  });

  it('power down: stops what AKS can stop, audited; then waits before acting again', async () => {
    await reset('manual');
    const admin = { id: 'a', name: 'Admin A', role: 'Admin', via: 'session' } as const;
    await lib.guard.setGuard(admin, { enabled: true, action: 'power-down' });
    expect(await lib.guard.evaluateGuard(200, 250)).toMatchObject({ acted: false });
    const d = await lib.guard.evaluateGuard(300, 250);
    expect(d.acted).toBe(true);
    expect(d.reason).toContain('mgmt: accepted');
    expect(twin.state.clusters.every((c) => c.provisioningState === 'Stopping')).toBe(true);
    const audit = await lib.db.getDb().auditEntry.findFirst({ where: { action: 'budget.guard.power-down' } });
    expect(audit).toMatchObject({ actorName: 'Budget guard', target: 'environment', result: 'accepted' });
    expect(await lib.guard.evaluateGuard(300, 250)).toMatchObject({ acted: false, reason: 'acted recently' });
  });

  it('on NAP clusters the power down puts them to sleep (AKS refuses to stop a cluster with node auto-provisioning)', async () => {
    await reset('nap');
    const admin = { id: 'a', name: 'Admin A', role: 'Admin', via: 'session' } as const;
    await lib.guard.setGuard(admin, { enabled: true, action: 'power-down' });
    const d = await lib.guard.evaluateGuard(300, 250);
    expect(d.reason).toContain('app1: accepted');
    // The twin clock runs at real speed here: the sleeps have started (NAP frozen first); lib/power tests follow them to the end.
    const db = lib.db.getDb();
    const firstStepDone = async () => (await db.powerRun.findMany()).filter((r) => (JSON.parse(r.steps) as { status: string }[])[0].status === 'done').length;
    const end = Date.now() + 10_000;
    while ((await firstStepDone()) < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect((await db.powerRun.findMany()).map((r) => `${r.cluster}:${r.direction}`).sort()).toEqual(['app1:sleep', 'app2:sleep', 'mgmt:sleep']);
    expect(await firstStepDone()).toBe(3);
    expect(twin.state.clusters.every((c) => c.power === 'Running')).toBe(true);
  });
});
