import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import type { Actor } from '../auth';

/**
 * The runner with real child processes: stand-ins for tofu and install.sh under testdata/
 * (bash scripts, real signals), a real SQLite database, no mocks.
 */
const testdata = resolve('lib/jobs/testdata');
const PATH_WITH_TOOLS = `${testdata}/bin:/usr/bin:/bin`;
const admin: Actor = { id: 'a', name: 'Ada Admin', role: 'Admin', via: 'session' };
const operator: Actor = { id: 'o', name: 'Otto Operator', role: 'Operator', via: 'session' };

let twin: Twin;
let databaseUrl: string;
let jobs: typeof import('./index');
let db: ReturnType<typeof import('../db').getDb>;

async function waitFor(id: string, statuses = ['succeeded', 'failed', 'cancelled', 'interrupted'], timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await jobs.getJob(id);
    if (job && statuses.includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${id} still ${job?.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function lines(id: string) {
  return (await jobs.getJobLines(id, 0, 100_000)).map((l) => ({ seq: l.seq, stream: l.stream, text: l.text }));
}

beforeAll(async () => {
  ({ twin, databaseUrl } = await startHarness());
  jobs = await import('./index');
  db = (await import('../db')).getDb();
});

afterAll(async () => {
  await twin.close();
});

beforeEach(async () => {
  jobs.configureJobs({
    infraDir: `${testdata}/infra`,
    planDir: resolve('data/test-jobs/plans'),
    simulate: false,
    graceMs: 300,
    flushMs: 20,
    heartbeatMs: 100,
    staleMs: 15_000,
    sourceEnv: { PATH: PATH_WITH_TOOLS, HOME: '/home/test', TF_VAR_client_secret: 'configured-value-42', AUTH_CLIENT_SECRET: 'server-only-secret', DATABASE_URL: 'file:x.db' },
  });
  await db.jobLock.deleteMany({});
});

describe('jobs runner (real processes)', () => {
  it('streams stdout and stderr line by line, in order, with a closing exit line; exit 0 → succeeded', async () => {
    const { jobId, simulated } = await jobs.startJob(operator, { kind: 'addons-dry-run', cluster: 'app1' });
    expect(simulated).toBe(false);
    const job = await waitFor(jobId);
    expect(job).toMatchObject({ status: 'succeeded', exitCode: 0, simulated: false, actorName: 'Otto Operator', mutating: false });
    const all = await lines(jobId);
    expect(all.map((l) => l.seq)).toEqual(all.map((_, i) => i + 1));
    expect(job.lineCount).toBe(all.length);
    expect(all[0]).toMatchObject({ stream: 'sys', text: expect.stringContaining('install.sh --cluster app1 --dry-run') });
    expect(all.find((l) => l.text === 'oops on stderr')?.stream).toBe('err');
    expect(all.some((l) => l.text === '\u001b[1m==> [app1] 05-kyverno\u001b[0m')).toBe(true);
    expect(all.some((l) => l.text === 'no newline at the end')).toBe(true);
    expect(all[all.length - 1]).toMatchObject({ stream: 'sys', text: 'exit code 0' });
  });

  it('redacts known secret patterns and configured secret values before storing; the child never sees server secrets', async () => {
    const { jobId } = await jobs.startJob(operator, { kind: 'addons-dry-run', cluster: 'app1' });
    await waitFor(jobId);
    const text = (await lines(jobId)).map((l) => l.text).join('\n');
    for (const secret of ['abc.def-ghi', 'sup3r-s3cret', 'hunter22hunter', 'c2VjcmV0a2V5PT0=', 'AbC%2Bdef%3D', 'MIIEpAIBAAKCAQEA', 'qwertyuiop', 'configured-value-42']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('Authorization: Bearer [REDACTED]');
    expect(text).toContain('--client-secret [REDACTED]');
    expect(text).toContain('AccountKey=[REDACTED]');
    expect(text).toContain('sig=[REDACTED]&se=2026');
    expect(text).toContain('-----BEGIN RSA PRIVATE KEY-----\n[REDACTED]\n[REDACTED]\n[REDACTED]-----END RSA PRIVATE KEY-----');
    expect(text).toContain('the configured value is [REDACTED] here');
    // Filtered environment: HOME passes, the server's own secret does not exist for the child.
    expect(text).toContain('home is /home/test, server secret is absent');
  });

  it('a non-zero exit fails the job with its code', async () => {
    const { jobId } = await jobs.startJob(operator, { kind: 'addons-dry-run', cluster: 'all' });
    const job = await waitFor(jobId);
    expect(job).toMatchObject({ status: 'failed', exitCode: 3 });
    expect((await lines(jobId)).some((l) => l.stream === 'err' && l.text === 'xx something failed')).toBe(true);
  });

  it('cancel sends SIGINT first; a process that exits on it ends cancelled without escalation', async () => {
    const { jobId } = await jobs.startJob(operator, { kind: 'addons-dry-run', cluster: 'mgmt' });
    await waitFor(jobId, ['running']);
    while (((await jobs.getJob(jobId))?.lineCount ?? 0) < 4) await new Promise((r) => setTimeout(r, 20));
    expect(await jobs.cancelJob(operator, jobId)).toEqual({ status: 'cancelling' });
    const job = await waitFor(jobId);
    expect(job).toMatchObject({ status: 'cancelled', exitCode: 130, cancelledBy: 'Otto Operator' });
    const text = (await lines(jobId)).map((l) => l.text);
    expect(text).toContain('cancel requested by Otto Operator: sending SIGINT (tofu releases its state lock and stops cleanly)');
    expect(text).toContain('interrupted: releasing state lock');
    expect(text.some((t) => t.includes('SIGTERM'))).toBe(false);
  });

  it('cancel escalates to SIGTERM and then SIGKILL after the grace period when SIGINT is ignored', async () => {
    const { jobId } = await jobs.startJob(operator, { kind: 'addons-dry-run', cluster: 'app2' });
    await waitFor(jobId, ['running']);
    while (!(await lines(jobId)).some((l) => l.text === 'stubborn: started')) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await jobs.cancelJob(operator, jobId);
    const job = await waitFor(jobId);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    expect(job.status).toBe('cancelled');
    const text = (await lines(jobId)).map((l) => l.text);
    const order = ['sending SIGINT', 'ignoring SIGINT', 'sending SIGTERM', 'ignoring SIGTERM', 'sending SIGKILL', 'ended by SIGKILL'].map((s) => text.findIndex((t) => t.includes(s)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('a job whose tool is missing fails before it starts, saying what to install', async () => {
    jobs.configureJobs({ sourceEnv: { PATH: '/usr/bin:/bin', HOME: '/tmp' } });
    const { jobId } = await jobs.startJob(operator, { kind: 'tofu-plan' });
    const job = await waitFor(jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('tofu is not installed');
    expect(job.error).toContain('OpenTofu');
    expect(job.exitCode).toBeNull();
    expect((await lines(jobId)).some((l) => l.text.startsWith('preflight: tofu not found'))).toBe(true);
  });

  it('preflight reports the tools with their versions', async () => {
    const tools = await jobs.getPreflight();
    const tofu = tools.find((t) => t.tool === 'tofu');
    expect(tools.map((t) => t.tool)).toEqual(['tofu', 'helm', 'kubectl', 'az']);
    expect(tofu).toBeDefined();
  });

  it('plan → summary from tofu show -json → apply runs exactly that saved plan file; a plan applies once', async () => {
    const plan = await jobs.startJob(operator, { kind: 'tofu-plan' });
    const planned = await waitFor(plan.jobId);
    expect(planned.status).toBe('succeeded');
    expect(planned.summary).toMatchObject({ add: 2, change: 1, destroy: 1 });
    expect(planned.summary!.resources.map((r) => r.address)).toEqual([
      'azurerm_resource_group.this["common"]', 'module.network.azurerm_virtual_network.this["mgmt"]', 'module.acr.azurerm_container_registry.this',
    ]);
    expect(existsSync(resolve('data/test-jobs/plans', `${plan.jobId}.tfplan`))).toBe(true);
    await expect(jobs.startJob(operator, { kind: 'tofu-apply', planJobId: plan.jobId })).rejects.toMatchObject({ kind: 'forbidden' });
    const apply = await jobs.startJob(admin, { kind: 'tofu-apply', planJobId: plan.jobId });
    const applied = await waitFor(apply.jobId);
    expect(applied).toMatchObject({ status: 'succeeded', planJobId: plan.jobId, mutating: true });
    expect((await lines(apply.jobId)).some((l) => l.text === `applying saved plan ${resolve('data/test-jobs/plans', `${plan.jobId}.tfplan`)}`)).toBe(true);
    await expect(jobs.startJob(admin, { kind: 'tofu-apply', planJobId: plan.jobId })).rejects.toMatchObject({ kind: 'refused' });
  });

  it('destroy needs the environment name typed', async () => {
    await expect(jobs.startJob(admin, { kind: 'tofu-destroy', confirm: 'yes' })).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('k8s-demo') });
  });

  it('one mutating job per environment: a second is refused with who holds the lock and since when; released at the end', async () => {
    const first = await jobs.startJob(admin, { kind: 'addons-install', cluster: 'mgmt' });
    await waitFor(first.jobId, ['running']);
    const lock = await jobs.getLock();
    expect(lock).toMatchObject({ environment: 'k8s-demo', jobId: first.jobId, holder: 'Ada Admin' });
    const other: Actor = { id: 'b', name: 'Bea Admin', role: 'Admin', via: 'session' };
    const refused = await jobs.startJob(other, { kind: 'tofu-destroy', confirm: 'k8s-demo' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'conflict', code: 'JobLocked' });
    expect((refused as Error).message).toContain('started by Ada Admin at ' + lock!.since.toISOString());
    // The refused job left no row behind; non-mutating jobs still run meanwhile.
    expect(await db.job.count({ where: { actorName: 'Bea Admin' } })).toBe(0);
    const dry = await jobs.startJob(operator, { kind: 'addons-dry-run', cluster: 'all' });
    expect((await waitFor(dry.jobId)).status).toBe('failed');
    // An Operator may not cancel a mutating job.
    await expect(jobs.cancelJob(operator, first.jobId)).rejects.toMatchObject({ kind: 'forbidden' });
    await jobs.cancelJob(admin, first.jobId);
    await waitFor(first.jobId);
    expect(await jobs.getLock()).toBeNull();
    const next = await jobs.startJob(other, { kind: 'addons-install', cluster: 'app1' });
    expect((await waitFor(next.jobId)).status).toBe('succeeded');
  });

  it('a cancel recorded by another instance reaches the running job through its heartbeat', async () => {
    const { jobId } = await jobs.startJob(operator, { kind: 'addons-dry-run', cluster: 'mgmt' });
    await waitFor(jobId, ['running']);
    await db.job.update({ where: { id: jobId }, data: { cancelRequestedAt: new Date(), cancelledBy: 'Ola on instance B' } });
    const job = await waitFor(jobId);
    expect(job.status).toBe('cancelled');
    expect((await lines(jobId)).some((l) => l.text.startsWith('cancel requested by Ola on instance B'))).toBe(true);
  });

  /** Another server process runs a job on the same database, then is killed (SIGKILL) mid-job. */
  async function crashMidJob(kind: 'dry-run' | 'install') {
    // The jobs modules are marked server-only: the stand-in server runs them as React's server environment does.
    const host = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', resolve(testdata, 'crash-host.ts'), kind], {
      env: { ...process.env, DATABASE_URL: databaseUrl, TARGET: 'twin' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const jobId = await new Promise<string>((res, rej) => {
      host.stdout.setEncoding('utf8').on('data', (d: string) => res(d.trim()));
      host.on('exit', (code) => rej(new Error(`crash host exited ${code}`)));
    });
    host.kill('SIGKILL');
    await new Promise((r) => host.once('exit', r));
    const before = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    // The orphaned stand-in keeps running without its server; end it (the test owns it).
    try {
      process.kill(-before.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    return { jobId, before };
  }

  it('crash safety: a job running when its server died is marked interrupted at the next start, log kept', async () => {
    const { jobId, before } = await crashMidJob('dry-run');
    expect(before.status).toBe('running');
    const kept = await lines(jobId);
    expect(kept.length).toBeGreaterThanOrEqual(5);
    // A fresh heartbeat is not stale: nothing is marked yet.
    expect(await jobs.recoverInterruptedJobs(60_000)).toBe(0);
    expect(await jobs.recoverInterruptedJobs(0)).toBe(1);
    const after = await jobs.getJob(jobId);
    expect(after).toMatchObject({ status: 'interrupted', error: 'server stopped while the job ran' });
    const all = await lines(jobId);
    expect(all.slice(0, kept.length)).toEqual(kept);
    expect(all[all.length - 1].text).toMatch(/^interrupted: the server stopped while this job ran/);
  }, 60_000);

  it('a lock held by a job cut off by a crash survives the restart, is shown as such, and only an Admin force unlock releases it', async () => {
    const { jobId } = await crashMidJob('install');
    // This process is the restarted server: same database, its own instance.
    const held = await jobs.getLock();
    expect(held).toMatchObject({ environment: 'k8s-demo', jobId, holder: 'Crash Host', jobStatus: 'running' });
    expect(held!.instance).not.toBe(jobs.INSTANCE);
    await db.job.update({ where: { id: jobId }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    await db.jobLock.update({ where: { environment: 'k8s-demo' }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    // The crash may land between storing a batch of lines and recording their count (CI caught it
    // so once): the count then lags the stored lines, and the marker must still come last.
    await db.job.update({ where: { id: jobId }, data: { lineCount: 0 } });
    expect(await jobs.recoverInterruptedJobs(15_000)).toBe(1);
    const after = await jobs.getLock();
    expect(after).toMatchObject({ jobId, holder: 'Crash Host', since: held!.since, jobStatus: 'interrupted', abandoned: true });
    expect(after!.lastLine).toMatch(/^interrupted: .*keeps the lock on k8s-demo until an Admin force-unlocks it/);
    // Nobody else may start a mutating job meanwhile, and the refusal says who holds the lock.
    await expect(jobs.startJob(admin, { kind: 'addons-install', cluster: 'app1' })).rejects.toMatchObject({ kind: 'conflict', code: 'JobLocked' });
    // Force unlock: Admin only, the environment's name typed, the job named; nothing changes otherwise.
    await expect(jobs.forceUnlock(operator, { jobId, confirm: 'k8s-demo' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(jobs.forceUnlock(admin, { jobId, confirm: 'yes' })).rejects.toMatchObject({ kind: 'validation' });
    await expect(jobs.forceUnlock(admin, { jobId: '00000000-0000-4000-8000-000000000000', confirm: 'k8s-demo' })).rejects.toMatchObject({ kind: 'conflict' });
    expect((await jobs.getLock())?.jobId).toBe(jobId);
    expect(await jobs.forceUnlock(admin, { jobId, confirm: 'k8s-demo' })).toMatchObject({ environment: 'k8s-demo', jobId, holder: 'Crash Host' });
    expect(await jobs.getLock()).toBeNull();
    expect((await lines(jobId)).at(-1)?.text).toBe('lock on k8s-demo force-unlocked by Ada Admin; check what this job changed before the next apply');
    const next = await jobs.startJob(admin, { kind: 'addons-install', cluster: 'app1' });
    expect((await waitFor(next.jobId)).status).toBe('succeeded');
    expect(await jobs.getLock()).toBeNull();
  }, 60_000);

  it('force unlock refuses a lock whose job is still running: that one is cancelled instead', async () => {
    const first = await jobs.startJob(admin, { kind: 'addons-install', cluster: 'mgmt' });
    await waitFor(first.jobId, ['running']);
    expect(await jobs.getLock()).toMatchObject({ jobId: first.jobId, abandoned: false });
    await expect(jobs.forceUnlock(admin, { jobId: first.jobId, confirm: 'k8s-demo' })).rejects.toMatchObject({ kind: 'refused' });
    await jobs.cancelJob(admin, first.jobId);
    await waitFor(first.jobId);
    expect(await jobs.getLock()).toBeNull();
  });
});
