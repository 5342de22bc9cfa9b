import { describe, expect, it } from 'vitest';
import { clusterQueries, demoAppLogTailQuery, kubeEventsQuery, NAMED_QUERY_NAMES, restartsByNamespaceQuery } from './kql';

const ID = '/subscriptions/00000000-0000-4000-8000-00000000d3e0/resourceGroups/rg-k8s-demo-app1/providers/Microsoft.ContainerService/managedClusters/aks-app1';

describe('named KQL queries', () => {
  it('the events query names the cluster, the reasons a presenter cares about, the last hour and a row cap', () => {
    const q = kubeEventsQuery('aks-app1');
    expect(q.timespan).toBe('PT1H');
    expect(q.text.split('\n')[0]).toBe('KubeEvents');
    expect(q.text).toContain('| where ClusterName == "aks-app1"');
    for (const reason of ['SpotInterrupted', 'Evicted', 'Launched', 'DisruptionTerminating', 'FailedScheduling']) expect(q.text).toContain(`"${reason}"`);
    expect(q.text).toMatch(/\| order by TimeGenerated desc\n\| take 200$/);
  });

  it('restarts are counted once per container (its latest count), then summed per namespace', () => {
    const q = restartsByNamespaceQuery('aks-app2');
    expect(q.text).toBe(
      [
        'KubePodInventory',
        '| where ClusterName == "aks-app2"',
        '| summarize arg_max(TimeGenerated, ContainerRestartCount) by Namespace, Name, ContainerName',
        '| summarize Restarts = sum(ContainerRestartCount) by Namespace',
        '| order by Restarts desc, Namespace asc',
      ].join('\n'),
    );
  });

  it('the log tail reads the demo namespace of one cluster by its resource id', () => {
    const q = demoAppLogTailQuery(ID);
    expect(q.text).toContain(`| where _ResourceId =~ "${ID.toLowerCase()}"`);
    expect(q.text).toContain('| where PodNamespace == "demo"');
    expect(q.text).toMatch(/\| take 100$/);
  });

  it('refuses a cluster name or id that could change the query', () => {
    expect(() => kubeEventsQuery('aks-app1" | union *')).toThrow(/not a cluster name/);
    expect(() => restartsByNamespaceQuery('')).toThrow(/not a cluster name/);
    expect(() => demoAppLogTailQuery(`${ID}" or 1==1`)).toThrow(/not a cluster resource id/);
  });

  it('each cluster has every named query, each with its own time range', () => {
    const qs = clusterQueries({ name: 'aks-app1', resourceId: ID });
    expect(qs.map((q) => q.name)).toEqual([...NAMED_QUERY_NAMES]);
    expect(new Set(qs.map((q) => q.text)).size).toBe(3);
    expect(qs.every((q) => q.timespan === 'PT1H')).toBe(true);
  });
});
