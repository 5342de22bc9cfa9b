import { describe, expect, it } from 'vitest';
import type { MetricsQueryResult } from '@azure/monitor-query-metrics';
import { averageSeries, minutes, nodeConditionRequest, nodeMetricsRequest, pendingPodsRequest, podReadyRequest, sumSeries, timeWindow, toClusterMetrics, zoneCpu } from './metrics';

const NOW = Date.parse('2026-11-29T14:30:25Z');

describe('metrics batch requests', () => {
  it('cover the last hour at one-minute grain, ending after the current minute', () => {
    const w = timeWindow(NOW);
    expect(w.endTime.toISOString()).toBe('2026-11-29T14:31:00.000Z');
    expect(w.startTime.toISOString()).toBe('2026-11-29T13:31:00.000Z');
    expect(minutes(w)).toHaveLength(60);
  });

  it('split CPU and memory by node, and ask counts as totals', () => {
    const n = nodeMetricsRequest(NOW);
    expect(n.metricNames).toEqual(['node_cpu_usage_percentage', 'node_memory_working_set_percentage']);
    expect(n.namespace).toBe('Microsoft.ContainerService/managedClusters');
    expect(n.options).toMatchObject({ interval: 'PT1M', aggregation: 'average', filter: "node eq '*'" });
    expect(nodeConditionRequest(NOW).options).toMatchObject({ aggregation: 'total', filter: "condition eq 'Ready' and status eq '*'" });
    expect(podReadyRequest(NOW).options).toMatchObject({ aggregation: 'total', filter: "condition eq '*'" });
    expect(pendingPodsRequest(NOW).metricNames).toEqual(['cluster_autoscaler_unschedulable_pods_count']);
  });
});

describe('series arithmetic', () => {
  it('sums and averages point by point, leaving minutes without data empty', () => {
    expect(sumSeries([[1, null, null], [2, 3, null]], 3)).toEqual([3, 3, null]);
    expect(averageSeries([[10, null, null], [20, 30, null]], 3)).toEqual([15, 30, null]);
  });
});

function result(id: string, metrics: { name: string; series: { dims: Record<string, string>; values: (number | undefined)[]; field?: 'average' | 'total' }[] }[], times: number[]): MetricsQueryResult {
  return {
    resourceId: id,
    timespan: { duration: 'PT1H' },
    metrics: metrics.map((m) => ({
      id: `${id}/providers/Microsoft.Insights/metrics/${m.name}`,
      name: m.name,
      type: 'Microsoft.Insights/metrics',
      unit: 'Percent',
      timeseries: m.series.map((s) => ({
        metadatavalues: Object.entries(s.dims).map(([name, value]) => ({ name, value })),
        data: times.map((t, i) => ({ timeStamp: new Date(t), ...(s.values[i] === undefined ? {} : { [s.field ?? 'average']: s.values[i] }) })),
      })),
    })),
    getMetricByName: () => undefined,
  } as unknown as MetricsQueryResult;
}

describe('joining the node dimension with the zone labels', () => {
  const times = [0, 60_000, 120_000];
  const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-app1';
  const m = toClusterMetrics(id, times, {
    nodes: result(id, [
      { name: 'node_cpu_usage_percentage', series: [{ dims: { node: 'a' }, values: [40, 42, undefined] }, { dims: { node: 'b' }, values: [60, 80, 90] }, { dims: { node: 'c' }, values: [20, 20, 20] }] },
      { name: 'node_memory_working_set_percentage', series: [{ dims: { node: 'a' }, values: [30, 30, undefined] }] },
    ], times),
    conditions: result(id, [{ name: 'kube_node_status_condition', series: [{ dims: { status: 'true' }, values: [3, 3, 2], field: 'total' }, { dims: { status: 'unknown' }, values: [undefined, undefined, 1], field: 'total' }] }], times),
  });

  it('a zone’s series averages its nodes and is empty when none of them reported', () => {
    const zones = zoneCpu(m, new Map([['a', '1'], ['b', '2'], ['c', '2']]));
    expect(zones['1']).toEqual([40, 42, null]);
    expect(zones['2']).toEqual([40, 50, 55]);
  });

  it('counts nodes by Ready status (none not ready is 0, not missing)', () => {
    expect(m.nodesReady).toEqual([3, 3, 2]);
    expect(m.nodesNotReady).toEqual([0, 0, 1]);
    expect(m.cpu).toEqual([40, 47.3, 55]);
  });

  it('leaves out a node the Kubernetes API no longer lists (a replaced Spot node)', () => {
    const zones = zoneCpu(m, new Map([['b', '2']]));
    expect(Object.keys(zones)).toEqual(['2']);
    expect(zones['2']).toEqual([60, 80, 90]);
  });
});
