import { describe, expect, it } from 'vitest';
import { calendarDate, isoInstant, printableText } from './text';
import { scheduleInput } from '../schedule';

const schedule = { name: 'Night stop', action: 'stop', scope: 'all', days: [1], time: '22:00', timeZone: 'Asia/Seoul', enabled: true } as const;

describe('input validated to its meaning', () => {
  it.each(['2026-02-30', '2026-13-01', '2025-02-29', '2026-00-10'])('refuses the holiday %s, which is not on the calendar', (day) => {
    expect(calendarDate.safeParse(day).success).toBe(false);
    const r = scheduleInput.safeParse({ ...schedule, holidays: [day] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe('not a date on the calendar');
  });

  it('keeps real dates, leap days included', () => {
    expect(scheduleInput.parse({ ...schedule, holidays: ['2028-02-29', '2026-12-25'] }).holidays).toEqual(['2028-02-29', '2026-12-25']);
  });

  it.each([
    ['Night\u0000stop', 'contains a control character'],
    ['\u202Epots thgiN', 'contains a bidirectional-override character'],
    ['Night\u2066stop', 'contains a bidirectional-override character'],
    ['Night\nstop', 'must be on one line'],
  ])('refuses the name %j: %s', (name, message) => {
    const r = scheduleInput.safeParse({ ...schedule, name });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain(message);
  });

  it('accepts names in any script', () => {
    expect(printableText(80).parse('야간 정지 — Nachtstopp')).toBe('야간 정지 — Nachtstopp');
  });

  it('reads instants as UTC and refuses five-digit years', () => {
    expect(isoInstant.parse('2026-11-29T09:30')).toEqual(new Date('2026-11-29T09:30:00Z'));
    expect(isoInstant.parse('2026-11-29T09:30:00+09:00')).toEqual(new Date('2026-11-29T00:30:00Z'));
    expect(isoInstant.safeParse('+010000-01-01T00:00:00Z').success).toBe(false);
    expect(isoInstant.safeParse('2026-11-31T00:00').success).toBe(false);
  });
});
