import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/** Tear down and wake from it through the jobs capability, simulated on the twin (tofu and helm are simulated there). */
const ADMIN = { id: 'test-admin', name: 'Test admin', role: 'Admin', via: 'session' } as const;
let twin: Twin;
let lib: { teardown: typeof import('./teardown'); jobs: typeof import('../jobs'); db: typeof import('../db') };

beforeAll(async () => {
  ({ twin } = await startHarness({ profile: 'nap', clockSpeed: 600 }));
  lib = { teardown: await import('./teardown'), jobs: await import('../jobs'), db: await import('../db') };
  lib.jobs.configureJobs({ simulate: true, clockSpeed: 600, paceCapMs: 20, flushMs: 20, heartbeatMs: 100, planDir: resolve('data/test-power-jobs/plans') });
});

afterAll(async () => {
  await twin.close();
});

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 800)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('tear down and rebuild through Jobs', () => {
  it('tofu destroy removes the clusters; rebuild runs plan → apply → add-ons and they come back', async () => {
    await expect(lib.teardown.tearDownEnvironment({ ...ADMIN, role: 'Operator' }, 'k8s-demo')).rejects.toMatchObject({ kind: 'forbidden' });
    const { jobId } = await lib.teardown.tearDownEnvironment(ADMIN, 'k8s-demo');
    const destroyed = await until(() => lib.jobs.getJob(jobId), (j) => !!j && !['queued', 'running'].includes(j.status));
    expect(destroyed?.status).toBe('succeeded');
    expect(twin.state.clusters).toHaveLength(0);

    const { operationId } = await lib.teardown.rebuildEnvironment(ADMIN);
    const run = await until(() => lib.db.getDb().powerRun.findUniqueOrThrow({ where: { id: operationId } }), (r) => r.status !== 'InProgress', 120_000);
    expect(run.error).toBeNull();
    expect((JSON.parse(run.steps) as { id: string; status: string }[]).map((s) => `${s.id}:${s.status}`)).toEqual(['tofu-plan:done', 'tofu-apply:done', 'addons-install:done']);
    expect(twin.state.clusters.map((c) => c.key)).toEqual(['mgmt', 'app1', 'app2']);
    expect(twin.state.clusters.every((c) => (c.installedSteps ?? []).length > 0)).toBe(true);
  }, 180_000);
});
