import { readFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { repositoryFiles } from '@/test/outside-reads';
import { When } from './when';

/**
 * Every page shows a point in time in one stated zone, named beside it (TIME_ZONE, default the
 * schedules' Asia/Seoul), through one component; the viewer's own time is added beside it in the
 * browser where it helps.
 */
const ROOT = resolve(__dirname, '../..');

describe('When', () => {
  it('shows the time in the stated zone, names the zone, and carries the instant', () => {
    // 2026-11-26 02:00:05 UTC is 11:00:05 in Seoul.
    const html = renderToStaticMarkup(createElement(When, { at: Date.UTC(2026, 10, 26, 2, 0, 5), seconds: true }));
    expect(html).toContain('2026-11-26 11:00:05 Asia/Seoul');
    expect(html).toContain('dateTime="2026-11-26T02:00:05.000Z"');
  });

  it('leaves a place for the viewer’s time, filled in the browser (the server does not know the viewer’s zone)', () => {
    const html = renderToStaticMarkup(createElement(When, { at: new Date(Date.UTC(2026, 10, 26, 13, 30)), local: true }));
    expect(html).toContain('2026-11-26 22:30 Asia/Seoul');
    expect(html).toContain(' · <span class="text-slate-500"></span>');
  });
});

/**
 * Ways a view could print a point in time without naming its zone: ISO strings cut to a date and time,
 * the server's locale formatting, or hand-made UTC strings. Only When (and the browser-side LocalTime,
 * which names the viewer's zone) may format times for display.
 */
const UNZONED = [
  /toISOString\(\)\s*\.(?:slice|replace|substring)/,
  /toLocale(?:Time|Date)?String\(\s*\)/,
  /\btoUTCString\(/,
  /`[^`]*\$\{[^}]*\}[^`]*\bUTC`/,
];

describe('no page shows a time without its zone', () => {
  it('app/ and components/ format points in time only through When', () => {
    const offenders: string[] = [];
    for (const file of repositoryFiles(ROOT)) {
      if (!(file.startsWith(`app${sep}`) || file.startsWith(`components${sep}`))) continue;
      // Route handlers answer files and JSON (an export's file name carries its date), not pages.
      if (!['.ts', '.tsx'].includes(extname(file)) || /\.test\.tsx?$/.test(file) || /(^|[\\/])route\.ts$/.test(file)) continue;
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (UNZONED.some((re) => re.test(line))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the check finds what it is meant to find', () => {
    const samples = [
      "<td>{e.at.toISOString().replace('T', ' ').slice(0, 19)}</td>",
      'next try after {new Date(t).toLocaleTimeString()}',
      'const asOf = `as of ${stamp} UTC`;',
    ];
    for (const s of samples) expect(UNZONED.some((re) => re.test(s)), s).toBe(true);
    expect(UNZONED.some((re) => re.test("<li key={at.toISOString()}>"))).toBe(false);
  });
});
