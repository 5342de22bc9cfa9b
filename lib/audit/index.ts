import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getDb } from '../db';
import type { Actor } from '../auth';

export type AuditResult = 'ok' | 'accepted' | 'refused' | 'failed' | 'forbidden' | 'invalid';

export interface AuditInput {
  actor: Actor | null;
  action: string;
  target: string;
  params: unknown;
  result: AuditResult;
  error?: string;
  durationMs: number;
  at?: Date;
}

const SECRET_KEY = /secret|password|token|key|credential/i;

/** Parameters as stored: values under secret-looking keys are removed. */
export function redactParams(params: unknown): unknown {
  if (Array.isArray(params)) return params.map(redactParams);
  if (params && typeof params === 'object') {
    return Object.fromEntries(
      Object.entries(params as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactParams(v)]),
    );
  }
  return params;
}

export async function recordAudit(entry: AuditInput): Promise<void> {
  await getDb().auditEntry.create({
    data: {
      id: randomUUID(),
      at: entry.at ?? new Date(),
      actorId: entry.actor?.id ?? 'anonymous',
      actorName: entry.actor?.name ?? 'anonymous',
      role: entry.actor?.role ?? 'none',
      action: entry.action,
      target: entry.target,
      params: JSON.stringify(redactParams(entry.params) ?? null),
      result: entry.result,
      error: entry.error ?? null,
      durationMs: Math.round(entry.durationMs),
    },
  });
}

export const auditFilter = z.object({
  user: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  target: z.string().max(200).optional(),
  result: z.enum(['ok', 'accepted', 'refused', 'failed', 'forbidden', 'invalid']).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Keyset cursor: `<iso time>_<id>` of the last row of the previous page. */
  cursor: z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[\w-]+$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AuditFilter = z.input<typeof auditFilter>;

function where(f: z.infer<typeof auditFilter>) {
  const and: Record<string, unknown>[] = [];
  if (f.user) and.push({ OR: [{ actorName: { contains: f.user } }, { actorId: f.user }] });
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.target) and.push({ target: f.target });
  if (f.result) and.push({ result: f.result });
  if (f.from) and.push({ at: { gte: f.from } });
  if (f.to) and.push({ at: { lte: f.to } });
  return and;
}

function parseCursor(cursor: string): { at: Date; id: string } {
  const i = cursor.indexOf('Z_');
  return { at: new Date(cursor.slice(0, i + 1)), id: cursor.slice(i + 2) };
}

/** One page of the audit trail, newest first, with the cursor of the next page. */
export async function queryAudit(input: AuditFilter) {
  const f = auditFilter.parse(input);
  const db = getDb();
  const and = where(f);
  let rows;
  if (f.cursor) {
    // Keyset: rows before (at, id). `at <= cursor.at` is one indexed range (an OR with the tie
    // condition would make SQLite sort every earlier row); rows tied on `at` are dropped here.
    const c = parseCursor(f.cursor);
    const ties = await db.auditEntry.count({ where: { AND: [...and, { at: c.at }] } });
    const candidates = await db.auditEntry.findMany({
      where: { AND: [...and, { at: { lte: c.at } }] },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: f.limit + 1 + ties,
    });
    rows = candidates.filter((r) => r.at.getTime() < c.at.getTime() || r.id < c.id).slice(0, f.limit + 1);
  } else {
    rows = await db.auditEntry.findMany({ where: and.length ? { AND: and } : {}, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: f.limit + 1 });
  }
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > f.limit && last ? `${last.at.toISOString()}_${last.id}` : undefined };
}

const CSV_COLUMNS = ['at', 'actorName', 'actorId', 'role', 'action', 'target', 'params', 'result', 'error', 'durationMs'] as const;

function csvCell(v: unknown): string {
  const s = v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v);
  // Quote always; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The filtered trail as CSV, streamed page by page. */
export async function* exportAuditCsv(input: Omit<AuditFilter, 'cursor' | 'limit'>): AsyncGenerator<string> {
  yield CSV_COLUMNS.join(',') + '\n';
  let cursor: string | undefined;
  do {
    const page = await queryAudit({ ...input, cursor, limit: 1000 });
    yield page.rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')).join('\n') + (page.rows.length ? '\n' : '');
    cursor = page.nextCursor;
  } while (cursor);
}
