import { describe, expect, it } from 'vitest';
import {
  drTable,
  expiryOf,
  nextScheduledRun,
  parseIsoDuration,
  parseRepeatingInterval,
  rpoStatus,
  tierOf,
  type DrCluster,
  type DrInput,
  type RpoInput,
} from './backup';

const H = 3_600_000;
const D = 24 * H;
const T = (iso: string) => Date.parse(iso);
const DAILY_0200 = 'R/2026-01-01T02:00:00+00:00/P1D';

describe('parseIsoDuration', () => {
  it.each<[string, number]>([
    ['P7D', 7 * D],
    ['P1W', 7 * D],
    ['PT4H', 4 * H],
    ['P1DT2H30M', D + 2.5 * H],
    ['PT90S', 90_000],
    ['PT0.5S', 500],
  ])('%s → %d ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each(['P', 'PT', '7D', 'P1M', 'P1Y', 'P1DT', ''])('refuses %j', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(RangeError);
  });
});

describe('parseRepeatingInterval', () => {
  it('reads the policy schedule of infra/locals.tf', () => {
    expect(parseRepeatingInterval(DAILY_0200)).toEqual({ start: T('2026-01-01T02:00:00Z'), periodMs: D });
  });
  it.each(['2026-01-01T02:00:00Z/P1D', 'R/not-a-date/P1D', 'R/2026-01-01T02:00:00Z/PT0S'])('refuses %j', (text) => {
    expect(() => parseRepeatingInterval(text)).toThrow(RangeError);
  });
});

describe('nextScheduledRun (the architecture asks for a daily backup at 02:00 UTC)', () => {
  it.each<[string, string, string[], string | undefined]>([
    ['before the first occurrence', '2025-12-31T23:00:00Z', [DAILY_0200], '2026-01-01T02:00:00.000Z'],
    ['an hour before the daily run', '2026-11-26T01:00:00Z', [DAILY_0200], '2026-11-26T02:00:00.000Z'],
    ['exactly at a run: the next one', '2026-11-26T02:00:00Z', [DAILY_0200], '2026-11-27T02:00:00.000Z'],
    ['just after a run', '2026-11-26T02:00:01Z', [DAILY_0200], '2026-11-27T02:00:00.000Z'],
    ['a KST offset in the interval', '2026-11-26T03:00:00Z', ['R/2026-01-01T11:00:00+09:00/P1D'], '2026-11-27T02:00:00.000Z'],
    ['the earliest of two intervals', '2026-11-26T03:00:00Z', [DAILY_0200, 'R/2026-01-01T14:00:00Z/P1D'], '2026-11-26T14:00:00.000Z'],
    ['no interval', '2026-11-26T03:00:00Z', [], undefined],
  ])('%s', (_name, now, intervals, expected) => {
    const next = nextScheduledRun(intervals, T(now));
    expect(next === undefined ? undefined : new Date(next).toISOString()).toBe(expected);
  });
});

describe('retention and tier', () => {
  it.each<[string, string, string]>([
    ['2026-11-20T02:00:05Z', 'P7D', '2026-11-27T02:00:05.000Z'],
    ['2026-11-20T02:00:05Z', 'P1W', '2026-11-27T02:00:05.000Z'],
    ['2026-11-20T02:00:05Z', 'P30D', '2026-12-20T02:00:05.000Z'],
  ])('a point taken %s under %s expires %s', (time, retention, expiry) => {
    expect(new Date(expiryOf(T(time), retention)).toISOString()).toBe(expiry);
  });

  it.each<[string, ReturnType<typeof tierOf>]>([
    ['OperationalStore', 'operational'],
    ['Snapshot', 'operational'],
    ['VaultStore', 'vault'],
    ['BackupStorage', 'vault'],
    ['ArchiveStore', undefined],
  ])('%s → %s (data store type to backup tier: operational or vault)', (store, tier) => {
    expect(tierOf(store)).toBe(tier);
  });
});

describe('rpoStatus (RPO 24 h, as the architecture asks)', () => {
  const now = T('2026-11-26T12:00:00Z');
  const base: RpoInput = {
    now,
    lastGoodAt: T('2026-11-26T02:00:05Z'),
    nextRunAt: T('2026-11-27T02:00:00Z'),
    lastAttemptFailed: false,
    clusterStopped: false,
  };
  it.each<[string, Partial<RpoInput>, ReturnType<typeof rpoStatus>['status'], RegExp | undefined]>([
    ['ten hours old, next run in time', {}, 'green', undefined],
    ['no recovery point at all', { lastGoodAt: undefined }, 'breached', /no completed recovery point/],
    ['exactly 24 h old', { lastGoodAt: now - 24 * H, nextRunAt: now + H }, 'at-risk', /after the RPO/],
    ['24 h and a second old', { lastGoodAt: now - 24 * H - 1000 }, 'breached', /older than the 24 h RPO/],
    ['last job failed', { lastAttemptFailed: true }, 'at-risk', /last backup job failed/],
    ['cluster stopped', { clusterStopped: true }, 'at-risk', /stopped/],
    ['next run after the deadline', { lastGoodAt: T('2026-11-26T01:00:00Z') }, 'at-risk', /after the RPO/],
    ['next run exactly at the deadline', { lastGoodAt: T('2026-11-26T02:00:00Z') }, 'green', undefined],
    ['no schedule', { nextRunAt: undefined }, 'at-risk', /no scheduled run/],
    ['stopped and breached: breached wins', { clusterStopped: true, lastGoodAt: now - 30 * H }, 'breached', /older/],
  ])('%s → %s', (_name, over, status, reason) => {
    const v = rpoStatus({ ...base, ...over });
    expect(v.status).toBe(status);
    if (reason) expect(v.reasons.join('; ')).toMatch(reason);
    else expect(v.reasons).toEqual([]);
  });

  it('reports age and deadline', () => {
    const v = rpoStatus(base);
    expect(v.ageMs).toBe(now - base.lastGoodAt!);
    expect(v.deadline).toBe(base.lastGoodAt! + 24 * H);
  });
});

