import { describe, expect, it } from 'vitest';
import {
  SPEC_PRICES,
  SPEC_SCHEDULE,
  STRATEGIES,
  compareStrategies,
  currentBurnRate,
  dashboardLines,
  environmentLines,
  specTopology,
  strategyCost,
  sumPerHour,
  withPriceOverrides,
  type CostTopology,
  type EnvironmentPlan,
} from './cost';

const awake: EnvironmentPlan = { clusters: {}, bastion: true };
const lines = environmentLines(specTopology(), awake, SPEC_PRICES);
const core = sumPerHour(lines.filter((l) => l.spec === 'core'));
const small = sumPerHour(lines.filter((l) => l.spec === 'small'));

// Hand-computed from the architecture's unit prices (see the comment at the top of cost.ts).
const CORE = 0.3 + 9 * 0.096 + 6 * 0.096 + 3 * 0.019 + 3 * 0.025 + 36 * 0.0094; // 2.2104
const SMALL = 0.167 / 24 + 1 / 730 + 3 / 730 + 2 / 730 + 3 / 730; // ACR, Key Vault, backup, disks, Prometheus = 0.019287

describe('the cost model reproduces the cost table of the architecture where that table is right', () => {
  it('awake core rate = 2.2104 $/h (control plane, 15 regular + 3 Spot nodes, 3 LBs, 36 vCores of Defender)', () => {
    expect(CORE).toBeCloseTo(2.2104, 10);
    expect(core).toBeCloseTo(CORE, 10);
    expect(small).toBeCloseTo(SMALL, 10);
    const defender = lines.filter((l) => l.service === 'Microsoft Defender for Cloud');
    expect(defender.map((l) => l.item)).toEqual(['Defender for Containers: 14 vCores', 'Defender for Containers: 14 vCores', 'Defender for Containers: 8 vCores']);
  });

  it('pattern A: a 2-hour session ≈ $4.44', () => {
    const session = 2 * (core + small);
    expect(session).toBeCloseTo(4.4594, 4); // 2 × (2.2104 + 0.019287)
    expect(Math.abs(session - 4.44)).toBeLessThan(0.05); // the architecture's table puts the small items at $0.02 instead of $0.039
  });

  it('pattern B: a 24-hour day ≈ $54', () => {
    const day = 24 * (core + small);
    expect(day).toBeCloseTo(53.5125, 3);
    expect(Math.round(day)).toBe(54);
  });

  it("pattern C's table is 160 hours ≈ $354, not a 24 h full run", () => {
    expect(160 * core).toBeCloseTo(353.664, 6);
    expect(Math.round(160 * core)).toBe(354);
  });

  it('a 24/7 month ≈ $1,614 before Bastion, and Bastion kept ≈ $139/month', () => {
    expect(730 * core).toBeCloseTo(1613.592, 6);
    expect(Math.round(730 * core)).toBe(1614);
    const bastion = lines.find((l) => l.service === 'Azure Bastion')!;
    expect(bastion.spec).toBe('missing');
    expect(Math.round(730 * bastion.perHour)).toBe(139);
  });

  it('prices are overridable in one place', () => {
    const p = withPriceOverrides({ vmSpotPerHour: { Standard_D2s_v5: 0.03 }, controlPlaneStandardPerHour: 0.12 });
    expect(p.vmRegularPerHour.Standard_D2s_v5).toBe(0.096);
    const c = sumPerHour(environmentLines(specTopology(), awake, p).filter((l) => l.spec === 'core'));
    expect(c).toBeCloseTo(CORE + 3 * 0.02 + 3 * (0.03 - 0.019), 10);
  });
});

/** The spec's topology with a Spot user pool under the autoscaler instead of NAP, so full stop works (twin profile `manual`). */
function manualTopology(): CostTopology {
  const t = specTopology();
  for (const c of t.clusters) {
    c.nodeProvisioningMode = 'Manual';
    c.pools = c.pools.map((p) => (p.source === 'nodeAutoProvisioning' ? { ...p, source: 'agentPool', count: 1, minCount: 0 } : p));
  }
  return t;
}

