import type { Db } from '../db';

/**
 * One mutating job per environment: the lock is a row whose primary key is the
 * environment, so the database decides between instances (SQLite or PostgreSQL alike). A lock
 * whose job has finished, or whose instance stopped beating, is taken over.
 */
export interface LockHeld {
  environment: string;
  jobId: string;
  holder: string;
  since: Date;
}

export const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'P2002' || /unique constraint/i.test(e?.message ?? '');
}

export async function acquireLock(
  db: Db,
  lock: { environment: string; jobId: string; holder: string },
  staleMs: number,
): Promise<{ ok: true } | { ok: false; held: LockHeld }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await db.jobLock.create({ data: { ...lock, since: new Date() } });
      return { ok: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const held = await db.jobLock.findUnique({ where: { environment: lock.environment } });
    if (!held) continue; // released in between
    const job = await db.job.findUnique({ where: { id: held.jobId } });
    const stale = job?.heartbeatAt ? Date.now() - job.heartbeatAt.getTime() > staleMs : job ? Date.now() - job.createdAt.getTime() > staleMs : true;
    if (!job || FINISHED.includes(job.status) || (job.status === 'running' && stale)) {
      // Only this exact lock row: if another instance took it over meanwhile, ours deletes nothing.
      await db.jobLock.deleteMany({ where: { environment: lock.environment, jobId: held.jobId } });
      continue;
    }
    return { ok: false, held };
  }
  const held = await db.jobLock.findUnique({ where: { environment: lock.environment } });
  if (held) return { ok: false, held };
  throw new Error('could not take the job lock');
}

export async function releaseLock(db: Db, environment: string, jobId: string): Promise<void> {
  await db.jobLock.deleteMany({ where: { environment, jobId } });
}

export async function currentLock(db: Db, environment: string): Promise<LockHeld | null> {
  return db.jobLock.findUnique({ where: { environment } });
}
