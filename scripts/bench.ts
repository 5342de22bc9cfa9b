/**
 * `npm run bench`: performance figures, measured, printed with ratios.
 * 1. Audit trail: a page of 100 from 100 000 records — newest, deep (keyset cursor), filtered.
 * 2. Shared reads: upstream ARM calls for N concurrent overview renders, against the twin.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from '../lib/db/migrate';
import { ensureTwinCertificates } from '../lib/twin/cert';

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(ms(t));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function auditBench() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const url = `file:${join(dir, 'bench.db')}`;
  await migrate(url, resolve('.'));
  const raw = new Database(url.slice(5));
  const insert = raw.prepare('INSERT INTO "AuditEntry" (id, at, actorId, actorName, role, action, target, params, result, error, durationMs) VALUES (?,?,?,?,?,?,?,?,?,?,?)');
  const actions = ['cluster.stop', 'cluster.start', 'environment.stop', 'zones.cordon', 'auth.sign-in'];
  const users = ['Riley Reader', 'Olivia Operator', 'Adam Admin'];
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const seed = raw.transaction(() => {
    for (let i = 0; i < 100_000; i++) {
      insert.run(randomUUID(), t0 + i * 60_000, `oid-${i % 3}`, users[i % 3], 'Operator', actions[i % 5], ['mgmt', 'app1', 'app2'][i % 3], '{}', i % 17 === 0 ? 'forbidden' : 'ok', null, 12);
    }
  });
  const seedStart = process.hrtime.bigint();
  seed();
  const seedMs = ms(seedStart);
  raw.close();

  process.env.DATABASE_URL = url;
  const { queryAudit } = await import('../lib/audit');
  // Walk to a cursor halfway down.
  let cursor: string | undefined;
  for (let i = 0; i < 500; i++) cursor = (await queryAudit({ cursor, limit: 100 })).nextCursor;
  const first = await median(21, () => queryAudit({ limit: 100 }));
  const deep = await median(21, () => queryAudit({ limit: 100, cursor }));
  const filtered = await median(21, () => queryAudit({ limit: 100, action: 'cluster.stop', result: 'forbidden' }));
  console.log('audit trail, 100 000 records (SQLite, median of 21):');
  console.log(`  seed                      ${seedMs.toFixed(0)} ms`);
  console.log(`  newest page of 100        ${first.toFixed(2)} ms`);
  console.log(`  page at row 50 000        ${deep.toFixed(2)} ms   (deep/newest ratio ${(deep / first).toFixed(2)})`);
  console.log(`  filtered page (action+result) ${filtered.toFixed(2)} ms`);
}

async function sharedReadBench() {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  if (process.env.NODE_EXTRA_CA_CERTS !== certs.caFile) {
    console.log('shared reads: skipped in this process (run through `npm run bench`, which sets NODE_EXTRA_CA_CERTS)');
    return;
  }
  const { startHarness } = await import('../test/twin-harness');
  const { twin } = await startHarness({ profile: 'nap' });
  const { getTopology, invalidateCluster } = await import('../lib/topology');
  const viewers = 50;
  // One render alone, uncached: what each render would cost without sharing.
  for (const k of ['mgmt', 'app1', 'app2'] as const) invalidateCluster(k);
  twin.requests.length = 0;
  await getTopology();
  const perRender = twin.requests.length;
  for (const k of ['mgmt', 'app1', 'app2'] as const) invalidateCluster(k);
  twin.requests.length = 0;
  const t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: viewers }, () => getTopology()));
  const elapsed = ms(t);
  const upstream = twin.requests.length;
  const failed = (await getTopology()).clusters.filter((c) => c.status !== 'ok').length;
  if (failed) throw new Error(`${failed} cluster reads failed: the benchmark would be meaningless`);
  console.log(
    `shared reads: ${viewers} concurrent overview renders → ${upstream} upstream requests (ARM and Kubernetes; one render alone makes ${perRender}: ${((viewers * perRender) / upstream).toFixed(0)}× fewer than ${viewers * perRender} uncached), ${elapsed.toFixed(0)} ms`,
  );
  await twin.close();
}

/**
 * 3. One watch-fed cache per cluster: upstream Kubernetes requests per minute with 1, 10 and 50 concurrent
 *    viewers of the overview and the zone page, once warm (bound: zero — no list per page view).
 * 4. Push, not poll: upstream ARM requests per minute with 50 open overviews against one (bound ≤ 1.1×).
 */
