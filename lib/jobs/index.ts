import 'server-only';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Actor } from '../auth';
import { roleAtLeast } from '../auth/roles';
import { getConfig } from '../config';
import { getDb } from '../db';
import { AppError } from '../errors';
import { jobRequestSchema, jobSpec, type JobKind, type JobRequest, type Tool } from './catalog';
import { jobEnvironment, secretValues } from './env';
import { acquireLock, currentLock, FINISHED, forceReleaseLock, releaseLock, renewLock, type LockHeld } from './lock';
import { JobLog, jobEvents } from './log';
import { planLine, summarisePlan, type PlanSummary } from './plan';
import { checkTools, missingToolsMessage, which, type ToolStatus } from './preflight';
import { startProcess, type RunningProcess } from './process';
import { Redactor } from './redact';
import { Cancelled, simulate } from './simulated';

/**
 * Jobs: OpenTofu and the add-on installer run from the dashboard, from an allow-list
 * (catalog.ts), with live logs kept in the database, one mutating job per environment, cancel,
 * crash recovery and preflight. On the twin target the tofu/helm kinds drive the twin instead
 * (simulated.ts) and say so.
 */
export { jobInputs, jobRequestSchema, jobSpec, CLUSTER_TARGETS, type JobKind, type JobRequest } from './catalog';
export type { PlanSummary } from './plan';
export type { ToolStatus } from './preflight';
export type { LockHeld } from './lock';


export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface JobsOptions {
  infraDir: string;
  planDir: string;
  /** SIGINT → SIGTERM → SIGKILL spacing. */
  graceMs: number;
  flushMs: number;
  heartbeatMs: number;
  /** A running job whose heartbeat is older than this belongs to a server that died. */
  staleMs: number;
  /** Simulate the tofu/helm kinds on the twin (the twin target). */
  simulate: boolean;
  twinUrl: string;
  /** Real ms per twin ms for simulated progress, and the longest pause between progress lines. */
  clockSpeed: number;
  paceCapMs: number;
  /** The server's environment, from which the job's is filtered and secret values are taken. */
  sourceEnv: Record<string, string | undefined>;
}

const OPTIONS = Symbol.for('aks-demo.jobs.options');
const RUNNING = Symbol.for('aks-demo.jobs.running');
type Holder = { [OPTIONS]?: Partial<JobsOptions>; [RUNNING]?: Map<string, { cancel(by: string): void }> };
const g = globalThis as Holder;

/** This server process, as a lock holder and job owner. */
export const INSTANCE = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

function running(): Map<string, { cancel(by: string): void }> {
  g[RUNNING] ??= new Map();
  return g[RUNNING];
}

/** Tests and the launcher may override paths and timings. */
export function configureJobs(options: Partial<JobsOptions>): void {
  g[OPTIONS] = { ...g[OPTIONS], ...options };
}

export function jobsOptions(): JobsOptions {
  const config = getConfig();
  return {
    infraDir: config.jobs.infraDir,
    planDir: config.jobs.planDir,
    graceMs: 10_000,
    flushMs: 250,
    heartbeatMs: 2_000,
    staleMs: 15_000,
    // The environment is the twin (its target, or the azure settings pointed at it): tofu would have nothing to create.
    simulate: config.twinUrl !== undefined,
    twinUrl: config.twinUrl ?? config.armEndpoint,
    clockSpeed: config.twin.clockSpeed,
    paceCapMs: 1_500,
    sourceEnv: process.env,
    ...g[OPTIONS],
  };
}

/** The environment's name: what the lock is keyed on and what destroy asks to be typed (rg-<name>-common). */
export function environmentName(): string {
  return getConfig().commonResourceGroup.replace(/^rg-/, '').replace(/-common$/, '');
}

function secrets(o: JobsOptions): string[] {
  const auth = getConfig().auth.credential;
  return [...secretValues(o.sourceEnv), ...(auth.kind === 'secret' ? [auth.secret] : [])];
}

// ---------- queries ----------

