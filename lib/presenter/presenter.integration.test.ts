import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, countRequests, resetTwin, type Twin } from '../../test/twin-harness';
import { waitFor } from '../../test/wait-for';
import type { Actor } from '../auth';

/**
 * Scenarios end to end on the twin, through the same commands as the product's
 * buttons (the real Kubernetes client and ARM SDK), the checks read from the
 * watch-fed caches, and the probe a real HTTPS request to the twin's entry.
 */
let twin: Twin;
let url: string;
let presenter: typeof import('./index');
let db: typeof import('../db');
const operator: Actor = { id: 'op', name: 'Olivia Operator', role: 'Operator' } as Actor;

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap', clockSpeed: 60 }));
  presenter = await import('./index');
  db = await import('../db');
});

afterAll(async () => {
  presenter.stopDriver();
  await (await import('../zones')).zoneRelay().stop();
  await twin.close();
});

beforeEach(async () => {
  presenter.stopDriver();
  await db.getDb().scenarioRun.deleteMany({});
  await resetTwin(url);
});

const view = () => presenter.getPresenterView();
const current = async () => (await view()).current!;

/** Runs the next step and waits (observing) until it is done, or the run ended. */
async function step(id: string, timeoutMs = 60_000) {
  const answer = await presenter.runNextStep(operator, { id });
  const after = await waitFor(
    async () => {
      await presenter.observeOnce(id);
      return (await current()) ?? (await presenter.getPresenterView()).runs[0];
    },
    (c) => !c || !('run' in c) || c.run.steps.every((s) => s.status !== 'running' && s.status !== 'waiting'),
    timeoutMs,
    200,
  );
  return { answer, after };
}

const runOf = async (id: string) => (await presenter.getRunReport(id)).run;

