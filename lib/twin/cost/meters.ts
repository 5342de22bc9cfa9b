import { nodeResourceGroup, type TwinCluster, type TwinNames } from '../seed';

/**
 * What the twin bills: one meter per resource, at the architecture's unit prices (Korea
 * Central), written here on their own — the twin is the "invoice", the product's
 * cost model (lib/domain/cost.ts) is the estimate; they must agree only because
 * both follow the architecture's prices, which a test checks.
 */
export const RATES = {
  aksStandardPerHour: 0.1, // AKS Standard tier, as the architecture prices it
  aksFreePerHour: 0,
  d2sv5RegularPerHour: 0.096, // the architecture's Korea Central VM price
  d2sv5SpotPerHour: 0.019, // the architecture's Korea Central Spot price
  d2sv5VCpus: 2,
  loadBalancerPerHour: 0.025, // as the architecture prices it
  defenderPerVCoreHour: 0.0094, // the architecture's $6.87 per vCore-month
  acrBasicPerDay: 0.167, // the architecture's one-day demo pattern
  keyVaultPerMonth: 1, // the architecture's monthly learning pattern
  prometheusPerClusterMonth: 1, // the architecture's monthly learning pattern: $3 for 3 clusters
  backupPerClusterMonth: 1, // the architecture's monthly learning pattern: $3 for 3 clusters
  appDiskPerClusterMonth: 1, // the architecture's monthly learning pattern: ~20 Gi of PVs, $2, on app1 and app2
  publicIpPerHour: 0.005, // billed while stopped, as the architecture notes
  bastionBasicPerHour: 0.19, // Bastion Basic, which the architecture uses for admin access
  hoursPerMonth: 730,
  /** NAP's Spot workers are not ARM agent pools; the architecture's cost table counts one per cluster. */
  napSpotNodesPerCluster: 1,
};

/** What a cluster looks like for billing: only the fields that change the bill. */
export interface BilledCluster {
  key: string;
  name: string;
  resourceGroup: string;
  nodeResourceGroup: string;
  tier: 'Standard' | 'Free';
  napAuto: boolean;
  running: boolean;
  pools: { name: string; priority: 'Regular' | 'Spot'; vmSize: string; count: number }[];
}

export interface BilledStructure {
  clusters: BilledCluster[];
  bastion: boolean;
}

export interface Meter {
  resourceId: string;
  resourceGroup: string;
  resourceType: string;
  serviceName: string;
  meterCategory: string;
  perHour: number;
}

export function structureOf(clusters: readonly TwinCluster[], names: TwinNames, bastion: boolean): BilledStructure {
  return {
    bastion,
    clusters: clusters.map((c) => ({
      key: c.key,
      name: c.name,
      resourceGroup: c.resourceGroup,
      nodeResourceGroup: nodeResourceGroup(c.resourceGroup, c.name, names.location),
      tier: c.tier,
      napAuto: c.nodeProvisioningMode === 'Auto',
      // AKS bills a cluster until its stop completes and from when its start completes.
      running: c.power === 'Running',
      pools: c.pools.map((p) => ({ name: p.name, priority: p.priority, vmSize: p.vmSize, count: p.count })),
    })),
  };
}

function vmRate(priority: 'Regular' | 'Spot', vmSize: string): number {
  if (vmSize !== 'Standard_D2s_v5') throw new Error(`the twin has no price for ${vmSize}`);
  return priority === 'Spot' ? RATES.d2sv5SpotPerHour : RATES.d2sv5RegularPerHour;
}