async function pushBench(): Promise<boolean> {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  if (process.env.NODE_EXTRA_CA_CERTS !== certs.caFile) {
    console.log('informer and events: skipped in this process (run through `npm run bench`)');
    return true;
  }
  const { startHarness } = await import('../test/twin-harness');
  const { twin } = await startHarness({ profile: 'nap' });
  // A short cache: every poll of the shared poller reaches ARM, so the count says what the poller costs.
  process.env.READ_CACHE_TTL_MS = '250';
  const { getTopology } = await import('../lib/topology');
  const { getPowerOverview } = await import('../lib/power/plans');
  const { getZoneHealth, getVerifyChecklist } = await import('../lib/zones');
  const { informers } = await import('../lib/k8s/informer');
  const { EventHub, registerProductSources } = await import('../lib/events');
  const k8s = () => twin.requests.filter((r) => r.path.startsWith('/k8s/')).length;
  const arm = () => twin.requests.filter((r) => r.path.startsWith('/subscriptions/')).length;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const pages = { overview: () => Promise.all([getTopology(), getPowerOverview()]), zones: () => Promise.all([getZoneHealth(), getVerifyChecklist()]) };
  for (const view of Object.values(pages)) await view();
  // Warm: every kind a page asked for is listed and watched.
  for (let i = 0; i < 300 && informers().statuses().some((st) => st.state !== 'ok'); i++) await sleep(100);
  await sleep(500);
  let ok = true;
  const windowMs = 3_000;
  console.log(`informer: upstream Kubernetes requests once warm (${windowMs / 1000} s of page views per row):`);
  for (const [name, view] of Object.entries(pages)) {
    const row: string[] = [];
    for (const viewers of [1, 10, 50]) {
      twin.requests.length = 0;
      let views = 0;
      const end = Date.now() + windowMs;
      await Promise.all(Array.from({ length: viewers }, async () => {
        while (Date.now() < end) {
          await view();
          views += 1;
        }
      }));
      const calls = k8s();
      ok &&= calls === 0;
      row.push(`${viewers} viewers: ${views} views, ${((calls * 60_000) / windowMs).toFixed(0)} calls/min, ${(calls / Math.max(1, views)).toFixed(3)} per view`);
    }
    console.log(`  ${name.padEnd(9)} ${row.join(' · ')}`);
  }
  console.log(`  bound: zero Kubernetes calls per page view once warm — ${ok ? 'held' : 'FAILED'}`);

  const pollMs = 300;
  const armWindowMs = 6_000;
  const measure = async (viewers: number) => {
    const hub = new EventHub();
    registerProductSources(hub, { intervalMs: pollMs });
    const offs = Array.from({ length: viewers }, () => hub.subscribe(['clusters', 'operations', 'power-runs', 'jobs'], () => undefined));
    await sleep(pollMs * 2);
    twin.requests.length = 0;
    await sleep(armWindowMs);
    const calls = arm();
    offs.forEach((o) => o());
    hub.stop();
    return calls;
  };
  const one = await measure(1);
  const fifty = await measure(50);
  const ratio = fifty / Math.max(1, one);
  const armOk = one > 0 && ratio <= 1.1;
  console.log(`events: upstream ARM requests with open overviews (one poller per process, polling every ${pollMs} ms here):`);
  console.log(`  1 overview ${((one * 60_000) / armWindowMs).toFixed(0)}/min · 50 overviews ${((fifty * 60_000) / armWindowMs).toFixed(0)}/min · ratio ${ratio.toFixed(2)} (bound ≤ 1.1) — ${armOk ? 'held' : 'FAILED'}`);
  await informers().stop();
  await twin.close();
  return ok && armOk;
}

// Each part runs in its own process (configuration is read once per process).
if (process.argv[2] === 'shared-reads') await sharedReadBench();
else if (process.argv[2] === 'push') process.exitCode = (await pushBench()) ? 0 : 1;
else await auditBench();
