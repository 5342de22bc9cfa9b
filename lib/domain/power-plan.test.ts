import { describe, expect, it } from 'vitest';
import {
  FROZEN_NAP_LIMITS, clusterPhase, memoryBeforeSleep, planCluster, type LiveCluster, type SleepMemory,
} from './power-plan';

const AWAKE_LIMITS = { cpu: '10', memory: '40Gi' };

function cluster(over: Partial<LiveCluster> = {}): LiveCluster {
  return {
    key: 'app1',
    nodeProvisioningMode: 'Auto',
    powerState: 'Running',
    provisioningState: 'Succeeded',
    tier: 'Standard',
    pools: [
      { name: 'system', mode: 'System', count: 3, enableAutoScaling: false },
      { name: 'ingress', mode: 'User', count: 3, enableAutoScaling: false },
    ],
    nap: { limits: AWAKE_LIMITS, nodes: 3 },
    workloads: [{ namespace: 'demo', kind: 'Deployment', name: 'demo-app', replicas: 3 }],
    ...over,
  };
}

const asleepPools = [
  { name: 'system', mode: 'System' as const, count: 1, enableAutoScaling: false },
  { name: 'ingress', mode: 'User' as const, count: 0, enableAutoScaling: false },
];
const memory: SleepMemory = { tier: 'Standard', pools: { system: 3, ingress: 3 }, napLimits: AWAKE_LIMITS, replicas: { 'demo/Deployment/demo-app': 3 } };
const asleep = cluster({ pools: asleepPools, nap: { limits: FROZEN_NAP_LIMITS, nodes: 0 }, workloads: [{ namespace: 'demo', kind: 'Deployment', name: 'demo-app', replicas: 0 }] });
const free = { freeTierWhileAsleep: false };
const freeTier = { freeTierWhileAsleep: true };

describe('clusterPhase', () => {
  it.each([
    ['awake NAP cluster, no record', cluster(), null, 'running'],
    ['Manual cluster running', cluster({ nodeProvisioningMode: 'Manual', nap: null }), null, 'running'],
    ['Manual cluster stopped', cluster({ nodeProvisioningMode: 'Manual', powerState: 'Stopped', nap: null }), null, 'stopped'],
    ['asleep: frozen, ingress 0, system at its minimum below the record', asleep, memory, 'asleep'],
    ['frozen only (a sleep stopped after its first step)', cluster({ nap: { limits: FROZEN_NAP_LIMITS, nodes: 3 } }), memory, 'partially-asleep'],
    ['frozen without any record is still partial', cluster({ nap: { limits: FROZEN_NAP_LIMITS, nodes: 3 } }), null, 'partially-asleep'],
    ['ingress at 0 but system pool not yet shrunk', cluster({ pools: [asleepPools[1], { ...asleepPools[0], count: 3 }], nap: { limits: FROZEN_NAP_LIMITS, nodes: 0 } }), memory, 'partially-asleep'],
    ['a pool scaling', cluster({ pools: [{ ...asleepPools[0], provisioningState: 'Scaling' }] }), memory, 'busy'],
    ['tier update in progress', cluster({ provisioningState: 'Updating' }), null, 'busy'],
    ['unknown power state', cluster({ powerState: 'Unknown' }), null, 'unknown'],
    ['app2 (no ingress pool) asleep', cluster({ key: 'app2', pools: [asleepPools[0]], nap: { limits: FROZEN_NAP_LIMITS, nodes: 0 } }), memory, 'asleep'],
  ] as const)('%s → %s', (_name, c, m, phase) => {
    expect(clusterPhase(c as LiveCluster, m as SleepMemory | null)).toBe(phase);
  });
});

