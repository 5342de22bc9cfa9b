import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import { waitFor } from '../../test/wait-for';
import type { Twin } from './server';

/**
 * One clock: whatever the twin serves (ARM, Kubernetes, Data Protection, Cost
 * Management, the Date header) is stamped by the wall clock, so no timestamp
 * lies in the future, even with the clock's speed at 600 and after
 * operations, scenarios and backups have run.
 */
let twin: Twin;
let url: string;
const SUB = '00000000-0000-4000-8000-00000000d3e0';
const COMMON = 'rg-k8s-demo-common';
const VAULT = `/subscriptions/${SUB}/resourceGroups/${COMMON}/providers/Microsoft.DataProtection/backupVaults/bv-k8s-demo`;

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'manual', clockSpeed: 600 }));
});

afterAll(async () => {
  await twin.close();
});

const auth = { Authorization: 'Bearer twin-demo-token', 'Content-Type': 'application/json' };
async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, date: res.headers.get('date'), json: text ? (JSON.parse(text) as unknown) : undefined };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/**
 * Fields that name a time to come on Azure too: a budget's period end, a
 * schedule's next run, a recovery point's retention end, a forecast.
 */
const FUTURE_BY_DESIGN = new Set(['endDate', 'nextRun', 'expiryTime', 'expiry', 'retentionExpiry']);

function timestamps(value: unknown, path = '$', out: { path: string; at: number }[] = []) {
  if (typeof value === 'string' && ISO.test(value)) out.push({ path, at: Date.parse(value) });
  else if (Array.isArray(value)) value.forEach((v, i) => timestamps(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!FUTURE_BY_DESIGN.has(k)) timestamps(v, `${path}.${k}`, out);
  }
  return out;
}

describe('the twin has one clock', () => {
  it('serves no timestamp in the future', async () => {
    // Things happen first: a power operation, a pool scale, a Spot eviction, an ad-hoc backup.
    const app2 = `/subscriptions/${SUB}/resourceGroups/rg-k8s-demo-app2/providers/Microsoft.ContainerService/managedClusters/aks-app2`;
    expect((await call('POST', `${app2}/stop?api-version=2026-08-01`)).status).toBe(202);
    await call('POST', '/_twin/k8s/app1/spot-eviction', { zone: '1' });
    expect((await call('POST', `${VAULT}/backupInstances/bi-mgmt/backup?api-version=2026-06-01`, { backupRuleOptions: { ruleName: 'BackupDaily', triggerOption: { retentionTagOverride: 'Default' } } })).status).toBe(202);
    // AKS's 6-minute stop takes 0.6 s at speed 600.
    await waitFor(() => call('GET', `${app2}?api-version=2026-08-01`), (r) => (r.json as { properties: { powerState: { code: string } } }).properties.powerState.code === 'Stopped', 10_000);

    const paths = [
      `/subscriptions/${SUB}/resourcegroups?api-version=2025-04-01`,
      `/subscriptions/${SUB}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-08-01`,
      `${app2}/agentPools?api-version=2026-08-01`,
      `${VAULT}?api-version=2026-06-01`,
      `${VAULT}/backupJobs?api-version=2026-06-01`,
      `${VAULT}/backupInstances?api-version=2026-06-01`,
      ...['mgmt', 'app1', 'app2'].map((k) => `${VAULT}/backupInstances/bi-${k}/recoveryPoints?api-version=2026-06-01`),
      `/subscriptions/${SUB}/providers/Microsoft.Consumption/budgets?api-version=2026-06-01`,
      `/subscriptions/${SUB}/resourceGroups/rg-k8s-demo-mgmt/providers/Microsoft.Network/bastionHosts/bastion-k8s-demo?api-version=2024-05-01`,
      `/subscriptions/${SUB}/resourceGroups/${COMMON}/providers/Microsoft.Automation/automationAccounts/aa-k8s-demo-power/schedules?api-version=2023-11-01`,
      ...['mgmt', 'app1'].flatMap((k) =>
        ['/api/v1/nodes', '/api/v1/pods', '/api/v1/events', '/api/v1/namespaces', '/apis/apps/v1/deployments', '/apis/apps/v1/daemonsets', '/apis/karpenter.sh/v1/nodeclaims', '/apis/karpenter.sh/v1/nodepools', '/apis/policy/v1/poddisruptionbudgets'].map((p) => `/k8s/${k}${p}`),
      ),
    ];
    const found: { path: string; at: number }[] = [];
    let read = 0;
    for (const path of paths) {
      const r = await call('GET', path);
      const after = Date.now();
      expect(r.status, path).toBe(200);
      expect(Date.parse(r.date!), `Date header of ${path}`).toBeLessThanOrEqual(after);
      for (const t of timestamps(r.json)) {
        read += 1;
        // An Automation schedule's startTime is its first run, which Azure requires to lie ahead when it is created.
        if (path.includes('/schedules?') && t.path.endsWith('.properties.startTime')) continue;
        if (t.at > after) found.push({ path: `${path} ${t.path}`, at: t.at });
      }
    }
    const query = await call('POST', `/subscriptions/${SUB}/providers/Microsoft.CostManagement/query?api-version=2026-08-01`, { type: 'ActualCost', timeframe: 'MonthToDate', dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } } } });
    expect(query.status).toBe(200);
    expect(Date.parse(query.date!)).toBeLessThanOrEqual(Date.now());
    const today = Number(new Date().toISOString().slice(0, 10).replaceAll('-', ''));
    const rows = (query.json as { properties: { rows: unknown[][] } }).properties.rows;
    expect(rows.every((row) => row.some((c) => typeof c === 'number' && c >= 20000101 && c <= today))).toBe(true);
    // The walk did read timestamps: creation times, job times, events and operations.
    expect(read).toBeGreaterThan(200);
    expect(found).toEqual([]);
  });

  it('the clock cannot be moved ahead; speed still shortens operations', async () => {
    const r = await call('POST', '/_twin/clock', { advanceMs: 60_000 });
    expect(r.status).toBe(400);
    const clock = (await call('GET', '/_twin/clock')).json as { now: string; speed: number };
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(2_000);
    expect(clock.speed).toBe(600);
  });
});
