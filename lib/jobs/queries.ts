import 'server-only';
import { z } from 'zod';
import { getDb } from '../db';
import { addonApplyRefusal, type AddonPlanSummary } from '../domain/addon-plan';
import { addonInputs, addonReleases, pinsOf } from './addons';
import { jobSpec, type JobKind, type JobRequest, type Tool } from './catalog';
import { jobEnvironment } from './env';
import { environmentName, jobsOptions, running } from './instance';
import { currentLock, type LockHeld } from './lock';
import type { PlanSummary } from './plan';
import { checkTools, type ToolStatus } from './preflight';

/** What the jobs pages read: the history, one job, its log lines, the lock, the tools and the plan to apply. */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

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
  /** tofu-plan: what apply will add, change and destroy. */
  summary: PlanSummary | null;
  /** addon-plan: the diff of each release's manifest. */
  addonPlan: AddonPlanSummary | null;
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
  const stored = j.summary ? (JSON.parse(j.summary) as PlanSummary | AddonPlanSummary) : null;
  const addonPlan = stored && 'type' in stored && stored.type === 'addon-plan' ? stored : null;
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
    summary: stored && !addonPlan ? (stored as PlanSummary) : null,
    addonPlan,
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
export function isAlive(held: LockHeld, job: { status: string; heartbeatAt: Date | null; createdAt: Date } | null, staleMs: number): boolean {
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

// ---------- pages ----------

export interface JobDetailData {
  job: JobRow;
  /** For a plan: the apply that used it, if any. For an apply: its plan. */
  related: JobRow | null;
  /** A plan that may be applied now (succeeded, not applied yet). */
  applicable: boolean;
  /** An add-on plan that may not be applied any more: why (too old, infra/ changed since). */
  stale?: string;
  lock: LockView | null;
}

const APPLIED = ['queued', 'running', 'succeeded'];

/** Why an add-on plan can no longer be applied as it stands, judged against infra/ now. */
async function addonPlanStaleness(plan: JobRow): Promise<string | undefined> {
  if (!plan.addonPlan) return undefined;
  const { cluster, addon } = plan.addonPlan;
  const infraDir = jobsOptions().infraDir;
  const refusal = addonApplyRefusal({
    plan: { status: plan.status, finishedAt: plan.finishedAt ? new Date(plan.finishedAt) : null, summary: plan.addonPlan },
    pinsNow: pinsOf(await addonReleases(infraDir, cluster, addon).catch(() => [])),
    inputsNow: await addonInputs(infraDir, addon).catch(() => ''),
    now: new Date(),
  });
  return refusal ?? undefined;
}

export async function getJobDetail(id: string): Promise<JobDetailData | null> {
  const job = await getJob(id);
  if (!job) return null;
  const db = getDb();
  let related: JobRow | null = null;
  const isPlan = job.kind === 'tofu-plan' || job.kind === 'addon-plan';
  if ((job.kind === 'tofu-apply' || job.kind === 'addon-apply') && job.planJobId) related = await getJob(job.planJobId);
  if (isPlan) {
    const apply = await db.job.findFirst({ where: { planJobId: job.id }, orderBy: { createdAt: 'desc' } });
    related = apply ? toRow(apply) : null;
  }
  const applicable = isPlan && job.status === 'succeeded' && !(related && APPLIED.includes(related.status));
  const stale = applicable ? await addonPlanStaleness(job) : undefined;
  return { job, related, applicable, ...(stale ? { stale } : {}), lock: await getLock() };
}
