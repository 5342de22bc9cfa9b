/**
 * The cost model: what the environment costs per hour in each power state,
 * from the live topology and the unit prices of the architecture's cost plan. Pure: no I/O.
 *
 * Every price is a documented figure in `SPEC_PRICES`, overridable in one
 * place (`COST_PRICES` in lib/config.ts). Each line says whether the architecture's cost plan counts it
 * (`spec`): the plan's own figures are reproduced from its lines alone,
 * and the true cost adds what the plan leaves out (docs/azure-differences.md).
 *
 * How the plan's figures come out of these prices (the spec topology: 3 clusters,
 * system 3 nodes each, ingress 3 nodes on mgmt and app1, 1 NAP Spot worker each):
 *   awake, billed only while the clusters run, per hour:
 *     control plane   3 × 0.10                      = 0.3000
 *     system nodes    9 × 0.096                     = 0.8640
 *     ingress nodes   6 × 0.096                     = 0.5760
 *     Spot workers    3 × 0.019                     = 0.0570
 *     load balancers  3 × 0.025                     = 0.0750
 *     Defender        36 vCores × 0.0094            = 0.3384
 *                                                    ─────────
 *                                                      2.2104 $/h
 *   small items (the plan's monthly figures spread over 730 h, ACR per day):
 *     ACR Basic 0.167/24 = 0.006958, Key Vault 1/730 = 0.001370,
 *     AKS Backup 3/730 = 0.004110, app disks 2/730 = 0.002740 (these bill always),
 *     Managed Prometheus 3/730 = 0.004110 (only while clusters run: ingestion)
 *     → 0.019288 $/h
 *   pattern A, 2 h session:  2 × (2.2104 + 0.019288)        = 4.4594 (spec ≈ $4.44; it puts the small items at $0.02)
 *   pattern B, 24 h day:     24 × (2.2104 + 0.019288)       = 53.51  (spec ≈ $54)
 *   pattern C, 160 h:        160 × 2.2104                   = 353.66 (what the table computes; it labels it "24 h full run")
 *   24/7 month:              730 × 2.2104                   = 1,613.59 before Bastion, which the plan leaves out
 *   Bastion Basic kept:      730 × 0.19                     = 138.70
 */

import { z } from 'zod';

export interface PriceSheet {
  /** AKS Standard tier, per cluster-hour. */
  controlPlaneStandardPerHour: number;
  /** AKS Free tier control plane (no uptime SLA). */
  controlPlaneFreePerHour: number;
  /** Pay-as-you-go VM price per hour, by size. */
  vmRegularPerHour: Record<string, number>;
  /** Spot price per hour (market, changes). */
  vmSpotPerHour: Record<string, number>;
  vCpus: Record<string, number>;
  /** Standard load balancer, one per cluster. */
  loadBalancerPerHour: number;
  /** Defender for Containers, $6.87 per vCore-month ≈ 0.0094 per vCore-hour. */
  defenderPerVCoreHour: number;
  /** ACR Basic per day. */
  acrBasicPerDay: number;
  /** Key Vault per month. */
  keyVaultPerMonth: number;
  /** Managed Prometheus, per cluster-month ($3 for 3). */
  prometheusPerClusterMonth: number;
  /** AKS Backup, per cluster-month ($3 for 3). */
  backupPerClusterMonth: number;
  /** App persistent volumes (~20 Gi) per month. */
  appDisksPerMonth: number;
  /** A static public IP bills while it exists, ~$0.005/h. Not in the plan's lines. */
  publicIpPerHour: number;
  /** Bastion Basic ≈ $0.19/h; not in the plan's lines (≈ $139/month if kept). */
  bastionPerHour: number;
  /** A month as Azure's price sheets count it. */
  hoursPerMonth: number;
  /** Spot workers NAP keeps per cluster while awake (ARM does not count NAP nodes). */
  napSpotNodesPerCluster: number;
  /** Pattern A: `tofu apply` ≈ 25 min + `tofu destroy` ≈ 10 min billed around each session. */
  teardownOverheadHours: number;
  /**
   * The dashboard on App Service: the Linux plan's price per hour, by SKU (B1, B2, P0v3, P1v3).
   * No default: set it from the region's published price (HOSTING_PRICE_SOURCES).
   */
  appServicePlanPerHour: Record<string, number>;
  /** The dashboard's PostgreSQL Flexible Server, Burstable B1ms compute, per hour. No default (HOSTING_PRICE_SOURCES). */
  postgresB1msPerHour: number | null;
  /** Its provisioned storage (the module's 32 GiB), per GiB-month. No default (HOSTING_PRICE_SOURCES). */
  postgresStoragePerGbMonth: number | null;
}

