import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { migrate } from '../db/migrate';

let audit: typeof import('./index');

beforeAll(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'audit-test-')), 'a.db')}`;
  process.env.DATABASE_URL = url;
  await migrate(url, resolve('.'));
  audit = await import('./index');
  const actor = { id: 'oid-1', name: 'Olivia Operator', role: 'Operator' as const, via: 'session' as const };
  const at = new Date('2026-11-26T10:00:00Z');
  // 7 entries, 4 of them at the very same millisecond: paging must neither skip nor repeat ties.
  for (let i = 0; i < 7; i++) {
    await audit.recordAudit({ actor, action: i % 2 ? 'cluster.stop' : 'cluster.start', target: `app${i % 3}`, params: { i, clientSecret: 'hunter2' }, result: i === 3 ? 'refused' : 'ok', durationMs: 5, at: i < 4 ? at : new Date(at.getTime() + i * 1000) });
  }
  await audit.recordAudit({ actor, action: 'note', target: '=cmd|calc', params: { note: '"quoted"' }, result: 'ok', durationMs: 1, at: new Date('2026-11-26T09:00:00Z') });
});

describe('audit trail', () => {
  it('pages through every entry exactly once, newest first, ties included', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await audit.queryAudit({ limit: 2, cursor });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    const all = (await audit.queryAudit({ limit: 100 })).rows.map((r) => r.id);
    expect(seen).toEqual(all);
  });

  it('filters by user, action, target, result and time', async () => {
    expect((await audit.queryAudit({ action: 'cluster.stop' })).rows).toHaveLength(3);
    expect((await audit.queryAudit({ result: 'refused' })).rows).toHaveLength(1);
    expect((await audit.queryAudit({ target: 'app1' })).rows.every((r) => r.target === 'app1')).toBe(true);
    expect((await audit.queryAudit({ user: 'Olivia' })).rows).toHaveLength(8);
    expect((await audit.queryAudit({ user: 'Nobody' })).rows).toHaveLength(0);
    expect((await audit.queryAudit({ from: new Date('2026-11-26T10:00:03Z') })).rows).toHaveLength(3);
  });

  it('removes secrets from parameters', async () => {
    const row = (await audit.queryAudit({ action: 'cluster.start', limit: 1 })).rows[0];
    expect(row.params).toContain('[redacted]');
    expect(row.params).not.toContain('hunter2');
  });

  it('exports CSV with quoting and spreadsheet formulas neutralised', async () => {
    let csv = '';
    for await (const chunk of audit.exportAuditCsv({ action: 'note' })) csv += chunk;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('at,actorName,actorId,role,action,target,params,result,error,durationMs');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=cmd|calc"`);
    expect(lines[1]).toContain('"{""note"":""\\""quoted\\""""}"');
  });

  it('refuses a malformed filter', async () => {
    await expect(audit.queryAudit({ cursor: 'DROP TABLE' })).rejects.toThrow();
  });

  it('keeps every record small, whatever a caller sends', async () => {
    const huge = { blob: 'x'.repeat(900_000), list: Array.from({ length: 10_000 }, (_, i) => i), deep: { a: { b: { c: { d: { e: 'deep' } } } } } };
    await audit.recordAudit({ actor: null, action: 'x'.repeat(5000), target: 't'.repeat(5000), params: huge, result: 'forbidden', error: 'e'.repeat(50_000), durationMs: 1 });
    const row = (await audit.queryAudit({ result: 'forbidden', limit: 1 })).rows[0];
    expect(row.params.length).toBeLessThanOrEqual(audit.AUDIT_BOUNDS.paramsChars);
    expect(row.action.length).toBeLessThan(300);
    expect(row.target.length).toBeLessThan(300);
    expect(row.error!.length).toBeLessThan(1100);
    expect(JSON.parse(row.params)).toMatchObject({ blob: expect.stringMatching(/^x{256}…\(\+899744 chars\)$/), list: expect.arrayContaining(['…(+9980 items)']) });
  });

  it('treats % and _ in the user and action filters as the characters they are', async () => {
    const actor = { id: 'oid-pct', name: '100% Admin', role: 'Admin' as const, via: 'session' as const };
    await audit.recordAudit({ actor, action: 'zone_cordon', target: 'app1', params: {}, result: 'ok', durationMs: 1 });
    expect((await audit.queryAudit({ user: '%' })).rows.map((r) => r.actorName)).toEqual(['100% Admin']);
    expect((await audit.queryAudit({ user: '_' })).rows).toHaveLength(0);
    expect((await audit.queryAudit({ action: 'zone_' })).rows.map((r) => r.action)).toEqual(['zone_cordon']);
    expect((await audit.queryAudit({ action: 'cluster_' })).rows).toHaveLength(0);
  });

  it('pages through a wildcard filter whose matches are sparse without skipping any', async () => {
    const actor = { id: 'oid-sparse', name: 'Sparse', role: 'Reader' as const, via: 'session' as const };
    for (let i = 0; i < 30; i++) {
      await audit.recordAudit({ actor, action: i % 10 === 0 ? 'rare_one' : 'rareXone', target: 'x', params: { i }, result: 'ok', durationMs: 1, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await audit.queryAudit({ action: 'rare_', limit: 2, cursor });
      seen.push(...page.rows.map((r) => r.action));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['rare_one', 'rare_one', 'rare_one']);
  });

  it.each([
    [{ from: '+010000-01-01T00:00:00Z' }, 'a year past 9999'],
    [{ from: '2026-02-30' }, 'a day that does not exist'],
    [{ to: 'yesterday' }, 'words'],
    [{ user: 'Olivia\u0000' }, 'a NUL'],
    [{ user: '\u202Eailivo' }, 'a right-to-left override'],
  ] as [object, string][])('refuses %j (%s) instead of matching every row', async (filter) => {
    expect(audit.auditFilter.safeParse(filter).success).toBe(false);
    await expect(audit.queryAudit(filter as never)).rejects.toThrow();
  });

  it('reads a datetime-local filter as UTC', async () => {
    expect((await audit.queryAudit({ from: '2026-11-26T10:00:03' } as never)).rows.every((r) => r.at >= new Date('2026-11-26T10:00:03Z'))).toBe(true);
  });
});