/** The meters that bill in this structure, at their hourly rate (0-rate meters omitted). */
export function metersOf(s: BilledStructure, subscriptionId: string, commonResourceGroup: string): Meter[] {
  const sub = `/subscriptions/${subscriptionId}`;
  const id = (rg: string, type: string, name: string) => `${sub}/resourceGroups/${rg}/providers/${type}/${name}`;
  const meters: Meter[] = [];
  const add = (rg: string, type: string, name: string, serviceName: string, meterCategory: string, perHour: number) => {
    if (perHour > 0) meters.push({ resourceId: id(rg, type, name), resourceGroup: rg, resourceType: type.toLowerCase(), serviceName, meterCategory, perHour });
  };
  const common = commonResourceGroup;
  const perMonth = (m: number) => m / RATES.hoursPerMonth;
  for (const c of s.clusters) {
    const mc = c.nodeResourceGroup;
    if (c.running) {
      add(c.resourceGroup, 'Microsoft.ContainerService/managedClusters', c.name, 'Azure Kubernetes Service', 'Azure Kubernetes Service',
        c.tier === 'Standard' ? RATES.aksStandardPerHour : RATES.aksFreePerHour);
      let vCores = 0;
      for (const p of c.pools) {
        vCores += p.count * RATES.d2sv5VCpus;
        add(mc, 'Microsoft.Compute/virtualMachineScaleSets', `aks-${p.name}-28391746-vmss`, 'Virtual Machines', 'Virtual Machines', p.count * vmRate(p.priority, p.vmSize));
      }
      if (c.napAuto && !c.pools.some((p) => p.priority === 'Spot')) {
        for (let i = 0; i < RATES.napSpotNodesPerCluster; i++) {
          vCores += RATES.d2sv5VCpus;
          add(mc, 'Microsoft.Compute/virtualMachines', `aks-worker-${c.key}-${i}`, 'Virtual Machines', 'Virtual Machines', RATES.d2sv5SpotPerHour);
        }
      }
      add(mc, 'Microsoft.Network/loadBalancers', 'kubernetes', 'Load Balancer', 'Load Balancer', RATES.loadBalancerPerHour);
      add(c.resourceGroup, 'Microsoft.ContainerService/managedClusters', c.name, 'Microsoft Defender for Cloud', 'Microsoft Defender for Containers', vCores * RATES.defenderPerVCoreHour);
      add(common, 'Microsoft.Monitor/accounts', 'amw-k8s-demo', 'Azure Monitor', 'Azure Monitor', perMonth(RATES.prometheusPerClusterMonth));
    }
    // These keep billing while a cluster is stopped (the architecture says so too).
    add(common, 'Microsoft.DataProtection/backupVaults', 'bv-k8s-demo', 'Backup', 'Backup', perMonth(RATES.backupPerClusterMonth));
    add(mc, 'Microsoft.Network/publicIPAddresses', 'kubernetes-outbound', 'Virtual Network', 'Virtual Network', RATES.publicIpPerHour);
    if (c.pools.some((p) => p.name === 'ingress')) {
      add(mc, 'Microsoft.Network/publicIPAddresses', 'kubernetes-ingressgateway', 'Virtual Network', 'Virtual Network', RATES.publicIpPerHour);
    }
    if (c.key !== 'mgmt') add(mc, 'Microsoft.Compute/disks', `pvc-${c.key}-data`, 'Storage', 'Storage', perMonth(RATES.appDiskPerClusterMonth));
  }
  if (s.clusters.length > 0) {
    add(common, 'Microsoft.ContainerRegistry/registries', 'acrk8sdemo', 'Container Registry', 'Container Registry', RATES.acrBasicPerDay / 24);
    add(common, 'Microsoft.KeyVault/vaults', 'kv-k8s-demo', 'Key Vault', 'Key Vault', perMonth(RATES.keyVaultPerMonth));
    if (s.bastion) {
      add(common, 'Microsoft.Network/bastionHosts', 'bastion-k8s-demo', 'Azure Bastion', 'Azure Bastion', RATES.bastionBasicPerHour);
      add(common, 'Microsoft.Network/publicIPAddresses', 'pip-bastion-k8s-demo', 'Virtual Network', 'Virtual Network', RATES.publicIpPerHour);
    }
  }
  return meters;
}
