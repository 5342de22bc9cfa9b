import 'server-only';
import { z } from 'zod';
import { calendarDate, printable } from '../domain/text';
import { CLUSTER_KEYS } from '../config';
import type { Db } from '../db';
import { isValidTimeZone, type ScheduleAction, type ScheduleScope, type ScheduleSpec } from '../domain/schedule';

/** A schedule as the form sends it, the two the environment starts with, and a stored row read back as a spec. */
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
