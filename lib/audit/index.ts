import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { getDb } from '../db';
import type { Actor } from '../domain/roles';
import { isoInstant, printableText } from '../domain/text';

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

/** What one audit record may hold: anyone can make the app record a refused call, so nothing in it is unbounded. */
export const AUDIT_BOUNDS = { stringChars: 256, arrayItems: 20, objectKeys: 30, depth: 4, paramsChars: 4096, errorChars: 1000, fieldChars: 200 } as const;

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…(+${s.length - max} chars)`;
}

/** Parameters cut to the bounds above: long strings clipped, long lists and deep objects summarised. */
export function boundParams(value: unknown, depth = 0): unknown {
  const b = AUDIT_BOUNDS;
  if (typeof value === 'string') return clip(value, b.stringChars);
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= b.depth) return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (Array.isArray(value)) {
    const kept = value.slice(0, b.arrayItems).map((v) => boundParams(v, depth + 1));
    return value.length > b.arrayItems ? [...kept, `…(+${value.length - b.arrayItems} items)`] : kept;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const kept = entries.slice(0, b.objectKeys).map(([k, v]) => [clip(k, 64), boundParams(v, depth + 1)]);
  if (entries.length > b.objectKeys) kept.push(['…', `+${entries.length - b.objectKeys} keys`]);
  return Object.fromEntries(kept);
}

/** The stored JSON of a call's parameters: redacted, bounded, and never longer than `paramsChars`. */
export function auditParamsJson(params: unknown): string {
  const json = JSON.stringify(boundParams(redactParams(params)) ?? null);
  return json.length <= AUDIT_BOUNDS.paramsChars ? json : JSON.stringify({ truncated: true, chars: json.length });
}

export async function recordAudit(entry: AuditInput): Promise<void> {
  const b = AUDIT_BOUNDS;
  await getDb().auditEntry.create({
    data: {
      id: randomUUID(),
      at: entry.at ?? new Date(),
      actorId: clip(entry.actor?.id ?? 'anonymous', b.fieldChars),
      actorName: clip(entry.actor?.name ?? 'anonymous', b.fieldChars),
      role: entry.actor?.role ?? 'none',
      action: clip(entry.action, b.fieldChars),
      target: clip(entry.target, b.fieldChars),
      params: auditParamsJson(entry.params),
      result: entry.result,
      error: entry.error === undefined ? null : clip(entry.error, b.errorChars),
      durationMs: Math.round(entry.durationMs),
    },
  });
}

/** The most rows one page (or one export batch) reads. */
export const MAX_PAGE = 500;

export const auditFilter = z.object({
  user: printableText(200).optional(),
  action: printableText(100).optional(),
  target: printableText(200).optional(),
  result: z.enum(['ok', 'accepted', 'refused', 'failed', 'forbidden', 'invalid']).optional(),
  from: z.union([z.date(), isoInstant]).optional(),
  to: z.union([z.date(), isoInstant]).optional(),
  /** Keyset cursor: `<iso time>_<id>` of the last row of the previous page. */
  cursor: z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[\w-]+$/).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
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

type Row = Awaited<ReturnType<ReturnType<typeof getDb>['auditEntry']['findMany']>>[number];

/** Up to `take` rows strictly before the keyset position `c` (or from the newest), newest first. */
async function rowsBefore(and: Record<string, unknown>[], c: { at: Date; id: string } | undefined, take: number): Promise<Row[]> {
  const db = getDb();
  if (!c) return db.auditEntry.findMany({ where: and.length ? { AND: and } : {}, orderBy: [{ at: 'desc' }, { id: 'desc' }], take });
  // `at <= cursor.at` is one indexed range (an OR with the tie condition would make SQLite sort
  // every earlier row); rows tied on `at` are dropped here.
  const ties = await db.auditEntry.count({ where: { AND: [...and, { at: c.at }] } });
  const candidates = await db.auditEntry.findMany({ where: { AND: [...and, { at: { lte: c.at } }] }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: take + ties });
  return candidates.filter((r) => r.at.getTime() < c.at.getTime() || r.id < c.id).slice(0, take);
}

const LIKE_WILDCARD = /[%_\\]/;
const MAX_ROUNDS = 20;

/**
 * One page of the audit trail, newest first, with the cursor of the next page.
 * The database's `contains`/`startsWith` are LIKE patterns, where `%` and `_`
 * are wildcards; a filter holding them matches a superset there, so those
 * rows are narrowed here to the literal text, reading on until the page is
 * full (at most MAX_ROUNDS reads; then the cursor continues where it stopped).
 */
export async function queryAudit(input: AuditFilter) {
  const f = auditFilter.parse(input);
  const and = where(f);
  const user = f.user && LIKE_WILDCARD.test(f.user) ? f.user.toLowerCase() : undefined;
  const action = f.action && LIKE_WILDCARD.test(f.action) ? f.action : undefined;
  const literal = (r: Row) => (!user || r.actorId === f.user || r.actorName.toLowerCase().includes(user)) && (!action || r.action.startsWith(action));
  const kept: Row[] = [];
  let position = f.cursor ? parseCursor(f.cursor) : undefined;
  let exhausted = false;
  for (let round = 0; kept.length <= f.limit && round < MAX_ROUNDS; round++) {
    const batch = await rowsBefore(and, position, f.limit + 1);
    kept.push(...batch.filter(literal));
    const last = batch[batch.length - 1];
    if (batch.length < f.limit + 1 || !last) {
      exhausted = true;
      break;
    }
    position = { at: last.at, id: last.id };
  }
  const page = kept.slice(0, f.limit);
  const tail = kept.length > f.limit ? page[page.length - 1] : exhausted ? undefined : position;
  return { rows: page, nextCursor: tail ? `${tail.at.toISOString()}_${tail.id}` : undefined };
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
    const page = await queryAudit({ ...input, cursor, limit: MAX_PAGE });
    yield page.rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')).join('\n') + (page.rows.length ? '\n' : '');
    cursor = page.nextCursor;
  } while (cursor);
}
