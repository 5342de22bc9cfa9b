#!/usr/bin/env node
// `npm run bench` part: the dashboard with the twin at the seed's size and at ten times it (TWIN_SCALE).
// For each size, on the production server: the nodes and pods, the render time of `/` and `/zones`
// (median of LOADS loads once the watch-fed caches are warm and each page was loaded three times), and how long a node's cordon takes to reach
// an open zone page's stream (EVENTS cordons and uncordons through the twin's Kubernetes API; p50/p95).
// Fails when the p95 at 10× exceeds 1 s or `/` at 10× takes more than 1.3× its time at the seed's size.
// Traffic goes to 127.0.0.1 only; every wait is bounded.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { ensureBuild, percentile, signIn, startServer, waitUp } from './bench-server.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 3710);
const TWIN_PORT = Number(process.env.BENCH_TWIN_PORT ?? 4970);
const SCALES = [1, 10];
const LOADS = 11;
const EVENTS = 24;
const EVENT_WAIT_MS = 15_000;
const BOUND = { p95Ms: 1_000, homeRatio: 1.3 };
const DATA_DIR = 'data/bench-scale';
// The twin's demo tenant and client (lib/config.ts TWIN_AUTH) and the AKS server application (lib/k8s).
const TENANT = '7a1e0d3c-0000-4000-8000-00000000d3e0';
const CLIENT = { id: 'a6d2c0de-0000-4000-8000-00000000da5b', secret: 'twin-demo-client-secret' };
const AKS_SERVER_APP = '6dae42f8-4368-4678-94ff-3960e28e3630';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A request to the twin on 127.0.0.1, trusting its own CA (this process started before the twin wrote it). */
function twin(method, path, { body, headers = {} } = {}) {
  const ca = readFileSync(`${DATA_DIR}/twin/twin-ca.pem`, 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(`https://127.0.0.1:${TWIN_PORT}${path}`, { method, ca, headers, timeout: 30_000 }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode < 300 ? resolve(text ? JSON.parse(text) : {}) : reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** An access token for the clusters' API servers, from the twin's Entra-shaped token endpoint. */
async function kubernetesToken() {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.id, client_secret: CLIENT.secret, scope: `${AKS_SERVER_APP}/.default` });
  const t = await twin('POST', `/${TENANT}/oauth2/v2.0/token`, { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return t.access_token;
}

/** The zone page's stream: every `cluster` event's tile, to whoever waits for one that satisfies a test. */
function openZoneStream(base, cookie) {
  const ac = new AbortController();
  const waiters = new Set();
  const tiles = new Map();
  const done = (async () => {
    const res = await fetch(`${base}/zones/stream`, { headers: { cookie, accept: 'text/event-stream' }, signal: ac.signal });
    if (res.status !== 200) throw new Error(`zone stream: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message.split('\n').find((l) => l.startsWith('data: '));
        if (!message.startsWith('event: cluster') || !data) continue;
        const tile = JSON.parse(data.slice(6));
        tiles.set(tile.key, tile);
        for (const w of [...waiters]) if (w.test(tile)) w.resolve(performance.now());
      }
    }
  })().catch((e) => {
    if (e.name !== 'AbortError') throw e;
  });
  /** Resolves with the time the first tile passing `test` arrived (a tile already held counts), or rejects after `ms`. */
  const until = (test, ms) =>
    new Promise((resolve, reject) => {
      if ([...tiles.values()].some(test)) return resolve(performance.now());
      const w = {
        test,
        resolve: (at) => {
          waiters.delete(w);
          clearTimeout(timer);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`zone stream: nothing matched within ${ms} ms`));
      }, ms);
      waiters.add(w);
    });
  return { until, close: () => ac.abort(), done };
}

const nodeIn = (tile, name) => tile.view?.cells.flatMap((c) => c.nodes).find((n) => n.name === name);

async function timePage(base, cookie, path) {
  const times = [];
  for (let i = 0; i < LOADS; i++) {
    const t = performance.now();
    const res = await fetch(base + path, { headers: { cookie }, signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

let running;
process.on('exit', () => running?.stop());

async function measure(scale) {
  const server = startServer({ port: PORT, twinPort: TWIN_PORT, dataDir: DATA_DIR, env: { TWIN_SCALE: String(scale) } });
  running = server;
  try {
    await waitUp(server, 180_000);
    const summaries = await twin('GET', '/_twin/k8s/all');
    const nodes = summaries.reduce((s, c) => s + c.nodes.length, 0);
    const pods = summaries.reduce((s, c) => s + c.pods.total, 0);
    const cookie = await signIn(server, 'reader');
    // Warm: the pages fill the caches and start the watches; the stream's first rows say they are listed.
    const stream = openZoneStream(server.base, cookie);
    for (const key of ['mgmt', 'app1', 'app2']) await stream.until((t) => t.key === key && t.status === 'ok', 120_000);
    for (let i = 0; i < 3; i++) {
      for (const p of ['/', '/zones']) await (await fetch(server.base + p, { headers: { cookie }, signal: AbortSignal.timeout(120_000) })).arrayBuffer();
    }
    await sleep(2_000);
    const home = await timePage(server.base, cookie, '/');
    const zones = await timePage(server.base, cookie, '/zones');
    // Cordon and uncordon one app1 system node through its API server, as kubectl would.
    const node = summaries.find((c) => c.cluster === 'app1').nodes.find((n) => n.pool === 'system').name;
    const token = await kubernetesToken();
    const latencies = [];
    let missed = 0;
    for (let i = 0; i < EVENTS; i++) {
      const cordon = i % 2 === 0;
      const t = performance.now();
      const seen = stream.until((tile) => tile.key === 'app1' && nodeIn(tile, node)?.cordoned === cordon, EVENT_WAIT_MS);
      await twin('PATCH', `/k8s/app1/api/v1/nodes/${node}`, {
        body: JSON.stringify({ spec: { unschedulable: cordon ? true : null } }),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
      });
      try {
        latencies.push((await seen) - t);
      } catch {
        missed += 1;
        latencies.push(EVENT_WAIT_MS);
      }
    }
    stream.close();
    latencies.sort((a, b) => a - b);
    return { scale, nodes, pods, home, zones, p50: percentile(latencies, 50), p95: percentile(latencies, 95), events: EVENTS, missed };
  } finally {
    server.stop();
    await Promise.race([server.exited, sleep(20_000)]);
  }
}

async function main() {
  setTimeout(() => {
    console.error('scale: did not finish within 20 minutes');
    process.exit(1);
  }, 20 * 60_000).unref();
  ensureBuild('scale');
  const rows = [];
  for (const scale of SCALES) rows.push(await measure(scale));
  const [one, ten] = rows;
  const f = (ms) => `${ms.toFixed(0)} ms`;
  console.log(`scale: the twin at its seed size and at ${ten.scale}× (TWIN_SCALE), production server, warm caches; pages median of ${LOADS}, ${EVENTS} cordon/uncordon events`);
  for (const r of rows) {
    console.log(`  ${`${r.scale}×`.padEnd(4)} ${String(r.nodes).padStart(4)} nodes ${String(r.pods).padStart(5)} pods · / ${f(r.home)} · /zones ${f(r.zones)} · node event to zone stream p50 ${f(r.p50)}, p95 ${f(r.p95)}${r.missed ? ` (${r.missed} not seen within ${EVENT_WAIT_MS / 1000} s)` : ''}`);
  }
  const ratio = (k) => (ten[k] / one[k]).toFixed(2);
  console.log(`  growth ${ten.scale}×/1×: nodes ${ratio('nodes')} · pods ${ratio('pods')} · / ${ratio('home')} · /zones ${ratio('zones')} · event p95 ${ratio('p95')}`);
  const p95Ok = ten.p95 <= BOUND.p95Ms && ten.missed === 0;
  const homeOk = ten.home <= BOUND.homeRatio * one.home;
  console.log(`  bound: event p95 at ${ten.scale}× ≤ ${BOUND.p95Ms} ms — ${p95Ok ? 'held' : 'FAILED'}; / at ${ten.scale}× ≤ ${BOUND.homeRatio}× its seed time — ${homeOk ? 'held' : 'FAILED'}`);
  process.exit(p95Ok && homeOk ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
