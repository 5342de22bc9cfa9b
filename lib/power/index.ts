import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getAzureClients } from '../azure';
import { CLUSTER_KEYS, clusterRef, type ClusterKey } from '../config';
import { getDb } from '../db';
import { isAppError, translateAzureError, toUserError } from '../errors';
import { getClusterTile, invalidateCluster } from '../topology';
import type { Actor } from '../auth';
import { planFor, resumePowerRuns, startPowerRun } from './sleep';

export { listPowerRuns, planFor, readLiveCluster, resumePowerRuns, executePowerRun, startPowerRun, configureSleep, type PowerRunView, type RunStep } from './sleep';

/**
 * Stop and start through AKS's own long-running operations. The command
 * returns once ARM has accepted (202); the operation is then followed in the
 * background by the SDK's poller, its progress kept in the database so that a
 * restart resumes following it.
 */
export const clusterInput = z.object({ cluster: z.enum(CLUSTER_KEYS) });
export const environmentInput = z.object({});

export type PowerKind = 'stop' | 'start';

export interface PowerAccepted {
  cluster: ClusterKey;
  outcome: 'accepted';
  operationId: string;
}

export interface PowerSkipped {
  cluster: ClusterKey;
  outcome: 'no-op' | 'skipped' | 'failed';
  reason: string;
  /** For failures: throttled (429) or an upstream 5xx/unreachable, worth trying again. */
  retryable?: boolean;
}

type Poller = { pollUntilDone(): Promise<unknown> };

async function beginPower(kind: PowerKind, key: ClusterKey): Promise<Poller> {
  const ref = clusterRef(key);
  const { containerService, pollIntervalMs } = getAzureClients();
  const options = { updateIntervalInMs: pollIntervalMs };
  try {
    return kind === 'stop'
      ? await containerService.managedClusters.beginStop(ref.resourceGroup, ref.name, options)
      : await containerService.managedClusters.beginStart(ref.resourceGroup, ref.name, options);
  } catch (err) {
    throw translateAzureError(err);
  }
}

function follow(operationId: string, key: ClusterKey, poller: Poller): void {
  const db = getDb();
  void poller
    .pollUntilDone()
    .then(() => db.operation.update({ where: { id: operationId }, data: { status: 'Succeeded', finishedAt: new Date(), updatedAt: new Date() } }))
    .catch((err: unknown) => {
      const e = translateAzureError(err);
      return db.operation.update({
        where: { id: operationId },
        data: { status: 'Failed', error: toUserError(e).message, finishedAt: new Date(), updatedAt: new Date() },
      });
    })
    .catch((err: unknown) => console.error('could not record operation result', err))
    .finally(() => invalidateCluster(key));
}

/** Stops or starts one cluster; AKS's refusal comes back as an `AppError` of kind `refused`. */
export async function powerCluster(actor: Actor, kind: PowerKind, key: ClusterKey): Promise<PowerAccepted> {
  const poller = await beginPower(kind, key);
  invalidateCluster(key);
  const now = new Date();
  const id = randomUUID();
  await getDb().operation.create({
    data: { id, kind, target: key, status: 'InProgress', startedAt: now, updatedAt: now, actorName: actor.name },
  });
  follow(id, key, poller);
  return { cluster: key, outcome: 'accepted', operationId: id };
}

/** Environment-wide choices for a power-down; the scheduler and the budget guard use the defaults. */
export interface PowerOptions {
  /** NAP clusters sleep on the Free tier (control plane free, no uptime SLA while asleep). */
  freeTierWhileAsleep?: boolean;
}

/**
 * The whole environment ("power down" / "power up"): every cluster in
 * parallel, each on its own plan — AKS stop/start where AKS allows it (mode
 * Manual), sleep/wake where it does not (NAP). A cluster already in the
 * target state is a no-op; one cluster's failure never stops the others.
 */
