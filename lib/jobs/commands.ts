import 'server-only';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Actor } from '../auth';
import { roleAtLeast } from '../auth/roles';
import { getConfig } from '../config';
import { getDb } from '../db';
import { addonApplyRefusal, type AddonPlanSummary } from '../domain/addon-plan';
import { AppError } from '../errors';
import { addonInputs, addonReleases, pinsOf } from './addons';
import { jobRequestSchema, jobSpec, type JobRequest } from './catalog';
import { secretValues } from './env';
import { environmentName, INSTANCE, jobsOptions, running, type JobsOptions } from './instance';
import { acquireLock, currentLock, FINISHED, forceReleaseLock, type LockHeld } from './lock';
import { JobLog, jobEvents } from './log';
import type { PlanSummary } from './plan';
import { isAlive } from './queries';
import { Redactor } from './redact';
import { execute } from './runner';

/** What changes jobs: start, cancel, force unlock, and the recovery of jobs a stopped server left open. */

function secrets(o: JobsOptions): string[] {
  const auth = getConfig().auth.credential;
  return [...secretValues(o.sourceEnv), ...(auth.kind === 'secret' ? [auth.secret] : [])];
}

export const cancelInput = z.object({ jobId: z.string().uuid() });

function lockMessage(held: LockHeld): string {
  return `Another job holds the lock on ${held.environment}: started by ${held.holder} at ${held.since.toISOString()} (job ${held.jobId}). Wait for it to finish, or cancel it.`;
}

/**
 * Starts a job; returns its id at once (the job runs in the background). Refuses with
 * `conflict` when a mutating job holds the environment's lock, and with `refused`/`validation`
 * when the request does not hold (unknown plan, wrong confirmation).
 */
export async function startJob(actor: Actor, raw: JobRequest): Promise<{ jobId: string; simulated: boolean }> {
  const req = jobRequestSchema.parse(raw);
  const o = jobsOptions();
  const db = getDb();
  const spec = jobSpec(req);
  const environment = environmentName();
  const simulated = o.simulate && spec.simulatedOnTwin;
  if (spec.mutating && !roleAtLeast(actor.role, 'Admin')) throw new AppError('forbidden', `${spec.title} needs the Admin role.`);
  let savedPlan: PlanSummary | AddonPlanSummary | undefined;
  if (req.kind === 'tofu-destroy' && req.confirm !== environment) {
    throw new AppError('validation', `Type the environment's name (${environment}) to confirm the destroy.`);
  }
  if (req.kind === 'tofu-apply') {
    const plan = await db.job.findUnique({ where: { id: req.planJobId } });
    if (!plan || plan.kind !== 'tofu-plan') throw new AppError('not_found', 'No such plan.');
    if (plan.status !== 'succeeded' || !plan.summary) throw new AppError('refused', 'Only a plan that succeeded can be applied.');
    if (plan.simulated !== simulated) throw new AppError('refused', 'This plan was made for the other target.');
    if (await db.job.count({ where: { planJobId: plan.id, status: { in: ['queued', 'running', 'succeeded'] } } })) {
      throw new AppError('refused', 'This plan was already applied; plan again.');
    }
    if (!simulated && !existsSync(join(o.planDir, `${plan.id}.tfplan`))) throw new AppError('refused', 'The saved plan file is gone; plan again.');
    savedPlan = JSON.parse(plan.summary) as PlanSummary;
  }
  // An add-on that infra/ does not install with Helm on that cluster is refused before anything runs.
  if (req.kind === 'addon-plan') await addonReleases(o.infraDir, req.cluster, req.addon);
  if (req.kind === 'addon-apply') savedPlan = await reviewedAddonPlan(req, simulated);

  const id = randomUUID();
  const now = new Date();
  await db.job.create({
    data: {
      id, kind: req.kind, args: JSON.stringify(req), environment, mutating: spec.mutating, simulated, status: 'queued',
      actorName: actor.name, instance: INSTANCE, planJobId: req.kind === 'tofu-apply' || req.kind === 'addon-apply' ? req.planJobId : null, lineCount: 0, createdAt: now,
    },
  });
  if (spec.mutating) {
    const lock = await acquireLock(db, { environment, jobId: id, holder: actor.name, instance: INSTANCE });
    if (!lock.ok) {
      await db.job.delete({ where: { id } });
      throw new AppError('conflict', lockMessage(lock.held), 'JobLocked');
    }
  }
  const log = new JobLog(db, id, new Redactor(secrets(o)), { flushMs: o.flushMs });
  void execute(id, req, spec, simulated, savedPlan, log, o).catch((err: unknown) => console.error(`job ${id} failed unexpectedly`, err));
  return { jobId: id, simulated };
}

