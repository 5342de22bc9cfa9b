import 'server-only';
import { getDb } from '../db';
import { automationWarnings, nextOccurrences, stopStartWarnings } from '../domain/schedule';
import { getAutomationSchedules } from './automation';
import type { RunResult } from './scheduler';
import { specOf } from './schedules';

export async function listSchedules(now = new Date()) {
  const db = getDb();
  const rows = await db.schedule.findMany({ orderBy: [{ action: 'desc' }, { time: 'asc' }, { createdAt: 'asc' }] });
  const runs = await db.scheduleRun.findMany({ orderBy: { dueAt: 'desc' }, take: 50 });
  const schedules = rows.map((r) => {
    const spec = specOf(r);
    const upcoming = r.enabled ? nextOccurrences(spec, now, 4) : [];
    return { ...r, spec, nextRuns: r.skipNext ? upcoming.slice(1, 4) : upcoming.slice(0, 3), skippedRun: r.skipNext ? upcoming[0] : undefined };
  });
  const automation = await getAutomationSchedules();
  const warnings = [
    ...stopStartWarnings(rows.filter((r) => r.enabled).map((r) => ({ ...specOf(r), name: r.name })), now),
    ...(automation.status === 'ok' ? automationWarnings(rows.map((r) => ({ ...specOf(r), name: r.name, enabled: r.enabled })), automation.schedules) : []),
  ];
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return {
    schedules,
    automation,
    warnings,
    runs: runs.map((r) => ({ ...r, scheduleName: names.get(r.scheduleId) ?? '(deleted)', results: JSON.parse(r.results) as RunResult[] })),
  };
}
