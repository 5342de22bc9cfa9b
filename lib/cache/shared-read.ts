import { getConfig } from '../config';
import { AppError } from '../errors';

/**
 * Reads shared by every viewer: an answer is kept for `ttlMs` and concurrent
 * callers wait on the same in-flight request, so the number of upstream calls
 * (ARM and Cost Management throttle hard) does not grow with open browsers.
 * The last good answer is kept with the time it was fetched, so a failed or
 * slow refresh shows stale data with its real age. A reader never waits
 * longer than a deadline: `staleWaitMs` when there is a last answer to show,
 * `deadlineMs` when there is none; the refresh goes on in the background and
 * fills the cache for the next reader.
 */
export interface Deadlines {
  staleWaitMs: number;
  deadlineMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { staleWaitMs: 1500, deadlineMs: 10_000 };

export interface SharedValue<T> {
  value: T;
  fetchedAt: number;
}

export interface SharedReadResult<T> {
  /** The fresh value, or the last good one when the refresh failed. */
  value?: T;
  fetchedAt?: number;
  error?: unknown;
  /** When that error happened (a failure is remembered for the TTL). */
  errorAt?: number;
  stale: boolean;
  /** A refresh is still running past the deadline; the next read may have it. */
  refreshing?: boolean;
}

interface Entry {
  last?: SharedValue<unknown>;
  /** Invalidated: the last answer is kept (with its real time) but not fresh. */
  expired?: boolean;
  /** Bumped by an invalidation: a load started before it neither serves nor stores its answer after it. */
  generation: number;
  inFlight?: Promise<SharedValue<unknown>>;
  lastError?: { error: unknown; at: number };
}

export class SharedReads {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly deadlines: Deadlines = DEFAULT_DEADLINES,
  ) {}

  async read<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<SharedReadResult<T>> {
    const entry: Entry = this.entries.get(key) ?? { generation: 0 };
    this.entries.set(key, entry);
    const t = this.now();
    if (entry.last && !entry.expired && t - entry.last.fetchedAt < ttlMs) {
      return { value: entry.last.value as T, fetchedAt: entry.last.fetchedAt, stale: false };
    }
    // A failure is also remembered for the TTL, so a failing upstream is not hammered.
    if (entry.lastError && t - entry.lastError.at < ttlMs) {
      return { value: entry.last?.value as T | undefined, fetchedAt: entry.last?.fetchedAt, error: entry.lastError.error, errorAt: entry.lastError.at, stale: true };
    }
    if (!entry.inFlight) {
      const generation = entry.generation;
      const current = () => entry.generation === generation;
      const loading: Promise<SharedValue<unknown>> = load()
        .then((value) => {
          const fresh = { value, fetchedAt: this.now() };
          if (current()) {
            entry.last = fresh;
            entry.expired = false;
            entry.lastError = undefined;
          }
          return fresh;
        })
        .catch((error: unknown) => {
          if (current()) entry.lastError = { error, at: this.now() };
          throw error;
        })
        .finally(() => {
          if (entry.inFlight === loading) entry.inFlight = undefined;
        });
      entry.inFlight = loading;
    }
    const inFlight = entry.inFlight;
    // After an invalidation (a command changed the state and will read it to decide) the reader waits for the
    // fresh answer; only an answer that merely aged is shown stale at the short wait.
    const waitMs = entry.last && !entry.expired ? this.deadlines.staleWaitMs : this.deadlines.deadlineMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), waitMs);
    });
    try {
      const fresh = await Promise.race([inFlight, late]);
      if (fresh === 'late') {
        const error = entry.last ? undefined : new AppError('upstream', `No answer within ${Math.round(waitMs / 1000)} s; still waiting for it.`, 'ReadDeadline');
        return { value: entry.last?.value as T | undefined, fetchedAt: entry.last?.fetchedAt, error, stale: true, refreshing: true };
      }
      return { value: fresh.value as T, fetchedAt: fresh.fetchedAt, stale: false };
    } catch (error) {
      return { value: entry.last?.value as T | undefined, fetchedAt: entry.last?.fetchedAt, error, errorAt: entry.lastError?.at ?? this.now(), stale: true };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Forgets everything, last good answers included. */
  clear(): void {
    this.entries.clear();
  }

  invalidate(prefix: string): void {
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix)) {
        entry.expired = true;
        entry.lastError = undefined;
        // A read already on its way may predate the change that caused the invalidation.
        entry.inFlight = undefined;
        entry.generation += 1;
      }
    }
  }
}

const KEY = Symbol.for('aks-demo.shared-reads');
type Holder = { [KEY]?: SharedReads };

/** The process-wide instance (one per server process, shared by all route bundles). */
export function sharedReads(): SharedReads {
  const g = globalThis as Holder;
  const { waitMs, deadlineMs } = getConfig().upstream;
  g[KEY] ??= new SharedReads(Date.now, { staleWaitMs: waitMs, deadlineMs });
  return g[KEY];
}
