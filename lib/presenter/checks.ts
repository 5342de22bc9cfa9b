import 'server-only';
import { CLUSTER_KEYS, getConfig, type ClusterKey } from '../config';
import { probeVerdict, type ResolvedCheck, type ScenarioRun } from '../domain/scenario';
import type { ZoneCell } from '../domain/zones';
import { getRestoreStatus } from '../backup';
import { getPowerOverview } from '../power/plans';
import { getClusterZones, type ClusterZonesTile } from '../zones';

type Answer = { ok: boolean; detail: string };

const scope = (c: ResolvedCheck): ClusterKey[] => (c.cluster === 'all' ? [...CLUSTER_KEYS] : [c.cluster]);

/** Spot nodes of a cluster now (names), for the eviction's baseline. */
export function spotNodes(tile: ClusterZonesTile): string[] {
  return (tile.view?.cells ?? []).flatMap((c) => c.nodes.filter((n) => n.capacity === 'spot').map((n) => n.name));
}

/** The answer of one check over one cluster's zone view; why it fails, in words. */
function onCluster(check: ResolvedCheck, tile: ClusterZonesTile, run: ScenarioRun): Answer {
  if (tile.status === 'stopped' || tile.status === 'failed' || !tile.view) return { ok: false, detail: `${tile.name}: ${tile.error?.message ?? tile.status}` };
  const cells: ZoneCell[] = tile.view.cells;
  const nodes = cells.flatMap((c) => c.nodes);
  switch (check.kind) {
    case 'nodes-ready': {
      const usable = nodes.filter((n) => !n.cordoned);
      const notReady = usable.filter((n) => n.ready !== 'True');
      if (!usable.length) return { ok: false, detail: `${tile.name}: no schedulable node` };
      return notReady.length ? { ok: false, detail: `${tile.name}: ${notReady.length} node(s) not Ready` } : { ok: true, detail: `${tile.name}: ${usable.length} nodes Ready` };
    }
    case 'pods-running': {
      const notReady = cells.reduce((n, c) => n + c.pods.notReady, 0);
      const pending = tile.view.pending.length;
      const running = cells.reduce((n, c) => n + c.pods.running, 0);
      if (pending || notReady) return { ok: false, detail: `${tile.name}: ${pending} Pending, ${notReady} not Ready` };
      return { ok: true, detail: `${tile.name}: ${running} pods Running` };
    }
    case 'gateways-ready': {
      if (!tile.view.hasGateways) return { ok: true, detail: `${tile.name}: no ingress gateway` };
      const ready = cells.reduce((n, c) => n + c.gateways.ready, 0);
      const total = cells.reduce((n, c) => n + c.gateways.total, 0);
      return ready === total && ready > 0 ? { ok: true, detail: `${tile.name}: ${ready} gateways Ready in zones ${tile.view.gatewayZones.join(', ')}` } : { ok: false, detail: `${tile.name}: ${ready} of ${total} gateways Ready` };
    }
    case 'zone-drained': {
      const cell = cells.find((c) => c.zone === check.zone);
      const left = cell ? cell.pods.running + cell.pods.notReady : 0;
      return left ? { ok: false, detail: `${tile.name}: ${left} pod(s) still in zone ${check.zone}` } : { ok: true, detail: `${tile.name}: zone ${check.zone} empty` };
    }
    case 'spot-replaced': {
      const before = new Set(run.memo[`spot:${tile.key}`] ?? []);
      const fresh = nodes.filter((n) => n.capacity === 'spot' && !before.has(n.name) && n.ready === 'True' && !n.cordoned);
      return fresh.length ? { ok: true, detail: `${tile.name}: ${fresh.map((n) => n.name).join(', ')} Ready` } : { ok: false, detail: `${tile.name}: no new Spot node Ready yet` };
    }
    default:
      return { ok: false, detail: `${check.kind} is not read from the zone view` };
  }
}

/** Combines per-cluster answers: ok when all are. */
const all = (answers: Answer[]): Answer => ({ ok: answers.every((a) => a.ok), detail: answers.map((a) => a.detail).join('; ') });

/**
 * Reads the checks a run needs now. The zone views come from the watch-fed
 * caches the zone page uses (no extra upstream call per check); power from
 * the power overview; the probe from the run's own samples. A check whose
 * source fails is answered "failed", with the reason, and the others are
 * still read.
 */
export async function readChecks(checks: ResolvedCheck[], run: ScenarioRun): Promise<Record<string, Answer>> {
  const needZones = [...new Set(checks.filter((c) => !['power', 'probe', 'restore-succeeded'].includes(c.kind)).flatMap(scope))];
  const tiles = new Map((await Promise.all(needZones.map(getClusterZones))).map((t) => [t.key, t]));
  // Read once for every power check, and only when one needs it; a failure answers those checks only.
  const power = checks.some((c) => c.kind === 'power') ? getPowerOverview() : undefined;
  const answers: Record<string, Answer> = {};
  for (const check of checks) {
    try {
      if (check.kind === 'probe') answers[check.key] = getConfig().demoAppUrl ? probeVerdict(run.probes) : { ok: false, detail: 'no public entry to probe: set DEMO_APP_URL' };
      else if (check.kind === 'power') {
        const views = (await power!).clusters.filter((c) => scope(check).includes(c.key));
        answers[check.key] = all(views.map((v) => {
          const phase = v.down?.phase ?? v.up?.phase ?? 'unknown';
          const down = phase === 'stopped' || phase === 'asleep';
          const ok = check.phase === 'down' ? down : phase === 'running';
          return { ok, detail: `${v.name}: ${phase}` };
        }));
      } else if (check.kind === 'restore-succeeded') {
        // The cluster's latest restore: the one this run started from this process, its job read directly.
        const states = await Promise.all(scope(check).map(getRestoreStatus));
        answers[check.key] = all(states.map((r) => ({ ok: r.state === 'succeeded', detail: r.message })));
      } else answers[check.key] = all(scope(check).map((k) => onCluster(check, tiles.get(k)!, run)));
    } catch (err) {
      answers[check.key] = { ok: false, detail: `could not be read: ${(err as Error).message}`.slice(0, 300) };
    }
  }
  return answers;
}
