import { describe, expect, it } from 'vitest';
import { NAP_STOP_REASON, powerActions, spreadAcrossZones, toClusterView } from './topology';

describe('spreadAcrossZones', () => {
  it.each([
    [3, ['1', '2', '3'], { '1': 1, '2': 1, '3': 1 }],
    [4, ['1', '2', '3'], { '1': 2, '2': 1, '3': 1 }],
    [0, ['1', '2', '3'], { '1': 0, '2': 0, '3': 0 }],
    [2, ['2', '3'], { '1': 0, '2': 1, '3': 1 }],
    [5, [], { '1': null, '2': null, '3': null }],
  ])('%i nodes over %j', (count, zones, expected) => {
    expect(spreadAcrossZones(count, zones)).toEqual(expected);
  });
});

describe('powerActions', () => {
  it.each([
    ['Running', 'Succeeded', 'Manual', true, false],
    ['Stopped', 'Succeeded', 'Manual', false, true],
    ['Running', 'Succeeded', 'Auto', false, false],
    ['Running', 'Stopping', 'Manual', false, false],
    ['Stopped', 'Starting', 'Manual', false, false],
    ['Running', 'Succeeded', 'None', true, false],
  ] as const)('%s/%s/%s → stop %s, start %s', (powerState, provisioningState, nodeProvisioningMode, stop, start) => {
    const a = powerActions({ powerState, provisioningState, nodeProvisioningMode });
    expect(a.stop.allowed).toBe(stop);
    expect(a.start.allowed).toBe(start);
    if (!a.stop.allowed) expect(a.stop.reason).toBeTruthy();
  });

  it('explains why a NAP cluster cannot be stopped', () => {
    expect(powerActions({ powerState: 'Running', provisioningState: 'Succeeded', nodeProvisioningMode: 'Auto' }).stop.reason).toBe(NAP_STOP_REASON);
  });
});

describe('toClusterView', () => {
  const pools = [
    { name: 'ingress', count: 3, mode: 'User', availabilityZones: ['1', '2', '3'], scaleSetPriority: 'Regular', nodeLabels: { role: 'ingress' } },
    { name: 'system', count: 3, mode: 'System', availabilityZones: ['1', '2', '3'] },
  ];

  it('adds the NAP worker pool as Spot without an ARM count when mode is Auto', () => {
    const v = toClusterView({ name: 'aks-app1', nodeProvisioningProfile: { mode: 'Auto' }, powerState: { code: 'Running' }, provisioningState: 'Succeeded' }, pools);
    expect(v.pools.map((p) => p.name)).toEqual(['system', 'ingress', 'worker']);
    const worker = v.pools[2];
    expect(worker).toMatchObject({ source: 'nodeAutoProvisioning', priority: 'Spot', count: null });
    expect(v.stop.allowed).toBe(false);
  });

  it('keeps an ARM worker pool as is when mode is Manual', () => {
    const v = toClusterView(
      { name: 'aks-app2', nodeProvisioningProfile: { mode: 'Manual' }, powerState: { code: 'Running' }, provisioningState: 'Succeeded' },
      [...pools, { name: 'worker', count: 3, scaleSetPriority: 'Spot', enableAutoScaling: true, minCount: 0, maxCount: 5, availabilityZones: ['1', '2', '3'] }],
    );
    expect(v.pools.find((p) => p.name === 'worker')).toMatchObject({ source: 'agentPool', priority: 'Spot', count: 3, autoscale: { min: 0, max: 5 } });
    expect(v.stop.allowed).toBe(true);
  });

  it('reports an unknown power state instead of guessing', () => {
    expect(toClusterView({ name: 'x' }, []).powerState).toBe('Unknown');
  });
});