export interface JobRow {
  id: string;
  kind: JobKind;
  title: string;
  args: JobRequest;
  environment: string;
  mutating: boolean;
  simulated: boolean;
  status: JobStatus;
  exitCode: number | null;
  error: string | null;
  actorName: string;
  planJobId: string | null;
  summary: PlanSummary | null;
  lineCount: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  cancelRequestedAt: number | null;
  cancelledBy: string | null;
}

type DbJob = Awaited<ReturnType<ReturnType<typeof getDb>['job']['findFirstOrThrow']>>;

function toRow(j: DbJob): JobRow {
  const args = JSON.parse(j.args) as JobRequest;
  return {
    id: j.id,
    kind: j.kind as JobKind,
    title: jobSpec(args).title,
    args,
    environment: j.environment,
    mutating: j.mutating,
    simulated: j.simulated,
    status: j.status as JobStatus,
    exitCode: j.exitCode,
    error: j.error,
    actorName: j.actorName,
    planJobId: j.planJobId,
    summary: j.summary ? (JSON.parse(j.summary) as PlanSummary) : null,
    lineCount: j.lineCount,
    createdAt: j.createdAt.getTime(),
    startedAt: j.startedAt?.getTime() ?? null,
    finishedAt: j.finishedAt?.getTime() ?? null,
    cancelRequestedAt: j.cancelRequestedAt?.getTime() ?? null,
    cancelledBy: j.cancelledBy,
  };
}

export async function listJobs(limit = 50): Promise<JobRow[]> {
  const rows = await getDb().job.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  return rows.map(toRow);
}

export async function getJob(id: string): Promise<JobRow | null> {
  if (!z.string().uuid().safeParse(id).success) return null;
  const j = await getDb().job.findUnique({ where: { id } });
  return j ? toRow(j) : null;
}

export async function getJobLines(jobId: string, after: number, take = 1000) {
  return getDb().jobLine.findMany({ where: { jobId, seq: { gt: after } }, orderBy: { seq: 'asc' }, take });
}

/** The environment's lock as the jobs page shows it: who, since when, and whether its job still runs. */
export interface LockView extends LockHeld {
  jobStatus: JobStatus | 'gone';
  /**
   * The job's server stopped renewing the lease (it crashed or was restarted while the job ran):
   * what the job changed is unknown, so the lock stays until an Admin force-unlocks it.
   */
  abandoned: boolean;
  /** The job's last stored log line: where it was cut off. */
  lastLine: string | null;
}

export async function getLock(): Promise<LockView | null> {
  const db = getDb();
  const held = await currentLock(db, environmentName());
  if (!held) return null;
  const [job, last] = await Promise.all([
    db.job.findUnique({ where: { id: held.jobId }, select: { status: true, heartbeatAt: true, createdAt: true } }),
    db.jobLine.findFirst({ where: { jobId: held.jobId }, orderBy: { seq: 'desc' }, select: { text: true } }),
  ]);
  const jobStatus = (job?.status as JobStatus | undefined) ?? 'gone';
  return { ...held, jobStatus, abandoned: !running().has(held.jobId) && !isAlive(held, job, jobsOptions().staleMs), lastLine: last?.text ?? null };
}

/** A lock's job is alive while it runs and its server renews the lease. */
function isAlive(held: LockHeld, job: { status: string; heartbeatAt: Date | null; createdAt: Date } | null, staleMs: number): boolean {
  if (!job || !['queued', 'running'].includes(job.status)) return false;
  const beat = Math.max(held.heartbeatAt?.getTime() ?? 0, job.heartbeatAt?.getTime() ?? 0, job.createdAt.getTime());
  return Date.now() - beat <= staleMs;
}

const PREFLIGHT_TOOLS: Tool[] = ['tofu', 'helm', 'kubectl', 'az'];
let preflightCache: { at: number; value: ToolStatus[] } | undefined;

/** Which tools this server has, with versions (cached a minute: `az version` is slow). */
export async function getPreflight(): Promise<ToolStatus[]> {
  if (preflightCache && Date.now() - preflightCache.at < 60_000) return preflightCache.value;
  const value = await checkTools(PREFLIGHT_TOOLS, jobEnvironment(jobsOptions().sourceEnv));
  preflightCache = { at: Date.now(), value };
  return value;
}

