import 'server-only';
import type { Actor } from '../auth';
import { restoreLatest } from '../backup';
import { CLUSTER_KEYS, clusterRef, type ClusterKey } from '../config';
import { isClusterKey } from '../domain/cluster';
import type { ScenarioCommand } from '../domain/scenario';
import { toUserError } from '../errors';
import { powerEnvironment } from '../power';
import { cordonZone, cordonZoneInput, evictSpotNode, getClusterZones, restoreZone, restoreZoneInput } from '../zones';
import { spotNodes } from './checks';

export interface CommandOutcome {
  ok: boolean;
  detail: string;
  /** Left for the checks (see ScenarioRun.memo). */
  memo?: Record<string, string[]>;
}

type Input = Record<string, string | boolean | number>;

const clusterOf = (input: Input): ClusterKey => {
  const c = String(input.cluster);
  if (!(CLUSTER_KEYS as readonly string[]).includes(c)) throw new Error(`"${c}" is not a cluster`);
  return c as ClusterKey;
};

const summary = (results: { cluster: string; outcome?: string; message?: string; reason?: string }[]): CommandOutcome => ({
  ok: !results.some((r) => r.outcome === 'failed'),
  detail: results.map((r) => `${isClusterKey(r.cluster) ? clusterRef(r.cluster).name : r.cluster}: ${r.message ?? r.reason ?? r.outcome}`).join('; ').slice(0, 1_000),
});

/**
 * What each scenario command runs: the same functions as the product's own
 * buttons (zone page, overview, backup page), so a step does on Azure exactly
 * what the button does. The presenter's action audits each step.
 */
const COMMANDS: Record<ScenarioCommand, (actor: Actor, input: Input) => Promise<CommandOutcome>> = {
  'zone.cordon': async (_actor, input) => summary(await cordonZone(cordonZoneInput.parse(input))),
  'zone.restore': async (_actor, input) => summary(await restoreZone(restoreZoneInput.parse(input))),
  'spot.evict': async (_actor, input) => {
    const cluster = clusterOf(input);
    // The Spot nodes before the eviction: the check waits for one that is not among them.
    const before = spotNodes(await getClusterZones(cluster));
    const r = await evictSpotNode({ cluster });
    return { ok: true, detail: r.message, memo: { [`spot:${cluster}`]: before } };
  },
  'backup.restore': async (actor, input) => {
    const r = await restoreLatest({ cluster: clusterOf(input) }, actor);
    return { ok: true, detail: r.message };
  },
  'cluster.sleep': async (actor, input) => summary(await powerEnvironment(actor, 'stop', [clusterOf(input)])),
  'cluster.wake': async (actor, input) => summary(await powerEnvironment(actor, 'start', [clusterOf(input)])),
  'cluster.stop': async (actor, input) => summary(await powerEnvironment(actor, 'stop', [clusterOf(input)])),
  'cluster.start': async (actor, input) => summary(await powerEnvironment(actor, 'start', [clusterOf(input)])),
};

/** Runs a step's command; a refusal or failure is an outcome with the product's own words, never a throw. */
export async function runCommand(actor: Actor, command: ScenarioCommand, input: Input): Promise<CommandOutcome> {
  try {
    return await COMMANDS[command](actor, input);
  } catch (err) {
    return { ok: false, detail: toUserError(err).message };
  }
}
