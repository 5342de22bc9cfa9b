import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import type { Actor } from '../auth';

/** Twin mode: the tofu/helm kinds drive the twin and say so; install.sh --dry-run stays real. */
const admin: Actor = { id: 'a', name: 'Ada Admin', role: 'Admin', via: 'session' };
let twin: Twin;
let url: string;
let jobs: typeof import('./index');
let topology: typeof import('../topology');

async function waitFor(id: string) {
  for (let i = 0; i < 600; i++) {
    const job = await jobs.getJob(id);
    if (job && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

const texts = async (id: string) => (await jobs.getJobLines(id, 0, 100_000)).map((l) => l.text);

beforeAll(async () => {
  ({ twin, url } = await startHarness({ clockSpeed: 600 }));
  jobs = await import('./index');
  topology = await import('../topology');
  jobs.configureJobs({ simulate: true, paceCapMs: 5, flushMs: 20, heartbeatMs: 100, sourceEnv: { PATH: '/usr/bin:/bin', HOME: '/tmp' } });
});

afterAll(async () => {
  await twin.close();
});

describe('simulated jobs on the twin', () => {
  it('destroy removes the environment from ARM, plan lists the phase-1 resources of the install, apply recreates it in order and the topology appears', async () => {
    const destroy = await jobs.startJob(admin, { kind: 'tofu-destroy', confirm: 'k8s-demo' });
    expect(destroy.simulated).toBe(true);
    expect((await waitFor(destroy.jobId)).status).toBe('succeeded');
    expect((await texts(destroy.jobId))[0]).toContain('SIMULATED on the twin');
    for (const key of ['mgmt', 'app1', 'app2'] as const) topology.invalidateCluster(key);
    const gone = await topology.getTopology();
    expect(gone.clusters.map((c) => c.status)).toEqual(['absent', 'absent', 'absent']);

    const plan = await jobs.startJob(admin, { kind: 'tofu-plan' });
    const planned = await waitFor(plan.jobId);
    expect(planned).toMatchObject({ status: 'succeeded', simulated: true, summary: { add: 19, change: 0, destroy: 0, simulated: true } });

    const apply = await jobs.startJob(admin, { kind: 'tofu-apply', planJobId: plan.jobId });
    const applied = await waitFor(apply.jobId);
    expect(applied.status).toBe('succeeded');
    const lines = await texts(apply.jobId);
    const created = lines.filter((l) => l.includes('Creation complete')).map((l) => l.split(':')[0]);
    expect(created[0]).toBe('azurerm_resource_group.this["common"]');
    expect(created.indexOf('module.aks["mgmt"].azurerm_kubernetes_cluster.this')).toBeGreaterThan(created.indexOf('module.acr.azurerm_container_registry.this (Basic)'));
    expect(lines.some((l) => l.includes('Still creating...'))).toBe(true);
    expect(lines.some((l) => l.includes('Apply complete! Resources: 19 added'))).toBe(true);
    for (const key of ['mgmt', 'app1', 'app2'] as const) topology.invalidateCluster(key);
    const back = await topology.getTopology();
    expect(back.clusters.map((c) => `${c.status}:${c.view?.powerState}`)).toEqual(['ok:Running', 'ok:Running', 'ok:Running']);
  });

  it('a stale saved plan is refused by the simulated apply, as tofu refuses it', async () => {
    await fetch(`${url}/_twin/jobs/teardown`, { method: 'POST' });
    const plan = await jobs.startJob(admin, { kind: 'tofu-plan' });
    await waitFor(plan.jobId);
    await fetch(`${url}/_twin/jobs/create`, { method: 'POST', body: JSON.stringify({ resource: 'rg:common' }) });
    const apply = await jobs.startJob(admin, { kind: 'tofu-apply', planJobId: plan.jobId });
    expect((await waitFor(apply.jobId)).status).toBe('failed');
    expect((await texts(apply.jobId)).some((l) => l.includes('Saved plan is stale'))).toBe(true);
  });

  it('the add-on install applies the real dry run\'s steps to the twin cluster in install.sh order, then verifies', async () => {
    const plan = await jobs.startJob(admin, { kind: 'tofu-plan' });
    await waitFor(plan.jobId);
    await waitFor((await jobs.startJob(admin, { kind: 'tofu-apply', planJobId: plan.jobId })).jobId);
    // Fresh clusters: verify fails until the add-ons are installed.
    const early = await jobs.startJob(admin, { kind: 'verify-clusters', cluster: 'app1' });
    expect((await waitFor(early.jobId)).status).toBe('failed');
    expect((await texts(early.jobId)).some((l) => l.includes('add-on steps not installed: 00-priority-classes'))).toBe(true);

    const install = await jobs.startJob(admin, { kind: 'addons-install', cluster: 'app1' });
    const job = await waitFor(install.jobId);
    const lines = await texts(install.jobId);
    const steps = lines.filter((l) => l.startsWith('==> [app1] ')).map((l) => l.slice(11));
    expect(steps).toEqual(['00-priority-classes', '00b-gateway-api', '02-external-secrets', '03-reloader', '04-istio', '05-kyverno', '06-flux', '08-karpenter-nodepool', '09-backup-extension', '10-defender', '13-hubble', '15-tetragon', '16-otel-collector', '19-vpa', '14-verify-clusters']);
    expect(lines.some((l) => l.startsWith('+ helm upgrade --install kyverno') && l.endsWith('(simulated)\u001b[0m'))).toBe(true);
    expect(lines).toContain('-- twin: 05-kyverno deployed on app1');
    expect(job.status, lines.filter((l) => l.startsWith('!!')).join('\n')).toBe('succeeded');
    const k8s = (await (await fetch(`${url}/k8s/app1/apis/apps/v1/namespaces/kyverno/deployments`, { headers: { authorization: 'Bearer t' } })).json()) as { items: unknown[] };
    expect(k8s.items.length).toBe(4);
  });

  it('the dry run is always the real script, even on the twin', async () => {
    const r = await jobs.startJob(admin, { kind: 'addons-dry-run', cluster: 'app1' });
    expect(r.simulated).toBe(false);
    const job = await waitFor(r.jobId);
    expect(job.status).toBe('succeeded');
    const lines = await texts(r.jobId);
    expect(lines).toContain('-- dry run: commands are printed, nothing is executed');
    expect(lines).toContain('==> [app1] 05-kyverno');
  });

  it('cancel stops a simulated destroy between resources', async () => {
    jobs.configureJobs({ paceCapMs: 200 });
    const r = await jobs.startJob(admin, { kind: 'tofu-destroy', confirm: 'k8s-demo' });
    while (!(await texts(r.jobId)).some((l) => l.includes('Destruction complete'))) await new Promise((res) => setTimeout(res, 20));
    await jobs.cancelJob(admin, r.jobId);
    const job = await waitFor(r.jobId);
    expect(job.status).toBe('cancelled');
    const env = (await (await fetch(`${url}/_twin/jobs/environment`)).json()) as { deployed: boolean; resources: { present: boolean }[] };
    expect(env.resources.some((x) => x.present)).toBe(true);
    expect(env.deployed).toBe(false);
    jobs.configureJobs({ paceCapMs: 5 });
  });
});
