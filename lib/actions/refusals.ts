import 'server-only';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { getConfig } from '../config';

/**
 * Refused calls cost the caller, not the database. Anyone can send a refused
 * call, and each used to become an audit record with its raw input; now:
 * - a caller (a signed-in user by id, else the client address) is recorded
 *   once per window per action, with how many refusals the window before
 *   held that were not recorded one by one;
 * - all anonymous callers together are recorded at most `anonymousRecords`
 *   times a window, so rotating addresses does not grow the trail either;
 * - past `perCaller` refusals a window the caller is answered "too many"
 *   without any further work.
 * Counters live in this process (one per instance, in every bundle), which is
 * what a rate limit needs: several instances each apply the same limits.
 */
export interface RefusalLimits {
  windowS: number;
  perCaller: number;
  anonymousRecords: number;
}

export const DEFAULT_REFUSAL_LIMITS: RefusalLimits = { windowS: 60, perCaller: 30, anonymousRecords: 20 };

export interface RefusalDecision {
  /** Write this refusal to the audit trail. */
  record: boolean;
  /** Refusals of this caller and action not recorded since the last record. */
  suppressed: number;
  /** Over the limit: answer "too many requests" and stop. */
  throttled: boolean;
  retryAfterS: number;
}

export class RefusalGate {
  private readonly calls: RateLimiterMemory;
  private readonly records: RateLimiterMemory;
  private readonly anonymous: RateLimiterMemory;
  private readonly unrecorded = new Map<string, number>();

  constructor(private readonly limits: RefusalLimits = DEFAULT_REFUSAL_LIMITS) {
    this.calls = new RateLimiterMemory({ points: limits.perCaller, duration: limits.windowS });
    this.records = new RateLimiterMemory({ points: 1, duration: limits.windowS });
    this.anonymous = new RateLimiterMemory({ points: limits.anonymousRecords, duration: limits.windowS });
  }

  async refuse(caller: { userId?: string; address: string }, action: string): Promise<RefusalDecision> {
    const who = caller.userId ? `user:${caller.userId}` : `addr:${caller.address}`;
    const throttled = await settle(this.calls.consume(who));
    const key = `${who}|${action}`;
    const first = !(await settle(this.records.consume(key))).over;
    // Take the count in the same tick as the decision: refusals arrive concurrently.
    let suppressed = 0;
    if (first) {
      suppressed = this.unrecorded.get(key) ?? 0;
      this.unrecorded.delete(key);
    } else this.count(key);
    let record = first;
    if (first && !caller.userId && (await settle(this.anonymous.consume('all'))).over) {
      record = false;
      this.count(key, suppressed + 1);
      suppressed = 0;
    }
    return { record, suppressed, throttled: throttled.over, retryAfterS: Math.ceil(throttled.msBeforeNext / 1000) };
  }

  private count(key: string, n = 1): void {
    // Bounded: a flood of distinct keys forgets the counts rather than the memory.
    if (this.unrecorded.size > 10_000) this.unrecorded.clear();
    this.unrecorded.set(key, (this.unrecorded.get(key) ?? 0) + n);
  }
}

async function settle(p: Promise<RateLimiterRes>): Promise<{ over: boolean; msBeforeNext: number }> {
  try {
    const r = await p;
    return { over: false, msBeforeNext: r.msBeforeNext };
  } catch (e) {
    if (e instanceof RateLimiterRes || (e && typeof e === 'object' && 'msBeforeNext' in e)) return { over: true, msBeforeNext: (e as RateLimiterRes).msBeforeNext };
    throw e;
  }
}

/**
 * The address a request came from, as the nearest proxy saw it: the last
 * entry of X-Forwarded-For (Next sets it from the socket when absent; App
 * Service's front end appends the client). A client can prepend entries, not
 * change the last one a proxy added.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').pop()?.trim();
  return last && last.length <= 64 ? last : 'unknown';
}

const KEY = Symbol.for('aks-demo.refusal-gate');
type Holder = { [KEY]?: RefusalGate };

/** One gate per process, shared by every bundle. */
export function refusalGate(): RefusalGate {
  const g = globalThis as Holder;
  g[KEY] ??= new RefusalGate({ ...DEFAULT_REFUSAL_LIMITS, perCaller: getConfig().limits.refusalsPerMinute });
  return g[KEY];
}

/** Sign-in starts per address: each creates a pending request row, so they are limited too. */
const SIGN_IN_KEY = Symbol.for('aks-demo.sign-in-limit');
type SignInHolder = { [SIGN_IN_KEY]?: RateLimiterMemory };

export async function allowSignInStart(address: string): Promise<{ allowed: boolean; retryAfterS: number }> {
  const g = globalThis as SignInHolder;
  g[SIGN_IN_KEY] ??= new RateLimiterMemory({ points: getConfig().limits.signInsPerMinute, duration: 60 });
  const r = await settle(g[SIGN_IN_KEY].consume(address));
  return { allowed: !r.over, retryAfterS: Math.ceil(r.msBeforeNext / 1000) };
}
