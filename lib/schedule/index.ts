import 'server-only';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { calendarDate, printable } from '../domain/text';
import { CLUSTER_KEYS, type ClusterKey } from '../config';
import { getDb, type Db } from '../db';
import { AppError } from '../errors';
import { recordAudit } from '../audit';
import { SYSTEM_SCHEDULER, type Actor } from '../auth';
import { powerEnvironment, type PowerAccepted, type PowerSkipped } from '../power';
import { getAzureClients } from '../azure';
import { sharedReads } from '../cache/shared-read';
import { getConfig } from '../config';
import { toUserError, type UserError } from '../errors';
import {
  automationScheduleFrom,
  automationWarnings,
  type AutomationSchedule,
  classifyDue,
  isValidTimeZone,
  nextOccurrences,
  occurrencesBetween,
  stopStartWarnings,
  type ScheduleAction,
  type ScheduleScope,
  type ScheduleSpec,
} from '../domain/schedule';

/**
 * Scheduled stop/start (the nightly power-down of the architecture's cost plan). A run calls the same command as the buttons
 * (`powerEnvironment`), as the scheduler, and is recorded. Exactly once: a
 * run is claimed by inserting its (scheduleId, dueAt) row, which the database
 * keeps unique — across restarts and across instances sharing PostgreSQL.
 */
export const scheduleInput = z.object({
  id: z.string().uuid().optional(),
  name: printable(z.string().trim().min(1).max(80)),
  action: z.enum(['stop', 'start']),
  scope: z.enum(['all', ...CLUSTER_KEYS]),
  days: z.array(z.number().int().min(1).max(7)).min(1, 'pick at least one day').transform((d) => [...new Set(d)].sort()),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour'),
  timeZone: z.string().refine(isValidTimeZone, 'an IANA time zone such as Asia/Seoul'),
  holidays: z.array(calendarDate).max(366).default([]),
  enabled: z.boolean(),
});
export type ScheduleInput = z.input<typeof scheduleInput>;

export const DEFAULT_SCHEDULES = [
  { name: 'Nightly power-down', action: 'stop', scope: 'all', days: [1, 2, 3, 4, 5], time: '22:00', timeZone: 'Asia/Seoul', holidays: [] },
  { name: 'Morning power-up', action: 'start', scope: 'all', days: [1, 2, 3, 4, 5], time: '09:00', timeZone: 'Asia/Seoul', holidays: [] },
] as const;

type Row = Awaited<ReturnType<Db['schedule']['findMany']>>[number];

export function specOf(row: Pick<Row, 'action' | 'scope' | 'days' | 'time' | 'timeZone' | 'holidays'>): ScheduleSpec {
  return {
    action: row.action as ScheduleAction,
    scope: row.scope as ScheduleScope,
    days: row.days.split(',').filter(Boolean).map(Number),
    time: row.time,
    timeZone: row.timeZone,
    holidays: JSON.parse(row.holidays) as string[],
  };
}

// ---- queries ----------------------------------------------------------------

export type AutomationState =
  | { status: 'ok'; account: string; schedules: AutomationSchedule[]; fetchedAt?: number }
  | { status: 'absent'; account: string }
  | { status: 'failed'; account: string; error: UserError };

/** The runbook schedules of infra's Azure Automation account, if it exists (read through the shared cache). */
export async function getAutomationSchedules(): Promise<AutomationState> {
  const config = getConfig();
  const account = config.scheduler.automationAccount;
  const path = `/subscriptions/${config.subscriptionId}/resourceGroups/${config.commonResourceGroup}/providers/Microsoft.Automation/automationAccounts/${account}/schedules`;
  const r = await sharedReads().read(`automation:${account}`, 5 * 60_000, async () => {
    const res = await getAzureClients().arm.pathUnchecked(path).get({ queryParameters: { 'api-version': '2023-11-01' } });
    if (res.status === '404') return null;
    if (res.status !== '200') {
      const body = res.body as { error?: { code?: string; message?: string } } | undefined;
      throw new AppError('upstream', body?.error?.message ?? `Azure Automation answered ${res.status}`, body?.error?.code);
    }
    const value = (res.body as { value?: { name: string; properties: Parameters<typeof automationScheduleFrom>[1] }[] }).value ?? [];
    return value.map((v) => automationScheduleFrom(v.name, v.properties));
  });
  if (r.error && r.value === undefined) return { status: 'failed', account, error: toUserError(r.error) };
  if (r.value === null) return { status: 'absent', account };
  return { status: 'ok', account, schedules: r.value ?? [], fetchedAt: r.fetchedAt };
}