describe('strategies compared on the same topology (8 h × 20 days)', () => {
  const PIPS = 6 * 0.005; // outbound ×3, ingress gateway ×2, Bastion ×1
  const AWAKE = CORE + SMALL + 0.19 + PIPS; // 2.449687
  // Asleep per cluster: control plane, 1 system node, LB, 2 vCores of Defender, Prometheus, backup.
  const ASLEEP_CLUSTERS = 3 * (0.1 + 0.096 + 0.025 + 2 * 0.0094 + 1 / 730 + 1 / 730) + 5 * 0.005; // 0.752619
  const COMMON = 0.167 / 24 + 1 / 730 + 2 / 730; // ACR, Key Vault, disks
  const BASTION = 0.19 + 0.005;

  const byKey = (t: CostTopology) => new Map(compareStrategies(t, SPEC_SCHEDULE, SPEC_PRICES).map((s) => [`${s.id}/${s.bastion ? 'kept' : 'removed'}`, s]));

  it('NAP clusters: full stop is impossible (AKS refuses it) and costs what 24/7 costs', () => {
    const s = byKey(specTopology());
    expect(s.get('always-on/kept')!.monthly).toBeCloseTo(730 * AWAKE, 6);
    const stop = s.get('full-stop/kept')!;
    expect(stop.caveats).toHaveLength(3);
    expect(stop.caveats[0]).toContain('AKS refuses to stop it');
    expect(stop.monthly).toBeCloseTo(730 * AWAKE, 6);
  });

  it.each([
    ['sleep/kept', ASLEEP_CLUSTERS + COMMON + BASTION, 938.4],
    ['sleep/removed', ASLEEP_CLUSTERS + COMMON, 827.24],
    ['sleep-free/kept', ASLEEP_CLUSTERS - 0.3 + COMMON + BASTION, 767.4],
    ['sleep-free/removed', ASLEEP_CLUSTERS - 0.3 + COMMON, 656.24],
  ])('%s: idle %f $/h → ≈ $%f/month', (key, idle, rounded) => {
    const s = byKey(specTopology()).get(key)!;
    expect(s.awakePerHour).toBeCloseTo(AWAKE, 10);
    expect(s.idlePerHour).toBeCloseTo(idle, 10);
    expect(s.monthly).toBeCloseTo(160 * AWAKE + 570 * idle, 6);
    expect(s.monthly).toBeCloseTo(rounded, 1);
    expect(s.caveats).toEqual([]);
  });

  it('tear down: nothing bills between sessions, but each session adds 35 min of apply + destroy', () => {
    const s = byKey(specTopology()).get('tear-down/kept')!;
    expect(s.idlePerHour).toBe(0);
    expect(s.monthly).toBeCloseTo((160 + 20 * (35 / 60)) * AWAKE, 6); // 420.53
  });

  it('manual clusters: full stop leaves only what the architecture says keeps billing while stopped', () => {
    const s = byKey(manualTopology());
    const stop = s.get('full-stop/kept')!;
    expect(stop.caveats).toEqual([]);
    // backup ×3, public IPs ×5, ACR, Key Vault, disks, Bastion + its IP.
    expect(stop.idlePerHour).toBeCloseTo(3 / 730 + 5 * 0.005 + COMMON + BASTION, 10);
    expect(stop.monthly).toBeLessThan(s.get('sleep-free/removed')!.monthly);
    // The spec's "$200–220 with stop/start" does not hold even where full stop works: 160 h of compute alone is $354.
    expect(stop.monthly).toBeGreaterThan(354);
  });

  it('every strategy is offered', () => {
    expect(STRATEGIES.map((s) => s.id)).toEqual(['always-on', 'full-stop', 'sleep', 'sleep-free', 'tear-down']);
    expect(strategyCost(specTopology(), STRATEGIES[4], SPEC_SCHEDULE, SPEC_PRICES, true).bastion).toBe(true);
  });
});

