/**
 * Backup rules as pure functions: the RPO verdict per cluster, the
 * next scheduled run from the policy's ISO 8601 repeating interval, retention
 * and expiry, the tier a recovery point is in, and the DR table
 * judged against the current state. No I/O.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** AKS Backup, RPO 24 h. */
export const RPO_MS = 24 * HOUR;
/** AKS cluster failure, `tofu apply` + AKS Backup restore, about 30 minutes. */
export const RTO_MS = 30 * MINUTE;

export type RpoStatus = 'green' | 'at-risk' | 'breached';

/**
 * Milliseconds in an ISO 8601 duration (PnW, PnDTnHnMnS). Years and months have
 * no fixed length and Data Protection retention does not use them here.
 */
export function parseIsoDuration(text: string): number {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) throw new RangeError(`not a supported ISO 8601 duration: ${text}`);
  const [, w, d, h, min, s] = m;
  return Number(w ?? 0) * 7 * DAY + Number(d ?? 0) * DAY + Number(h ?? 0) * HOUR + Number(min ?? 0) * MINUTE + Number(s ?? 0) * 1000;
}

/** `R/2026-01-01T02:00:00+00:00/P1D` → its first occurrence and period. */
export function parseRepeatingInterval(text: string): { start: number; periodMs: number } {
  const parts = text.split('/');
  if (parts.length !== 3 || !/^R\d*$/.test(parts[0])) throw new RangeError(`not an ISO 8601 repeating interval: ${text}`);
  const start = Date.parse(parts[1]);
  if (Number.isNaN(start)) throw new RangeError(`not an ISO 8601 date-time: ${parts[1]}`);
  const periodMs = parseIsoDuration(parts[2]);
  if (periodMs <= 0) throw new RangeError(`a repeating interval needs a positive period: ${text}`);
  return { start, periodMs };
}

/** The first scheduled run strictly after `now`, over all of a policy's intervals. */
export function nextScheduledRun(intervals: readonly string[], now: number): number | undefined {
  let best: number | undefined;
  for (const text of intervals) {
    const { start, periodMs } = parseRepeatingInterval(text);
    const next = now < start ? start : start + (Math.floor((now - start) / periodMs) + 1) * periodMs;
    if (best === undefined || next < best) best = next;
  }
  return best;
}

/** When a recovery point taken at `time` is deleted under a `deleteAfter` of `retention` (e.g. P7D). */
export function expiryOf(time: number, retention: string): number {
  return time + parseIsoDuration(retention);
}

export type Tier = 'operational' | 'vault';

/**
 * AKS backups sit in the operational tier (snapshots in the snapshot
 * resource group, state in a blob container); only the vault tier gets the
 * vault's redundancy. Data Protection names the stores OperationalStore /
 * VaultStore (and Snapshot / BackupStorage in some examples).
 */
export function tierOf(dataStoreType: string): Tier | undefined {
  const t = dataStoreType.toLowerCase();
  if (t === 'operationalstore' || t === 'snapshot') return 'operational';
  if (t === 'vaultstore' || t === 'backupstorage') return 'vault';
  return undefined;
}

export interface RpoInput {
  now: number;
  /** Time of the newest completed recovery point (the data a restore would bring back). */
  lastGoodAt?: number;
  nextRunAt?: number;
  /** The newest finished backup job failed. */
  lastAttemptFailed: boolean;
  /** A stopped cluster cannot be backed up, so the next run will fail. */
  clusterStopped: boolean;
  rpoMs?: number;
}

export interface RpoVerdict {
  status: RpoStatus;
  ageMs?: number;
  /** When the RPO is breached if no backup succeeds before. */
  deadline?: number;
  reasons: string[];
}

/**
 * Green: the last good backup is within the RPO and the next scheduled run is
 * due before the RPO runs out and nothing says it will fail. At risk: within
 * the RPO now, but the next run comes too late or is expected to fail.
 * Breached: no good backup within the RPO.
 */
export function rpoStatus(input: RpoInput): RpoVerdict {
  const rpo = input.rpoMs ?? RPO_MS;
  if (input.lastGoodAt === undefined) return { status: 'breached', reasons: ['no completed recovery point'] };
  const ageMs = Math.max(0, input.now - input.lastGoodAt);
  const deadline = input.lastGoodAt + rpo;
  if (ageMs > rpo) return { status: 'breached', ageMs, deadline, reasons: [`last good backup is older than the ${rpo / HOUR} h RPO`] };
  const reasons: string[] = [];
  if (input.clusterStopped) reasons.push('the cluster is stopped: Azure Backup cannot back up a stopped cluster');
  if (input.lastAttemptFailed) reasons.push('the last backup job failed');
  if (input.nextRunAt === undefined) reasons.push('no scheduled run');
  else if (input.nextRunAt > deadline) reasons.push('the next scheduled run is after the RPO runs out');
  return { status: reasons.length ? 'at-risk' : 'green', ageMs, deadline, reasons };
}