export async function powerEnvironment(
  actor: Actor,
  kind: PowerKind,
  clusters: readonly ClusterKey[] = CLUSTER_KEYS,
  options: PowerOptions = {},
): Promise<(PowerAccepted | PowerSkipped)[]> {
  const results = await Promise.allSettled(
    clusters.map(async (key): Promise<PowerAccepted | PowerSkipped> => {
      invalidateCluster(key);
      const tile = await getClusterTile(key);
      if (!tile.view || tile.status !== 'ok') {
        const kind = tile.error?.kind;
        return { cluster: key, outcome: 'failed', reason: tile.error?.message ?? 'cluster state unknown', retryable: kind === 'throttled' || kind === 'upstream' };
      }
      const v = tile.view;
      if (v.nodeProvisioningMode === 'Auto' && v.powerState === 'Running') return sleepOrWake(actor, kind, key, options);
      const target = kind === 'stop' ? 'Stopped' : 'Running';
      if (v.powerState === target && !v.busy) return { cluster: key, outcome: 'no-op', reason: `already ${target.toLowerCase()}` };
      const permitted = kind === 'stop' ? v.stop : v.start;
      if (!permitted.allowed) return { cluster: key, outcome: 'skipped', reason: permitted.reason ?? 'not allowed' };
      return powerCluster(actor, kind, key);
    }),
  );
  return results.map((r, i) => {
    if (r.status === 'fulfilled') return r.value;
    const e = toUserError(r.reason);
    return { cluster: clusters[i], outcome: 'failed', reason: e.message, retryable: e.kind === 'throttled' || e.kind === 'upstream' };
  });
}

/** A NAP cluster: AKS refuses stop, so power down = sleep, power up = wake, per its plan. */
async function sleepOrWake(actor: Actor, kind: PowerKind, key: ClusterKey, options: PowerOptions): Promise<PowerAccepted | PowerSkipped> {
  const { plan, live, memory } = await planFor(key, kind === 'stop' ? 'down' : 'up', { freeTierWhileAsleep: options.freeTierWhileAsleep ?? false });
  if (plan.action === 'none') return { cluster: key, outcome: 'no-op', reason: plan.reason };
  if (plan.action === 'stop' || plan.action === 'start') return powerCluster(actor, plan.action, key);
  try {
    const operationId = await startPowerRun(actor, plan, live, memory);
    return { cluster: key, outcome: 'accepted', operationId };
  } catch (err) {
    // Another sleep or wake of this cluster is running: not a failure, it is already on its way.
    if (isAppError(err) && err.code === 'PowerRunInProgress') return { cluster: key, outcome: 'skipped', reason: err.message };
    throw err;
  }
}

/**
 * Operations that were in progress when the server stopped. The SDK's
 * `resumeFrom` re-sends the initial POST (seen against the twin), which AKS
 * refuses while the first one runs, so the cluster itself is watched instead:
 * once its provisioningState settles, the row records whether it reached the target.
 */
export async function resumeOperations(): Promise<number> {
  const db = getDb();
  // Sleeps and wakes interrupted by the restart are taken up again at their current step.
  const runs = await resumePowerRuns();
  const open = await db.operation.findMany({ where: { status: 'InProgress' } });
  for (const op of open) {
    const key = op.target as ClusterKey;
    if (!CLUSTER_KEYS.includes(key) || (op.kind !== 'stop' && op.kind !== 'start')) {
      await db.operation.update({ where: { id: op.id }, data: { status: 'Interrupted', error: 'Unknown operation; not resumed.', updatedAt: new Date() } });
      continue;
    }
    void watchUntilSettled(op.id, key, op.kind);
  }
  return open.length + runs;
}

const SETTLE_LIMIT_MS = 30 * 60_000;

async function watchUntilSettled(operationId: string, key: ClusterKey, kind: PowerKind): Promise<void> {
  const db = getDb();
  const ref = clusterRef(key);
  const { containerService, pollIntervalMs } = getAzureClients();
  const target = kind === 'stop' ? 'Stopped' : 'Running';
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  const finish = (status: string, error: string | null) =>
    db.operation.update({ where: { id: operationId }, data: { status, error, finishedAt: new Date(), updatedAt: new Date() } });
  try {
    for (;;) {
      const c = await containerService.managedClusters.get(ref.resourceGroup, ref.name);
      if (c.provisioningState !== 'Stopping' && c.provisioningState !== 'Starting') {
        if (c.powerState?.code === target) await finish('Succeeded', null);
        else await finish('Interrupted', `After a restart the cluster was ${c.powerState?.code ?? 'in an unknown state'} (${c.provisioningState}), not ${target}.`);
        return;
      }
      if (Date.now() > deadline) return void (await finish('Interrupted', 'Still in progress 30 minutes after a restart.'));
      await new Promise((r) => setTimeout(r, pollIntervalMs));
    }
  } catch (err) {
    const e = translateAzureError(err);
    await finish('Interrupted', `Could not resume after restart: ${toUserError(e).message}`).catch(() => undefined);
  } finally {
    invalidateCluster(key);
  }
}

export async function listOperations(limit = 20) {
  return getDb().operation.findMany({ orderBy: { startedAt: 'desc' }, take: limit });
}
