import { metersOf, type BilledStructure, type Meter } from './meters';

/**
 * The twin's bill: a timeline of segments, each a constant set of meters
 * billing from `start` to `end` (open while current). A power event or any
 * change of the billed structure closes the current segment and opens the next;
 * cost over any window is then exact (rate × overlapping hours).
 */
export interface Segment {
  start: number;
  end?: number;
  structure: BilledStructure;
  meters: Meter[];
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function utcDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

export function usageDate(t: number): number {
  const d = new Date(t);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

export function monthStartOf(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export class Ledger {
  readonly segments: Segment[] = [];

  constructor(
    private readonly subscriptionId: string,
    private readonly commonResourceGroup: string,
  ) {}

  private open(start: number, structure: BilledStructure): void {
    this.segments.push({ start, structure, meters: metersOf(structure, this.subscriptionId, this.commonResourceGroup) });
  }

  get current(): Segment | undefined {
    const last = this.segments.at(-1);
    return last && last.end === undefined ? last : undefined;
  }

  /** Starts billing `structure` at `at` (closing what was billing). */
  switchTo(at: number, structure: BilledStructure): void {
    const cur = this.current;
    if (cur) {
      const t = Math.max(at, cur.start);
      if (JSON.stringify(cur.structure) === JSON.stringify(structure)) return;
      cur.end = t;
      this.open(t, structure);
    } else {
      this.open(at, structure);
    }
  }

  /** A closed stretch of history (seeded sessions). */
  addPast(start: number, end: number, structure: BilledStructure): void {
    this.segments.push({ start, end, structure, meters: metersOf(structure, this.subscriptionId, this.commonResourceGroup) });
  }

  /** Cost per UTC day and meter over [from, to). */
  *accrue(from: number, to: number): Generator<{ day: number; meter: Meter; cost: number }> {
    for (const seg of this.segments) {
      const a = Math.max(from, seg.start);
      const b = Math.min(to, seg.end ?? to);
      if (b <= a) continue;
      for (let day = utcDay(a); day < b; day += DAY) {
        const hours = (Math.min(b, day + DAY) - Math.max(a, day)) / HOUR;
        if (hours <= 0) continue;
        for (const meter of seg.meters) yield { day, meter, cost: meter.perHour * hours };
      }
    }
  }

  total(from: number, to: number, filter: (m: Meter) => boolean = () => true): number {
    let sum = 0;
    for (const r of this.accrue(from, to)) if (filter(r.meter)) sum += r.cost;
    return sum;
  }

  /** The bill's hourly rate right now. */
  rateNow(filter: (m: Meter) => boolean = () => true): number {
    return (this.current?.meters ?? []).filter(filter).reduce((s, m) => s + m.perHour, 0);
  }
}

/**
 * A plausible month so far, from the same meters: pattern A sessions (the
 * environment applied for 2.5 h and destroyed) on every third day at 10:00 KST,
 * then the current deployment, up for the last 3 hours.
 */
export function seedHistory(ledger: Ledger, now: number, awake: BilledStructure): number {
  const month = monthStartOf(now);
  const createdAt = Math.max(month, now - 3 * HOUR);
  for (let day = month; day < createdAt; day += DAY) {
    if (new Date(day).getUTCDate() % 3 !== 1) continue;
    const start = day + 1 * HOUR; // 10:00 KST
    const end = Math.min(start + 2.5 * HOUR, createdAt);
    if (end > start) ledger.addPast(start, end, awake);
  }
  return createdAt;
}
