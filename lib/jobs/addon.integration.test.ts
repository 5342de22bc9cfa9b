import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import type { Actor } from '../auth';

// The actions read their caller from the session cookie; these stand in for the request's.
const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers({ 'x-forwarded-for': 'addon-test' }) }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined) }),
  headers: async () => request.headers,
}));

/** An add-on's plan and apply on the twin: drift a release, plan shows the diff, apply brings it back to the pin. */
const admin: Actor = { id: 'a', name: 'Ada Admin', role: 'Admin', via: 'session' };
let twin: Twin;
let url: string;
let lib: {
  jobs: typeof import('./index');
  releases: typeof import('../releases');
  actions: typeof import('../../app/actions/jobs');
  session: typeof import('../auth/session');
  db: typeof import('../db');
};
let infraCopy: string;

async function finished(id: string) {
  for (let i = 0; i < 1200; i++) {
    const job = await lib.jobs.getJob(id);
    if (job && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

async function as(role: 'Operator' | 'Admin') {
  const s = await lib.session.createSession({ userId: `${role}-oid`, userName: `${role} user`, loginName: `${role}@demo`, tenantId: 't', role });
  request.cookies.set('aksdemo_session', s.token);
}

async function reloaderOn(cluster: 'app1' | 'app2') {
  lib.releases.invalidateReleases();
  const snapshot = await lib.releases.getReleases();
  return snapshot.clusters.find((c) => c.key === cluster)!.rows!.find((r) => r.release === 'reloader')!;
}

const drift = (cluster: string, version: string, appVersion: string) =>
  fetch(`${url}/_twin/k8s/${cluster}/helm-release`, { method: 'POST', body: JSON.stringify({ namespace: 'reloader', release: 'reloader', version, appVersion }) });

beforeAll(async () => {
  ({ twin, url } = await startHarness({ clockSpeed: 600 }));
  lib = {
    jobs: await import('./index'),
    releases: await import('../releases'),
    actions: await import('../../app/actions/jobs'),
    session: await import('../auth/session'),
    db: await import('../db'),
  };
  lib.jobs.configureJobs({ simulate: true, paceCapMs: 5, flushMs: 20, heartbeatMs: 100, sourceEnv: { PATH: '/usr/bin:/bin', HOME: '/tmp' } });
  infraCopy = mkdtempSync(join(tmpdir(), 'addon-infra-'));
});

afterAll(async () => {
  request.cookies.clear();
  rmSync(infraCopy, { recursive: true, force: true });
  await twin.close();
});

describe('an add-on plan and its apply on the twin', () => {
  it('drift → the Operator\'s plan shows both versions → the Admin applies it under the lock → the release matches its pin again; each step audited', async () => {
    expect((await drift('app1', '2.2.10', 'v1.4.0')).status).toBe(200);
    expect(await reloaderOn('app1')).toMatchObject({ verdict: 'drift', pinned: '2.2.16', installed: { chartVersion: '2.2.10', revision: 2 } });

    await as('Operator');
    const planned = await lib.actions.planAddOn({ cluster: 'app1', addon: '03-reloader' });
    expect(planned.ok).toBe(true);
    const planId = (planned as { data: { jobId: string } }).data.jobId;
    const plan = await finished(planId);
    expect(plan).toMatchObject({ status: 'succeeded', simulated: true, summary: null, addonPlan: { type: 'addon-plan', cluster: 'app1', addon: '03-reloader', simulated: true } });
    const [diff] = plan.addonPlan!.releases;
    expect(diff).toMatchObject({ release: 'reloader', installed: '2.2.10', pinned: '2.2.16', objectsChanged: 1, truncated: false });
    expect(diff.patch).toContain('-    helm.sh/chart: reloader-2.2.10');
    expect(diff.patch).toContain('+    helm.sh/chart: reloader-2.2.16');
    expect(diff.patch).toContain('-          image: ghcr.io/stakater/reloader:v1.4.0');
    expect(diff.patch).toContain('+          image: ghcr.io/stakater/reloader:v1.4.21');
    expect(diff.added).toBeGreaterThanOrEqual(3);
    const planLines = (await lib.jobs.getJobLines(planId, 0, 1000)).map((l) => l.text);
    expect(planLines.some((l) => l.includes('plan summary: 1 object changed'))).toBe(true);
    // A plan changes nothing.
    expect((await reloaderOn('app1')).verdict).toBe('drift');

    // An Operator may plan, not apply.
    expect(await lib.actions.applyAddOnPlan({ planJobId: planId })).toMatchObject({ ok: false, error: { kind: 'forbidden' } });

    await as('Admin');
    lib.jobs.configureJobs({ paceCapMs: 100 });
    const applied = await lib.actions.applyAddOnPlan({ planJobId: planId });
    expect(applied.ok).toBe(true);
    const applyId = (applied as { data: { jobId: string } }).data.jobId;
    // The environment's lock is the apply's while it runs: another mutating job is refused.
    expect((await lib.jobs.getLock())?.jobId).toBe(applyId);
    await expect(lib.jobs.startJob(admin, { kind: 'tofu-destroy', confirm: 'k8s-demo' })).rejects.toMatchObject({ code: 'JobLocked' });
    const job = await finished(applyId);
    lib.jobs.configureJobs({ paceCapMs: 5 });
    expect(job).toMatchObject({ status: 'succeeded', mutating: true, planJobId: planId, title: 'install.sh --cluster app1 --step 03-reloader (saved plan)' });
    expect(await lib.jobs.getLock()).toBeNull();
    const lines = (await lib.jobs.getJobLines(applyId, 0, 1000)).map((l) => l.text);
    expect(lines).toContain('Release "reloader" has been upgraded. Happy Helming!');
    expect(lines).toContain('REVISION: 3');
    expect(lines).toContain('STATUS: deployed');
    expect(await reloaderOn('app1')).toMatchObject({ verdict: 'matches', installed: { chartVersion: '2.2.16', revision: 3, appVersion: 'v1.4.21' } });

    // Applied once: the same plan is refused; the job page offers it no more.
    expect(await lib.actions.applyAddOnPlan({ planJobId: planId })).toMatchObject({ ok: false, error: { kind: 'refused', message: expect.stringContaining('already applied') } });
    expect((await lib.jobs.getJobDetail(planId))?.applicable).toBe(false);

    const audit = await lib.db.getDb().auditEntry.findMany({ where: { action: { in: ['jobs.addon-plan', 'jobs.addon-apply'] } }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => `${a.action} ${a.result}`)).toEqual(['jobs.addon-plan accepted', 'jobs.addon-apply forbidden', 'jobs.addon-apply accepted', 'jobs.addon-apply refused']);
  });

  it('refuses an add-on infra/ does not install with Helm on that cluster, before anything runs', async () => {
    await as('Operator');
    const r = await lib.actions.planAddOn({ cluster: 'app1', addon: '01-cert-manager' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('not an add-on infra/ installs with Helm on app1') } });
    expect(await lib.actions.planAddOn({ cluster: 'app1', addon: '03-reloader; rm -rf /' })).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('an apply is refused when the plan is stale, failed, or infra/\'s pin moved since', async () => {
    await drift('app2', '2.2.10', 'v1.4.0');
    const plan = async () => {
      const { jobId } = await lib.jobs.startJob(admin, { kind: 'addon-plan', cluster: 'app2', addon: '03-reloader' });
      expect((await finished(jobId)).status).toBe('succeeded');
      return jobId;
    };
    const old = await plan();
    await lib.db.getDb().job.update({ where: { id: old }, data: { finishedAt: new Date(Date.now() - 40 * 60_000) } });
    await expect(lib.jobs.applyAddonPlan(admin, old)).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('min old') });

    const failed = await plan();
    await lib.db.getDb().job.update({ where: { id: failed }, data: { status: 'failed' } });
    await expect(lib.jobs.applyAddonPlan(admin, failed)).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('succeeded') });

    // The pins are read from infra/ at plan and at apply time: a copy whose pin moves in between.
    cpSync(resolve('infra/addons'), join(infraCopy, 'addons'), { recursive: true });
    lib.jobs.configureJobs({ infraDir: infraCopy });
    try {
      const moved = await plan();
      const versions = join(infraCopy, 'addons/lib/versions.sh');
      writeFileSync(versions, readFileSync(versions, 'utf8').replace('pin RELOADER_VERSION 2.2.16', 'pin RELOADER_VERSION 2.2.17'));
      await expect(lib.jobs.applyAddonPlan(admin, moved)).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('reloader 2.2.16 → 2.2.17') });
    } finally {
      lib.jobs.configureJobs({ infraDir: resolve('infra') });
    }
    expect((await reloaderOn('app2')).verdict).toBe('drift');
    expect(await lib.jobs.getLock()).toBeNull();
  });
});