describe('planCluster', () => {
  it('Manual cluster: full stop down, start up; idempotent in the target state', () => {
    const manual = cluster({ nodeProvisioningMode: 'Manual', nap: null, workloads: [] });
    expect(planCluster(manual, 'down', null, free)).toMatchObject({ strategy: 'full-stop', action: 'stop', targetState: 'stopped', steps: [{ action: { type: 'aks-stop' } }] });
    expect(planCluster(manual, 'up', null, free)).toMatchObject({ action: 'none', reason: 'Already running.' });
    const stopped = { ...manual, powerState: 'Stopped' as const };
    expect(planCluster(stopped, 'down', null, free)).toMatchObject({ action: 'none', reason: 'Already stopped.' });
    expect(planCluster(stopped, 'up', null, free)).toMatchObject({ action: 'start', steps: [{ action: { type: 'aks-start' } }] });
  });

  it('NAP cluster: sleep in the documented order — freeze, workloads, consolidation, ingress 0, system to minimum', () => {
    const p = planCluster(cluster(), 'down', null, free);
    expect(p).toMatchObject({ strategy: 'sleep', phase: 'running', action: 'sleep', targetState: 'asleep' });
    expect(p.steps.map((s) => s.action)).toEqual([
      { type: 'freeze-nap', nodePool: 'spot-workers' },
      { type: 'scale-workloads-to-zero' },
      { type: 'await-nap-empty', nodePool: 'spot-workers' },
      { type: 'scale-pool', pool: 'ingress', count: 0 },
      { type: 'scale-pool', pool: 'system', count: 1 },
    ]);
    for (const s of p.steps) expect(s.doc).toMatch(/learn\.microsoft\.com|karpenter\.sh|kubernetes\.io/);
    expect(p.reason).toContain('AKS cannot stop this cluster');
  });

  it('system pool minimum honours minCount; autoscaled pools are left to the autoscaler', () => {
    const c = cluster({ pools: [{ name: 'system', mode: 'System', count: 3, enableAutoScaling: false, minCount: 2 }, { name: 'burst', mode: 'User', count: 2, enableAutoScaling: true, minCount: 0 }] });
    expect(planCluster(c, 'down', null, free).steps.filter((s) => s.action.type === 'scale-pool').map((s) => s.action)).toEqual([{ type: 'scale-pool', pool: 'system', count: 2 }]);
  });

  it('sleep on the Free tier adds the tier change last, and wake puts it back first', () => {
    const down = planCluster(cluster(), 'down', null, freeTier);
    expect(down.strategy).toBe('sleep-free');
    expect(down.targetState).toBe('asleep-free');
    expect(down.steps.at(-1)!.action).toEqual({ type: 'set-tier', tier: 'Free' });
    const up = planCluster({ ...asleep, tier: 'Free' }, 'up', memory, freeTier);
    expect(up.steps[0].action).toEqual({ type: 'set-tier', tier: 'Standard' });
  });

  it('an asleep cluster on Standard with the Free option only needs the tier step (re-run, idempotent steps)', () => {
    expect(planCluster(asleep, 'down', memory, free)).toMatchObject({ action: 'none', reason: 'Already asleep.' });
    expect(planCluster(asleep, 'down', memory, freeTier)).toMatchObject({ action: 'sleep' });
    expect(planCluster({ ...asleep, tier: 'Free' }, 'down', memory, freeTier)).toMatchObject({ action: 'none' });
  });

  it('wake: reverse order with readiness checks, counts from the record', () => {
    const p = planCluster(asleep, 'up', memory, free);
    expect(p).toMatchObject({ action: 'wake', phase: 'asleep', targetState: 'awake' });
    expect(p.steps.map((s) => s.action)).toEqual([
      { type: 'scale-pool', pool: 'system', count: 3 },
      { type: 'scale-pool', pool: 'ingress', count: 3 },
      { type: 'await-nodes-ready' },
      { type: 'thaw-nap', nodePool: 'spot-workers' },
      { type: 'restore-workloads' },
      { type: 'await-ready' },
    ]);
  });

  it('wake without a record falls back to the node counts of the architecture and says so', () => {
    const p = planCluster(asleep, 'up', null, free);
    expect(p.action).toBe('wake');
    expect(p.steps[0]).toMatchObject({ action: { type: 'scale-pool', pool: 'system', count: 3 } });
    expect(p.steps[0].label).toContain('no record');
  });

  it('partially asleep: power down completes it, power up undoes it', () => {
    const partial = cluster({ nap: { limits: FROZEN_NAP_LIMITS, nodes: 3 } });
    expect(planCluster(partial, 'down', memory, free)).toMatchObject({ phase: 'partially-asleep', action: 'sleep' });
    expect(planCluster(partial, 'up', memory, free)).toMatchObject({ phase: 'partially-asleep', action: 'wake' });
  });

  it('idempotent: awake and powered up, busy, unknown → no-op with the reason', () => {
    expect(planCluster(cluster(), 'up', null, free)).toMatchObject({ action: 'none', reason: 'Already awake.' });
    expect(planCluster(cluster({ provisioningState: 'Updating' }), 'down', null, free).reason).toContain('in progress');
    expect(planCluster(cluster({ powerState: 'Unknown' }), 'down', null, free).action).toBe('none');
  });
});

describe('memoryBeforeSleep', () => {
  it('records pools, limits, tier and non-zero replicas; an earlier partial record wins', () => {
    expect(memoryBeforeSleep(cluster(), null)).toEqual(memory);
    // A resumed sleep sees the workloads already at 0 and the NodePool frozen: the first record stays.
    expect(memoryBeforeSleep(asleep, memory)).toEqual(memory);
    expect(memoryBeforeSleep(asleep, null)).toEqual({ tier: 'Standard', pools: { system: 1, ingress: 0 }, napLimits: null, replicas: {} });
  });
});
