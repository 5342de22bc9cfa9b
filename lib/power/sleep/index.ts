import 'server-only';
import { randomUUID } from 'node:crypto';
import { CLUSTER_KEYS, type ClusterKey } from '../../config';
import { getDb } from '../../db';
import { sharedReads } from '../../cache/shared-read';
import {
  memoryBeforeSleep, planCluster,
  type ClusterPlan, type Direction, type LiveCluster, type PlanOptions, type PlanStep, type SleepMemory,
} from '../../domain/power-plan';
import { AppError, toUserError } from '../../errors';
import { invalidateCluster } from '../../topology';
import type { Actor } from '../../auth';
import { readLiveCluster } from './live';
import { runStep } from './steps';
import { Interrupted, timing } from './timing';

export { NAP_LABEL, readLiveCluster, readNapState, runsOnSpot } from './live';
export { configureSleep } from './timing';

/**
 * Sleep and wake of a NAP cluster, run step by step from a plan
 * (`domain/power-plan`): the runs here, the live reads in `live`, one
 * handler per kind of step in `steps`. Every step is idempotent and the run — its steps
 * and what the sleep remembered — is kept in the PowerRun table after each
 * step, so that a run interrupted by a crash or a restart is taken up again
 * at the next start (`resumePowerRuns`) and completed; if it cannot be, it ends
 * Failed with the reason and the cluster shows as partially asleep, where the
 * next power-down completes it and the next power-up undoes it.
 */
export type StepStatus = 'pending' | 'running' | 'done' | 'failed';
export interface RunStep extends PlanStep {
  status: StepStatus;
  detail?: string;
  startedAt?: string;
  finishedAt?: string;
}