/** The newest plan that succeeded and was not applied yet: what "Apply" offers. */
export async function latestReviewablePlan(): Promise<JobRow | null> {
  const plans = await getDb().job.findMany({ where: { kind: 'tofu-plan', status: 'succeeded' }, orderBy: { createdAt: 'desc' }, take: 1 });
  if (!plans.length) return null;
  const applied = await getDb().job.count({ where: { planJobId: plans[0].id, status: { in: ['running', 'succeeded', 'queued'] } } });
  return applied ? null : toRow(plans[0]);
}

// ---------- commands ----------

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
  let savedPlan: PlanSummary | undefined;
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

  const id = randomUUID();
  const now = new Date();
  await db.job.create({
    data: {
      id, kind: req.kind, args: JSON.stringify(req), environment, mutating: spec.mutating, simulated, status: 'queued',
      actorName: actor.name, instance: INSTANCE, planJobId: req.kind === 'tofu-apply' ? req.planJobId : null, lineCount: 0, createdAt: now,
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

async function finish(id: string, log: JobLog, data: { status: JobStatus; exitCode?: number | null; error?: string; summary?: PlanSummary }, environment?: string) {
  const db = getDb();
  await log.close();
  await db.job.update({
    where: { id },
    data: { status: data.status, exitCode: data.exitCode ?? null, error: data.error ?? null, summary: data.summary ? JSON.stringify(data.summary) : undefined, finishedAt: new Date(), heartbeatAt: new Date() },
  });
  if (environment) await releaseLock(db, environment, id);
  running().delete(id);
  jobEvents().emit(`status:${id}`);
}

async function execute(id: string, req: JobRequest, spec: ReturnType<typeof jobSpec>, simulated: boolean, savedPlan: PlanSummary | undefined, log: JobLog, o: JobsOptions) {
  const db = getDb();
  const lockEnv = spec.mutating ? environmentName() : undefined;
  const env = jobEnvironment(o.sourceEnv);
  log.write('sys', `${spec.title} — ${simulated ? 'SIMULATED on the twin (tofu/helm are not run)' : `running ${spec.argv.join(' ')}`} — started by ${(await db.job.findUnique({ where: { id } }))?.actorName}`);

  if (!simulated) {
    const tools = await checkTools(spec.tools, env);
    for (const t of tools) log.write('sys', t.found ? `preflight: ${t.tool} ${t.version} (${t.path})` : `preflight: ${t.tool} not found`);
    const missing = missingToolsMessage(tools);
    if (missing) {
      log.write('sys', missing);
      return finish(id, log, { status: 'failed', error: missing }, lockEnv);
    }
  }

  const controller = new AbortController();
  let proc: RunningProcess | undefined;
  let cancelledBy: string | undefined;
  const handle = {
    cancel(by: string) {
      if (cancelledBy) return;
      cancelledBy = by;
      if (proc) proc.cancel(by);
      else {
        log.write('sys', `cancel requested by ${by}: stopping after the current step (the twin keeps what was already created)`);
        controller.abort();
      }
    },
  };
  running().set(id, handle);
  await db.job.update({ where: { id }, data: { status: 'running', startedAt: new Date(), heartbeatAt: new Date() } });
  jobEvents().emit(`status:${id}`);

  // Heartbeat (the job's, and the lock's lease), and a cancel asked for through another instance.
  const beat = setInterval(() => {
    if (lockEnv) void renewLock(db, lockEnv, id).catch(() => undefined);
    void db.job
      .update({ where: { id }, data: { heartbeatAt: new Date() }, select: { cancelRequestedAt: true, cancelledBy: true } })
      .then((j) => { if (j.cancelRequestedAt && !cancelledBy) handle.cancel(j.cancelledBy ?? 'another instance'); })
      .catch(() => undefined);
  }, o.heartbeatMs);
  beat.unref?.();

  try {
    if (simulated) {
      const pace = (twinMs: number) => Math.min(twinMs / o.clockSpeed, o.paceCapMs);
      try {
        const r = await simulate({ twinUrl: o.twinUrl, infraDir: o.infraDir, env, log, signal: controller.signal, pace }, req, savedPlan);
        if (r.summary) log.write('sys', `plan summary: ${planLine(r.summary)}`);
        return await finish(id, log, { status: r.exitCode === 0 ? 'succeeded' : 'failed', exitCode: r.exitCode, summary: r.summary }, lockEnv);
      } catch (err) {
        if (err instanceof Cancelled || controller.signal.aborted) {
          log.write('sys', 'cancelled');
          return await finish(id, log, { status: 'cancelled' }, lockEnv);
        }
        const message = err instanceof Error ? err.message : String(err);
        log.write('err', `xx ${message}`);
        return await finish(id, log, { status: 'failed', exitCode: 1, error: message }, lockEnv);
      }
    }

    const argv = [...spec.argv];
    if (req.kind === 'tofu-plan') {
      // A saved plan holds the values tofu read, sensitive ones included: readable by this user only.
      mkdirSync(o.planDir, { recursive: true, mode: 0o700 });
      argv.push(`-out=${join(o.planDir, `${id}.tfplan`)}`);
    }
    if (req.kind === 'tofu-apply') argv[argv.length - 1] = join(o.planDir, `${req.planJobId}.tfplan`);
    const program = which(argv[0], env.PATH ?? '')!;
    proc = startProcess({ program, args: argv.slice(1), cwd: o.infraDir, env, log, graceMs: o.graceMs });
    await db.job.update({ where: { id }, data: { pid: proc.pid } });
    if (cancelledBy) proc.cancel(cancelledBy);
    const { code, signal } = await proc.done;
    log.write('sys', signal ? `ended by ${signal}` : `exit code ${code}`);
    if (cancelledBy) return await finish(id, log, { status: 'cancelled', exitCode: code }, lockEnv);
    if (code !== 0) return await finish(id, log, { status: 'failed', exitCode: code, error: signal ? `ended by ${signal}` : `exit code ${code}` }, lockEnv);
    let summary: PlanSummary | undefined;
    if (req.kind === 'tofu-plan') {
      summary = summarisePlan(await showPlan(program, join(o.planDir, `${id}.tfplan`), o.infraDir, env));
      log.write('sys', `plan summary (tofu show -json): ${planLine(summary)}`);
    }
    return await finish(id, log, { status: 'succeeded', exitCode: 0, summary }, lockEnv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.write('sys', `failed: ${message}`);
    return await finish(id, log, { status: 'failed', error: message }, lockEnv);
  } finally {
    clearInterval(beat);
  }
}

function showPlan(tofu: string, file: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) => {
    execFile(tofu, ['show', '-json', file], { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) rej(new Error(`tofu show -json failed: ${stderr.trim() || err.message}`));
      else res(stdout);
    });
  });
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

// ---------- pages ----------

export interface JobDetailData {
  job: JobRow;
  /** For a plan: the apply that used it, if any. For an apply: its plan. */
  related: JobRow | null;
  /** A plan that may be applied now (succeeded, not applied yet). */
  applicable: boolean;
  lock: LockView | null;
}

export async function getJobDetail(id: string): Promise<JobDetailData | null> {
  const job = await getJob(id);
  if (!job) return null;
  const db = getDb();
  let related: JobRow | null = null;
  if (job.kind === 'tofu-apply' && job.planJobId) related = await getJob(job.planJobId);
  if (job.kind === 'tofu-plan') {
    const apply = await db.job.findFirst({ where: { planJobId: job.id }, orderBy: { createdAt: 'desc' } });
    related = apply ? toRow(apply) : null;
  }
  const applicable = job.kind === 'tofu-plan' && job.status === 'succeeded' && !(related && ['queued', 'running', 'succeeded'].includes(related.status));
  return { job, related, applicable, lock: await getLock() };
}
