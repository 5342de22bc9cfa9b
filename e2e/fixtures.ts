import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';

const TWIN_PORT = Number(process.env.E2E_TWIN_PORT ?? 4543);
const TWIN_CA = resolve('data/e2e/twin/twin-ca.pem');

/** Calls the twin's admin surface (not an Azure API) over its HTTPS, trusting its CA. */
export function twinAdmin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: TWIN_PORT,
        method,
        path,
        ca: readFileSync(TWIN_CA),
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`twin ${method} ${path}: ${res.statusCode} ${text}`));
          else resolvePromise((text ? JSON.parse(text) : undefined) as T);
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export interface TwinFixture {
  reset(profile: 'nap' | 'manual'): Promise<void>;
  requests(): Promise<{ method: string; path: string }[]>;
  clearRequests(): Promise<void>;
}

export type DemoUser = 'reader' | 'operator' | 'admin';

/**
 * Signs in through the twin's OpenID Connect provider with redirects alone:
 * /signin passes login_hint on, and the twin signs that demo user in without its picker.
 */
export async function signIn(page: Page, user: DemoUser, returnTo = '/'): Promise<void> {
  await page.goto(`/signin?login_hint=${user}&returnTo=${encodeURIComponent(returnTo)}`);
  await expect(page.getByLabel('signed in user')).toContainText(user === 'reader' ? 'Reader' : user === 'operator' ? 'Operator' : 'Admin');
}

/**
 * Reloads the page until `locator` carries `attribute="value"`: after a change through the twin, the
 * shared read cache (1 s in e2e) serves its last answer until it expires.
 */
export async function reloadUntil(page: Page, locator: Locator, attribute: string, value: string): Promise<void> {
  await expect(async () => {
    await page.reload();
    await expect(locator).toHaveAttribute(attribute, value, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/** Fixtures: `twin` resets the simulated environment to a known profile before a test uses it. */
export const test = base.extend<{ twin: TwinFixture }>({
  twin: async ({}, use) => {
    const fixture: TwinFixture = {
      reset: async (profile) => {
        await twinAdmin('POST', '/_twin/reset', { profile });
        // Let the app's shared read cache (1 s in e2e) expire so the page shows the new state.
        await new Promise((r) => setTimeout(r, 1100));
      },
      requests: async () => (await twinAdmin<{ requests: { method: string; path: string }[] }>('GET', '/_twin/requests')).requests,
      clearRequests: async () => {
        await twinAdmin('DELETE', '/_twin/requests');
      },
    };
    await use(fixture);
  },
});

export { expect };
