import { describe, expect, it } from 'vitest';
import { TwinClock } from './clock';
import { DURATIONS, TwinError, TwinState } from './state';

/** Agent pool scaling and the SKU tier change on the twin clock, with AKS's refusals (what sleeping a NAP cluster relies on). */
function setup(profile: 'nap' | 'manual' = 'nap') {
  let real = 1_000_000;
  const clock = new TwinClock(1, () => real);
  const state = new TwinState(clock, profile);
  return { state, tick: (ms: number) => (real += ms) };
}

function refusal(fn: () => unknown): TwinError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TwinError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('agent pool scaling', () => {
  it('is Scaling until the twin clock reaches its end, then has the new count', () => {
    const { state, tick } = setup();
    const app1 = state.clusters[1];
    const op = state.beginPoolScale(app1, 'ingress', 0);
    expect(op).toMatchObject({ kind: 'scale', pool: 'ingress', count: 0, status: 'InProgress' });
    expect(app1.pools[1]).toMatchObject({ count: 3, provisioningState: 'Scaling' });
    tick(DURATIONS.scale - 1);
    expect(state.getOperation(op.id).status).toBe('InProgress');
    tick(1);
    expect(state.getOperation(op.id).status).toBe('Succeeded');
    expect(app1.pools[1]).toMatchObject({ count: 0, provisioningState: 'Succeeded' });
  });

  it('refuses a system pool below 1, a second operation, a stopped cluster, an autoscaled pool', () => {
    const { state, tick } = setup('manual');
    const mgmt = state.clusters[0];
    expect(refusal(() => state.beginPoolScale(mgmt, 'system', 0))).toMatchObject({ status: 400, code: 'InvalidParameter' });
    expect(refusal(() => state.beginPoolScale(mgmt, 'worker', 2))).toMatchObject({ status: 400, code: 'InvalidParameter' });
    expect(refusal(() => state.beginPoolScale(mgmt, 'nope', 2))).toMatchObject({ status: 404 });
    state.beginPoolScale(mgmt, 'ingress', 1);
    const busy = refusal(() => state.beginPoolScale(mgmt, 'system', 2));
    expect(busy).toMatchObject({ status: 409, code: 'OperationNotAllowed' });
    expect(busy.message).toContain('Scaling');
    expect(refusal(() => state.beginPowerOperation(mgmt, 'stop')).message).toContain('Scaling');
    tick(DURATIONS.scale);
    state.beginPowerOperation(mgmt, 'stop');
    tick(DURATIONS.stop);
    expect(refusal(() => state.beginPoolScale(mgmt, 'ingress', 3))).toMatchObject({ status: 400, code: 'OperationNotAllowed' });
  });
});

describe('SKU tier change', () => {
  it('moves Standard → Free → Standard as an update on the twin clock', () => {
    const { state, tick } = setup();
    const app2 = state.clusters[2];
    const op = state.beginTierChange(app2, 'Free');
    expect(app2).toMatchObject({ tier: 'Standard', provisioningState: 'Updating' });
    tick(DURATIONS.update);
    expect(state.getOperation(op.id).status).toBe('Succeeded');
    expect(app2).toMatchObject({ tier: 'Free', provisioningState: 'Succeeded' });
    state.beginTierChange(app2, 'Standard');
    tick(DURATIONS.update);
    expect(state.clusters[2].tier).toBe('Standard');
  });
});
