import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureTwinCertificates } from '../lib/twin/cert';
import { Twin } from '../lib/twin/server';
import { defaultExtensions } from '../lib/twin/extensions';
import { TWIN_SUBSCRIPTION_ID } from '../lib/config';
import { migrate } from '../lib/db/migrate';

/**
 * For integration tests: a twin in this process on a free port and a fresh
 * SQLite database, with the environment variables the app's config reads.
 * Import the product's modules only after `startHarness` (config is read once).
 */
export async function startHarness(options: { profile?: 'nap' | 'manual'; clockSpeed?: number } = {}) {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  // A fake wall clock for the in-process twin, which a test moves instead of waiting (as with fake timers).
  let offset = 0;
  const clockSpeed = options.clockSpeed ?? 600;
  const twin = new Twin({
    now: () => Date.now() + offset,
    key: certs.key,
    cert: certs.cert,
    ca: certs.ca,
    port: 0,
    profile: options.profile ?? 'nap',
    clockSpeed,
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
  /**
   * Lets `azureMs` pass for the twin, as much as that takes on Azure: the
   * twin's durations are Azure's divided by its speed, so its clock moves
   * `azureMs / speed`.
   */
  const advance = (azureMs: number) => {
    offset += azureMs / clockSpeed;
  };
  return { twin, url, databaseUrl, advance };
}

/**
 * Puts the twin back to a seed profile and starts the product's reads afresh: a reset replaces the
 * twin's objects wholesale, so the shared read cache is emptied and the watch-fed caches list again.
 */
export async function resetTwin(url: string, profile: 'nap' | 'manual' = 'nap'): Promise<void> {
  await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify({ profile }) });
  (await import('../lib/cache/shared-read')).sharedReads().clear();
  await (await import('../lib/k8s/informer')).resetInformers({ idleStopMs: 5_000 });
}

/** Calls the twin's admin surface (its knobs, faults, reset) and gives the status with the answer's JSON. */
export async function twinAdmin(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

/** Counts the twin's recorded requests matching a method and a path pattern. */
export function countRequests(twin: Twin, method: string, pattern: RegExp): number {
  return twin.requests.filter((r) => r.method === method && pattern.test(r.path)).length;
}

/** Counts the Kubernetes lists (not watches) of a path pattern the twin served. */
export function countLists(twin: Twin, pattern: RegExp): number {
  return twin.requests.filter((r) => r.method === 'GET' && !r.watch && pattern.test(r.path)).length;
}

// Tests see the twin through the harness: its types and the sign-in client it registers.
export type { K8sTwin } from '../lib/twin/k8s';
export { TWIN_CLIENT_ID, TWIN_CLIENT_SECRET, TWIN_TENANT_ID } from '../lib/twin/oidc';
// For a test that builds its own twin (its own clock or options): the same parts the harness uses.
export { Twin } from '../lib/twin/server';
export { defaultExtensions } from '../lib/twin/extensions';
export { ensureTwinCertificates } from '../lib/twin/cert';