export type RunStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface PowerRunView {
  id: string;
  cluster: string;
  direction: Direction;
  strategy: string;
  status: RunStatus;
  steps: RunStep[];
  memory: SleepMemory;
  actorName: string;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

type Row = Awaited<ReturnType<ReturnType<typeof getDb>['powerRun']['findFirst']>>;
function view(r: NonNullable<Row>): PowerRunView {
  return { ...r, direction: r.direction as Direction, status: r.status as RunStatus, steps: JSON.parse(r.steps) as RunStep[], memory: JSON.parse(r.memory) as SleepMemory };
}

export async function listPowerRuns(limit = 20): Promise<PowerRunView[]> {
  return (await getDb().powerRun.findMany({ orderBy: { startedAt: 'desc' }, take: limit })).map(view);
}

/**
 * What the cluster's last sleep remembered, as long as no wake has completed
 * since: wake restores it; a repeated or resumed sleep keeps its first record.
 */
export async function openSleepMemory(key: ClusterKey): Promise<SleepMemory | null> {
  const last = await getDb().powerRun.findFirst({ where: { cluster: key }, orderBy: { startedAt: 'desc' } });
  if (!last) return null;
  if (last.direction === 'wake' && last.status === 'Succeeded') return null;
  return JSON.parse(last.memory) as SleepMemory;
}

export async function planFor(key: ClusterKey, direction: Direction, options: PlanOptions): Promise<{ plan: ClusterPlan; live: LiveCluster; memory: SleepMemory | null }> {
  const [live, memory] = await Promise.all([readLiveCluster(key), openSleepMemory(key)]);
  return { plan: planCluster(live, direction, memory, options), live, memory };
}

/**
 * Starts a sleep or wake run for a plan and follows it in the background.
 * Refuses while another run of the same cluster is in progress.
 */
export async function startPowerRun(actor: Actor, plan: ClusterPlan, live: LiveCluster, memory: SleepMemory | null, options: { follow?: boolean } = {}): Promise<string> {
  if (plan.action !== 'sleep' && plan.action !== 'wake') throw new AppError('validation', `Not a sleep or wake plan (${plan.action}).`, 'NotASleepPlan');
  const db = getDb();
  const running = await db.powerRun.findFirst({ where: { cluster: plan.key, status: 'InProgress' } });
  if (running) throw new AppError('conflict', `A ${running.direction} of ${plan.key} is already in progress (started by ${running.actorName}).`, 'PowerRunInProgress');
  const remembered: SleepMemory =
    plan.action === 'sleep' ? memoryBeforeSleep(live, memory) : (memory ?? { tier: 'Standard', pools: {}, napLimits: null, replicas: {} });
  const now = new Date();
  const id = randomUUID();
  const steps: RunStep[] = plan.steps.map((s) => ({ ...s, status: 'pending' }));
  await db.powerRun.create({
    data: { id, cluster: plan.key, direction: plan.action, strategy: plan.strategy, status: 'InProgress', steps: JSON.stringify(steps), memory: JSON.stringify(remembered), actorName: actor.name, startedAt: now, updatedAt: now },
  });
  invalidateCluster(plan.key as ClusterKey);
  if (options.follow !== false) void executePowerRun(id).catch((err: unknown) => console.error('power run', id, err));
  return id;
}

/**
 * Runs the remaining steps of a run. `signal` stands for the process going
 * away (tests): the run is then left InProgress in the database, exactly as a
 * crash leaves it.
 */
export async function executePowerRun(id: string, options: { signal?: AbortSignal; afterStep?: (stepId: string) => void } = {}): Promise<RunStatus> {
  const db = getDb();
  const row = await db.powerRun.findUnique({ where: { id } });
  if (!row) throw new Error(`no power run ${id}`);
  const run = view(row);
  const key = run.cluster as ClusterKey;
  const save = (data: Partial<{ status: RunStatus; error: string | null; finishedAt: Date }> = {}) =>
    db.powerRun.update({ where: { id }, data: { steps: JSON.stringify(run.steps), memory: JSON.stringify(run.memory), updatedAt: new Date(), ...data } });
  // The heartbeat tells other instances (and this one after a restart) that the run is alive.
  const heartbeat = setInterval(() => {
    if (!options.signal?.aborted) void db.powerRun.updateMany({ where: { id, status: 'InProgress' }, data: { updatedAt: new Date() } }).catch(() => undefined);
  }, timing().heartbeatMs);
  heartbeat.unref();
  try {
    for (const s of run.steps) {
      if (s.status === 'done') continue;
      options.signal?.throwIfAborted();
      s.status = 'running';
      s.startedAt ??= new Date().toISOString();
      await save();
      try {
        s.detail = await runStep(key, s.action, run.memory, { signal: options.signal, persist: () => save() });
      } catch (err) {
        if (err instanceof Interrupted || options.signal?.aborted) throw err;
        s.status = 'failed';
        s.detail = toUserError(err).message;
        s.finishedAt = new Date().toISOString();
        await save({ status: 'Failed', error: `${s.label}: ${s.detail}`, finishedAt: new Date() });
        return 'Failed';
      } finally {
        invalidateCluster(key);
        sharedReads().invalidate(`power-k8s:${key}`);
      }
      s.status = 'done';
      s.finishedAt = new Date().toISOString();
      await save();
      options.afterStep?.(s.id);
    }
    await save({ status: 'Succeeded', error: null, finishedAt: new Date() });
    return 'Succeeded';
  } catch (err) {
    if (err instanceof Interrupted || options.signal?.aborted) return 'InProgress';
    throw err;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Sleeps and wakes that were in progress when the server stopped: each is
 * taken up again at its current step (every step is idempotent) and completed;
 * one that cannot be ends Failed with the reason, never silently half done.
 */
export async function resumePowerRuns(): Promise<number> {
  const open = await getDb().powerRun.findMany({ where: { status: 'InProgress' } });
  const { staleMs } = timing();
  let taken = 0;
  let alive = 0;
  let ended = 0;
  for (const r of open) {
    // A fresh heartbeat: another instance is running it (or this process died a moment ago): look again later.
    if (Date.now() - r.updatedAt.getTime() < staleMs) {
      alive += 1;
      continue;
    }
    if (!(CLUSTER_KEYS as readonly string[]).includes(r.cluster)) {
      // Environment-level runs (Bastion, rebuild) follow one ARM operation or job each: not resumed, said so.
      await getDb().powerRun.update({ where: { id: r.id }, data: { status: 'Failed', error: 'Interrupted by a restart of the dashboard; run it again (it is idempotent).', finishedAt: new Date(), updatedAt: new Date() } });
      ended += 1;
      continue;
    }
    // Claim it: of several instances starting together, only the one whose update lands resumes it.
    const claimed = await getDb().powerRun.updateMany({ where: { id: r.id, status: 'InProgress', updatedAt: r.updatedAt }, data: { updatedAt: new Date() } });
    if (claimed.count === 0) continue;
    taken += 1;
    const steps = JSON.parse(r.steps) as RunStep[];
    const current = steps.find((s) => s.status !== 'done');
    console.info(`resuming ${r.direction} of ${r.cluster} at "${current?.label ?? 'the end'}"`);
    void executePowerRun(r.id).catch((err: unknown) =>
      getDb().powerRun.update({ where: { id: r.id }, data: { status: 'Failed', error: `Could not resume after restart: ${toUserError(err).message}`, finishedAt: new Date(), updatedAt: new Date() } }).catch(() => undefined),
    );
  }
  if (alive > 0) setTimeout(() => void resumePowerRuns().catch((err: unknown) => console.error('could not resume power runs', err)), staleMs).unref();
  return taken + ended;
}

