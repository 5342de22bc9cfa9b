import 'server-only';
import { getDb } from '../db';
import { automationWarnings, nextOccurrences, stopStartWarnings } from '../domain/schedule';
import { getAutomationSchedules, type AutomationState } from './automation';
import type { RunResult } from './scheduler';
import { specOf } from './schedules';

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
