import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate';
import { startPostgres } from '../../test/postgres';
import type { Db } from '../db';
import type { ClusterKey } from '../config';
import type { Execute, RunResult } from './index';

let schedule: typeof import('./index');
let dbm: typeof import('../db');
let db: Db;

const GRACE = 15 * 60_000;
// Thursday 2026-11-26, 22:00 in Seoul = 13:00 UTC.
const due = new Date('2026-11-26T13:00:00Z');

function counting(): { execute: Execute; calls: { action: string; clusters: readonly ClusterKey[] }[] } {
  const calls: { action: string; clusters: readonly ClusterKey[] }[] = [];
  return {
    calls,
    execute: async (_actor, action, clusters) => {
      calls.push({ action, clusters });
      return clusters.map((c): RunResult => ({ cluster: c, outcome: 'accepted', operationId: `op-${c}` }));
    },
  };
}

async function nightStop(savedAt: Date, d: Db = db) {
  return d.schedule.create({
    data: {
      id: crypto.randomUUID(), name: 'Night stop', action: 'stop', scope: 'all', days: '1,2,3,4,5', time: '22:00', timeZone: 'Asia/Seoul', holidays: '[]',
      enabled: true, skipNext: false, activeFrom: savedAt, createdAt: savedAt, updatedAt: savedAt,
    },
  });
}

