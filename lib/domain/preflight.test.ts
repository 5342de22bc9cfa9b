import { describe, expect, it } from 'vitest';
import { evaluatePreflight, overallStatus, type PreflightCluster, type PreflightInput } from './preflight';

const cluster = (name: string, o: Partial<PreflightCluster> = {}): PreflightCluster => ({
  name,
  kubernetesVersion: '1.35.4',
  meshRevision: name === 'aks-app2' ? null : 'asm-1-30',
  running: true,
  regularPools: [
    { name: 'system', vmSize: 'Standard_D2s_v5', count: 3 },
    ...(name === 'aks-app2' ? [] : [{ name: 'ingress', vmSize: 'Standard_D2s_v5', count: 3 }]),
  ],
  spotVcpuLimit: 10,
  spotVcpusInUse: 2,
  publicIps: name === 'aks-app2' ? 1 : 2,
  ...o,
});

/** The seeded environment, all running, in a subscription with room to spare. */
const healthy = (): PreflightInput => ({
  region: 'koreacentral',
  clusters: [cluster('aks-mgmt'), cluster('aks-app1'), cluster('aks-app2')],
  sharedPublicIps: 1,
  compute: [
    { name: 'cores', currentValue: 30 + 6, limit: 100 },
    { name: 'standardDSv5Family', currentValue: 30, limit: 50 },
    { name: 'lowPriorityCores', currentValue: 6, limit: 40 },
  ],
  network: [{ name: 'StandardSkuPublicIpAddresses', currentValue: 6, limit: 20 }],
  versions: [
    { version: '1.34', isPreview: false, supportPlans: ['KubernetesOfficial'], patches: ['1.34.6'] },
    { version: '1.35', isPreview: false, supportPlans: ['KubernetesOfficial', 'AKSLongTermSupport'], patches: ['1.35.3', '1.35.4'] },
  ],
  meshRevisions: [{ revision: 'asm-1-30', kubernetes: ['1.34', '1.35'], upgrades: [] }],
  budget: { amount: 250, awakeHoursLeft: 40, awakePerHour: 1.5, overEvenIdle: false },
  sessionHours: 2,
});

const byId = (input: PreflightInput) => Object.fromEntries(evaluatePreflight(input).map((c) => [c.id, c]));

