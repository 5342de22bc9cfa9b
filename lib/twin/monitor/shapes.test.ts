import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTwinCertificates } from '../cert';
import { defaultExtensions } from '../extensions';
import { azureExample } from '../fixtures';
import { Twin } from '../server';
import { TWIN_WORKSPACE_ID } from '../../config';
import { kubeEventsQuery } from '../../domain/kql';
import { waitFor } from '../../../test/wait-for';

/** The twin's Azure Monitor answers carry the fields of Azure's official examples. */
const SUB = '00000000-0000-4000-8000-00000000d3e0';
let twin: Twin;
const headers = { Authorization: 'Bearer twin-demo-token', 'Content-Type': 'application/json' };

beforeAll(async () => {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  twin = new Twin({ key: certs.key, cert: certs.cert, ca: certs.ca, port: 0, profile: 'manual', clockSpeed: 600, subscriptionId: SUB, extensions: defaultExtensions() });
  await twin.listen();
});

afterAll(async () => {
  await twin.close();
});

const keys = (o: unknown) => Object.keys(o as object).sort();
async function get(path: string, init: RequestInit = {}) {
  const res = await fetch(`${twin.url}${path}`, { headers, ...init });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Azure Monitor shapes on the twin', () => {
  it('metrics batch: each resource’s metrics have the metric shape of Metrics_List', async () => {
    const example = (azureExample('monitor/2024-02-01/GetMetric.json').value as Record<string, unknown>[])[0];
    const id = `/subscriptions/${SUB}/resourceGroups/rg-k8s-demo-app1/providers/Microsoft.ContainerService/managedClusters/aks-app1`;
    const { status, body } = await get(`/subscriptions/${SUB}/metrics:getBatch?api-version=2024-02-01&metricnamespace=Microsoft.ContainerService/managedClusters&metricnames=node_cpu_usage_percentage&filter=node%20eq%20'*'`, {
      method: 'POST',
      body: JSON.stringify({ resourceids: [id] }),
    });
    expect(status).toBe(200);
    const metric = ((body.values as Record<string, unknown>[])[0].value as Record<string, unknown>[])[0];
    for (const k of keys(example)) expect(metric).toHaveProperty(k);
    const series = (metric.timeseries as { metadatavalues: unknown[]; data: Record<string, unknown>[] }[])[0];
    const exampleSeries = (example.timeseries as { metadatavalues: unknown[] }[])[0];
    expect(keys(series.metadatavalues[0])).toEqual(keys(exampleSeries.metadatavalues[0]));
    expect(series.data.at(-1)).toHaveProperty('timeStamp');
    expect(series.data.at(-1)).toHaveProperty('average');
  });

  it('activity log: an EventData carries the fields of ActivityLogs_List (claims and client address aside)', async () => {
    const example = (azureExample('monitor/2015-04-01/GetActivityLogsFiltered.json').value as Record<string, unknown>[])[0];
    const admin = await fetch(`${twin.url}/_twin/monitor/outside-operation`, { method: 'POST', body: JSON.stringify({ cluster: 'app2', operation: 'stop', caller: 'bob@contoso.com' }) });
    expect(admin.status).toBe(200);
    const { status, body } = await get(`/subscriptions/${SUB}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2015-04-01&$filter=${encodeURIComponent(`eventTimestamp ge '${new Date(Date.now() - 3600_000).toISOString()}'`)}`);
    expect(status, JSON.stringify(body)).toBe(200);
    const event = (body.value as Record<string, unknown>[])[0];
    for (const k of keys(example).filter((k) => k !== 'claims')) expect(event).toHaveProperty(k);
    expect(event.caller).toBe('bob@contoso.com');
  });

  it('fired alerts: essentials carry the fields of Alerts_List', async () => {
    const example = ((azureExample('alertsmanagement/2019-03-01/Alerts_List.json').value as Record<string, unknown>[])[0].properties as { essentials: object }).essentials;
    await fetch(`${twin.url}/_twin/monitor/load`, { method: 'POST', body: JSON.stringify({ cluster: 'app1', demand: 100 }) });
    // Evaluated at the twin's speed: every 0.5 s over the last 1.5 s at ×600.
    const list = await waitFor(
      async () => (await get(`/subscriptions/${SUB}/providers/Microsoft.AlertsManagement/alerts?api-version=2019-03-01`)).body.value as { properties: { essentials: Record<string, unknown> } }[],
      (v: { properties: { essentials: Record<string, unknown> } }[]) => v.some((a) => String(a.properties.essentials.alertRule).endsWith('alert-cpu-app1')),
      20_000,
      200,
    );
    const alert = list.find((a) => String(a.properties.essentials.alertRule).endsWith('alert-cpu-app1'));
    expect(alert).toBeDefined();
    for (const k of keys(example).filter((k) => !['smartGroupId', 'smartGroupingReason', 'monitorConditionResolvedDateTime'].includes(k))) expect(alert!.properties.essentials).toHaveProperty(k);
  });

  it('Log Analytics: a named query is answered in the query API’s table shape', async () => {
    const example = (azureExample('operationalinsights/v1/oms-post-example.json').tables as Record<string, unknown>[])[0];
    const { status, body } = await get(`/v1/workspaces/${TWIN_WORKSPACE_ID}/query`, { method: 'POST', body: JSON.stringify({ query: kubeEventsQuery('aks-app1').text, timespan: 'PT1H' }) });
    expect(status).toBe(200);
    const table = (body.tables as Record<string, unknown>[])[0];
    expect(keys(table)).toEqual(keys(example));
    expect(keys((table.columns as object[])[0])).toEqual(keys((example.columns as object[])[0]));
  });
});
