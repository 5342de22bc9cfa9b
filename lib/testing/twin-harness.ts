import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureTwinCertificates } from '../twin/cert';
import { Twin } from '../twin/server';
import { defaultExtensions } from '../twin/extensions';
import { TWIN_SUBSCRIPTION_ID } from '../config';
import { migrate } from '../db/migrate';

/**
 * For integration tests: a twin in this process on a free port and a fresh
 * SQLite database, with the environment variables the app's config reads.
 * Import the product's modules only after `startHarness` (config is read once).
 */
export async function startHarness(options: { profile?: 'nap' | 'manual'; clockSpeed?: number } = {}) {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  const twin = new Twin({
    key: certs.key,
    cert: certs.cert,
    ca: certs.ca,
    port: 0,
    profile: options.profile ?? 'nap',
    clockSpeed: options.clockSpeed ?? 600,
    subscriptionId: TWIN_SUBSCRIPTION_ID,
    extensions: defaultExtensions(),
  });
  const url = await twin.listen();
  const dir = mkdtempSync(join(tmpdir(), 'aks-demo-test-'));
  const databaseUrl = `file:${join(dir, 'test.db')}`;
  Object.assign(process.env, {
    TARGET: 'twin',
    TWIN_URL: url,
    DATABASE_URL: databaseUrl,
    READ_CACHE_TTL_MS: '60000',
    ARM_POLL_INTERVAL_MS: '50',
  });
  await migrate(databaseUrl, resolve('.'));
  return { twin, url, databaseUrl };
}

/** Counts the twin's recorded requests matching a method and a path pattern. */
export function countRequests(twin: Twin, method: string, pattern: RegExp): number {
  return twin.requests.filter((r) => r.method === method && pattern.test(r.path)).length;
}
