import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db';
import { migrate } from '../db/migrate';
import { startPostgres } from '../testing/postgres';
import { acquireLock, releaseLock } from './lock';

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
    const results = await Promise.all(ids.map((id, i) => acquireLock(i % 2 ? a : b, { environment: 'k8s-demo', jobId: id, holder: `user ${id}` }, 60_000)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const held = await a.jobLock.findUniqueOrThrow({ where: { environment: 'k8s-demo' } });
    for (const r of results.filter((x) => !x.ok)) {
      expect(r).toMatchObject({ ok: false, held: { jobId: held.jobId, holder: held.holder, since: held.since } });
    }
    await releaseLock(b, 'k8s-demo', held.jobId);
    expect(await a.jobLock.count()).toBe(0);
  });

  it('a lock whose job finished, or whose instance stopped beating, is taken over; a live one is not', async () => {
    await job(a, 'live', 'running');
    await job(a, 'next');
    expect((await acquireLock(a, { environment: 'k8s-demo', jobId: 'live', holder: 'Live' }, 60_000)).ok).toBe(true);
    expect((await acquireLock(b, { environment: 'k8s-demo', jobId: 'next', holder: 'Next' }, 60_000)).ok).toBe(false);
    await a.job.update({ where: { id: 'live' }, data: { heartbeatAt: new Date(Date.now() - 120_000) } });
    expect((await acquireLock(b, { environment: 'k8s-demo', jobId: 'next', holder: 'Next' }, 60_000)).ok).toBe(true);
    await b.job.update({ where: { id: 'next' }, data: { status: 'succeeded' } });
    await job(b, 'third');
    expect((await acquireLock(a, { environment: 'k8s-demo', jobId: 'third', holder: 'Third' }, 60_000)).ok).toBe(true);
    expect((await a.jobLock.findUniqueOrThrow({ where: { environment: 'k8s-demo' } })).holder).toBe('Third');
  });
});
