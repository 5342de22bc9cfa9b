import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Twin } from '../../test/twin-harness';
import type { Actor } from '../domain/roles';

let twin: Twin;
let share: typeof import('./share');
let db: typeof import('../db');
const operator = { id: 'op', name: 'Olivia Operator', role: 'Operator' } as Actor;

beforeAll(async () => {
  ({ twin } = await startHarness());
  share = await import('./share');
  db = await import('../db');
});

afterAll(async () => {
  await twin.close();
});

beforeEach(async () => {
  await db.getDb().shareLink.deleteMany({});
});

describe('share links to the audience screen', () => {
  it('a new link is valid until it expires; the database keeps only its hash', async () => {
    const now = new Date('2026-12-04T10:00:00Z');
    const { token, path, expiresAt } = await share.createShareLink(operator, { hours: 2 }, now);
    expect(path).toBe(`/watch/${token}`);
    expect(expiresAt).toBe(now.getTime() + 2 * 3_600_000);
    const rows = await db.getDb().shareLink.findMany();
    expect(rows.map((r) => r.id)).toEqual([createHash('sha256').update(token).digest('hex')]);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await share.readShareLink(token, new Date('2026-12-04T11:59:00Z'))).toMatchObject({ createdBy: 'Olivia Operator' });
    expect(await share.readShareLink(token, new Date('2026-12-04T12:00:00Z'))).toBeNull();
  });

  it('a revoked, unknown or malformed token grants nothing', async () => {
    const { token } = await share.createShareLink(operator, { hours: 1 });
    const [link] = await share.listShareLinks();
    expect(await share.revokeShareLink({ id: link.id })).toEqual({ revoked: true });
    expect(await share.readShareLink(token)).toBeNull();
    expect(await share.listShareLinks()).toEqual([]);
    expect(await share.readShareLink('A'.repeat(43))).toBeNull();
    expect(await share.readShareLink('../../etc/passwd')).toBeNull();
    expect(await share.readShareLink(undefined)).toBeNull();
  });

  it('is bounded: at most 20 valid links, and the hours between 1 and 24', async () => {
    for (let i = 0; i < 20; i++) await share.createShareLink(operator, { hours: 1 });
    await expect(share.createShareLink(operator, { hours: 1 })).rejects.toThrow(/already 20 valid share links/);
    expect(share.shareInput.safeParse({ hours: 25 }).success).toBe(false);
    expect(share.shareInput.safeParse({ hours: 0 }).success).toBe(false);
  });
});
