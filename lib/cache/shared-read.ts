/**
 * Reads shared by every viewer: an answer is kept for `ttlMs` and concurrent
 * callers wait on the same in-flight request, so the number of upstream calls
 * (ARM and Cost Management throttle hard) does not grow with open browsers.
 * The last good answer is kept, so a failed refresh can show stale data with its age.
 */
export interface SharedValue<T> {
  value: T;
  fetchedAt: number;
}

export interface SharedReadResult<T> {
  /** The fresh value, or the last good one when the refresh failed. */
  value?: T;
  fetchedAt?: number;
  error?: unknown;
  stale: boolean;
}

interface Entry {
  last?: SharedValue<unknown>;
  inFlight?: Promise<SharedValue<unknown>>;
  lastError?: { error: unknown; at: number };
}

export class SharedReads {
  private entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async read<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<SharedReadResult<T>> {
    const entry = this.entries.get(key) ?? {};
    this.entries.set(key, entry);
    const t = this.now();
    if (entry.last && t - entry.last.fetchedAt < ttlMs) {
      return { value: entry.last.value as T, fetchedAt: entry.last.fetchedAt, stale: false };
    }
    // A failure is also remembered for the TTL, so a failing upstream is not hammered.
    if (entry.lastError && t - entry.lastError.at < ttlMs) {
      return { value: entry.last?.value as T | undefined, fetchedAt: entry.last?.fetchedAt, error: entry.lastError.error, stale: true };
    }
    entry.inFlight ??= load()
      .then((value) => {
        entry.last = { value, fetchedAt: this.now() };
        entry.lastError = undefined;
        return entry.last;
      })
      .catch((error: unknown) => {
        entry.lastError = { error, at: this.now() };
        throw error;
      })
      .finally(() => {
        entry.inFlight = undefined;
      });
    try {
      const fresh = await entry.inFlight;
      return { value: fresh.value as T, fetchedAt: fresh.fetchedAt, stale: false };
    } catch (error) {
      return { value: entry.last?.value as T | undefined, fetchedAt: entry.last?.fetchedAt, error, stale: true };
    }
  }

  /** Forgets everything, last good answers included. */
  clear(): void {
    this.entries.clear();
  }

  invalidate(prefix: string): void {
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix)) {
        entry.last = entry.last && { ...entry.last, fetchedAt: -Infinity };
        entry.lastError = undefined;
      }
    }
  }
}

const KEY = Symbol.for('aks-demo.shared-reads');
type Holder = { [KEY]?: SharedReads };

/** The process-wide instance (one per server process, shared by all route bundles). */
export function sharedReads(): SharedReads {
  const g = globalThis as Holder;
  g[KEY] ??= new SharedReads();
  return g[KEY];
}
