import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getClient } from '@azure-rest/core-client';
import { startHarness, countRequests } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

let advanceTwin: (azureMs: number) => void;
let twin: Twin;
let url: string;
let lib: {
  client: typeof import('./client');
  model: typeof import('../topology/cost-topology');
  throttling: typeof import('./throttling');
  topology: typeof import('../topology');
  domain: typeof import('../domain/cost');
  config: typeof import('../config');
};

beforeAll(async () => {
  ({ twin, url, advance: advanceTwin } = await startHarness({ profile: 'nap', clockSpeed: 1 }));
  lib = {
    client: await import('./client'),
    model: await import('../topology/cost-topology'),
    throttling: await import('./throttling'),
    topology: await import('../topology'),
    domain: await import('../domain/cost'),
    config: await import('../config'),
  };
});

afterAll(async () => {
  await twin.close();
});

async function admin(method: string, path: string, body?: unknown) {
  const r = await fetch(`${url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return r.json() as Promise<Record<string, unknown>>;
}

async function reset(profile: 'nap' | 'manual') {
  twin.state.reset(profile);
  twin.requests.length = 0;
  await admin('POST', '/_twin/cost/qpu/reset');
  for (const k of ['mgmt', 'app1', 'app2'] as const) lib.topology.invalidateCluster(k);
}

const sub = () => `subscriptions/${lib.config.getConfig().subscriptionId}`;
const mtd = (grouping: string[] = []) => ({
  type: 'ActualCost' as const,
  timeframe: 'MonthToDate' as const,
  dataset: {
    granularity: 'Daily' as const,
    aggregation: { totalCost: { name: 'Cost', function: 'Sum' as const } },
    grouping: grouping.map((name) => ({ type: 'Dimension' as const, name })),
  },
});

describe('Cost Management and budgets from the twin, through the real clients', () => {
  beforeEach(() => reset('nap'));

  it('month to date by resource group and service, daily, in the example shape', async () => {
    const a = await lib.client.queryCost(sub(), mtd(['ResourceGroup', 'ServiceName']));
    expect(a.currency).toBe('USD');
    expect(a.qpuConsumed).toBe(1);
    expect(a.qpuRemaining).toContain('QueriesPerTenantPer10Seconds:11');
    expect(a.rows.length).toBeGreaterThan(0);
    for (const r of a.rows) {
      expect(r.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Object.keys(r.groups).sort()).toEqual(['ResourceGroup', 'ServiceName']);
    }
    const services = new Set(a.rows.map((r) => r.groups.ServiceName));
    expect(services).toContain('Azure Kubernetes Service');
    expect(services).toContain('Virtual Machines');
    const groups = new Set(a.rows.map((r) => r.groups.ResourceGroup));
    expect(groups).toContain('rg-k8s-demo-common');
    expect([...groups].some((g) => g.startsWith('mc_rg-k8s-demo-app1'))).toBe(true);
    // The twin's bill to its data cutoff, by the twin's own account.
    const summary = await admin('GET', '/_twin/cost/summary');
    const total = a.rows.reduce((s, r) => s + r.cost, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual((summary.monthToDate as number) + 1e-9);
  });

  it("the twin bills what the product's model says the live topology costs (both from the architecture's price list)", async () => {
    const summary = await admin('GET', '/_twin/cost/summary');
    const topo = lib.model.toCostTopology(await lib.topology.getTopology(), 'rg-k8s-demo-common');
    const modelled = lib.domain.currentBurnRate(topo, lib.model.prices()).perHour;
    expect(summary.ratePerHour as number).toBeCloseTo(modelled, 9);
    // NAP awake: the architecture's core 2.2104 + small items + 5 public IPs + Bastion and its IP.
    expect(modelled).toBeCloseTo(2.2104 + 0.167 / 24 + 9 / 730 + 6 * 0.005 + 0.19, 9);
  });

  it('a resource-group scope sees only that group', async () => {
    const a = await lib.client.queryCost(`${sub()}/resourceGroups/rg-k8s-demo-app2`, mtd(['ServiceName']));
    expect(new Set(a.rows.map((r) => r.groups.ServiceName))).toEqual(new Set(['Azure Kubernetes Service', 'Microsoft Defender for Cloud']));
  });

  it('forecast: actual days then the current rate carried to month end', async () => {
    const now = twin.clock.now();
    const d = new Date(now);
    const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
    const f = await lib.client.forecastCost(sub(), {
      type: 'ActualCost',
      timeframe: 'Custom',
      timePeriod: { from: from.toISOString(), to: last.toISOString() },
      dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } } },
      includeActualCost: true,
      includeFreshPartialCost: false,
    });
    const forecast = f.rows.filter((r) => r.status === 'Forecast');
    expect(forecast.length).toBeGreaterThan(0);
    const summary = await admin('GET', '/_twin/cost/summary');
    const cutoff = Date.parse(summary.cutoff as string);
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const expected = (summary.ratePerHour as number) * ((monthEnd - cutoff) / 3_600_000);
    expect(forecast.reduce((s, r) => s + r.cost, 0)).toBeCloseTo(expected, 1);
  });

  it('the $250 budget through @azure/arm-consumption', async () => {
    const b = await lib.client.getBudget();
    expect(b).toMatchObject({ name: 'budget-k8s-demo-monthly', amount: 250, timeGrain: 'Monthly', currency: 'USD' });
    expect(b.notifications.map((n) => `${n.thresholdType}:${n.threshold}`).sort()).toEqual(['Actual:100', 'Actual:80', 'Forecasted:100']);
    expect(b.currentSpend).toBeGreaterThan(0);
    expect(b.forecastSpend!).toBeGreaterThan(b.currentSpend!);
  });

  it('a stopped cluster stops billing its control plane and nodes; disks, IPs and the rest go on', async () => {
    await reset('manual');
    const before = (await admin('GET', '/_twin/cost/summary')).ratePerHour as number;
    const power = await import('../power');
    const actor = { id: 'test', name: 'test', role: 'Admin', via: 'system' } as const;
    await power.powerCluster(actor, 'stop', 'app2');
    advanceTwin(7 * 60_000); // past AKS's stop duration
    expect(twin.state.clusters[2].power).toBe('Stopped');
    const after = (await admin('GET', '/_twin/cost/summary')).ratePerHour as number;
    // app2 on `manual`: control plane, 3 system + 3 Spot workers, LB, 12 vCores of Defender, Prometheus.
    expect(before - after).toBeCloseTo(0.1 + 3 * 0.096 + 3 * 0.019 + 0.025 + 12 * 0.0094 + 1 / 730, 9);
    const topo = lib.model.toCostTopology(await lib.topology.getTopology(), 'rg-k8s-demo-common');
    expect(lib.domain.currentBurnRate(topo, lib.model.prices()).perHour).toBeCloseTo(after, 9);
  });
});

describe('QPU throttling', () => {
  beforeEach(() => reset('nap'));

  it('the twin answers 429 with the QPU headers after 12 QPU in 10 s; the raw response carries them', async () => {
    const { getAzureClients } = await import('../azure');
    // A client without the product's policy, to see the wire.
    const raw = getClient(url, getAzureClients().credential, { retryOptions: { maxRetries: 0 } });
    const path = `/${sub()}/providers/Microsoft.CostManagement/query`;
    const send = () => raw.pathUnchecked(path).post({ body: mtd(), queryParameters: { 'api-version': lib.client.COST_MANAGEMENT_API_VERSION } });
    for (let i = 0; i < 12; i++) expect((await send()).status).toBe('200');
    const r = await send();
    expect(r.status).toBe('429');
    const after = Number(r.headers['x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after']);
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThanOrEqual(10);
    expect(r.headers['retry-after']).toBeUndefined();
  });

  it('the product waits what the QPU header says (a short wait), then succeeds', async () => {
    for (let i = 0; i < 12; i++) await lib.client.queryCost(sub(), mtd());
    twin.requests.length = 0;
    const started = Date.now();
    const a = await lib.client.queryCost(sub(), mtd());
    expect(a.rows.length).toBeGreaterThan(0);
    expect(countRequests(twin, 'POST', /CostManagement\/query$/i)).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  }, 20_000);

  it('a long wait is not waited: it becomes a typed error with the time to retry', async () => {
    const policy = lib.throttling.costThrottlingPolicy({ maxWaitMs: 5_000, sleep: async () => { throw new Error('must not sleep'); } });
    const headers = new Map([['x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after', '3540'], ['retry-after', '5']]);
    const response = { status: 429, headers: { get: (n: string) => headers.get(n.toLowerCase()) }, request: {} };
    let calls = 0;
    const err = await policy
      .sendRequest({} as never, async () => {
        calls++;
        return response as never;
      })
      .catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err).toBeInstanceOf(lib.throttling.CostThrottledError);
    expect((err as InstanceType<typeof lib.throttling.CostThrottledError>).retryAfterMs).toBe(3_540_000);
    expect((err as InstanceType<typeof lib.throttling.CostThrottledError>).header).toBe('x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after');
  });
});