/** The dashboard's own schedules and runs (the database only), with the warnings they raise among themselves. */
export async function listAppSchedules(now = new Date()) {
  const db = getDb();
  const [rows, runs] = await Promise.all([
    db.schedule.findMany({ orderBy: [{ action: 'desc' }, { time: 'asc' }, { createdAt: 'asc' }] }),
    db.scheduleRun.findMany({ orderBy: { dueAt: 'desc' }, take: 50 }),
  ]);
  const schedules = rows.map((r) => {
    const spec = specOf(r);
    const upcoming = r.enabled ? nextOccurrences(spec, now, 4) : [];
    return { ...r, spec, nextRuns: r.skipNext ? upcoming.slice(1, 4) : upcoming.slice(0, 3), skippedRun: r.skipNext ? upcoming[0] : undefined };
  });
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return {
    schedules,
    warnings: stopStartWarnings(rows.filter((r) => r.enabled).map((r) => ({ ...specOf(r), name: r.name })), now),
    runs: runs.map((r) => ({ ...r, scheduleName: names.get(r.scheduleId) ?? '(deleted)', results: JSON.parse(r.results) as RunResult[] })),
  };
}

/** Where Azure Automation's runbook schedules and the dashboard's would fight. */
export function automationConflicts(app: Awaited<ReturnType<typeof listAppSchedules>>, automation: AutomationState): string[] {
  if (automation.status !== 'ok') return [];
  return automationWarnings(app.schedules.map((s) => ({ ...s.spec, name: s.name, enabled: s.enabled })), automation.schedules);
}

/** Both sets of schedules and every warning; the two reads go together. */
export async function listSchedules(now = new Date()) {
  const [app, automation] = await Promise.all([listAppSchedules(now), getAutomationSchedules()]);
  return { ...app, automation, warnings: [...app.warnings, ...automationConflicts(app, automation)] };
}

// ---- commands ---------------------------------------------------------------

export async function saveSchedule(input: z.infer<typeof scheduleInput>, now = new Date()) {
  const db = getDb();
  const data = {
    name: input.name,
    action: input.action,
    scope: input.scope,
    days: input.days.join(','),
    time: input.time,
    timeZone: input.timeZone,
    holidays: JSON.stringify([...new Set(input.holidays)].sort()),
    enabled: input.enabled,
    // Saving never fires a run that is already due: only occurrences after now count.
    activeFrom: now,
    updatedAt: now,
  };
  if (input.id) {
    const existing = await db.schedule.findUnique({ where: { id: input.id } });
    if (!existing) throw new AppError('not_found', 'No such schedule.');
    return db.schedule.update({ where: { id: input.id }, data });
  }
  return db.schedule.create({ data: { id: randomUUID(), ...data, skipNext: false, createdAt: now } });
}

export async function setScheduleEnabled(id: string, enabled: boolean, now = new Date()) {
  const db = getDb();
  if (!(await db.schedule.findUnique({ where: { id } }))) throw new AppError('not_found', 'No such schedule.');
  return db.schedule.update({ where: { id }, data: { enabled, updatedAt: now, ...(enabled ? { activeFrom: now } : {}) } });
}

export async function setSkipNext(id: string, skip: boolean) {
  const db = getDb();
  const s = await db.schedule.findUnique({ where: { id } });
  if (!s) throw new AppError('not_found', 'No such schedule.');
  if (!s.enabled && skip) throw new AppError('conflict', 'The schedule is disabled: there is no next run to skip.');
  return db.schedule.update({ where: { id }, data: { skipNext: skip } });
}

export async function deleteSchedule(id: string) {
  const r = await getDb().schedule.deleteMany({ where: { id } });
  if (r.count === 0) throw new AppError('not_found', 'No such schedule.');
}

/** Creates the spec's two schedules on a database that has none. */
export async function seedDefaultSchedules(enabled: boolean, now = new Date(), db: Db = getDb()): Promise<number> {
  if ((await db.schedule.count()) > 0) return 0;
  for (const d of DEFAULT_SCHEDULES) {
    await db.schedule.create({
      data: { id: randomUUID(), name: d.name, action: d.action, scope: d.scope, days: d.days.join(','), time: d.time, timeZone: d.timeZone, holidays: '[]', enabled, skipNext: false, activeFrom: now, createdAt: now, updatedAt: now },
    });
  }
  return DEFAULT_SCHEDULES.length;
}

// ---- the scheduler ----------------------------------------------------------

export type RunResult = PowerAccepted | PowerSkipped;
export type Execute = (actor: Actor, action: ScheduleAction, clusters: readonly ClusterKey[]) => Promise<RunResult[]>;

export interface TickOptions {
  db?: Db;
  /** Defaults to the same command as the buttons. */
  execute?: Execute;
  graceMs: number;
  instance?: string;
  /** How far back a restarted scheduler looks for runs it missed. */
  lookbackMs?: number;
  /** Backoff for 429/5xx, per attempt (ms). */
  retryDelaysMs?: number[];
}

export interface TickOutcome {
  scheduleId: string;
  dueAt: Date;
  status: string;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 'P2002';
}

/** Runs the command, retrying clusters that failed with 429/5xx, with backoff; others are left as they came back. */
async function executeWithRetry(execute: Execute, action: ScheduleAction, clusters: readonly ClusterKey[], delays: number[]): Promise<RunResult[]> {
  let results = await execute(SYSTEM_SCHEDULER, action, clusters);
  for (const delay of delays) {
    const retry = results.filter((r): r is PowerSkipped => r.outcome === 'failed' && r.retryable === true).map((r) => r.cluster);
    if (retry.length === 0) break;
    await new Promise((r) => setTimeout(r, delay));
    const again = await execute(SYSTEM_SCHEDULER, action, retry);
    results = results.map((r) => again.find((a) => a.cluster === r.cluster) ?? r);
  }
  return results;
}

