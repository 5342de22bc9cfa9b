import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countRequests, startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/**
 * Azure Monitor through the real SDKs (@azure/monitor-query-metrics,
 * @azure/monitor-query-logs, @azure/arm-monitor, Alerts Management over REST)
 * against the twin, whose answers follow its own state.
 */

let twin: Twin;
let url: string;
let advanceTwin: (azureMs: number) => void;
let monitor: typeof import('./index');
let cache: typeof import('../cache/shared-read');
let azure: typeof import('../azure');
let config: typeof import('../config');

const SPEED = 600;

beforeAll(async () => {
  ({ twin, url, advance: advanceTwin } = await startHarness({ profile: 'nap', clockSpeed: SPEED }));
  // A first answer is waited for this long (the slow-endpoint test waits it out).
  process.env.UPSTREAM_DEADLINE_MS = '15000';
  monitor = await import('./index');
  cache = await import('../cache/shared-read');
  azure = await import('../azure');
  config = await import('../config');
});

afterAll(async () => {
  // The zone join reads nodes through the watch-fed cache: its watches end before the twin does.
  await (await import('../k8s/informer')).informers().stop();
  await twin.close();
});

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function reset(profile: 'nap' | 'manual' = 'nap') {
  await admin('POST', '/_twin/reset', { profile });
  await admin('DELETE', '/_twin/monitor/throttle');
  await admin('DELETE', '/_twin/monitor/slow');
  cache.sharedReads().clear();
}

/** Lets `minutes` of Azure time pass on the twin, one twin minute at a time, with Monitor looking. */
async function pass(minutes: number) {
  for (let i = 0; i < minutes; i++) {
    advanceTwin(60_000);
    await admin('GET', '/_twin/monitor/summary');
  }
}

const last = (xs: (number | null)[]) => xs[xs.length - 1];