/**
 * The add-on plan an apply runs, when it still holds: the same cluster and add-on, succeeded,
 * not applied yet, made for this target, younger than ADDON_PLAN_MAX_AGE_MS, and infra/'s pins and
 * the step's inputs unchanged since (the apply installs exactly the versions that were reviewed).
 */
async function reviewedAddonPlan(req: Extract<JobRequest, { kind: 'addon-apply' }>, simulated: boolean): Promise<AddonPlanSummary> {
  const db = getDb();
  const { infraDir } = jobsOptions();
  const plan = await db.job.findUnique({ where: { id: req.planJobId } });
  if (!plan || plan.kind !== 'addon-plan') throw new AppError('not_found', 'No such add-on plan.');
  const args = JSON.parse(plan.args) as { cluster: string; addon: string };
  if (args.cluster !== req.cluster || args.addon !== req.addon) {
    throw new AppError('refused', `This plan is for ${args.addon} on ${args.cluster}, not ${req.addon} on ${req.cluster}.`);
  }
  if (plan.simulated !== simulated) throw new AppError('refused', 'This plan was made for the other target.');
  if (await db.job.count({ where: { planJobId: plan.id, status: { in: ['queued', 'running', 'succeeded'] } } })) {
    throw new AppError('refused', 'This plan was already applied; plan again.');
  }
  const summary = plan.summary ? (JSON.parse(plan.summary) as AddonPlanSummary) : null;
  const refusal = addonApplyRefusal({
    plan: { status: plan.status, finishedAt: plan.finishedAt, summary },
    pinsNow: pinsOf(await addonReleases(infraDir, req.cluster, req.addon).catch(() => [])),
    inputsNow: await addonInputs(infraDir, req.addon),
    now: new Date(),
  });
  if (refusal) throw new AppError('refused', refusal);
  return summary!;
}

/** Applies a reviewed add-on plan: the cluster and add-on are the plan's own. */
export async function applyAddonPlan(actor: Actor, planJobId: string): Promise<{ jobId: string; simulated: boolean }> {
  const plan = await getDb().job.findUnique({ where: { id: planJobId }, select: { kind: true, args: true } });
  if (!plan || plan.kind !== 'addon-plan') throw new AppError('not_found', 'No such add-on plan.');
  const { cluster, addon } = JSON.parse(plan.args) as { cluster: string; addon: string };
  return startJob(actor, jobRequestSchema.parse({ kind: 'addon-apply', planJobId, cluster, addon }));
}

/**
 * Cancels a job: here at once when this instance runs it, otherwise through the database (the
 * owning instance sees it on its next heartbeat). Mutating jobs need the Admin role to cancel.
 */
export async function cancelJob(actor: Actor, jobId: string): Promise<{ status: 'cancelling' | 'finished' }> {
  const db = getDb();
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError('not_found', 'No such job.');
  if (job.mutating && !roleAtLeast(actor.role, 'Admin')) throw new AppError('forbidden', 'Cancelling an apply, destroy or install needs the Admin role.');
  if (FINISHED.includes(job.status)) return { status: 'finished' };
  await db.job.update({ where: { id: jobId }, data: { cancelRequestedAt: new Date(), cancelledBy: actor.name } });
  running().get(jobId)?.cancel(actor.name);
  return { status: 'cancelling' };
}

export const forceUnlockInput = z.object({ jobId: z.string().uuid(), confirm: z.string().max(200) });

/**
 * Force unlock, as `tofu force-unlock LOCK_ID`: releases the environment's lock held by a job
 * that was cut off (its server stopped while it ran). Admin only; the caller names the job that
 * holds the lock and types the environment's name. A job that still runs is refused (cancel it);
 * one still marked running by a server that stopped is marked interrupted first.
 */