beforeAll(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'sched-')), 's.db')}`;
  process.env.DATABASE_URL = url;
  await migrate(url, resolve('.'));
  schedule = await import('./index');
  dbm = await import('../db');
  db = dbm.getDb();
});

beforeEach(async () => {
  await db.scheduleRun.deleteMany();
  await db.schedule.deleteMany();
});

describe('scheduler', () => {
  it('saving or enabling a schedule never fires a run that is already due', async () => {
    const { execute, calls } = counting();
    // Saved at 22:01, one minute after tonight's 22:00.
    const s = await schedule.saveSchedule({ name: 'n', action: 'stop', scope: 'all', days: [4], time: '22:00', timeZone: 'Asia/Seoul', holidays: [], enabled: true }, new Date('2026-11-26T13:01:00Z'));
    expect(await schedule.tick(new Date('2026-11-26T13:02:00Z'), { execute, graceMs: GRACE })).toEqual([]);
    await schedule.setScheduleEnabled(s.id, false, new Date('2026-11-26T13:03:00Z'));
    await schedule.setScheduleEnabled(s.id, true, new Date('2026-11-26T13:04:00Z'));
    expect(await schedule.tick(new Date('2026-11-26T13:05:00Z'), { execute, graceMs: GRACE })).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('runs a due run once, and records it as the scheduler', async () => {
    const { execute, calls } = counting();
    await nightStop(new Date('2026-11-26T00:00:00Z'));
    expect(await schedule.tick(new Date('2026-11-26T12:59:59Z'), { execute, graceMs: GRACE })).toEqual([]);
    const first = await schedule.tick(new Date('2026-11-26T13:00:05Z'), { execute, graceMs: GRACE });
    expect(first).toEqual([{ scheduleId: expect.any(String), dueAt: due, status: 'succeeded' }]);
    expect(await schedule.tick(new Date('2026-11-26T13:00:20Z'), { execute, graceMs: GRACE })).toEqual([]);
    expect(calls).toEqual([{ action: 'stop', clusters: ['mgmt', 'app1', 'app2'] }]);
    const audit = await db.auditEntry.findFirst({ where: { action: 'schedule.stop' } });
    expect(audit).toMatchObject({ actorName: 'Scheduler', result: 'accepted' });
  });

  it('after downtime: runs the missed run once within the grace window, records older ones as missed', async () => {
    const { execute, calls } = counting();
    // Saved Monday; the server was down from Tuesday evening until Thursday 22:10 Seoul.
    await nightStop(new Date('2026-11-23T00:00:00Z'));
    await schedule.tick(new Date('2026-11-23T13:00:01Z'), { execute, graceMs: GRACE }); // Monday's ran
    const restart = await schedule.tick(new Date('2026-11-26T13:10:00Z'), { execute, graceMs: GRACE });
    expect(restart.map((o) => [o.dueAt.toISOString(), o.status])).toEqual([
      ['2026-11-24T13:00:00.000Z', 'missed'],
      ['2026-11-25T13:00:00.000Z', 'missed'],
      ['2026-11-26T13:00:00.000Z', 'succeeded'],
    ]);
    expect(calls).toHaveLength(2); // Monday and Thursday
    // A second restart a minute later changes nothing.
    expect(await schedule.tick(new Date('2026-11-26T13:11:00Z'), { execute, graceMs: GRACE })).toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it('skip the next run: it is recorded as skipped and the one after runs', async () => {
    const { execute, calls } = counting();
    const s = await nightStop(new Date('2026-11-26T00:00:00Z'));
    await schedule.setSkipNext(s.id, true);
    expect((await schedule.tick(new Date('2026-11-26T13:00:01Z'), { execute, graceMs: GRACE }))[0].status).toBe('skipped');
    expect(calls).toHaveLength(0);
    expect((await db.schedule.findUnique({ where: { id: s.id } }))?.skipNext).toBe(false);
    expect((await schedule.tick(new Date('2026-11-27T13:00:01Z'), { execute, graceMs: GRACE }))[0].status).toBe('succeeded');
    expect(calls).toHaveLength(1);
  });

  it('does not run on holidays', async () => {
    const { execute, calls } = counting();
    const s = await nightStop(new Date('2026-11-26T00:00:00Z'));
    await db.schedule.update({ where: { id: s.id }, data: { holidays: '["2026-11-26"]' } });
    expect(await schedule.tick(new Date('2026-11-26T13:00:01Z'), { execute, graceMs: GRACE })).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it('retries clusters that failed with 429/5xx, and one failing never stops the others', async () => {
    await nightStop(new Date('2026-11-26T00:00:00Z'));
    let attempts = 0;
    const execute: Execute = async (_a, _action, clusters) =>
      clusters.map((c): RunResult => {
        if (c === 'app1' && attempts++ < 1) return { cluster: c, outcome: 'failed', reason: 'throttled', retryable: true };
        if (c === 'mgmt') return { cluster: c, outcome: 'failed', reason: 'OperationNotAllowed', retryable: false };
        return { cluster: c, outcome: 'accepted', operationId: 'x' };
      });
    const [run] = await schedule.tick(new Date('2026-11-26T13:00:01Z'), { execute, graceMs: GRACE, retryDelaysMs: [10, 10] });
    expect(run.status).toBe('partial');
    const row = await db.scheduleRun.findFirst();
    const results = JSON.parse(row!.results) as RunResult[];
    expect(results.map((r) => [r.cluster, r.outcome])).toEqual([['mgmt', 'failed'], ['app1', 'accepted'], ['app2', 'accepted']]);
  });

  it('two instances on one SQLite file execute a run exactly once', async () => {
    const url = process.env.DATABASE_URL!;
    const a = dbm.createDb(url);
    const b = dbm.createDb(url);
    await nightStop(new Date('2026-11-26T00:00:00Z'));
    const { execute, calls } = counting();
    const now = new Date('2026-11-26T13:00:01Z');
    await Promise.all([
      schedule.tick(now, { db: a, execute, graceMs: GRACE, instance: 'a' }),
      schedule.tick(now, { db: b, execute, graceMs: GRACE, instance: 'b' }),
      schedule.tick(now, { db: a, execute, graceMs: GRACE, instance: 'a2' }),
    ]);
    expect(calls).toHaveLength(1);
    expect(await db.scheduleRun.count()).toBe(1);
  });
});

describe('scheduler on PostgreSQL shared by several instances', () => {
  let pg: { url: string; stop: () => void };
  beforeAll(async () => {
    pg = startPostgres();
    await migrate(pg.url, resolve('.'));
  }, 60_000);
  afterAll(() => pg?.stop());

  it('four instances ticking at once execute each run exactly once', async () => {
    const instances = Array.from({ length: 4 }, () => dbm.createDb(pg.url));
    await nightStop(new Date('2026-11-23T00:00:00Z'), instances[0]);
    const { execute, calls } = counting();
    for (const now of ['2026-11-24T13:00:01Z', '2026-11-25T13:00:02Z', '2026-11-26T13:00:03Z']) {
      await Promise.all(instances.map((d, i) => schedule.tick(new Date(now), { db: d, execute, graceMs: GRACE, instance: `i${i}` })));
    }
    const runs = await instances[0].scheduleRun.findMany({ orderBy: { dueAt: 'asc' } });
    expect(runs.map((r) => [r.dueAt.toISOString(), r.status])).toEqual([
      ['2026-11-23T13:00:00.000Z', 'missed'],
      ['2026-11-24T13:00:00.000Z', 'succeeded'],
      ['2026-11-25T13:00:00.000Z', 'succeeded'],
      ['2026-11-26T13:00:00.000Z', 'succeeded'],
    ]);
    expect(calls).toHaveLength(3);
    await Promise.all(instances.map((d) => d.$disconnect()));
  });
});