describe('pre-flight', () => {
  it('passes every check for the seeded environment with room to spare', () => {
    const checks = evaluatePreflight(healthy());
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(overallStatus(checks)).toBe('pass');
    expect(checks.map((c) => c.id)).toEqual([
      'regional-vcpus', 'family-standardDSv5Family', 'spot-vcpus', 'public-ips',
      'kubernetes-aks-mgmt', 'kubernetes-aks-app1', 'kubernetes-aks-app2',
      'mesh-aks-mgmt', 'mesh-aks-app1', 'budget',
    ]);
    // 3 × 3 system + 2 × 3 ingress nodes of 2 vCPUs
    expect(byId(healthy())['regional-vcpus'].evidence).toContain('Needs 30 vCPUs');
  });

  it('counts only what others use against a quota the environment already holds', () => {
    const input = healthy();
    // limit 30 and all 30 in use by this environment itself: still enough
    input.compute = [
      { name: 'cores', currentValue: 30, limit: 30 },
      { name: 'standardDSv5Family', currentValue: 30, limit: 30 },
      { name: 'lowPriorityCores', currentValue: 6, limit: 30 },
    ];
    expect(byId(input)['regional-vcpus'].status).toBe('pass');
  });

  it('a powered-down environment needs its full size within the quota others leave', () => {
    const input = healthy();
    input.clusters = input.clusters.map((c) => ({ ...c, running: false, spotVcpusInUse: 0 }));
    input.compute = [
      { name: 'cores', currentValue: 80, limit: 100 }, // others use 80: 20 left, 30 needed
      { name: 'standardDSv5Family', currentValue: 10, limit: 50 },
      { name: 'lowPriorityCores', currentValue: 0, limit: 40 },
    ];
    const c = byId(input)['regional-vcpus'];
    expect(c.status).toBe('fail');
    expect(c.evidence).toContain('10 short');
    expect(c.fix).toMatch(/Quotas/);
  });

  it('fails when the Spot quota cannot hold the NodePools\' limits', () => {
    const input = healthy();
    input.compute![2] = { name: 'lowPriorityCores', currentValue: 6, limit: 10 };
    const c = byId(input)['spot-vcpus'];
    expect(c.status).toBe('fail');
    expect(c.evidence).toContain('Needs 30 Spot vCPUs');
    expect(c.fix).toMatch(/Spot vCPUs have their own regional quota/);
  });

  it('cannot tell the Spot need when a NodePool limit is unknown, and says so', () => {
    const input = healthy();
    input.clusters[1] = { ...input.clusters[1], spotVcpuLimit: null };
    expect(byId(input)['spot-vcpus'].status).toBe('unknown');
  });

  it('fails on too few public IPs, counting the shared ones', () => {
    const input = healthy();
    input.clusters = input.clusters.map((c) => ({ ...c, running: false }));
    input.network = [{ name: 'StandardSkuPublicIpAddresses', currentValue: 16, limit: 20 }];
    // needs 2 + 2 + 1 + 1 = 6; others use 16 - 1 = 15; room 5
    const c = byId(input)['public-ips'];
    expect(c.status).toBe('fail');
    expect(c.evidence).toContain('1 short');
  });

  it('a read that failed is unknown, not pass', () => {
    const input = { ...healthy(), compute: null, network: null, versions: null, meshRevisions: null, budget: null };
    const checks = evaluatePreflight(input);
    expect(checks.every((c) => c.status === 'unknown')).toBe(true);
    expect(overallStatus(checks)).toBe('unknown');
  });

  it('fails a Kubernetes minor the region no longer lists, and names the newest', () => {
    const input = healthy();
    input.clusters[0] = { ...input.clusters[0], kubernetesVersion: '1.33.2' };
    const c = byId(input)['kubernetes-aks-mgmt'];
    expect(c.status).toBe('fail');
    expect(c.fix).toContain('1.35');
  });

  it('warns on long-term-support-only versions and unlisted patches', () => {
    const input = healthy();
    input.versions = [{ version: '1.35', isPreview: false, supportPlans: ['AKSLongTermSupport'], patches: ['1.35.4'] }];
    expect(byId(input)['kubernetes-aks-app1'].status).toBe('warn');
    const patched = healthy();
    patched.clusters[2] = { ...patched.clusters[2], kubernetesVersion: '1.35.1' };
    const c = byId(patched)['kubernetes-aks-app2'];
    expect(c.status).toBe('warn');
    expect(c.fix).toContain('1.35.4');
  });

  it('fails a mesh revision that is gone or incompatible with the cluster\'s Kubernetes', () => {
    const gone = healthy();
    gone.meshRevisions = [{ revision: 'asm-1-31', kubernetes: ['1.35'], upgrades: [] }];
    expect(byId(gone)['mesh-aks-mgmt'].status).toBe('fail');
    expect(byId(gone)['mesh-aks-mgmt'].fix).toContain('asm-1-31');
    const incompatible = healthy();
    incompatible.meshRevisions = [{ revision: 'asm-1-30', kubernetes: ['1.33', '1.34'], upgrades: ['asm-1-31'] }];
    expect(byId(incompatible)['mesh-aks-app1'].status).toBe('fail');
    expect(byId(incompatible)['mesh-aks-app1'].fix).toContain('asm-1-31');
  });

  it('fails the budget when the session does not fit, or the month is over even idle', () => {
    const short = healthy();
    short.budget = { amount: 250, awakeHoursLeft: 1.5, awakePerHour: 1.5, overEvenIdle: false };
    expect(byId(short).budget.status).toBe('fail');
    expect(byId(short).budget.evidence).toContain('$3.00');
    const over = healthy();
    over.budget = { amount: 250, awakeHoursLeft: 0, awakePerHour: 1.5, overEvenIdle: true };
    expect(byId(over).budget.evidence).toMatch(/even if everything stays powered down/);
  });

  it('the headline is the worst status', () => {
    expect(overallStatus([{ id: 'a', title: 'a', status: 'pass', evidence: '' }, { id: 'b', title: 'b', status: 'warn', evidence: '' }])).toBe('warn');
    expect(overallStatus([{ id: 'a', title: 'a', status: 'unknown', evidence: '' }, { id: 'b', title: 'b', status: 'fail', evidence: '' }])).toBe('fail');
  });
});
