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

export {
  HOSTING_PRICE_SOURCES, NOT_MODELLED, priceOverridesSchema, SPEC_PRICES, withPriceOverrides,
  type PriceSheet,
} from './cost-prices';
export {
  DASHBOARD_POSTGRES_STORAGE_GB, specTopology,
  type CostCluster, type CostPool, type CostTopology, type DashboardHosting,
} from './cost-topology';
export {
  clusterLines, commonLines, currentBurnRate, currentPlan, dashboardLines, environmentLines, sumPerHour,
  type ClusterPowerState, type CostLine, type CostService, type EnvironmentPlan, type SpecCategory,
} from './cost-lines';
export {
  compareStrategies, defaultIdleState, SPEC_SCHEDULE, STRATEGIES, strategyCost,
  type Schedule, type Strategy, type StrategyCost, type StrategyId,
} from './cost-strategies';
export {
  hoursLeftWithinBudget, hoursToMonthEnd, monthStart, projectedCrossingDay, sessionCost,
  type DailyCost, type HoursLeft, type HoursLeftInput,
} from './cost-budget';
