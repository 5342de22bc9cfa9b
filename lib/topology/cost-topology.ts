import 'server-only';
import type { TopologySnapshot } from './index';
import { getConfig } from '../config';
import { withPriceOverrides, type CostCluster, type CostTopology, type PriceSheet } from '../domain/cost';

/** The cost model's view of the live topology (ARM through the shared read cache). */
export function toCostTopology(t: TopologySnapshot, commonResourceGroup: string): CostTopology {
  const clusters: CostCluster[] = t.clusters
    .filter((c) => c.view)
    .map((c) => {
      const v = c.view!;
      return {
        key: c.key,
        resourceGroup: c.resourceGroup,
        tier: v.tier === 'Free' ? 'Free' : 'Standard',
        nodeProvisioningMode: v.nodeProvisioningMode,
        powerState: v.powerState,
        ingress: v.pools.some((p) => p.name === 'ingress'),
        pools: v.pools.map((p) => ({
          name: p.name,
          mode: p.mode,
          priority: p.priority,
          vmSize: p.vmSize ?? 'Standard_D2s_v5',
          count: p.count,
          minCount: p.autoscale?.min,
          source: p.source,
        })),
      };
    });
  // Bastion is part of the environment; the dashboard does not read it from ARM yet, so it is assumed present.
  return { clusters, commonResourceGroup, bastion: true, dashboard: getConfig().cost.dashboard };
}

export function prices(): PriceSheet {
  return withPriceOverrides(getConfig().cost.prices);
}
