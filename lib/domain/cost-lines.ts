import { HOSTING_PRICE_SOURCES, type PriceSheet } from './cost-prices';
import { DASHBOARD_POSTGRES_STORAGE_GB, type CostCluster, type CostPool, type CostTopology, type DashboardHosting } from './cost-topology';
import type { HostingPriceKey, HostingPriceSource } from './retail-prices';

/** The cost lines: what each cluster, the shared resources and the dashboard bill per hour in a power state. */

/**
 * awake: as deployed. stopped: AKS stop (Manual clusters only: AKS cannot stop a cluster with node auto-provisioning).
 * asleep: NAP clusters — system pool at its minimum, other pools 0,
 * no Spot nodes, the control plane still billing. asleep-free: asleep on the
 * Free tier (control plane free). torn-down: `tofu destroy` (pattern A).
 */
export type ClusterPowerState = 'awake' | 'stopped' | 'asleep' | 'asleep-free' | 'torn-down';

export type CostService =
  | 'Azure Kubernetes Service'
  | 'Virtual Machines'
  | 'Load Balancer'
  | 'Microsoft Defender for Cloud'
  | 'Azure Monitor'
  | 'Container Registry'
  | 'Key Vault'
  | 'Backup'
  | 'Storage'
  | 'Virtual Network'
  | 'Azure Bastion'
  | 'Azure App Service'
  | 'Azure Database for PostgreSQL';

export type SpecCategory = 'core' | 'small' | 'missing';

export interface CostLine {
  /** cluster key, or `common` for shared resources. */
  scope: string;
  resourceGroup: string;
  service: CostService;
  item: string;
  perHour: number;
  /**
   * core: the lines the plan itemises per hour (control plane, nodes, load
   * balancers, Defender); small: the small items the plan adds (ACR, Key Vault,
   * Prometheus, backup, app disks); missing: what the plan leaves out.
   */
  spec: SpecCategory;
  /** Bills only while the clusters run (vs. while the resource exists). */
  runningOnly: boolean;
  /**
   * The price is not known to the model: the line counts 0 in every total and says which
   * COST_PRICES key to set, and where the published figure is.
   */
  priceNotSet?: { key: keyof typeof HOSTING_PRICE_SOURCES; source: string; reason?: string; failedAt?: number };
  /** Where a hosting line's price came from (COST_PRICES or the Retail Prices API meter, with when it was read). */
  priceSource?: HostingPriceSource;
}

function vm(prices: PriceSheet, priority: 'Regular' | 'Spot', size: string): number {
  const table = priority === 'Spot' ? prices.vmSpotPerHour : prices.vmRegularPerHour;
  const p = table[size];
  if (p === undefined) throw new Error(`no ${priority} price for ${size}: add it to COST_PRICES`);
  return p;
}

function nodesIn(pool: CostPool, state: ClusterPowerState, prices: PriceSheet): number {
  if (state === 'stopped' || state === 'torn-down') return 0;
  const now = pool.count ?? (pool.source === 'nodeAutoProvisioning' ? prices.napSpotNodesPerCluster : 0);
  if (state === 'awake') return now;
  // Asleep: AKS keeps at least one node in a system pool; everything else goes to 0.
  return pool.mode === 'System' ? Math.max(1, pool.minCount ?? 1) : 0;
}

/** One cluster's hourly lines in a power state. */
export function clusterLines(c: CostCluster, state: ClusterPowerState, prices: PriceSheet): CostLine[] {
  const lines: CostLine[] = [];
  const add = (service: CostService, item: string, perHour: number, spec: SpecCategory, runningOnly: boolean) =>
    lines.push({ scope: c.key, resourceGroup: c.resourceGroup, service, item, perHour, spec, runningOnly });
  if (state === 'torn-down') return lines;
  const running = state !== 'stopped';
  if (running) {
    const free = c.tier === 'Free' || state === 'asleep-free';
    add('Azure Kubernetes Service', `control plane (${free ? 'Free' : 'Standard'} tier)`, free ? prices.controlPlaneFreePerHour : prices.controlPlaneStandardPerHour, 'core', true);
    let vCores = 0;
    for (const p of c.pools) {
      const n = nodesIn(p, state, prices);
      vCores += n * (prices.vCpus[p.vmSize] ?? 0);
      if (n > 0) add('Virtual Machines', `${p.name} pool: ${n} × ${p.vmSize} ${p.priority}`, n * vm(prices, p.priority, p.vmSize), 'core', true);
    }
    add('Load Balancer', 'standard load balancer', prices.loadBalancerPerHour, 'core', true);
    add('Microsoft Defender for Cloud', `Defender for Containers: ${vCores} vCores`, vCores * prices.defenderPerVCoreHour, 'core', true);
    add('Azure Monitor', 'Managed Prometheus', prices.prometheusPerClusterMonth / prices.hoursPerMonth, 'small', true);
  }
  // What keeps billing while a cluster is stopped.
  add('Backup', 'AKS Backup (snapshots, blob state)', prices.backupPerClusterMonth / prices.hoursPerMonth, 'small', false);
  add('Virtual Network', 'public IP (outbound)', prices.publicIpPerHour, 'missing', false);
  if (c.ingress) add('Virtual Network', 'public IP (ingress gateway)', prices.publicIpPerHour, 'missing', false);
  return lines;
}

