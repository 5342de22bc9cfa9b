/**
 * The Log Analytics queries the dashboard runs, as named constants: each is
 * built from a cluster's configured name or resource id (never from text a
 * browser sends) and carries its own time range. Container Insights tables:
 * KubeEvents, KubePodInventory, ContainerLogV2.
 */

export interface NamedQuery {
  /** Stable name (cache key, twin's compatibility table). */
  name: NamedQueryName;
  title: string;
  /** ISO 8601 duration the query covers, passed as the request's timespan. */
  timespan: 'PT1H';
  text: string;
}

export const NAMED_QUERY_NAMES = ['kube-events', 'restarts-by-namespace', 'demo-app-log-tail'] as const;
export type NamedQueryName = (typeof NAMED_QUERY_NAMES)[number];

/** Kubernetes events worth showing a presenter: Spot interruptions, evictions, Karpenter launches and consolidations, scheduling failures. */
export const EVENT_REASONS = [
  'SpotInterrupted',
  'SpotEvicted',
  'Evicted',
  'TaintManagerEviction',
  'Launched',
  'Registered',
  'DisruptionTerminating',
  'Unconsolidatable',
  'FailedScheduling',
  'Nominated',
  'NodeNotReady',
] as const;

/** How many rows each query returns at most (the UI shows them all). */
export const ROW_LIMITS = { events: 200, logTail: 100 } as const;

const CLUSTER_NAME = /^[A-Za-z0-9][-_A-Za-z0-9]{0,62}$/;
const RESOURCE_ID = /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.ContainerService\/managedClusters\/[-\w]{1,63}$/i;

function checkName(name: string): string {
  if (!CLUSTER_NAME.test(name)) throw new Error(`not a cluster name: ${JSON.stringify(name)}`);
  return name;
}

/** The Kubernetes events of the last hour on one cluster, newest first. */
export function kubeEventsQuery(clusterName: string): NamedQuery {
  const reasons = EVENT_REASONS.map((r) => `"${r}"`).join(', ');
  return {
    name: 'kube-events',
    title: 'Kubernetes events, last hour',
    timespan: 'PT1H',
    text: [
      'KubeEvents',
      `| where ClusterName == "${checkName(clusterName)}"`,
      `| where Reason in (${reasons})`,
      '| project TimeGenerated, Namespace, ObjectKind, Name, Reason, Message, KubeEventType',
      '| order by TimeGenerated desc',
      `| take ${ROW_LIMITS.events}`,
    ].join('\n'),
  };
}

/** Container restarts per namespace over the last hour (the latest count of each container). */
export function restartsByNamespaceQuery(clusterName: string): NamedQuery {
  return {
    name: 'restarts-by-namespace',
    title: 'Container restarts per namespace, last hour',
    timespan: 'PT1H',
    text: [
      'KubePodInventory',
      `| where ClusterName == "${checkName(clusterName)}"`,
      '| summarize arg_max(TimeGenerated, ContainerRestartCount) by Namespace, Name, ContainerName',
      '| summarize Restarts = sum(ContainerRestartCount) by Namespace',
      '| order by Restarts desc, Namespace asc',
    ].join('\n'),
  };
}

/** The demo application's log lines of the last hour, newest first. */
export function demoAppLogTailQuery(clusterResourceId: string): NamedQuery {
  if (!RESOURCE_ID.test(clusterResourceId)) throw new Error(`not a cluster resource id: ${JSON.stringify(clusterResourceId)}`);
  return {
    name: 'demo-app-log-tail',
    title: 'Demo application log, last hour',
    timespan: 'PT1H',
    text: [
      'ContainerLogV2',
      `| where _ResourceId =~ "${clusterResourceId.toLowerCase()}"`,
      '| where PodNamespace == "demo"',
      '| project TimeGenerated, PodName, ContainerName, LogLevel, LogMessage',
      '| order by TimeGenerated desc',
      `| take ${ROW_LIMITS.logTail}`,
    ].join('\n'),
  };
}

/** Every named query of one cluster. */
export function clusterQueries(cluster: { name: string; resourceId: string }): NamedQuery[] {
  return [kubeEventsQuery(cluster.name), restartsByNamespaceQuery(cluster.name), demoAppLogTailQuery(cluster.resourceId)];
}
