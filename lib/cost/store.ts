import 'server-only';
import { getDb } from '../db';
import { toUserError, type UserError } from '../errors';
import { CostThrottledError } from './throttling';

/**
 * Cost Management answers kept in the database. A page reads the stored answer
 * and never waits for Cost Management: when the answer is older than the
 * refresh interval, a refresh starts in the background. Refreshes are
 * coalesced in this process (one promise per key) and across instances (a
 * lease on the row), and none starts while Cost Management has said to back off.
 */
export interface Stored<T> {
  value?: T;
  fetchedAt?: number;
  error?: UserError;
  errorAt?: number;
  throttledUntil?: number;
  /** A refresh is running (here or in another instance). */
  refreshing: boolean;
}

const LEASE_MS = 60_000;
/** A failed refresh is not retried sooner than this (a failing upstream is not hammered). */
const ERROR_BACKOFF_MS = 60_000;

const KEY = Symbol.for('aks-demo.cost-refreshes');
type Holder = { [KEY]?: Map<string, Promise<void>> };
function inFlight(): Map<string, Promise<void>> {
  const g = globalThis as Holder;
  g[KEY] ??= new Map();
  return g[KEY];
}

export interface AnswerSpec<T> {
  key: string;
  scope: string;
  kind: string;
  load: () => Promise<T>;
  /** Refresh when the stored answer is older than this. */
  maxAgeMs: number;
  /** An answer that no longer fits (e.g. last month's) counts as stale whatever its age. */
  outdated?: (value: T) => boolean;
  /** Runs after a fresh answer is stored (the budget guard follows the forecast). */
  onFresh?: (value: T) => Promise<unknown>;
}

type Row = Awaited<ReturnType<ReturnType<typeof getDb>['costAnswer']['findUnique']>>;

function toStored<T>(row: Row, refreshing: boolean): Stored<T> {
  if (!row) return { refreshing };
  return {
    value: row.body ? (JSON.parse(row.body) as T) : undefined,
    fetchedAt: row.fetchedAt?.getTime(),
    error: row.error ? (JSON.parse(row.error) as UserError) : undefined,
    errorAt: row.errorAt?.getTime(),
    throttledUntil: row.throttledUntil?.getTime(),
    refreshing: refreshing || (row.leaseUntil !== null && row.leaseUntil.getTime() > Date.now()),
  };
}

function needsRefresh<T>(s: Stored<T>, spec: AnswerSpec<T>, now: number): boolean {
  if (s.throttledUntil && s.throttledUntil > now) return false;
  if (s.errorAt && now - s.errorAt < ERROR_BACKOFF_MS && (!s.fetchedAt || s.errorAt > s.fetchedAt)) return false;
  if (s.value === undefined || s.fetchedAt === undefined) return true;
  return now - s.fetchedAt >= spec.maxAgeMs || (spec.outdated?.(s.value) ?? false);
}

/** The stored answer now; a background refresh starts if it is due. Never waits for Cost Management. */
export async function readAnswer<T>(spec: AnswerSpec<T>): Promise<Stored<T>> {
  const row = await getDb().costAnswer.findUnique({ where: { key: spec.key } });
  const stored = toStored<T>(row, inFlight().has(spec.key));
  if (!stored.refreshing && needsRefresh(stored, spec, Date.now())) {
    void refreshAnswer(spec).catch((err: unknown) => console.error(`cost refresh ${spec.key} failed`, err));
    return { ...stored, refreshing: true };
  }
  return stored;
}

/** Takes the row's lease; false when another refresh (here or elsewhere) holds it. */
async function takeLease(spec: AnswerSpec<unknown>, now: Date): Promise<boolean> {
  const db = getDb();
  const until = new Date(now.getTime() + LEASE_MS);
  const taken = await db.costAnswer.updateMany({
    where: { key: spec.key, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: until, updatedAt: now },
  });
  if (taken.count === 1) return true;
  if (await db.costAnswer.findUnique({ where: { key: spec.key }, select: { key: true } })) return false;
  try {
    await db.costAnswer.create({ data: { key: spec.key, scope: spec.scope, kind: spec.kind, leaseUntil: until, updatedAt: now } });
    return true;
  } catch {
    return false; // another instance created it first
  }
}

/** Refreshes one answer now (coalesced). Resolves when done, whatever the outcome (stored on the row). */
export function refreshAnswer<T>(spec: AnswerSpec<T>): Promise<void> {
  const running = inFlight().get(spec.key);
  if (running) return running;
  const p = (async () => {
    const db = getDb();
    if (!(await takeLease(spec as AnswerSpec<unknown>, new Date()))) return;
    try {
      const value = await spec.load();
      const at = new Date();
      await db.costAnswer.update({
        where: { key: spec.key },
        data: { body: JSON.stringify(value), fetchedAt: at, error: null, errorAt: null, throttledUntil: null, leaseUntil: null, updatedAt: at },
      });
      await spec.onFresh?.(value).catch((err: unknown) => console.error(`after refreshing ${spec.key}`, err));
    } catch (err) {
      const at = new Date();
      const throttledUntil = err instanceof CostThrottledError ? new Date(at.getTime() + err.retryAfterMs) : null;
      const error: UserError = err instanceof CostThrottledError ? { kind: 'throttled', message: err.message, code: '429' } : toUserError(err);
      await db.costAnswer.update({
        where: { key: spec.key },
        data: { error: JSON.stringify(error), errorAt: at, throttledUntil, leaseUntil: null, updatedAt: at },
      });
    }
  })().finally(() => inFlight().delete(spec.key));
  inFlight().set(spec.key, p);
  return p;
}

/**
 * An on-demand refresh (a button): allowed when Cost Management has not said
 * to back off and the last answer is at least `minAgeMs` old.
 */
export async function refreshOnDemand<T>(spec: AnswerSpec<T>, minAgeMs: number): Promise<{ refreshed: boolean; reason?: string }> {
  const stored = toStored<T>(await getDb().costAnswer.findUnique({ where: { key: spec.key } }), inFlight().has(spec.key));
  const now = Date.now();
  if (stored.throttledUntil && stored.throttledUntil > now) {
    return { refreshed: false, reason: `Cost Management asked to wait until ${new Date(stored.throttledUntil).toISOString()}` };
  }
  if (stored.fetchedAt && now - stored.fetchedAt < minAgeMs) {
    return { refreshed: false, reason: `the stored answer is ${Math.round((now - stored.fetchedAt) / 60_000)} min old; on-demand refreshes are at most every ${Math.round(minAgeMs / 60_000)} min` };
  }
  await refreshAnswer(spec);
  return { refreshed: true };
}