describe('metrics batch (regional endpoint) from the twin state', () => {
  beforeEach(() => reset());

  it('gives every cluster an hour of one-minute CPU, memory, node and pod series', async () => {
    const r = await monitor.getClusterMetrics();
    expect(r.status, JSON.stringify(r.error)).toBe('ok');
    const app1 = r.value!.app1;
    expect(app1.times).toHaveLength(60);
    expect(app1.times[1] - app1.times[0]).toBe(60_000);
    const cpu = last(app1.cpu)!;
    expect(cpu).toBeGreaterThan(8);
    expect(cpu).toBeLessThan(90);
    expect(last(app1.nodesReady)).toBeGreaterThan(0);
    expect(last(app1.nodesNotReady)).toBe(0);
    expect(last(app1.podsReady)).toBeGreaterThan(0);
    expect(app1.nodes.length).toBe(last(app1.nodesReady));
    // The batch carried all three clusters in one call per metric group.
    expect(countRequests(twin, 'POST', /metrics:getBatch$/)).toBe(4);
  });

  it('a zone outage under load: that zone’s CPU series drops out, the other zones carry the load, the CPU alert fires and resolves', async () => {
    // The manual profile (no node auto-provisioning) keeps the node count, so the surviving zones carry the whole load.
    await reset('manual');
    await admin('POST', '/_twin/monitor/load', { cluster: 'app1', demand: 75 });
    await pass(16);
    cache.sharedReads().clear();
    expect((await monitor.getAlerts()).value!.alerts).toEqual([]);
    const before = (await monitor.getZoneMetrics()).value!.find((z) => z.key === 'app1')!;
    expect(Object.keys(before.cpu)).toEqual(['1', '2', '3']);
    expect(last(before.cpu['1'])).not.toBeNull();
    const zone2Before = last(before.cpu['2'])!;

    await admin('POST', '/_twin/k8s/app1/zone-outage', { zone: '1' });
    await pass(1);
    cache.sharedReads().clear();
    const during = (await monitor.getZoneMetrics()).value!.find((z) => z.key === 'app1')!;
    expect(last(during.cpu['1'])).toBeNull();
    expect(last(during.cpu['2'])!).toBeGreaterThan(zone2Before);
    const metrics = (await monitor.getClusterMetrics()).value!.app1;
    expect(last(metrics.nodesNotReady)).toBeGreaterThan(0);

    await pass(16);
    cache.sharedReads().clear();
    const fired = await monitor.getAlerts();
    expect(fired.status).toBe('ok');
    const cpuAlert = fired.value!.alerts.find((a) => a.rule === 'alert-cpu-app1');
    expect(cpuAlert).toMatchObject({ condition: 'Fired', severity: 'Sev2', cluster: 'app1' });
    expect(fired.value!.rules.find((r) => r.name === 'alert-cpu-app1')?.state).toBe('firing');
    // The other clusters are quiet.
    expect(fired.value!.rules.find((r) => r.name === 'alert-cpu-app2')?.state).toBe('quiet');

    await admin('POST', '/_twin/k8s/app1/zone-restore', { zone: '1' });
    await pass(16);
    cache.sharedReads().clear();
    const resolved = await monitor.getAlerts();
    const after = resolved.value!.alerts.find((a) => a.rule === 'alert-cpu-app1')!;
    expect(after.condition).toBe('Resolved');
    expect(after.resolvedAt).toBeTruthy();
    expect(resolved.value!.rules.find((r) => r.name === 'alert-cpu-app1')?.state).toBe('quiet');
  }, 180_000);

  it('lists the alert rules infra/ creates: CPU and memory metric alerts and the CrashLoopBackOff log alert per cluster', async () => {
    const r = await monitor.getAlerts();
    const names = r.value!.rules.map((x) => x.name);
    for (const k of ['mgmt', 'app1', 'app2']) {
      expect(names).toContain(`alert-cpu-${k}`);
      expect(names).toContain(`alert-memory-${k}`);
      expect(names).toContain(`alert-crashloop-${k}`);
    }
    const cpu = r.value!.rules.find((x) => x.name === 'alert-cpu-app1')!;
    expect(cpu).toMatchObject({ kind: 'metric', cluster: 'app1', severity: 2, enabled: true });
    expect(cpu.condition).toContain('node_cpu_usage_percentage > 90 over PT15M');
    expect(r.value!.alerts).toEqual([]);
  });

  it('refuses a metric AKS does not publish, in Azure Monitor’s words', async () => {
    const { metrics } = azure.getAzureClients();
    await expect(metrics.queryResources([monitor.clusterResourceId('app1')], ['no_such_metric'], 'Microsoft.ContainerService/managedClusters')).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe('throttling and a slow endpoint', () => {
  beforeEach(() => reset());

  it('a 429 with Retry-After: the last answer is shown with its age and the API is not asked again before the Retry-After', async () => {
    const first = await monitor.getClusterMetrics();
    expect(first.status).toBe('ok');
    await admin('POST', '/_twin/monitor/throttle', { api: 'metrics', perMinute: 1 });
    cache.sharedReads().invalidate('monitor:');
    const throttled = await monitor.getClusterMetrics();
    expect(throttled.status).toBe('stale');
    expect(throttled.error?.kind).toBe('throttled');
    expect(throttled.fetchedAt).toBe(first.fetchedAt);
    expect(throttled.value?.app1.times).toHaveLength(60);

    const { metrics } = azure.getAzureClients();
    const raw = await metrics.queryResources([monitor.clusterResourceId('app1')], ['node_cpu_usage_percentage'], 'Microsoft.ContainerService/managedClusters').catch((e: unknown) => e);
    expect(raw).toMatchObject({ statusCode: 429 });
    expect(Number((raw as { response: { headers: { get(n: string): string } } }).response.headers.get('retry-after'))).toBeGreaterThan(0);

    const asked = countRequests(twin, 'POST', /metrics:getBatch$/);
    cache.sharedReads().invalidate('monitor:');
    const again = await monitor.getClusterMetrics();
    expect(again.error?.kind).toBe('throttled');
    expect(countRequests(twin, 'POST', /metrics:getBatch$/)).toBe(asked);
  });

  it('a slow Log Analytics: the page gets the last answer, marked stale, instead of waiting', async () => {
    const first = await monitor.getClusterLogs('app1');
    expect(first.status).toBe('ok');
    await admin('POST', '/_twin/monitor/slow', { api: 'logs', latencyMs: config.getConfig().upstream.deadlineMs + 2000 });
    cache.sharedReads().invalidate('monitor:logs');
    const r = await monitor.getClusterLogs('app1');
    // Shown as it was, with its time, while the slow refresh goes on.
    expect(r.status).toBe('stale');
    expect(r.fetchedAt).toBe(first.fetchedAt);
    expect(r.value).toEqual(first.value);
  }, 60_000);
});

describe('Log Analytics: the named queries only', () => {
  beforeEach(() => reset());

  it('answers the events of the last hour, restarts per namespace and the demo app log tail from the twin’s history', async () => {
    await admin('POST', '/_twin/k8s/app1/spot-eviction', {});
    await pass(1);
    const r = await monitor.getClusterLogs('app1');
    expect(r.status).toBe('ok');
    const [events, restarts, tail] = r.value!;
    expect(events.name).toBe('kube-events');
    expect(events.columns).toEqual(['TimeGenerated', 'Namespace', 'ObjectKind', 'Name', 'Reason', 'Message', 'KubeEventType']);
    expect(events.rows.map((row) => row[4])).toContain('SpotInterrupted');
    expect(restarts.columns).toEqual(['Namespace', 'Restarts']);
    expect(restarts.rows.map((row) => row[0])).toContain('demo');
    expect(tail.columns).toContain('LogMessage');
    expect(tail.rows.length).toBeGreaterThan(0);
    expect(tail.rows.every((row) => String(row[1]).startsWith('demo-app'))).toBe(true);
  });

  it('refuses any other query with Log Analytics’ error shape', async () => {
    const { logs } = azure.getAzureClients();
    const err = await logs.queryWorkspace(config.TWIN_WORKSPACE_ID, 'KubeEvents | take 10', { duration: 'PT1H' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 400 });
    const body = (err as { details: { error: { code: string; innererror: { code: string } } } }).details;
    expect(body.error.code).toBe('BadArgumentError');
    expect(body.error.innererror.code).toBe('SemanticError');
  });
});

describe('activity log', () => {
  beforeEach(() => reset('manual'));

  it('shows who stopped and started a cluster, from outside the dashboard and through it', async () => {
    await admin('POST', '/_twin/monitor/outside-operation', { cluster: 'app2', operation: 'stop', caller: 'alice@contoso.com' });
    const { containerService } = azure.getAzureClients();
    await containerService.managedClusters.beginStop('rg-k8s-demo-app1', 'aks-app1');
    const r = await monitor.getActivityLog();
    expect(r.status, JSON.stringify(r)).toBe('ok');
    expect(r.value!.length, JSON.stringify(r)).toBe(2);
    const app2 = r.value!.find((e) => e.cluster === 'app2')!;
    expect(app2).toMatchObject({ caller: 'alice@contoso.com', operation: 'Microsoft.ContainerService/managedClusters/stop/action', status: 'Accepted' });
    const app1 = r.value!.find((e) => e.cluster === 'app1')!;
    // The dashboard's own identity, from its token (an application: its app id).
    expect(app1.caller).toBe(config.TWIN_AUTH.clientId);
    expect(app1.operation).toContain('stop/action');
    // Newest first.
    expect(r.value![0].cluster).toBe('app1');
  });

  it('refuses a query without a time filter, as Azure does', async () => {
    const { monitor: client } = azure.getAzureClients();
    const list = async () => {
      for await (const e of client.activityLogs.list('resourceGroupName eq \'x\'')) void e;
    };
    await expect(list()).rejects.toMatchObject({ statusCode: 400 });
  });
});
