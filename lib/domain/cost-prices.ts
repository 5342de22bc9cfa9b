import { z } from 'zod';

/** The cost model's unit prices: the architecture's figures, and the `COST_PRICES` overrides over them. */

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
   * No default: read from the Azure Retail Prices API for the region (lib/domain/retail-prices.ts), or COST_PRICES.
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
