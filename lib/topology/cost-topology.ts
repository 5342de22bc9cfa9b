import 'server-only';
import type { TopologySnapshot } from './index';
import { getConfig } from '../config';
import { withPriceOverrides, type CostCluster, type CostTopology, type DashboardHosting, type PriceSheet } from '../domain/cost';
import { givenHostingPrices, hostingPriceKeys, hostingQueries, pickHostingPrices, withHostingPrices, type HostingPriceKey, type HostingPriceSource, type PickResult, type RetailQuery } from '../domain/retail-prices';
import { readRetailPrices } from '../azure/retail-prices';
import { sharedReads } from '../cache/shared-read';
import { toUserError } from '../errors';

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

/** Retail prices change monthly at most; an hour keeps a failing API from being asked on every page. */
const RETAIL_TTL_MS = 60 * 60_000;

export interface LivePrices {
  sheet: PriceSheet;
  /** Where each of the dashboard's hosting prices came from, or why it is not set. */
  hosting: Partial<Record<HostingPriceKey, HostingPriceSource>>;
}

/** The hosting's meters from the Retail Prices API, through the shared read cache; a failure with when it happened. */
async function readHostingPrices(hosting: DashboardHosting, queries: RetailQuery[]): Promise<{ picks: PickResult[]; fetchedAt?: number; error?: string; failedAt?: number }> {
  const cfg = getConfig();
  const key = `retail|${cfg.cost.retailPricesUrl}|${cfg.location}|${JSON.stringify(hosting)}`;
  const r = await sharedReads().read(key, RETAIL_TTL_MS, async () => {
    const items = (await Promise.all(queries.map((q) => readRetailPrices(cfg.cost.retailPricesUrl, q.filter, cfg.upstream.deadlineMs)))).flat();
    return pickHostingPrices(hosting, cfg.location, items);
  });
  return { picks: r.value ?? [], fetchedAt: r.fetchedAt, ...(r.error ? { error: toUserError(r.error).message, failedAt: r.errorAt } : {}) };
}

/**
 * The price sheet with the dashboard's hosting prices filled in from the Azure Retail Prices API
 * (COST_PRICES first). Nothing is read when the dashboard is not on App Service.
 */
export async function livePrices(): Promise<LivePrices> {
  const cfg = getConfig();
  const hosting = cfg.cost.dashboard;
  const sheet = prices();
  const queries = hostingQueries(hosting, cfg.location);
  if (queries.length === 0) return { sheet, hosting: {} };
  const overridden = givenHostingPrices(hosting, cfg.cost.prices ?? {});
  // Nothing to read when COST_PRICES gives every price the hosting needs.
  const read = hostingPriceKeys(hosting).some((k) => !overridden[k]) ? await readHostingPrices(hosting, queries) : { picks: [] };
  const merged = withHostingPrices(sheet, hosting, overridden, read);
  return { sheet: merged.sheet, hosting: merged.sources };
}