export async function forceUnlock(actor: Actor, input: z.infer<typeof forceUnlockInput>): Promise<{ environment: string; jobId: string; holder: string; since: string }> {
  if (!roleAtLeast(actor.role, 'Admin')) throw new AppError('forbidden', 'Force unlock needs the Admin role.');
  const environment = environmentName();
  if (input.confirm !== environment) throw new AppError('validation', `Type the environment's name (${environment}) to confirm the force unlock.`);
  const db = getDb();
  const o = jobsOptions();
  const held = await currentLock(db, environment);
  if (!held) throw new AppError('not_found', `${environment} is not locked.`);
  if (held.jobId !== input.jobId) throw new AppError('conflict', `The lock on ${environment} is now held by another job (${held.jobId}, started by ${held.holder}); look again before unlocking.`);
  const job = await db.job.findUnique({ where: { id: held.jobId } });
  if (running().has(held.jobId) || isAlive(held, job, o.staleMs)) {
    throw new AppError('refused', `The job holding the lock is still running (started by ${held.holder}): cancel it instead. Force unlock is for a lock whose job was cut off.`);
  }
  if (job && ['queued', 'running'].includes(job.status)) await markInterrupted(job);
  const released = await forceReleaseLock(db, environment, held.jobId);
  if (!released) throw new AppError('conflict', `The lock on ${environment} changed meanwhile; look again.`);
  if (job) await appendSystemLine(held.jobId, `lock on ${environment} force-unlocked by ${actor.name}; check what this job changed before the next apply`);
  jobEvents().emit(`status:${held.jobId}`);
  return { environment, jobId: held.jobId, holder: held.holder, since: held.since.toISOString() };
}

async function appendSystemLine(jobId: string, text: string): Promise<void> {
  const db = getDb();
  const job = await db.job.findUnique({ where: { id: jobId }, select: { lineCount: true } });
  if (!job) return;
  const seq = (await lastStoredSeq(jobId, job.lineCount)) + 1;
  await db.jobLine.create({ data: { jobId, seq, at: new Date(), stream: 'sys', text } });
  await db.job.update({ where: { id: jobId }, data: { lineCount: seq } });
}

/**
 * The highest line number stored for a job. A server that died between storing a batch of
 * lines and recording their count leaves `lineCount` behind the lines; numbering after the
 * count would collide with a stored line and the marker would be lost.
 */
async function lastStoredSeq(jobId: string, lineCount: number): Promise<number> {
  const top = await getDb().jobLine.findFirst({ where: { jobId }, orderBy: { seq: 'desc' }, select: { seq: true } });
  return Math.max(lineCount, top?.seq ?? 0);
}

type OpenJob = { id: string; lineCount: number; heartbeatAt: Date | null; createdAt: Date; pid: number | null; instance: string; mutating: boolean; environment: string };

async function markInterrupted(job: OpenJob): Promise<void> {
  const db = getDb();
  const last = job.heartbeatAt ?? job.createdAt;
  const seq = (await lastStoredSeq(job.id, job.lineCount)) + 1;
  const lock = job.mutating ? ` It keeps the lock on ${job.environment} until an Admin force-unlocks it: check what it changed first.` : '';
  await db.jobLine.create({ data: { jobId: job.id, seq, at: new Date(), stream: 'sys', text: `interrupted: the server stopped while this job ran (last heartbeat ${last.toISOString()}); the log above is what it had received.${job.pid ? ` Process ${job.pid} may still be running on ${job.instance.split(':')[0]}.` : ''}${lock}` } }).catch(() => undefined);
  await db.job.update({ where: { id: job.id }, data: { status: 'interrupted', finishedAt: new Date(), error: 'server stopped while the job ran', lineCount: seq } });
}

/**
 * Crash safety: jobs left `running`/`queued` by a server that stopped (no heartbeat for
 * `staleMs`) are marked interrupted, their log kept with a closing line. A lock such a job held
 * is kept, as OpenTofu keeps its state lock: it is released by a force unlock only.
 */
export async function recoverInterruptedJobs(staleMs = jobsOptions().staleMs): Promise<number> {
  const db = getDb();
  const cutoff = new Date(Date.now() - staleMs);
  const open = await db.job.findMany({ where: { status: { in: ['running', 'queued'] } } });
  let n = 0;
  for (const job of open) {
    if (running().has(job.id)) continue;
    const last = job.heartbeatAt ?? job.createdAt;
    if (last > cutoff) continue;
    await markInterrupted(job);
    jobEvents().emit(`status:${job.id}`);
    n += 1;
  }
  return n;
}
