import 'server-only';
import type { Db } from '../db';

/**
 * One mutating job per environment: the lock is a lease in the database, a row whose primary
 * key is the environment, so the database decides between instances (SQLite or PostgreSQL
 * alike). It names the job, who started it, since when, the server that runs it and that
 * server's last heartbeat.
 *
 * It behaves like OpenTofu's state lock: the job that took it releases it when it ends, however
 * it ends. A job cut off by a crash or a restart keeps it — its heartbeat just stops — because
 * what that job already changed is unknown; only an explicit force unlock (Admin, audited)
 * releases it then. A leftover row whose job did end (the server died between recording the end
 * and releasing) is taken over.
 */
export interface LockHeld {
  environment: string;
  jobId: string;
  holder: string;
  since: Date;
  instance: string | null;
  heartbeatAt: Date | null;
}

export const FINISHED = ['succeeded', 'failed', 'cancelled', 'interrupted'];
/** Ended on its own: its lock should already be gone. An interrupted job did not end on its own. */
const ENDED_NORMALLY = ['succeeded', 'failed', 'cancelled'];

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'P2002' || /unique constraint/i.test(e?.message ?? '');
}

export async function acquireLock(
  db: Db,
  lock: { environment: string; jobId: string; holder: string; instance: string },
): Promise<{ ok: true } | { ok: false; held: LockHeld }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const now = new Date();
      await db.jobLock.create({ data: { ...lock, since: now, heartbeatAt: now } });
      return { ok: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const held = await db.jobLock.findUnique({ where: { environment: lock.environment } });
    if (!held) continue; // released in between
    const job = await db.job.findUnique({ where: { id: held.jobId }, select: { status: true } });
    if (!job || ENDED_NORMALLY.includes(job.status)) {
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

/** The running job's server renews its lease; a lock it no longer holds is left alone. */
export async function renewLock(db: Db, environment: string, jobId: string): Promise<void> {
  await db.jobLock.updateMany({ where: { environment, jobId }, data: { heartbeatAt: new Date() } });
}

export async function releaseLock(db: Db, environment: string, jobId: string): Promise<void> {
  await db.jobLock.deleteMany({ where: { environment, jobId } });
}

/**
 * Force unlock: releases the lock only if it is still the one the caller saw (its job id, as
 * `tofu force-unlock LOCK_ID`). Returns the lock released, or null when it had changed.
 */
export async function forceReleaseLock(db: Db, environment: string, jobId: string): Promise<LockHeld | null> {
  const held = await db.jobLock.findUnique({ where: { environment } });
  if (!held || held.jobId !== jobId) return null;
  const { count } = await db.jobLock.deleteMany({ where: { environment, jobId } });
  return count ? held : null;
}

export async function currentLock(db: Db, environment: string): Promise<LockHeld | null> {
  return db.jobLock.findUnique({ where: { environment } });
}