export type DrVerdict = 'recoverable' | 'not-recoverable' | 'unknown';

export interface DrCluster {
  key: string;
  name: string;
  power: 'Running' | 'Stopped' | 'Unknown';
  /** Pools as the topology sees them; undefined when the cluster could not be read. */
  pools?: { mode: 'System' | 'User'; priority: 'Regular' | 'Spot'; zones: string[]; replacesNodes: boolean }[];
  /** Newest completed recovery point still within retention; undefined when none; null when backup state is unknown. */
  recoveryPoint?: { time: number; tiers: Tier[] } | null;
}

export interface DrInput {
  clusters: DrCluster[];
  /** undefined when the vault could not be read. */
  vault?: { redundancy: string; crossRegionRestore: boolean };
}

export interface DrRow {
  id: 'spot-eviction' | 'zone-failure' | 'cluster-failure' | 'region-failure';
  scenario: string;
  method: string;
  rto: string;
  verdict: DrVerdict;
  reasons: string[];
}

function combine(results: { verdict: DrVerdict; reason?: string }[]): { verdict: DrVerdict; reasons: string[] } {
  const reasons = results.flatMap((r) => (r.reason ? [r.reason] : []));
  if (results.some((r) => r.verdict === 'not-recoverable')) return { verdict: 'not-recoverable', reasons };
  if (results.some((r) => r.verdict === 'unknown')) return { verdict: 'unknown', reasons };
  return { verdict: 'recoverable', reasons };
}

/** The DR table, row by row, given what is deployed and backed up right now. */
export function drTable(input: DrInput): DrRow[] {
  const running = input.clusters.filter((c) => c.power !== 'Stopped');

  const spot = combine(
    running.map((c) => {
      if (!c.pools) return { verdict: 'unknown' as const, reason: `${c.name}: topology unknown` };
      const spotPools = c.pools.filter((p) => p.priority === 'Spot');
      if (spotPools.length === 0) return { verdict: 'recoverable' as const };
      return spotPools.every((p) => p.replacesNodes)
        ? { verdict: 'recoverable' as const }
        : { verdict: 'not-recoverable' as const, reason: `${c.name}: a Spot pool has neither node auto-provisioning nor an autoscaler to replace evicted nodes` };
    }),
  );

  const zone = combine(
    running.map((c) => {
      if (!c.pools) return { verdict: 'unknown' as const, reason: `${c.name}: topology unknown` };
      const single = c.pools.filter((p) => p.zones.length < 2);
      return single.length === 0
        ? { verdict: 'recoverable' as const }
        : { verdict: 'not-recoverable' as const, reason: `${c.name}: ${single.length} pool(s) in fewer than two zones` };
    }),
  );

  const cluster = combine(
    input.clusters.map((c) => {
      if (c.recoveryPoint === null) return { verdict: 'unknown' as const, reason: `${c.name}: backup state unknown` };
      if (!c.recoveryPoint) return { verdict: 'not-recoverable' as const, reason: `${c.name}: no recovery point within retention` };
      return { verdict: 'recoverable' as const };
    }),
  );

  // Cross-Region Restore needs a GRS vault with CRR on, and recovery points in the vault tier.
  const region = combine([
    input.vault === undefined
      ? { verdict: 'unknown' as const, reason: 'vault unknown' }
      : input.vault.redundancy !== 'GeoRedundant'
        ? { verdict: 'not-recoverable' as const, reason: `vault is ${input.vault.redundancy}, not GeoRedundant (Cross-Region Restore is not applied in this environment)` }
        : !input.vault.crossRegionRestore
          ? { verdict: 'not-recoverable' as const, reason: 'Cross-Region Restore is disabled on the vault' }
          : { verdict: 'recoverable' as const },
    ...input.clusters.map((c) => {
      if (c.recoveryPoint === null) return { verdict: 'unknown' as const, reason: `${c.name}: backup state unknown` };
      if (!c.recoveryPoint?.tiers.includes('vault')) {
        return { verdict: 'not-recoverable' as const, reason: `${c.name}: no recovery point in the vault tier (the operational tier stays in the region)` };
      }
      return { verdict: 'recoverable' as const };
    }),
  ]);

  return [
    { id: 'spot-eviction', scenario: 'Spot eviction', method: 'Karpenter (NAP) or the autoscaler recreates the node', rto: '~5 min', ...spot },
    { id: 'zone-failure', scenario: 'Zone failure', method: 'Nodes recreated in the other zones; ingress fails over', rto: '~5 min', ...zone },
    { id: 'cluster-failure', scenario: 'AKS cluster failure', method: '`tofu apply` + AKS Backup restore', rto: '~30 min', ...cluster },
    { id: 'region-failure', scenario: 'Region failure', method: 'Cross-Region Restore (GRS vault only)', rto: '~1 h', ...region },
  ];
}