function runStatus(results: RunResult[]): string {
  if (results.every((r) => r.outcome === 'no-op')) return 'no-op';
  if (results.every((r) => r.outcome === 'failed')) return 'failed';
  if (results.some((r) => r.outcome === 'failed' || r.outcome === 'skipped')) return 'partial';
  return 'succeeded';
}

/**
 * One pass: every enabled schedule's occurrences that came due since it became
 * active (or since the lookback) are run once, recorded as missed beyond the
 * grace window, or recorded as skipped. Safe to call from several instances at once.
 */
export async function tick(now: Date, options: TickOptions): Promise<TickOutcome[]> {
  const db = options.db ?? getDb();
  const execute = options.execute ?? ((actor, action, clusters) => powerEnvironment(actor, action, clusters));
  const instance = options.instance ?? `${hostname()}:${process.pid}`;
  const lookbackMs = options.lookbackMs ?? 7 * 86_400_000;
  const outcomes: TickOutcome[] = [];
  const schedules = await db.schedule.findMany({ where: { enabled: true } });
  for (const s of schedules) {
    const since = new Date(Math.max(s.activeFrom.getTime(), now.getTime() - lookbackMs));
    const due = occurrencesBetween(specOf(s), since, now);
    if (due.length === 0) continue;
    const recorded = new Set(
      (await db.scheduleRun.findMany({ where: { scheduleId: s.id, dueAt: { gt: since } }, select: { dueAt: true } })).map((r) => r.dueAt.getTime()),
    );
    for (const dueAt of due.filter((d) => !recorded.has(d.getTime()))) {
      const kind = classifyDue(dueAt, now, options.graceMs);
      // Skip applies to the next run that would execute.
      const fresh = await db.schedule.findUnique({ where: { id: s.id } });
      const skip = kind === 'run' && fresh?.skipNext === true;
      const status = kind === 'missed' ? 'missed' : skip ? 'skipped' : 'running';
      try {
        await db.scheduleRun.create({
          data: { id: randomUUID(), scheduleId: s.id, dueAt, status, startedAt: now, finishedAt: status === 'running' ? null : now, results: '[]', instance },
        });
      } catch (err) {
        if (isUniqueViolation(err)) continue; // another instance, or an earlier pass, has it
        throw err;
      }
      if (skip) await db.schedule.update({ where: { id: s.id }, data: { skipNext: false } });
      outcomes.push({ scheduleId: s.id, dueAt, status });
      if (status !== 'running') {
        await recordAudit({ actor: SYSTEM_SCHEDULER, action: `schedule.${s.action}`, target: s.scope, params: { schedule: s.name, dueAt: dueAt.toISOString() }, result: 'refused', error: status === 'missed' ? `missed: the server was not running within the ${Math.round(options.graceMs / 60_000)}-minute grace window` : 'skipped as requested', durationMs: 0 });
        continue;
      }
      const started = performance.now();
      const clusters = s.scope === 'all' ? CLUSTER_KEYS : [s.scope as ClusterKey];
      let results: RunResult[];
      try {
        results = await executeWithRetry(execute, s.action as ScheduleAction, clusters, options.retryDelaysMs ?? [2_000, 8_000, 30_000]);
      } catch (err) {
        results = clusters.map((c) => ({ cluster: c, outcome: 'failed' as const, reason: (err as Error).message }));
      }
      const final = runStatus(results);
      await db.scheduleRun.updateMany({ where: { scheduleId: s.id, dueAt }, data: { status: final, finishedAt: new Date(), results: JSON.stringify(results) } });
      outcomes[outcomes.length - 1].status = final;
      await recordAudit({
        actor: SYSTEM_SCHEDULER,
        action: `schedule.${s.action}`,
        target: s.scope,
        params: { schedule: s.name, dueAt: dueAt.toISOString() },
        result: final === 'failed' ? 'failed' : final === 'no-op' ? 'ok' : 'accepted',
        error: results.filter((r) => r.outcome === 'failed' || r.outcome === 'skipped').map((r) => `${r.cluster}: ${'reason' in r ? r.reason : ''}`).join('; ') || undefined,
        durationMs: performance.now() - started,
      });
    }
  }
  return outcomes;
}

export interface SchedulerHandle {
  stop(): void;
}

/** Starts ticking in this process; the first pass runs at once, so missed runs are handled at start. */
export function startScheduler(options: { tickMs: number; graceMs: number }): SchedulerHandle {
  let running = false;
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      await tick(new Date(), { graceMs: options.graceMs });
    } catch (err) {
      console.error('scheduler pass failed', err);
    } finally {
      running = false;
    }
  };
  void pass();
  const timer = setInterval(() => void pass(), options.tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
