import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './sign-in';

/**
 * After sign-in the browser is sent to `returnTo`. Each shape below has been
 * used to leave the site through a prefix check; the answer must stay on the
 * app's own origin, the way the callback resolves it.
 */
const ORIGIN = 'http://localhost:3000';
const landing = (raw: string) => new URL(safeReturnTo(raw), ORIGIN);

describe('safeReturnTo', () => {
  it.each([
    ['/\t/evil.example/phish', 'a tab after the slash (removed by the URL parser)'],
    ['/\n/evil.example', 'a line feed'],
    ['/\r\n/evil.example', 'CR LF'],
    ['//evil.example', 'protocol-relative'],
    ['/\\evil.example', 'a backslash (read as a slash)'],
    ['/\\/evil.example', 'backslash then slash'],
    ['/\t\\evil.example', 'tab then backslash'],
    ['/..//evil.example', 'dot segments that collapse to //'],
    ['/%2e%2e//evil.example', 'encoded dot segments'],
    ['https://evil.example/', 'an absolute URL'],
    ['javascript:alert(1)', 'a script URL'],
    ['\\\\evil.example', 'two backslashes'],
    [' //evil.example', 'leading space'],
    ['/auth/callback?code=x', 'the sign-in flow itself'],
    ['/' + 'a'.repeat(600), 'longer than any path of the app'],
  ])('refuses %j (%s)', (raw) => {
    expect(safeReturnTo(raw)).toBe('/');
    expect(landing(raw).origin).toBe(ORIGIN);
  });

  it.each([
    ['/backup', '/backup'],
    ['/audit?user=riley&result=ok', '/audit?user=riley&result=ok'],
    ['/jobs/0f2c#log', '/jobs/0f2c#log'],
    ['/zones?x=%2F%2Fevil.example', '/zones?x=%2F%2Fevil.example'],
  ])('keeps the local path %j', (raw, kept) => {
    expect(safeReturnTo(raw)).toBe(kept);
    expect(landing(raw).origin).toBe(ORIGIN);
  });

  it('falls back to the overview when there is nothing to return to', () => {
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo('')).toBe('/');
  });
});