/**
 * Where to read the dashboard's hosting prices for the environment's region. No figure for these
 * is built in: the model shows the line as "price not set" and leaves it out of the totals until
 * COST_PRICES gives it.
 */
export const HOSTING_PRICE_SOURCES = {
  appServicePlanPerHour:
    "https://azure.microsoft.com/pricing/details/app-service/linux/ (your region, Basic or Premium v3 tier), or the Retail Prices API: https://prices.azure.com/api/retail/prices?$filter=serviceName eq 'Azure App Service' and armRegionName eq '<region>' and skuName eq '<SKU>' (the Linux plan's 1 Hour meter)",
  postgresB1msPerHour:
    "https://azure.microsoft.com/pricing/details/postgresql/flexible-server/ (your region, Burstable, B1ms), or the Retail Prices API: https://prices.azure.com/api/retail/prices?$filter=serviceName eq 'Azure Database for PostgreSQL' and armRegionName eq '<region>' (the B1ms compute meter, 1 Hour)",
  postgresStoragePerGbMonth:
    "https://azure.microsoft.com/pricing/details/postgresql/flexible-server/ (your region, Storage, per GiB/month), or the same Retail Prices API query (the Flexible Server storage meter, 1 GB/Month)",
} as const;

export const SPEC_PRICES: PriceSheet = {
  controlPlaneStandardPerHour: 0.1,
  controlPlaneFreePerHour: 0,
  vmRegularPerHour: { Standard_D2s_v5: 0.096 },
  vmSpotPerHour: { Standard_D2s_v5: 0.019 },
  vCpus: { Standard_D2s_v5: 2 },
  loadBalancerPerHour: 0.025,
  defenderPerVCoreHour: 0.0094,
  acrBasicPerDay: 0.167,
  keyVaultPerMonth: 1,
  prometheusPerClusterMonth: 1,
  backupPerClusterMonth: 1,
  appDisksPerMonth: 2,
  publicIpPerHour: 0.005,
  bastionPerHour: 0.19,
  hoursPerMonth: 730,
  napSpotNodesPerCluster: 1,
  teardownOverheadHours: 35 / 60,
  appServicePlanPerHour: {},
  postgresB1msPerHour: null,
  postgresStoragePerGbMonth: null,
};

/** What the plan names but gives no verified price for: shown, not counted. */
export const NOT_MODELLED = [
  'Jump VM and its OS disk',
  'node OS disks (managed disks keep billing while a cluster is stopped)',
  'Managed Grafana Standard (no free tier since Essential was removed)',
  'Advanced Container Networking Services (Hubble flows and metrics)',
  'Log Analytics above 5 GB/month, VNet flow logs per GB, alert rules',
] as const;

const rate = z.number().min(0);
/** `COST_PRICES`: any subset of the price sheet, e.g. {"vmSpotPerHour":{"Standard_D2s_v5":0.025}}. */
export const priceOverridesSchema = z
  .object({
    controlPlaneStandardPerHour: rate,
    controlPlaneFreePerHour: rate,
    vmRegularPerHour: z.record(z.string(), rate),
    vmSpotPerHour: z.record(z.string(), rate),
    vCpus: z.record(z.string(), z.number().int().positive()),
    loadBalancerPerHour: rate,
    defenderPerVCoreHour: rate,
    acrBasicPerDay: rate,
    keyVaultPerMonth: rate,
    prometheusPerClusterMonth: rate,
    backupPerClusterMonth: rate,
    appDisksPerMonth: rate,
    publicIpPerHour: rate,
    bastionPerHour: rate,
    hoursPerMonth: z.number().positive(),
    napSpotNodesPerCluster: z.number().int().min(0),
    teardownOverheadHours: rate,
    appServicePlanPerHour: z.record(z.string(), rate),
    postgresB1msPerHour: rate,
    postgresStoragePerGbMonth: rate,
  })
  .partial()
  .strict();