describe('presenter scenarios on the twin', () => {
  it('zone failure: zone 2 out of every cluster, pods rescheduled, the entry keeps answering, the stopwatch stops within the RTO, zone back', async () => {
    const { id } = await presenter.startScenario(operator, { scenario: 'zone-failure', zone: '2' });
    // One run at a time.
    await expect(presenter.startScenario(operator, { scenario: 'spot-eviction' })).rejects.toThrow(/still running/);

    await step(id); // baseline: healthy, and the probe answers
    let run = await runOf(id);
    expect(run.steps[0].status).toBe('done');
    expect(run.probes.at(-1)).toMatchObject({ status: 200 });
    expect(run.stopwatch.startedAt).toBeUndefined();

    const cordons = countRequests(twin, 'PATCH', /\/api\/v1\/nodes\//);
    const cut = await step(id);
    expect(cut.answer).toMatchObject({ step: 'take-zone-out', ok: true });
    expect(countRequests(twin, 'PATCH', /\/api\/v1\/nodes\//)).toBeGreaterThan(cordons);
    run = await runOf(id);
    expect(run.steps[1].status).toBe('done');
    expect(run.checks['zone-drained:all:2']).toMatchObject({ ok: true });
    expect(run.stopwatch.startedAt).toBeDefined();

    // The probe runs every second meanwhile: a few answers after the drain.
    const cutAt = run.steps[1].endedAt!;
    await waitFor(() => runOf(id), (r) => r.probes.filter((p) => p.at > cutAt).length >= 3, 30_000, 200);
    await step(id); // still serving: pods Running elsewhere, gateways Ready, probe 2xx
    run = await runOf(id);
    expect(run.stopwatch.stoppedAt).toBeDefined();
    expect(run.stopwatch.stoppedAt! - run.stopwatch.startedAt!).toBeLessThan(run.rtoMs!);
    // Requests kept being served, never from the lost zone once it was drained.
    const afterCut = run.probes.filter((p) => p.at > cutAt);
    expect(afterCut.length).toBeGreaterThan(0);
    expect(afterCut.every((p) => p.status === 200 && !p.servedBy?.endsWith('zone-2'))).toBe(true);

    await step(id); // zone back
    run = await runOf(id);
    expect(run.status).toBe('passed');
    // The timeline recorded the drain turning green.
    expect(run.timeline.some((t) => t.key === 'zone-drained:all:2' && t.ok)).toBe(true);
    const list = (await view()).runs;
    expect(list[0]).toMatchObject({ id, status: 'passed', stopwatch: { state: 'stopped', withinRto: true } });
  }, 180_000);

  it('Spot eviction: a Spot node of app1 goes, Karpenter’s replacement becomes Ready and every pod runs again', async () => {
    const { id } = await presenter.startScenario(operator, { scenario: 'spot-eviction', cluster: 'app1' });
    await step(id);
    const evict = await step(id);
    expect(evict.answer).toMatchObject({ step: 'evict', ok: true });
    // Through Azure's simulate-eviction API for the node's VM, as on Azure.
    expect(countRequests(twin, 'POST', /\/simulateEviction$/)).toBe(1);
    let run = await runOf(id);
    expect(run.memo['spot:app1']?.length).toBeGreaterThan(0);
    await step(id, 120_000);
    run = await runOf(id);
    expect(run.checks['spot-replaced:app1']).toMatchObject({ ok: true });
    expect(run.memo['spot:app1']).not.toContain(run.checks['spot-replaced:app1'].detail.split(': ')[1]);
    // What Kubernetes recorded: Karpenter's NodeClaim for the replacement, and the interruption's event.
    expect(run.memo['evidence:app1']?.some((l) => /^NodeClaim .* \(Ready\)$/.test(l))).toBe(true);
    expect(run.memo['evidence:app1']?.some((l) => /SpotInterrupted node\//.test(l))).toBe(true);
    await step(id, 120_000);
    run = await runOf(id);
    expect(run.status).toBe('passed');
    expect(run.stopwatch.stoppedAt! - run.stopwatch.startedAt!).toBeLessThan(run.rtoMs!);
  }, 300_000);

  it('cluster failure: app2 restored from its latest recovery point through Data Protection; the stopwatch runs against 30 minutes', async () => {
    const { id } = await presenter.startScenario(operator, { scenario: 'cluster-failure', cluster: 'app2' });
    await step(id);
    const restores = countRequests(twin, 'POST', /\/backupInstances\/[^/]+\/restore$/);
    const restore = await step(id, 120_000);
    expect(restore.answer).toMatchObject({ step: 'restore', ok: true });
    expect(countRequests(twin, 'POST', /\/backupInstances\/[^/]+\/restore$/)).toBe(restores + 1);
    let run = await runOf(id);
    expect(run.checks['restore-succeeded:app2']).toMatchObject({ ok: true });
    await step(id, 60_000);
    run = await runOf(id);
    expect(run.status).toBe('passed');
    expect(run.rtoMs).toBe(30 * 60_000);
    expect(run.stopwatch.stoppedAt! - run.stopwatch.startedAt!).toBeLessThan(run.rtoMs!);
  }, 240_000);

  it('power cycle: app1 to sleep, then awake again, the stopwatch timing the wake-up', async () => {
    const { id } = await presenter.startScenario(operator, { scenario: 'power-cycle', cluster: 'app1' });
    await step(id);
    await step(id, 180_000);
    let run = await runOf(id);
    expect(run.checks['power:app1:down']).toMatchObject({ ok: true });
    expect(run.stopwatch.startedAt).toBeUndefined();
    await step(id, 180_000);
    await waitFor(() => presenter.observeOnce(id), (r) => r.status !== 'running', 120_000, 500);
    run = await runOf(id);
    expect(run.status).toBe('passed');
    expect(run.rtoMs).toBeNull();
    expect(run.stopwatch.stoppedAt).toBeGreaterThan(run.stopwatch.startedAt!);
  }, 420_000);

  it('a refused command ends the run with its reason and the way back; nothing further runs', async () => {
    const { id } = await presenter.startScenario(operator, { scenario: 'zone-failure', zone: '1' });
    await step(id);
    // Kubernetes refuses to cordon (as RBAC would): the step fails with the product's words for it.
    await fetch(`${url}/_twin/faults`, { method: 'POST', body: JSON.stringify({ method: 'PATCH', path: '/api/v1/nodes/', status: 403, code: 'Forbidden', message: 'nodes is forbidden' }) });
    const { answer } = await step(id);
    await fetch(`${url}/_twin/faults`, { method: 'DELETE' });
    expect(answer.ok).toBe(false);
    const run = await runOf(id);
    expect(run).toMatchObject({ status: 'failed', failure: { step: 'take-zone-out', wayBack: ['restore-zone'] } });
    expect(run.failure!.reason).toMatch(/app1/);
    expect(run.stopwatch.stoppedAt).toBeDefined();
    await expect(presenter.runNextStep(operator, { id })).rejects.toThrow(/ended \(failed\)/);
    // The way back (the zone restored) runs once, through the same command, and is kept in the run.
    const back = await presenter.runWayBack(operator, { id });
    expect(back.ok).toBe(true);
    expect(back.detail).toMatch(/^restore-zone: done/);
    expect((await runOf(id)).memo.wayBack).toHaveLength(1);
    await expect(presenter.runWayBack(operator, { id })).rejects.toThrow(/already run/);
    // A new run may start once this one ended.
    const next = await presenter.startScenario(operator, { scenario: 'power-cycle' });
    expect((await presenter.abandonScenario(operator, next)).status).toBe('abandoned');
  }, 120_000);
});
