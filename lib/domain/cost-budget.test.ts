import { describe, expect, it } from 'vitest';
import { hoursLeftWithinBudget, hoursToMonthEnd, projectedCrossingDay, sessionCost } from './cost-budget';

describe('hoursLeftWithinBudget', () => {
  it.each([
    // budget, spent, hours remaining, awake, idle → hours, over even idle, unlimited
    [250, 100, 100, 2.0, 0.5, 66.6667, false, false], // floor 150, room 100, 1.5 per extra hour
    [250, 240, 100, 2.0, 0.5, 0, true, false], // idle alone ends at 290
    [250, 200, 100, 2.0, 0.5, 0, false, false], // exactly at the floor
    [250, 0, 10, 2.0, 0, 10, false, true], // every remaining hour fits
    [250, 100, 50, 2.0, 2.0, 50, false, true], // no power-down: awake = idle, floor 200 fits
    [250, 300, 0, 2.0, 0.5, 0, true, false], // month over, budget already passed
    [250, 10, -5, 2.0, 0.5, 0, false, false], // clock past month end
    [250, 0, 720, 2.449687, 0.958687, 0, true, false], // NAP asleep with Bastion: idle alone is 690 for a 30-day month
    [250, 0, 720, 2.449687, 0, 102.05, false, false], // torn down between sessions: 250 / 2.449687
  ])('budget %d, spent %d, %d h left, %f/%f $/h → %f h', (budget, spent, remaining, awakeRate, idleRate, hours, over, unlimited) => {
    const r = hoursLeftWithinBudget({ budget, spentToDate: spent, hoursRemaining: remaining, awakePerHour: awakeRate, idlePerHour: idleRate });
    expect(r.hours).toBeCloseTo(hours, 2);
    expect(r.overEvenIdle).toBe(over);
    expect(r.unlimited).toBe(unlimited);
  });
});

describe('projectedCrossingDay', () => {
  const d = (date: string, amount: number, kind: 'actual' | 'forecast' = 'actual') => ({ date, amount, kind });
  it.each([
    [[d('2026-11-01', 100), d('2026-11-02', 100), d('2026-11-03', 60, 'forecast')], { date: '2026-11-03', kind: 'forecast' }],
    [[d('2026-11-02', 200), d('2026-11-01', 60)], { date: '2026-11-02', kind: 'actual' }],
    [[d('2026-11-01', 125), d('2026-11-02', 125)], null], // reaching 250 is not crossing it
    [[], null],
  ])('%j → %j', (days, expected) => {
    expect(projectedCrossingDay(days, 250)).toEqual(expected);
  });
});

describe('time helpers', () => {
  it('hours to the end of the UTC month and the session meter', () => {
    expect(hoursToMonthEnd(Date.UTC(2026, 10, 30, 12))).toBe(12);
    expect(hoursToMonthEnd(Date.UTC(2026, 1, 1))).toBe(28 * 24);
    expect(sessionCost(0, 90 * 60_000, 2)).toBe(3);
    expect(sessionCost(100, 0, 2)).toBe(0);
  });
});