export function withPriceOverrides(overrides: Partial<PriceSheet> | undefined): PriceSheet {
  if (!overrides) return SPEC_PRICES;
  return {
    ...SPEC_PRICES,
    ...overrides,
    vmRegularPerHour: { ...SPEC_PRICES.vmRegularPerHour, ...overrides.vmRegularPerHour },
    vmSpotPerHour: { ...SPEC_PRICES.vmSpotPerHour, ...overrides.vmSpotPerHour },
    vCpus: { ...SPEC_PRICES.vCpus, ...overrides.vCpus },
    appServicePlanPerHour: { ...SPEC_PRICES.appServicePlanPerHour, ...overrides.appServicePlanPerHour },
  };
}

// ── Topology ────────────────────────────────────────────────────────────────

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

// ── Power states ────────────────────────────────────────────────────────────

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
  priceNotSet?: { key: keyof typeof HOSTING_PRICE_SOURCES; source: string };
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
export function dashboardLines(hosting: DashboardHosting | undefined, prices: PriceSheet): CostLine[] {
  if (!hosting || hosting.host === 'none') return [];
  const spec = 'missing' as const;
  if (hosting.host === 'jump_vm') {
    return [{ scope: 'dashboard', resourceGroup: '-', service: 'Virtual Machines', item: 'dashboard on the Jump VM (no resource of its own)', perHour: 0, spec, runningOnly: false }];
  }
  const rg = hosting.resourceGroup;
  const priced = (service: CostService, item: string, perHour: number | undefined | null, key: keyof typeof HOSTING_PRICE_SOURCES): CostLine =>
    perHour === undefined || perHour === null
      ? { scope: 'dashboard', resourceGroup: rg, service, item, perHour: 0, spec, runningOnly: false, priceNotSet: { key, source: HOSTING_PRICE_SOURCES[key] } }
      : { scope: 'dashboard', resourceGroup: rg, service, item, perHour, spec, runningOnly: false };
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

// ── Strategies ──────────────────────────────────────────────────────────────

export type StrategyId = 'always-on' | 'full-stop' | 'sleep' | 'sleep-free' | 'tear-down';

export interface Strategy {
  id: StrategyId;
  label: string;
  /** The state between sessions for a cluster, or why it is not possible. */
  idleState: (c: CostCluster) => ClusterPowerState | { impossible: string };
}

export const STRATEGIES: Strategy[] = [
  { id: 'always-on', label: 'No power-down (24/7)', idleState: () => 'awake' },
  {
    id: 'full-stop',
    label: 'Full AKS stop between sessions',
    idleState: (c) =>
      c.nodeProvisioningMode === 'Auto'
        ? { impossible: `${c.key} uses node auto-provisioning: AKS refuses to stop it` }
        : 'stopped',
  },
  { id: 'sleep', label: 'Sleep (system pool at minimum, ingress 0, no Spot)', idleState: () => 'asleep' },
  { id: 'sleep-free', label: 'Sleep on the Free tier (control plane free)', idleState: () => 'asleep-free' },
  { id: 'tear-down', label: 'Tear down between sessions (pattern A)', idleState: () => 'torn-down' },
];

/** The strategy a cluster really has: full stop where AKS allows it, sleep where it does not (node auto-provisioning). */
export function defaultIdleState(c: CostCluster): ClusterPowerState {
  return c.nodeProvisioningMode === 'Auto' ? 'asleep' : 'stopped';
}

export interface Schedule {
  /** Awake hours in the month (the spec's pattern C: 8 h × 20 days = 160). */
  awakeHoursPerMonth: number;
  /** Sessions per month (for tear-down overhead). */
  sessionsPerMonth: number;
}

export const SPEC_SCHEDULE: Schedule = { awakeHoursPerMonth: 160, sessionsPerMonth: 20 };

export interface StrategyCost {
  id: StrategyId;
  label: string;
  bastion: boolean;
  awakePerHour: number;
  idlePerHour: number;
  monthly: number;
  /** Why the strategy cannot be used as such on this topology (it is costed with the clusters it cannot stop left awake). */
  caveats: string[];
}

/** Monthly cost of a strategy on a schedule: awake hours at the awake rate, the rest at the idle rate. */
export function strategyCost(t: CostTopology, s: Strategy, schedule: Schedule, prices: PriceSheet, bastionWhenIdle: boolean): StrategyCost {
  const caveats: string[] = [];
  const idle: Record<string, ClusterPowerState> = {};
  for (const c of t.clusters) {
    const st = s.idleState(c);
    if (typeof st === 'string') idle[c.key] = st;
    else {
      caveats.push(st.impossible);
      idle[c.key] = 'awake';
    }
  }
  const awakePlan: EnvironmentPlan = { clusters: Object.fromEntries(t.clusters.map((c) => [c.key, 'awake'])), bastion: true };
  const idlePlan: EnvironmentPlan = { clusters: idle, bastion: s.id === 'tear-down' ? false : bastionWhenIdle };
  const awakePerHour = sumPerHour(environmentLines(t, awakePlan, prices));
  const idlePerHour = s.id === 'always-on' ? awakePerHour : sumPerHour(environmentLines(t, idlePlan, prices));
  const awakeHours =
    s.id === 'always-on'
      ? prices.hoursPerMonth
      : Math.min(prices.hoursPerMonth, schedule.awakeHoursPerMonth + (s.id === 'tear-down' ? schedule.sessionsPerMonth * prices.teardownOverheadHours : 0));
  const monthly = awakeHours * awakePerHour + (prices.hoursPerMonth - awakeHours) * idlePerHour;
  return { id: s.id, label: s.label, bastion: bastionWhenIdle, awakePerHour, idlePerHour, monthly, caveats };
}

export function compareStrategies(t: CostTopology, schedule: Schedule, prices: PriceSheet): StrategyCost[] {
  return STRATEGIES.flatMap((s) =>
    s.id === 'always-on' || s.id === 'tear-down'
      ? [strategyCost(t, s, schedule, prices, true)]
      : [strategyCost(t, s, schedule, prices, true), strategyCost(t, s, schedule, prices, false)],
  );
}

// ── Budget arithmetic ───────────────────────────────────────────────────────

export interface HoursLeftInput {
  budget: number;
  spentToDate: number;
  /** Hours from now to the end of the month. */
  hoursRemaining: number;
  awakePerHour: number;
  idlePerHour: number;
}

export interface HoursLeft {
  /** Awake hours that still fit in the budget this month (capped at the hours remaining). */
  hours: number;
  /** The month's cost if idle from now on. */
  idleFloor: number;
  /** Over budget even if idle from now on. */
  overEvenIdle: boolean;
  /** Every remaining hour fits awake. */
  unlimited: boolean;
}

/**
 * Hours of uptime left within the budget: what remains after the month-to-date
 * actual and the idle floor for the rest of the month, divided by what an awake
 * hour costs over an idle one.
 */
export function hoursLeftWithinBudget(i: HoursLeftInput): HoursLeft {
  const hoursRemaining = Math.max(0, i.hoursRemaining);
  const idleFloor = i.spentToDate + hoursRemaining * i.idlePerHour;
  const room = i.budget - idleFloor;
  const extra = i.awakePerHour - i.idlePerHour;
  if (room <= 0) return { hours: 0, idleFloor, overEvenIdle: room < 0, unlimited: false };
  if (extra <= 0) return { hours: hoursRemaining, idleFloor, overEvenIdle: false, unlimited: hoursRemaining > 0 };
  const hours = Math.min(hoursRemaining, room / extra);
  return { hours, idleFloor, overEvenIdle: false, unlimited: hoursRemaining > 0 && hours >= hoursRemaining };
}

export interface DailyCost {
  /** yyyy-mm-dd (UTC, as Cost Management reports UsageDate). */
  date: string;
  amount: number;
  kind: 'actual' | 'forecast';
}

/** The first day on which the cumulative cost (actual, then forecast) exceeds the budget; null if it never does this month. */
export function projectedCrossingDay(days: readonly DailyCost[], budget: number): { date: string; kind: 'actual' | 'forecast' } | null {
  let total = 0;
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    total += d.amount;
    if (total > budget) return { date: d.date, kind: d.kind };
  }
  return null;
}

/** Hours from `now` to the start of the next UTC month. */
export function hoursToMonthEnd(now: number): number {
  const d = new Date(now);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return (next - now) / 3_600_000;
}

export function monthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Cost since the environment last woke, at the current awake rate (modelled). */
export function sessionCost(wokeAt: number, now: number, perHour: number): number {
  return Math.max(0, (now - wokeAt) / 3_600_000) * perHour;
}
