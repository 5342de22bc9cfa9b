import { describe, expect, it } from 'vitest';
import { TwinClock } from './clock';
import { TwinError, TwinState, DURATIONS } from './state';

function setup(profile: 'nap' | 'manual') {
  let real = 1_000_000;
  const clock = new TwinClock(1, () => real);
  const state = new TwinState(clock, profile);
  return { clock, state, tick: (ms: number) => (real += ms) };
}

describe('twin state machine', () => {
  it('seeds 3 clusters and 8 pools on the nap profile (worker capacity from NAP, not an agent pool)', () => {
    const { state } = setup('nap');
    expect(state.clusters.map((c) => c.name)).toEqual(['aks-mgmt', 'aks-app1', 'aks-app2']);
    expect(state.clusters.flatMap((c) => c.pools.map((p) => `${c.key}/${p.name}`))).toEqual([
      'mgmt/system', 'mgmt/ingress', 'app1/system', 'app1/ingress', 'app2/system',
    ]);
    for (const c of state.clusters) {
      expect(c.nodeProvisioningMode).toBe('Auto');
      expect(c.defaultNodePools).toBe('None');
      expect(c.kubernetesVersion.startsWith('1.35')).toBe(true);
    }
    const ingress = state.clusters[0].pools[1];
    expect(ingress.taints).toEqual([]);
    expect(ingress.labels).toMatchObject({ role: 'ingress', 'azureservicemesh/istio.replica.preferred': 'true' });
  });

  it('has a Spot worker agent pool with autoscaler min 0 on the manual profile', () => {
    const { state } = setup('manual');
    for (const c of state.clusters) {
      const worker = c.pools.find((p) => p.name === 'worker');
      expect(worker).toMatchObject({ priority: 'Spot', enableAutoScaling: true, minCount: 0, zones: ['1', '2', '3'] });
      expect(c.nodeProvisioningMode).toBe('Manual');
    }
  });

  it('refuses to stop a NAP cluster with AKS error OperationNotAllowed and changes nothing', () => {
    const { state } = setup('nap');
    const app2 = state.clusters[2];
    const err = (() => {
      try {
        state.beginPowerOperation(app2, 'stop');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TwinError);
    expect((err as TwinError).code).toBe('OperationNotAllowed');
    expect((err as TwinError).message).toContain("nodeProvisioningProfile.mode 'Auto'");
    expect(app2.power).toBe('Running');
    expect(app2.provisioningState).toBe('Succeeded');
    expect(state.operations.size).toBe(0);
  });

  it('moves Running → Stopping → Stopped on the clock, then Starting → Running', () => {
    const { state, tick } = setup('manual');
    const app2 = state.clusters[2];
    const stop = state.beginPowerOperation(app2, 'stop');
    expect(app2.provisioningState).toBe('Stopping');
    expect(app2.power).toBe('Running');
    tick(DURATIONS.stop - 1);
    state.advance();
    expect(state.getOperation(stop.id).status).toBe('InProgress');
    tick(1);
    expect(state.getOperation(stop.id).status).toBe('Succeeded');
    expect(app2.power).toBe('Stopped');
    expect(app2.provisioningState).toBe('Succeeded');

    state.beginPowerOperation(app2, 'start');
    expect(app2.provisioningState).toBe('Starting');
    tick(DURATIONS.start);
    state.advance();
    expect(app2.power).toBe('Running');
  });

  it('refuses stopping a stopped cluster, starting a running one, and a second operation while one runs', () => {
    const { state, tick } = setup('manual');
    const app1 = state.clusters[1];
    expect(() => state.beginPowerOperation(app1, 'start')).toThrow(/already running/);
    state.beginPowerOperation(app1, 'stop');
    expect(() => state.beginPowerOperation(app1, 'start')).toThrow(/Another operation \(Stopping\) is in progress/);
    tick(DURATIONS.stop);
    state.advance();
    expect(() => state.beginPowerOperation(app1, 'stop')).toThrow(/already stopped/);
  });

  it('a faster clock shortens operations; it still reads the wall clock', () => {
    let real = 0;
    const clock = new TwinClock(60, () => real);
    const state = new TwinState(clock, 'manual');
    state.beginPowerOperation(state.clusters[0], 'stop');
    expect(clock.now()).toBe(real);
    real += DURATIONS.stop / 60 - 1;
    state.advance();
    expect(state.clusters[0].power).toBe('Running');
    real += 1;
    state.advance();
    expect(clock.now()).toBe(real);
    expect(state.clusters[0].power).toBe('Stopped');
  });
});