describe('burn rate from the live state', () => {
  it('a stopped cluster bills only its backup and public IPs', () => {
    const t = manualTopology();
    const before = currentBurnRate(t, SPEC_PRICES).perHour;
    t.clusters[2].powerState = 'Stopped';
    const after = currentBurnRate(t, SPEC_PRICES);
    const app2 = after.lines.filter((l) => l.scope === 'app2');
    expect(app2.map((l) => l.service)).toEqual(['Backup', 'Virtual Network']);
    // app2 awake: CP 0.10 + 3 system + 1 Spot + LB + 8 vCores Defender + Prometheus.
    expect(before - after.perHour).toBeCloseTo(0.1 + 3 * 0.096 + 0.019 + 0.025 + 8 * 0.0094 + 1 / 730, 10);
  });
});

describe('the dashboard’s own hosting', () => {
  const rg = 'rg-k8s-demo-mgmt';
  const priced = withPriceOverrides({ appServicePlanPerHour: { B1: 0.05, P0v3: 0.1 }, postgresB1msPerHour: 0.02, postgresStoragePerGbMonth: 0.12 });

  it.each([
    ['not part of the environment', { host: 'none' } as const, []],
    ['on the Jump VM: nothing of its own', { host: 'jump_vm' } as const, [['dashboard on the Jump VM (no resource of its own)', 0]]],
    ['App Service B1 with SQLite on /home: the plan only', { host: 'app_service', sku: 'B1', database: 'sqlite', resourceGroup: rg } as const, [
      ['App Service plan B1 (Linux, 1 instance)', 0.05],
      ['SQLite on the plan’s /home storage (included in the plan)', 0],
    ]],
    ['App Service P0v3 with PostgreSQL: the plan, B1ms compute and 32 GiB of storage', { host: 'app_service', sku: 'P0v3', database: 'postgresql', resourceGroup: rg } as const, [
      ['App Service plan P0v3 (Linux, 1 instance)', 0.1],
      ['PostgreSQL Flexible Server, Burstable B1ms compute', 0.02],
      ['PostgreSQL storage, 32 GiB provisioned', (0.12 * 32) / 730],
    ]],
  ])('%s', (_, hosting, expected) => {
    const lines = dashboardLines(hosting, priced);
    expect(lines.map((l) => [l.item, l.perHour])).toEqual(expected);
    expect(lines.every((l) => !l.priceNotSet && !l.runningOnly)).toBe(true);
  });

  it('has no built-in price: each line says which setting to give and where the published figure is, and counts nothing', () => {
    const lines = dashboardLines({ host: 'app_service', sku: 'B1', database: 'postgresql', resourceGroup: rg }, SPEC_PRICES);
    expect(lines.map((l) => l.priceNotSet?.key)).toEqual(['appServicePlanPerHour', 'postgresB1msPerHour', 'postgresStoragePerGbMonth']);
    expect(lines.every((l) => l.perHour === 0 && /^https:\/\/azure\.microsoft\.com\/pricing\/details\//.test(l.priceNotSet!.source))).toBe(true);
  });

  it('is part of the environment’s figures while the environment exists, and goes with it when torn down', () => {
    const t: CostTopology = { ...specTopology(), dashboard: { host: 'app_service', sku: 'B1', database: 'sqlite', resourceGroup: rg } };
    const withDashboard = sumPerHour(environmentLines(t, awake, priced));
    expect(withDashboard - sumPerHour(environmentLines(specTopology(), awake, priced))).toBeCloseTo(0.05, 10);
    const tornDown: EnvironmentPlan = { clusters: { mgmt: 'torn-down', app1: 'torn-down', app2: 'torn-down' }, bastion: false };
    expect(environmentLines(t, tornDown, priced)).toEqual([]);
  });
});