export interface EnvironmentPlan {
  /** Each cluster's state; absent = awake. */
  clusters: Record<string, ClusterPowerState>;
  /** Bastion kept (true) or removed (false); removed with the environment when torn down. */
  bastion: boolean;
}

/** The shared resources (rg-common), present unless the whole environment is torn down. */
export function commonLines(t: CostTopology, plan: EnvironmentPlan, prices: PriceSheet): CostLine[] {
  const allTornDown = t.clusters.length > 0 && t.clusters.every((c) => plan.clusters[c.key] === 'torn-down');
  if (allTornDown) return [];
  const rg = t.commonResourceGroup;
  const line = (service: CostService, item: string, perHour: number, spec: SpecCategory): CostLine => ({
    scope: 'common', resourceGroup: rg, service, item, perHour, spec, runningOnly: false,
  });
  const lines = [
    line('Container Registry', 'ACR Basic', prices.acrBasicPerDay / 24, 'small'),
    line('Key Vault', 'Key Vault', prices.keyVaultPerMonth / prices.hoursPerMonth, 'small'),
    line('Storage', 'app persistent volumes (~20 Gi)', prices.appDisksPerMonth / prices.hoursPerMonth, 'small'),
  ];
  if (t.bastion && plan.bastion) {
    lines.push(line('Azure Bastion', 'Bastion Basic', prices.bastionPerHour, 'missing'));
    lines.push(line('Virtual Network', 'public IP (Bastion)', prices.publicIpPerHour, 'missing'));
  }
  return lines;
}

/**
 * The dashboard's own hosting, billed while it exists (it is not powered down with the clusters):
 * the App Service plan, and PostgreSQL's compute and storage when chosen; SQLite on App Service's
 * /home storage is part of the plan. On the Jump VM it adds nothing to the VM itself.
 */
export function dashboardLines(hosting: DashboardHosting | undefined, prices: PriceSheet, sources: Partial<Record<HostingPriceKey, HostingPriceSource>> = {}): CostLine[] {
  if (!hosting || hosting.host === 'none') return [];
  const spec = 'missing' as const;
  if (hosting.host === 'jump_vm') {
    return [{ scope: 'dashboard', resourceGroup: '-', service: 'Virtual Machines', item: 'dashboard on the Jump VM (no resource of its own)', perHour: 0, spec, runningOnly: false }];
  }
  const rg = hosting.resourceGroup;
  const priced = (service: CostService, item: string, perHour: number | undefined | null, key: HostingPriceKey): CostLine => {
    const from = sources[key];
    if (perHour === undefined || perHour === null) {
      const why = from?.from === 'unset' ? { reason: from.reason, ...(from.failedAt !== undefined && { failedAt: from.failedAt }) } : {};
      return { scope: 'dashboard', resourceGroup: rg, service, item, perHour: 0, spec, runningOnly: false, priceNotSet: { key, source: HOSTING_PRICE_SOURCES[key], ...why } };
    }
    return { scope: 'dashboard', resourceGroup: rg, service, item, perHour, spec, runningOnly: false, ...(from && from.from !== 'unset' && { priceSource: from }) };
  };
  const lines = [priced('Azure App Service', `App Service plan ${hosting.sku} (Linux, 1 instance)`, prices.appServicePlanPerHour[hosting.sku], 'appServicePlanPerHour')];
  if (hosting.database === 'sqlite') {
    lines.push({ scope: 'dashboard', resourceGroup: rg, service: 'Azure App Service', item: 'SQLite on the plan’s /home storage (included in the plan)', perHour: 0, spec, runningOnly: false });
  } else {
    lines.push(priced('Azure Database for PostgreSQL', 'PostgreSQL Flexible Server, Burstable B1ms compute', prices.postgresB1msPerHour, 'postgresB1msPerHour'));
    lines.push(
      priced(
        'Azure Database for PostgreSQL',
        `PostgreSQL storage, ${DASHBOARD_POSTGRES_STORAGE_GB} GiB provisioned`,
        prices.postgresStoragePerGbMonth === null ? null : (prices.postgresStoragePerGbMonth * DASHBOARD_POSTGRES_STORAGE_GB) / prices.hoursPerMonth,
        'postgresStoragePerGbMonth',
      ),
    );
  }
  return lines;
}

export function environmentLines(t: CostTopology, plan: EnvironmentPlan, prices: PriceSheet): CostLine[] {
  const common = commonLines(t, plan, prices);
  // The dashboard goes with the environment when the whole of it is torn down (the same tofu destroy).
  return [...t.clusters.flatMap((c) => clusterLines(c, plan.clusters[c.key] ?? 'awake', prices)), ...common, ...(common.length ? dashboardLines(t.dashboard, prices) : [])];
}

export const sumPerHour = (lines: readonly CostLine[]) => lines.reduce((s, l) => s + l.perHour, 0);

/** The plan that matches what the clusters are doing now (Stopped → stopped). */
export function currentPlan(t: CostTopology): EnvironmentPlan {
  return {
    clusters: Object.fromEntries(t.clusters.map((c) => [c.key, c.powerState === 'Stopped' ? 'stopped' : 'awake'] as const)),
    bastion: t.bastion,
  };
}

/** Burn rate now, modelled from the live topology. */
export function currentBurnRate(t: CostTopology, prices: PriceSheet): { perHour: number; lines: CostLine[] } {
  const lines = environmentLines(t, currentPlan(t), prices);
  return { perHour: sumPerHour(lines), lines };
}
