import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getDb } from '../db';
import { AppError } from '../errors';
import type { Actor } from './index';

/**
 * Share links for the presenter's audience screen: whoever holds one sees that
 * screen (and its two live streams) and nothing else, until it expires or an
 * Operator revokes it. The token is 32 random bytes shown once; the database
 * keeps only its SHA-256. At most MAX_LIVE links are valid at a time.
 */
export const shareInput = z.object({ hours: z.number().int().min(1).max(24).default(4) });
export const revokeShareInput = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) });

const MAX_LIVE = 20;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface ShareLinkView {
  id: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
}

export async function createShareLink(actor: Actor, input: z.infer<typeof shareInput>, now = new Date()): Promise<{ token: string; path: string; expiresAt: number }> {
  const db = getDb();
  await db.shareLink.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { revokedAt: { not: null } }] } });
  if ((await db.shareLink.count()) >= MAX_LIVE) throw new AppError('refused', `There are already ${MAX_LIVE} valid share links; revoke one first.`);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + input.hours * 3_600_000);
  await db.shareLink.create({ data: { id: hash(token), createdBy: actor.name, createdAt: now, expiresAt } });
  return { token, path: `/watch/${token}`, expiresAt: expiresAt.getTime() };
}

/** Whether a token grants the audience screen now; anything malformed, unknown, expired or revoked does not. */
export async function readShareLink(token: string | undefined, now = new Date()): Promise<ShareLinkView | null> {
  if (!token || !TOKEN.test(token)) return null;
  const link = await getDb().shareLink.findUnique({ where: { id: hash(token) } });
  if (!link || link.revokedAt || link.expiresAt <= now) return null;
  return { id: link.id, createdBy: link.createdBy, createdAt: link.createdAt.getTime(), expiresAt: link.expiresAt.getTime() };
}

export async function listShareLinks(now = new Date()): Promise<ShareLinkView[]> {
  const rows = await getDb().shareLink.findMany({ where: { revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' }, take: MAX_LIVE });
  return rows.map((l) => ({ id: l.id, createdBy: l.createdBy, createdAt: l.createdAt.getTime(), expiresAt: l.expiresAt.getTime() }));
}

export async function revokeShareLink(input: z.infer<typeof revokeShareInput>, now = new Date()): Promise<{ revoked: boolean }> {
  const r = await getDb().shareLink.updateMany({ where: { id: input.id, revokedAt: null }, data: { revokedAt: now } });
  return { revoked: r.count > 0 };
}
