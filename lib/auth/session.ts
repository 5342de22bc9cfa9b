import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { getConfig } from '../config';
import { getDb } from '../db';
import type { Role } from './roles';

/**
 * Server-side sessions. The browser holds only a random token in an HttpOnly
 * cookie; the database keeps its SHA-256, the user and the two expiries (idle
 * and absolute). Entra's tokens are never stored or sent to the browser.
 */
export const SESSION_COOKIE = 'aksdemo_session';

export interface SessionIdentity {
  userId: string;
  userName: string;
  loginName: string;
  tenantId: string;
  role: Role;
}

export interface SessionActor extends SessionIdentity {
  sessionId: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(identity: SessionIdentity, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const { sessionIdleMs, sessionAbsoluteMs } = getConfig().auth;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + sessionAbsoluteMs);
  await getDb().session.create({
    data: {
      id: hash(token),
      ...identity,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: new Date(Math.min(now.getTime() + sessionIdleMs, expiresAt.getTime())),
      expiresAt,
    },
  });
  return { token, expiresAt };
}

/** The session for a cookie token, extending its idle expiry; null when unknown or expired (and then deleted). */
export async function readSession(token: string | undefined, now = new Date()): Promise<SessionActor | null> {
  if (!token || token.length > 200) return null;
  const db = getDb();
  const id = hash(token);
  const s = await db.session.findUnique({ where: { id } });
  if (!s) return null;
  if (s.expiresAt <= now || s.idleExpiresAt <= now) {
    await db.session.delete({ where: { id } }).catch(() => undefined);
    return null;
  }
  const { sessionIdleMs } = getConfig().auth;
  // Touch at most once a minute: reads stay cheap.
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000) {
    await db.session.update({
      where: { id },
      data: { lastSeenAt: now, idleExpiresAt: new Date(Math.min(now.getTime() + sessionIdleMs, s.expiresAt.getTime())) },
    });
  }
  return { sessionId: id, userId: s.userId, userName: s.userName, loginName: s.loginName, tenantId: s.tenantId, role: s.role as Role };
}

export async function endSession(token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const r = await getDb().session.deleteMany({ where: { id: hash(token) } });
  return r.count > 0;
}
