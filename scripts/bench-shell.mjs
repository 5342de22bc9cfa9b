#!/usr/bin/env node
// `npm run bench` part: shell first and parallel reads, measured on the production server against the twin.
// Per page: time to the first byte of the body and to its end, median of LOADS loads, once with the twin answering
// at once and once with SLOW_MS added to every Azure and Kubernetes request (the twin's injected latency).
// A page whose frame waits for an upstream read has its first byte delayed by SLOW_MS; a page whose reads run one
// after another gains a multiple of SLOW_MS in total. The run fails when either shows (bounds below).
// Traffic goes to 127.0.0.1 only; every request and the whole run are bounded.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { ensureBuild, signIn, startServer, waitUp } from './bench-server.mjs';

const PORT = Number(process.env.BENCH_SHELL_PORT ?? 3710);
const TWIN_PORT = Number(process.env.BENCH_SHELL_TWIN_PORT ?? 4960);
// Five loads, not three: on a busy 2-core machine one load now and then is off by tens of ms; the median of five
// keeps such a load out of the verdict.
const LOADS = Math.max(3, Number(process.env.SHELL_LOADS ?? 5));
const SLOW_MS = 300;
const PAGES = ['/', '/zones', '/backup', '/budget', '/schedule', '/jobs', '/audit', '/monitor'];
const DATA = 'data/bench-shell';
// Every Azure API the app calls lives under /subscriptions/ (ARM, Data Protection, Monitor metrics and alerts, Cost
// Management, Automation) or /v1/workspaces/ (Log Analytics); the clusters' API servers are /k8s/<cluster>/ on the twin.
const UPSTREAM_PATHS = ['/subscriptions/', '/v1/workspaces/', '/k8s/'];
// Azure Monitor reads are shared for at least 5 s (MONITOR_REFRESH_SECONDS' floor): a page is loaded again no sooner
// than this after its last load ended, so every counted load reads upstream again instead of a cached answer, with
// the slow upstream and without alike.
const PAGE_SPACING_MS = 5_500;

/** Bounds, in plain words:
 * - first byte: TTFB with the slow upstream ≤ 1.2 × TTFB without + 50 ms. TTFB without is a few to a few tens of ms,
 *   and a single load on this busy 2-core machine jitters by tens of ms, so a ratio alone would fail on noise; 50 ms
 *   is still far below the 300 ms that one upstream read awaited before the frame would add.
 * - total: total with the slow upstream ≤ total without + 1.3 × 300 ms. Reads started together add one 300 ms; two
 *   upstream reads one after the other add 600 ms and fail.
 */
const TTFB_RATIO = 1.2;
const TTFB_ALLOWANCE_MS = 50;
const TOTAL_ROUNDS = 1.3;

ensureBuild('shell');
const server = startServer({
  port: PORT,
  twinPort: TWIN_PORT,
  dataDir: DATA,
  // The shared read cache keeps an answer for 1 ms only, so it cannot hide the injected latency.
  env: { READ_CACHE_TTL_MS: '1', MONITOR_REFRESH_SECONDS: '5' },
});

/** One request to the twin's admin surface (its own CA; 127.0.0.1 only). */
function twinAdmin(method, path, body) {
  const ca = readFileSync(`${DATA}/twin/twin-ca.pem`);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: TWIN_PORT, method, path, ca, headers: { 'content-type': 'application/json' }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`twin ${method} ${path}: HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`twin ${method} ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function setLatency(ms) {
  await twinAdmin('DELETE', '/_twin/faults');
  for (const path of ms ? UPSTREAM_PATHS : []) await twinAdmin('POST', '/_twin/faults', { path, latencyMs: ms });
}

/** Loads a page to its end: ms to the first chunk of the body, and to the last. */
async function load(cookie, path) {
  const t0 = performance.now();
  const res = await fetch(server.base + path, { headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const reader = res.body.getReader();
  let ttfb;
  for (;;) {
    const { done } = await reader.read();
    ttfb ??= performance.now() - t0;
    if (done) break;
  }
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}`);
  return { ttfb, total: performance.now() - t0 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`.padStart(8);

async function main() {
  setTimeout(() => {
    console.error('shell: did not finish within 10 min');
    server.stop();
    process.exit(1);
  }, 600_000).unref();
  await waitUp(server);
  const cookie = await signIn(server, 'reader');
  const ended = new Map();
  const spaced = async (p) => {
    await new Promise((res) => setTimeout(res, Math.max(0, (ended.get(p) ?? 0) + PAGE_SPACING_MS - performance.now())));
    const r = await load(cookie, p);
    ended.set(p, performance.now());
    return r;
  };
  // Warm: the first render of each page starts the clusters' watches and the SDKs' token caches; not counted.
  for (const p of PAGES) await spaced(p);
  const samples = { 0: new Map(), [SLOW_MS]: new Map() };
  // The two settings alternate round by round, so a change in the machine's load falls on both alike.
  for (let r = 0; r < LOADS; r++) {
    for (const latency of [0, SLOW_MS]) {
      await setLatency(latency);
      for (const p of PAGES) {
        const list = samples[latency].get(p) ?? [];
        list.push(await spaced(p));
        samples[latency].set(p, list);
      }
    }
  }
  await setLatency(0);

  console.log(`shell: first byte and total per page, median of ${LOADS} loads, upstream answering at once vs +${SLOW_MS} ms per Azure/Kubernetes call (production build, twin)`);
  console.log(`  ${'page'.padEnd(10)} ${'TTFB 0'.padStart(8)} ${`TTFB ${SLOW_MS}`.padStart(8)} ${'ratio'.padStart(6)} ${'total 0'.padStart(8)} ${`total ${SLOW_MS}`.padStart(9)} ${'ratio'.padStart(6)} ${'added'.padStart(8)}  verdict`);
  let failed = false;
  for (const p of PAGES) {
    const fast = samples[0].get(p);
    const slow = samples[SLOW_MS].get(p);
    const f = { ttfb: median(fast.map((s) => s.ttfb)), total: median(fast.map((s) => s.total)) };
    const s = { ttfb: median(slow.map((x) => x.ttfb)), total: median(slow.map((x) => x.total)) };
    const ttfbOk = s.ttfb <= TTFB_RATIO * f.ttfb + TTFB_ALLOWANCE_MS;
    const totalOk = s.total <= f.total + TOTAL_ROUNDS * SLOW_MS;
    failed ||= !ttfbOk || !totalOk;
    const verdict = ttfbOk && totalOk ? 'held' : [!ttfbOk && 'FIRST BYTE WAITS ON UPSTREAM', !totalOk && 'READS IN SEQUENCE'].filter(Boolean).join(', ');
    console.log(
      `  ${p.padEnd(10)} ${ms(f.ttfb)} ${ms(s.ttfb)} ${(s.ttfb / f.ttfb).toFixed(2).padStart(6)} ${ms(f.total)} ${ms(s.total).padStart(9)} ${(s.total / f.total).toFixed(2).padStart(6)} ${ms(s.total - f.total)}  ${verdict}`,
    );
  }
  console.log(`  bounds: TTFB(${SLOW_MS}) ≤ ${TTFB_RATIO} × TTFB(0) + ${TTFB_ALLOWANCE_MS} ms; total(${SLOW_MS}) ≤ total(0) + ${TOTAL_ROUNDS} × ${SLOW_MS} ms`);
  server.stop();
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  console.error(`shell: the server's last output:\n${server.log.slice(-3000)}`);
  server.stop();
  process.exit(1);
});
