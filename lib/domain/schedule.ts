import type { ClusterKey } from './cluster';
import { DateTime, IANAZone } from 'luxon';

/**
 * Schedules (by default: down at 22:00, up at 09:00 Korea time, on weekdays) and when
 * they run. Pure. Times are wall-clock times in the schedule's IANA zone, so
 * a 22:00 run stays at 22:00 across daylight-saving changes; a time that does
 * not exist on a spring-forward day runs at the first instant after the gap,
 * and a time that exists twice on a fall-back day runs once (at the second, standard-time instant).
 */
export type ScheduleAction = 'stop' | 'start';
export type ScheduleScope = 'all' | ClusterKey;

export interface ScheduleSpec {
  action: ScheduleAction;
  scope: ScheduleScope;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** HH:MM, 24 h. */
  time: string;
  timeZone: string;
  /** Local dates (YYYY-MM-DD, in the schedule's zone) on which it does not run. */
  holidays: string[];
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function parseTime(time: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!m) throw new RangeError(`time must be HH:MM, got ${time}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** The instant of the run on a given local date, or null when the schedule does not run that day. */
function occurrenceOn(spec: ScheduleSpec, day: DateTime): DateTime | null {
  if (!spec.days.includes(day.weekday)) return null;
  if (spec.holidays.includes(day.toISODate()!)) return null;
  const { hour, minute } = parseTime(spec.time);
  // Luxon moves a time inside a spring-forward gap forward, and resolves an ambiguous one to a single instant.
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: spec.timeZone });
}

/** Occurrences strictly after `after` and at or before `until`, oldest first (at most `limit`). */
export function occurrencesBetween(spec: ScheduleSpec, after: Date, until: Date, limit = 1000): Date[] {
  if (!isValidTimeZone(spec.timeZone)) throw new RangeError(`unknown time zone ${spec.timeZone}`);
  const out: Date[] = [];
  let day = DateTime.fromJSDate(after, { zone: spec.timeZone }).startOf('day');
  const end = DateTime.fromJSDate(until, { zone: spec.timeZone }).endOf('day');
  while (day <= end && out.length < limit) {
    const at = occurrenceOn(spec, day);
    if (at && at.toMillis() > after.getTime() && at.toMillis() <= until.getTime()) out.push(at.toJSDate());
    day = day.plus({ days: 1 });
  }
  return out;
}

/** The next `count` occurrences strictly after `after` (searching up to two years ahead). */
export function nextOccurrences(spec: ScheduleSpec, after: Date, count = 1): Date[] {
  if (spec.days.length === 0) return [];
  const out: Date[] = [];
  let from = after;
  // Search in chunks so holiday-heavy schedules still terminate.
  for (let i = 0; i < 24 && out.length < count; i++) {
    const until = new Date(from.getTime() + 31 * 86_400_000);
    const found = occurrencesBetween(spec, from, until, count - out.length);
    out.push(...found);
    from = until;
  }
  return out;
}

/** A run's local wall-clock time in a zone, for display: `Mon 2026-11-30 22:00 (KST)`. */
export function formatInZone(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ccc yyyy-LL-dd HH:mm (ZZZZ)');
}

/** What to do with an occurrence that came due while `now`: run it, or record it as missed beyond the grace window. */
export function classifyDue(dueAt: Date, now: Date, graceMs: number): 'run' | 'missed' | 'future' {
  if (dueAt.getTime() > now.getTime()) return 'future';
  return now.getTime() - dueAt.getTime() <= graceMs ? 'run' : 'missed';
}

/** AKS asks for 15–30 minutes between a stop and the next start of the same cluster. */
export const MIN_STOP_TO_START_MS = 30 * 60_000;

function scopesOverlap(a: ScheduleScope, b: ScheduleScope): boolean {
  return a === 'all' || b === 'all' || a === b;
}

/**
 * Warnings for schedules whose start follows a stop of the same cluster within 30 minutes,
 * looking at the next two weeks of runs.
 */
export function stopStartWarnings(specs: (ScheduleSpec & { name: string })[], now: Date): string[] {
  const horizon = new Date(now.getTime() + 14 * 86_400_000);
  const warnings = new Set<string>();
  for (const stop of specs.filter((s) => s.action === 'stop')) {
    const stops = occurrencesBetween(stop, now, horizon);
    for (const start of specs.filter((s) => s.action === 'start' && scopesOverlap(s.scope, stop.scope))) {
      const starts = occurrencesBetween(start, now, horizon);
      const close = stops.some((t) => starts.some((u) => u.getTime() >= t.getTime() && u.getTime() - t.getTime() < MIN_STOP_TO_START_MS));
      if (close) warnings.add(`"${start.name}" starts less than 30 minutes after "${stop.name}" stops: AKS asks for 15–30 minutes between a stop and a start.`);
    }
  }
  return [...warnings];
}

/** A runbook schedule of Azure Automation (infra/modules/automation), as the dashboard sees it. */
export interface AutomationSchedule {
  name: string;
  action: ScheduleAction | 'unknown';
  days: number[];
  time: string;
  timeZone: string;
  enabled: boolean;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Maps ARM's schedule properties (frequency Day/Week, advancedSchedule.weekDays, startTime, timeZone). */
export function automationScheduleFrom(name: string, p: {
  description?: string;
  startTime?: string;
  frequency?: string;
  interval?: number;
  timeZone?: string;
  isEnabled?: boolean;
  advancedSchedule?: { weekDays?: string[] };
}): AutomationSchedule {
  const text = `${name} ${p.description ?? ''}`.toLowerCase();
  const action = /(down|stop|sleep)/.test(text) ? 'stop' : /(\bup\b|-up|start|wake)/.test(text) ? 'start' : 'unknown';
  const zone = p.timeZone && isValidTimeZone(p.timeZone) ? p.timeZone : 'UTC';
  const start = p.startTime ? DateTime.fromISO(p.startTime, { setZone: true }).setZone(zone) : undefined;
  const days =
    p.frequency === 'Week'
      ? (p.advancedSchedule?.weekDays ?? []).map((d) => WEEKDAYS.indexOf(d) + 1).filter((d) => d > 0).sort()
      : p.frequency === 'Day' && (p.interval ?? 1) === 1
        ? [1, 2, 3, 4, 5, 6, 7]
        : [];
  return { name, action, days, time: start?.isValid ? start.toFormat('HH:mm') : '??:??', timeZone: zone, enabled: p.isEnabled === true };
}

const dayList = (days: number[]) => (days.length === 7 ? 'every day' : days.map((d) => WEEKDAYS[d - 1].slice(0, 3)).join(' '));

/**
 * Both the dashboard's schedule and Azure Automation's runbook schedules can
 * power the environment down and up. Warn when both are active for the same
 * action: they disagree (different days, time or zone), or they duplicate each other.
 */
export function automationWarnings(app: (ScheduleSpec & { name: string; enabled: boolean })[], automation: AutomationSchedule[]): string[] {
  const out: string[] = [];
  for (const a of automation.filter((x) => x.enabled && x.action !== 'unknown')) {
    for (const s of app.filter((x) => x.enabled && x.action === a.action)) {
      const same = s.time === a.time && s.timeZone === a.timeZone && s.days.join() === a.days.join() && s.scope === 'all';
      const what = a.action === 'stop' ? 'power down' : 'power up';
      out.push(
        same
          ? `Azure Automation's "${a.name}" and this dashboard's "${s.name}" both ${what} at ${a.time} (${a.timeZone}), ${dayList(a.days)}: the second finds the work done, but keep one source of truth — disable one.`
          : `Azure Automation's "${a.name}" (${dayList(a.days)} ${a.time} ${a.timeZone}) and this dashboard's "${s.name}" (${dayList(s.days)} ${s.time} ${s.timeZone}${s.scope === 'all' ? '' : `, ${s.scope} only`}) are both active and disagree about when to ${what}.`,
      );
    }
  }
  return out;
}
