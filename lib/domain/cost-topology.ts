/** What the cost model is computed on: the clusters, their pools, the shared resources and the dashboard's hosting. */

export interface CostPool {
  name: string;
  mode: 'System' | 'User';
  priority: 'Regular' | 'Spot';
  vmSize: string;
  /** Nodes now; null for NAP capacity (ARM does not count it). */
  count: number | null;
  /** Autoscaler minimum, when set. */
  minCount?: number;
  source: 'agentPool' | 'nodeAutoProvisioning';
}

export interface CostCluster {
  key: string;
  resourceGroup: string;
  tier: 'Standard' | 'Free';
  nodeProvisioningMode: 'Auto' | 'Manual' | 'None';
  powerState: 'Running' | 'Stopped' | 'Unknown';
  /** Has an Istio ingress gateway (its own public IP). */
  ingress: boolean;
  pools: CostPool[];
}

/**
 * Where the dashboard itself runs (infra/modules/dashboard): App Service (a Linux plan, with SQLite
 * on its /home storage or a PostgreSQL Flexible Server), the Jump VM, or elsewhere (a workstation).
 */
export type DashboardHosting =
  | { host: 'none' }
  | { host: 'jump_vm' }
  | { host: 'app_service'; sku: string; database: 'sqlite' | 'postgresql'; resourceGroup: string };

/** The module's PostgreSQL storage (storage_mb = 32768). */
export const DASHBOARD_POSTGRES_STORAGE_GB = 32;

export interface CostTopology {
  clusters: CostCluster[];
  commonResourceGroup: string;
  bastion: boolean;
  /** Absent: the dashboard is not part of the environment. */
  dashboard?: DashboardHosting;
}

/** The architecture's topology: what its cost figures are computed on. */
export function specTopology(): CostTopology {
  const pool = (name: string, mode: 'System' | 'User', count: number): CostPool => ({
    name, mode, priority: 'Regular', vmSize: 'Standard_D2s_v5', count, source: 'agentPool',
  });
  const nap: CostPool = { name: 'worker', mode: 'User', priority: 'Spot', vmSize: 'Standard_D2s_v5', count: null, source: 'nodeAutoProvisioning' };
  const cluster = (key: string, ingress: boolean): CostCluster => ({
    key,
    resourceGroup: `rg-k8s-demo-${key}`,
    tier: 'Standard',
    nodeProvisioningMode: 'Auto',
    powerState: 'Running',
    ingress,
    pools: [pool('system', 'System', 3), ...(ingress ? [pool('ingress', 'User', 3)] : []), nap],
  });
  return { clusters: [cluster('mgmt', true), cluster('app1', true), cluster('app2', false)], commonResourceGroup: 'rg-k8s-demo-common', bastion: true };
}
