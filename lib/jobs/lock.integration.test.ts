import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db';
import { migrate } from '../db/migrate';
import { startPostgres } from '../../test/postgres';
import { acquireLock, forceReleaseLock, releaseLock, renewLock } from './lock';

/**
 * The job lock across instances on PostgreSQL: two database clients (two pools, as two app
 * instances) race for the same environment; the primary key lets exactly one win.
 */
let pgServer: { url: string; stop: () => void };
let a: Db;
let b: Db;

async function job(db: Db, id: string, status = 'queued', heartbeatAt: Date | null = new Date()) {
  await db.job.create({ data: { id, kind: 'tofu-apply', args: '{}', environment: 'k8s-demo', mutating: true, simulated: false, status, actorName: id, instance: 'x', lineCount: 0, createdAt: new Date(), heartbeatAt } });
}

beforeAll(async () => {
  pgServer = startPostgres();
  await migrate(pgServer.url, resolve('.'));
  a = createDb(pgServer.url);
  b = createDb(pgServer.url);
}, 60_000);

afterAll(async () => {
  await a?.$disconnect();
  await b?.$disconnect();
  pgServer?.stop();
});

describe('job lock on PostgreSQL, two instances', () => {
  it('of 20 concurrent attempts from two instances exactly one wins; the others see who holds it and since when', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    for (const id of ids) await job(a, id);
    const results = await Promise.all(ids.map((id, i) => acquireLock(i % 2 ? a : b, { environment: 'k8s-demo', jobId: id, holder: `user ${id}`, instance: i % 2 ? 'A' : 'B' })));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const held = await a.jobLock.findUniqueOrThrow({ where: { environment: 'k8s-demo' } });
    for (const r of results.filter((x) => !x.ok)) {
      expect(r).toMatchObject({ ok: false, held: { jobId: held.jobId, holder: held.holder, since: held.since } });
    }
    await releaseLock(b, 'k8s-demo', held.jobId);
    expect(await a.jobLock.count()).toBe(0);
  });

  it('a lock whose job ended is taken over; one whose server stopped beating is not: it stays until forced', async () => {
    await job(a, 'live', 'running');
    await job(a, 'next');
    expect((await acquireLock(a, { environment: 'k8s-demo', jobId: 'live', holder: 'Live', instance: 'A' })).ok).toBe(true);
    expect((await acquireLock(b, { environment: 'k8s-demo', jobId: 'next', holder: 'Next', instance: 'B' })).ok).toBe(false);
    // Instance A dies: its job's heartbeat and the lease's stop. B still may not take the lock.
    await a.job.update({ where: { id: 'live' }, data: { heartbeatAt: new Date(Date.now() - 3_600_000) } });
    await a.jobLock.update({ where: { environment: 'k8s-demo' }, data: { heartbeatAt: new Date(Date.now() - 3_600_000) } });
    expect(await acquireLock(b, { environment: 'k8s-demo', jobId: 'next', holder: 'Next', instance: 'B' })).toMatchObject({ ok: false, held: { jobId: 'live', holder: 'Live', instance: 'A' } });
    await b.job.update({ where: { id: 'live' }, data: { status: 'interrupted' } });
    expect((await acquireLock(b, { environment: 'k8s-demo', jobId: 'next', holder: 'Next', instance: 'B' })).ok).toBe(false);
    // A force unlock naming another job releases nothing; naming the holder releases it.
    expect(await forceReleaseLock(b, 'k8s-demo', 'next')).toBeNull();
    expect(await forceReleaseLock(b, 'k8s-demo', 'live')).toMatchObject({ jobId: 'live', holder: 'Live' });
    expect((await acquireLock(b, { environment: 'k8s-demo', jobId: 'next', holder: 'Next', instance: 'B' })).ok).toBe(true);
    // A job that ended normally but whose lock row was left behind (died between the two writes) is taken over.
    await b.job.update({ where: { id: 'next' }, data: { status: 'succeeded' } });
    await job(b, 'third');
    expect((await acquireLock(a, { environment: 'k8s-demo', jobId: 'third', holder: 'Third', instance: 'A' })).ok).toBe(true);
    expect((await a.jobLock.findUniqueOrThrow({ where: { environment: 'k8s-demo' } })).holder).toBe('Third');
  });

  it('the lease is renewed by its holder only', async () => {
    const before = (await a.jobLock.findUniqueOrThrow({ where: { environment: 'k8s-demo' } })).heartbeatAt!;
    await new Promise((r) => setTimeout(r, 20));
    await renewLock(b, 'k8s-demo', 'someone-else');
    expect((await a.jobLock.findUniqueOrThrow({ where: { environment: 'k8s-demo' } })).heartbeatAt).toEqual(before);
    await renewLock(b, 'k8s-demo', 'third');
    expect((await a.jobLock.findUniqueOrThrow({ where: { environment: 'k8s-demo' } })).heartbeatAt!.getTime()).toBeGreaterThan(before.getTime());
  });
});
