/** Budget arithmetic: the uptime left within the budget, the day the budget is crossed, and the month's clock. */

export interface HoursLeftInput {
  budget: number;
  spentToDate: number;
  /** Hours from now to the end of the month. */
  hoursRemaining: number;
  awakePerHour: number;
  idlePerHour: number;
}

export interface HoursLeft {
  /** Awake hours that still fit in the budget this month (capped at the hours remaining). */
  hours: number;
  /** The month's cost if idle from now on. */
  idleFloor: number;
  /** Over budget even if idle from now on. */
  overEvenIdle: boolean;
  /** Every remaining hour fits awake. */
  unlimited: boolean;
}

/**
 * Hours of uptime left within the budget: what remains after the month-to-date
 * actual and the idle floor for the rest of the month, divided by what an awake
 * hour costs over an idle one.
 */
export function hoursLeftWithinBudget(i: HoursLeftInput): HoursLeft {
  const hoursRemaining = Math.max(0, i.hoursRemaining);
  const idleFloor = i.spentToDate + hoursRemaining * i.idlePerHour;
  const room = i.budget - idleFloor;
  const extra = i.awakePerHour - i.idlePerHour;
  if (room <= 0) return { hours: 0, idleFloor, overEvenIdle: room < 0, unlimited: false };
  if (extra <= 0) return { hours: hoursRemaining, idleFloor, overEvenIdle: false, unlimited: hoursRemaining > 0 };
  const hours = Math.min(hoursRemaining, room / extra);
  return { hours, idleFloor, overEvenIdle: false, unlimited: hoursRemaining > 0 && hours >= hoursRemaining };
}

export interface DailyCost {
  /** yyyy-mm-dd (UTC, as Cost Management reports UsageDate). */
  date: string;
  amount: number;
  kind: 'actual' | 'forecast';
}

/** The first day on which the cumulative cost (actual, then forecast) exceeds the budget; null if it never does this month. */
export function projectedCrossingDay(days: readonly DailyCost[], budget: number): { date: string; kind: 'actual' | 'forecast' } | null {
  let total = 0;
  for (const d of [...days].sort((a, b) => a.date.localeCompare(b.date))) {
    total += d.amount;
    if (total > budget) return { date: d.date, kind: d.kind };
  }
  return null;
}

/** Hours from `now` to the start of the next UTC month. */
export function hoursToMonthEnd(now: number): number {
  const d = new Date(now);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return (next - now) / 3_600_000;
}

export function monthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Cost since the environment last woke, at the current awake rate (modelled). */
export function sessionCost(wokeAt: number, now: number, perHour: number): number {
  return Math.max(0, (now - wokeAt) / 3_600_000) * perHour;
}
