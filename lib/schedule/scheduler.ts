import 'server-only';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CLUSTER_KEYS, type ClusterKey } from '../config';
import { getDb, type Db } from '../db';
import { recordAudit } from '../audit';
import { SYSTEM_SCHEDULER, type Actor } from '../auth';
import { powerEnvironment, type PowerAccepted, type PowerSkipped } from '../power';
import { classifyDue, occurrencesBetween, type ScheduleAction } from '../domain/schedule';
import { specOf } from './schedules';

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
