import { describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { sameOrigin } from './origin';
import { proxy } from '../../proxy';

const h = (init: Record<string, string>) => new Headers(init);

describe('sameOrigin', () => {
  it.each([
    [{ host: 'localhost:3000', origin: 'http://localhost:3000' }, true],
    [{ host: 'internal:8080', 'x-forwarded-host': 'demo.azurewebsites.net', origin: 'https://demo.azurewebsites.net' }, true],
    [{ host: 'localhost:3000', origin: 'https://evil.example' }, false],
    [{ host: 'localhost:3000', origin: 'http://localhost:3000.evil.example' }, false],
    [{ host: 'localhost:3000', origin: 'null' }, false],
    [{ host: 'localhost:3000', 'sec-fetch-site': 'cross-site' }, false],
    [{ host: 'localhost:3000', 'sec-fetch-site': 'same-origin' }, true],
    [{ host: 'localhost:3000' }, true],
  ])('%j → %s', (headers, expected) => {
    expect(sameOrigin(h(headers), [])).toBe(expected);
  });

  it('takes the configured extra origins', () => {
    expect(sameOrigin(h({ host: 'localhost:3000', origin: 'https://dash.example.com' }), ['dash.example.com'])).toBe(true);
  });
});

describe('the proxy refuses before the app reads anything', () => {
  const post = (headers: Record<string, string>) => proxy(new NextRequest('http://localhost:3000/signout', { method: 'POST', headers: { host: 'localhost:3000', ...headers } }));

  it('a sign-out (or any state change) from another site is a 403 with a reason, not a 500', async () => {
    const res = post({ origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/came from another site/);
  });

  it('a body declared larger than any input is a 413', async () => {
    const res = post({ origin: 'http://localhost:3000', 'content-length': String(900 * 1024) });
    expect(res.status).toBe(413);
  });

  it('a same-origin post passes on with the security headers', () => {
    const res = post({ origin: 'http://localhost:3000', 'content-length': '20' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