describe('drTable (DR scenarios of the architecture against the current state)', () => {
  const pools = (over: Partial<NonNullable<DrCluster['pools']>[number]> = {}): DrCluster['pools'] => [
    { mode: 'System', priority: 'Regular', zones: ['1', '2', '3'], replacesNodes: false },
    { mode: 'User', priority: 'Spot', zones: ['1', '2', '3'], replacesNodes: true, ...over },
  ];
  const rp = { time: T('2026-11-26T02:00:05Z'), tiers: ['operational' as const] };
  const healthy = (): DrInput => ({
    clusters: ['mgmt', 'app1', 'app2'].map((k) => ({ key: k, name: `aks-${k}`, power: 'Running', pools: pools(), recoveryPoint: rp })),
    vault: { redundancy: 'ZoneRedundant', crossRegionRestore: false },
  });
  const verdicts = (input: DrInput) => Object.fromEntries(drTable(input).map((r) => [r.id, r.verdict]));

  it.each<[string, (i: DrInput) => void, Record<string, string>]>([
    ['as deployed (ZRS vault, no Cross-Region Restore)', () => {}, { 'spot-eviction': 'recoverable', 'zone-failure': 'recoverable', 'cluster-failure': 'recoverable', 'region-failure': 'not-recoverable' }],
    ['a Spot pool nothing replaces', (i) => void (i.clusters[1].pools = pools({ replacesNodes: false })), { 'spot-eviction': 'not-recoverable' }],
    ['a pool in one zone', (i) => void (i.clusters[2].pools = pools({ zones: ['1'] })), { 'zone-failure': 'not-recoverable' }],
    ['a stopped cluster has nothing to evict or move', (i) => void Object.assign(i.clusters[2], { power: 'Stopped', pools: pools({ zones: ['1'], replacesNodes: false }) }), { 'spot-eviction': 'recoverable', 'zone-failure': 'recoverable' }],
    ['topology unreadable', (i) => void (i.clusters[0].pools = undefined), { 'spot-eviction': 'unknown', 'zone-failure': 'unknown' }],
    ['one cluster without a recovery point', (i) => void (i.clusters[0].recoveryPoint = undefined), { 'cluster-failure': 'not-recoverable' }],
    ['backup state unreadable', (i) => void (i.clusters[0].recoveryPoint = null), { 'cluster-failure': 'unknown' }],
    ['GRS + CRR + vault-tier points', (i) => {
      i.vault = { redundancy: 'GeoRedundant', crossRegionRestore: true };
      for (const c of i.clusters) c.recoveryPoint = { time: rp.time, tiers: ['operational', 'vault'] };
    }, { 'region-failure': 'recoverable' }],
    ['GRS + CRR but operational tier only (see "Where backups live" in docs/azure-differences.md)', (i) => void (i.vault = { redundancy: 'GeoRedundant', crossRegionRestore: true }), { 'region-failure': 'not-recoverable' }],
    ['GRS without CRR', (i) => {
      i.vault = { redundancy: 'GeoRedundant', crossRegionRestore: false };
      for (const c of i.clusters) c.recoveryPoint = { time: rp.time, tiers: ['vault'] };
    }, { 'region-failure': 'not-recoverable' }],
    ['vault unreadable, points in vault tier', (i) => {
      i.vault = undefined;
      for (const c of i.clusters) c.recoveryPoint = { time: rp.time, tiers: ['vault'] };
    }, { 'region-failure': 'unknown' }],
  ])('%s', (_name, change, expected) => {
    const input = healthy();
    change(input);
    expect(verdicts(input)).toMatchObject(expected);
  });

  it('names the clusters and reasons that decide a verdict', () => {
    const input = healthy();
    input.clusters[1].recoveryPoint = undefined;
    const row = drTable(input).find((r) => r.id === 'cluster-failure')!;
    expect(row.reasons).toEqual(['aks-app1: no recovery point within retention']);
    expect(row.rto).toBe('~30 min');
    expect(drTable(healthy()).find((r) => r.id === 'region-failure')!.reasons[0]).toMatch(/ZoneRedundant, not GeoRedundant/);
  });
});
