import { describe, expect, it } from 'vitest';
import { automationScheduleFrom, automationWarnings, classifyDue, nextOccurrences, occurrencesBetween, stopStartWarnings, type ScheduleSpec } from './schedule';

const weekdays = [1, 2, 3, 4, 5];
const seoulStop: ScheduleSpec = { action: 'stop', scope: 'all', days: weekdays, time: '22:00', timeZone: 'Asia/Seoul', holidays: [] };
const iso = (d: Date) => d.toISOString();

describe('nextOccurrences', () => {
  it.each([
    // [spec, after, expected next runs (UTC)]
    ['Seoul 22:00 weekdays, from a Wednesday noon', seoulStop, '2026-11-25T03:00:00Z', ['2026-11-25T13:00:00.000Z', '2026-11-26T13:00:00.000Z']],
    ['Seoul 22:00 weekdays, from Friday after the run: skips the weekend', seoulStop, '2026-11-27T13:00:00Z', ['2026-11-30T13:00:00.000Z', '2026-12-01T13:00:00.000Z']],
    ['Seoul 09:00 start', { ...seoulStop, action: 'start', time: '09:00' }, '2026-11-26T00:00:00Z', ['2026-11-27T00:00:00.000Z', '2026-11-30T00:00:00.000Z']],
    ['holiday skipped', { ...seoulStop, holidays: ['2026-11-26'] }, '2026-11-26T00:00:00Z', ['2026-11-27T13:00:00.000Z', '2026-11-30T13:00:00.000Z']],
    // DST: Europe/Berlin leaves summer time on 2026-10-25 (UTC+2 → UTC+1).
    ['Berlin 22:00 across the autumn change', { ...seoulStop, days: [1, 2, 3, 4, 5, 6, 7], timeZone: 'Europe/Berlin' }, '2026-10-24T12:00:00Z', ['2026-10-24T20:00:00.000Z', '2026-10-25T21:00:00.000Z']],
    // US: 2026-03-08 02:00 does not exist in New York: 02:30 runs at 03:30 EDT = 07:30 UTC.
    ['New York 02:30 on the spring-forward day', { ...seoulStop, days: [7], time: '02:30', timeZone: 'America/New_York' }, '2026-03-07T00:00:00Z', ['2026-03-08T07:30:00.000Z', '2026-03-15T06:30:00.000Z']],
    // 2026-11-01 01:30 happens twice in New York: one run, at the second (EST, 06:30 UTC), as Luxon resolves it.
    ['New York 01:30 on the fall-back day runs once', { ...seoulStop, days: [7], time: '01:30', timeZone: 'America/New_York' }, '2026-10-31T12:00:00Z', ['2026-11-01T06:30:00.000Z', '2026-11-08T06:30:00.000Z']],
  ] as const)('%s', (_name, spec, after, expected) => {
    expect(nextOccurrences(spec as ScheduleSpec, new Date(after), 2).map(iso)).toEqual(expected);
  });

  it('returns nothing for a schedule with no days', () => {
    expect(nextOccurrences({ ...seoulStop, days: [] }, new Date(), 3)).toEqual([]);
  });

  it('refuses an unknown time zone', () => {
    expect(() => nextOccurrences({ ...seoulStop, timeZone: 'Mars/Olympus' }, new Date())).toThrow(/time zone/);
  });
});

describe('occurrencesBetween', () => {
  it('lists the runs a down server missed, exclusive of the start and inclusive of the end', () => {
    const runs = occurrencesBetween(seoulStop, new Date('2026-11-23T13:00:00Z'), new Date('2026-11-26T13:00:00Z'));
    expect(runs.map(iso)).toEqual(['2026-11-24T13:00:00.000Z', '2026-11-25T13:00:00.000Z', '2026-11-26T13:00:00.000Z']);
  });
});

describe('classifyDue', () => {
  const due = new Date('2026-11-26T13:00:00Z');
  it.each([
    ['2026-11-26T12:59:59Z', 'future'],
    ['2026-11-26T13:00:00Z', 'run'],
    ['2026-11-26T13:14:59Z', 'run'],
    ['2026-11-26T13:15:01Z', 'missed'],
  ] as const)('at %s → %s (15 min grace)', (now, expected) => {
    expect(classifyDue(due, new Date(now), 15 * 60_000)).toBe(expected);
  });
});

describe('stopStartWarnings', () => {
  it('warns when a start follows a stop of the same cluster within 30 minutes', () => {
    const w = stopStartWarnings(
      [
        { ...seoulStop, name: 'night stop' },
        { ...seoulStop, action: 'start', time: '22:20', scope: 'app1', name: 'late start' },
      ],
      new Date('2026-11-26T00:00:00Z'),
    );
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('late start');
  });

  it('does not warn for the spec defaults (22:00 stop, 09:00 start)', () => {
    expect(stopStartWarnings([{ ...seoulStop, name: 'stop' }, { ...seoulStop, action: 'start', time: '09:00', name: 'start' }], new Date('2026-11-26T00:00:00Z'))).toEqual([]);
  });
});

describe('Azure Automation schedules', () => {
  const nightly = automationScheduleFrom('nightly-power-down', { description: 'Power the demo environment down', startTime: '2026-11-27T22:00:00+09:00', frequency: 'Day', interval: 1, timeZone: 'Asia/Seoul', isEnabled: true });
  const morning = automationScheduleFrom('morning-power-up', { startTime: '2026-11-27T00:00:00Z', frequency: 'Week', interval: 1, timeZone: 'Asia/Seoul', isEnabled: true, advancedSchedule: { weekDays: ['Monday', 'Friday'] } });

  it('maps ARM schedule properties', () => {
    expect(nightly).toEqual({ name: 'nightly-power-down', action: 'stop', days: [1, 2, 3, 4, 5, 6, 7], time: '22:00', timeZone: 'Asia/Seoul', enabled: true });
    expect(morning).toMatchObject({ action: 'start', days: [1, 5], time: '09:00' });
  });

  it.each<[string, ScheduleSpec & { name: string; enabled: boolean }, RegExp]>([
    ['both active, disagreeing days', { ...seoulStop, name: 'Night stop', enabled: true }, /disagree/],
    ['both active, identical', { ...seoulStop, days: [1, 2, 3, 4, 5, 6, 7], name: 'Night stop', enabled: true }, /keep one source of truth/],
  ])('%s', (_n, app, pattern) => {
    const w = automationWarnings([app], [nightly, morning]);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(pattern);
  });

  it('says nothing when one side is disabled', () => {
    expect(automationWarnings([{ ...seoulStop, name: 'n', enabled: false }], [nightly])).toEqual([]);
    expect(automationWarnings([{ ...seoulStop, name: 'n', enabled: true }], [{ ...nightly, enabled: false }])).toEqual([]);
  });
});
