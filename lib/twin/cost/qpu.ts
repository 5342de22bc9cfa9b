/**
 * Cost Management's query processing units, metered per tenant over sliding
 * windows (Cost Management automation docs: 12 QPU per 10 s, 60 per minute,
 * 600 per hour; a query costs about 1 QPU per month of data it covers).
 * Real time, not twin time: throttling is about how fast clients call.
 */
export const QPU_HEADERS = {
  consumed: 'x-ms-ratelimit-microsoft.costmanagement-qpu-consumed',
  remaining: 'x-ms-ratelimit-microsoft.costmanagement-qpu-remaining',
  retryAfter: 'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after',
} as const;

export const QPU_WINDOWS = [
  { label: 'QueriesPerTenantPer10Seconds', ms: 10_000, limit: 12 },
  { label: 'QueriesPerTenantPer1Min', ms: 60_000, limit: 60 },
  { label: 'QueriesPerTenantPer1Hour', ms: 3_600_000, limit: 600 },
] as const;

export type QpuDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; retryAfterSeconds: number; headers: Record<string, string> };

export class QpuMeter {
  private spent: { at: number; qpu: number }[] = [];

  constructor(private readonly realNow: () => number = Date.now) {}

  reset(): void {
    this.spent = [];
  }

  private used(windowMs: number, now: number): number {
    return this.spent.filter((s) => s.at > now - windowMs).reduce((n, s) => n + s.qpu, 0);
  }

  /** Charges `qpu` if every window has room; otherwise says how long to wait. */
  charge(qpu: number): QpuDecision {
    const now = this.realNow();
    this.spent = this.spent.filter((s) => s.at > now - QPU_WINDOWS[2].ms);
    let wait = 0;
    for (const w of QPU_WINDOWS) {
      if (this.used(w.ms, now) + qpu <= w.limit) continue;
      // The earliest time at which enough of this window's spending has aged out.
      let freed = 0;
      const need = this.used(w.ms, now) + qpu - w.limit;
      for (const s of this.spent.filter((x) => x.at > now - w.ms).sort((a, b) => a.at - b.at)) {
        freed += s.qpu;
        if (freed >= need) {
          wait = Math.max(wait, s.at + w.ms - now);
          break;
        }
      }
    }
    if (wait > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(wait / 1000));
      return { ok: false, retryAfterSeconds, headers: { [QPU_HEADERS.retryAfter]: String(retryAfterSeconds), [QPU_HEADERS.remaining]: this.remaining(now) } };
    }
    this.spent.push({ at: now, qpu });
    return { ok: true, headers: { [QPU_HEADERS.consumed]: String(qpu), [QPU_HEADERS.remaining]: this.remaining(now) } };
  }

  private remaining(now: number): string {
    return QPU_WINDOWS.map((w) => `${w.label}:${Math.max(0, w.limit - this.used(w.ms, now))}`).join(',');
  }
}
