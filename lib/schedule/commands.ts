import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getDb, type Db } from '../db';
import { AppError } from '../errors';
import { DEFAULT_SCHEDULES, type scheduleInput } from './schedules';

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
