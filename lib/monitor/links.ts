import 'server-only';
import { getConfig, type ClusterKey } from '../config';
import { clusterResourceId } from './index';

/** Where a person goes next from the dashboard: the cluster's Portal blades, Grafana and the Log Analytics workspace of infra/. */
export interface MonitorLinks {
  portal: { cluster: string; insights: string; alerts: string; metrics: string };
  workspace: string;
  grafana?: string;
}

export function monitorLinks(key: ClusterKey): MonitorLinks {
  const config = getConfig();
  const id = clusterResourceId(key);
  const portal = 'https://portal.azure.com/#@/resource';
  const ws = `/subscriptions/${config.subscriptionId}/resourceGroups/${config.commonResourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${config.monitor.workspaceName}`;
  return {
    portal: { cluster: `${portal}${id}/overview`, insights: `${portal}${id}/infrainsights`, alerts: `${portal}${id}/alerts`, metrics: `${portal}${id}/metrics` },
    workspace: `${portal}${ws}/logs`,
    grafana: config.monitor.grafanaUrl,
  };
}
