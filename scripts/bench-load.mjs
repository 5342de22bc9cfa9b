#!/usr/bin/env node
// `npm run bench` part: load on the production server against the twin.
// 200 signed-in viewers load pages in a loop and 50 live zone streams stay open for LOAD_SECONDS (default 60);
// prints p50/p95 page time, requests, errors, stream events, and the server's memory before and after.
// Traffic goes to 127.0.0.1 only; every loop is bounded by the deadline.
import { spawnSync } from 'node:child_process';
import { ensureBuild, signIn, startServer, waitUp } from './bench-server.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 3700);
const TWIN_PORT = Number(process.env.BENCH_TWIN_PORT ?? 4950);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const VIEWERS = 200;
const STREAMS = 50;
const PAGES = ['/', '/zones', '/backup', '/budget', '/schedule', '/jobs', '/audit'];

ensureBuild('load');
const server = startServer({ port: PORT, twinPort: TWIN_PORT, dataDir: 'data/bench-load' });
const { base, stop } = server;

/** Resident memory of the launcher's process group (launcher, twin, Next), in MiB. */
function groupRssMiB() {
  const out = spawnSync('ps', ['-o', 'rss=', '-g', String(server.pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).reduce((s, l) => s + Number(l), 0) / 1024;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main() {
  // Bounded: whatever happens, the run ends.
  setTimeout(() => {
    console.error(`load: did not finish within ${SECONDS + 120} s`);
    stop();
    process.exit(1);
  }, (SECONDS + 120) * 1000).unref();
  await waitUp(server);
  const cookie = await signIn(server, 'reader');
  // Warm every page once (first render compiles nothing in production, but fills the read caches).
  for (const p of PAGES) await (await fetch(base + p, { headers: { cookie }, signal: AbortSignal.timeout(30_000) })).arrayBuffer();
  console.log('load: signed in, pages warm; starting');
  const rssBefore = groupRssMiB();
  const deadline = Date.now() + SECONDS * 1000;
  const times = [];
  const errors = new Map();
  let streamEvents = 0;
  let streamErrors = 0;

  const controllers = [];
  const streams = Array.from({ length: STREAMS }, async () => {
    const ac = new AbortController();
    controllers.push(ac);
    try {
      const res = await fetch(`${base}/zones/stream`, { headers: { cookie, accept: 'text/event-stream' }, signal: AbortSignal.any([ac.signal, AbortSignal.timeout((SECONDS + 60) * 1000)]) });
      if (res.status !== 200) {
        streamErrors++;
        return;
      }
      const decoder = new TextDecoder();
      for await (const chunk of res.body) streamEvents += (decoder.decode(chunk).match(/\n\n/g) ?? []).length;
    } catch (e) {
      if (e.name !== 'AbortError' && e.name !== 'TimeoutError') streamErrors++;
    }
  });

  const viewers = Array.from({ length: VIEWERS }, async (_, v) => {
    for (let i = v; Date.now() < deadline; i++) {
      const path = PAGES[i % PAGES.length];
      const t = performance.now();
      try {
        const res = await fetch(base + path, { headers: { cookie }, signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        if (res.status !== 200) errors.set(`HTTP ${res.status}`, (errors.get(`HTTP ${res.status}`) ?? 0) + 1);
        else times.push(performance.now() - t);
      } catch (e) {
        errors.set(e.name, (errors.get(e.name) ?? 0) + 1);
      }
    }
  });
  await Promise.all(viewers);
  console.log('load: viewers done; closing the streams');
  for (const c of controllers) c.abort();
  await Promise.all(streams);
  const rssAfter = groupRssMiB();
  times.sort((a, b) => a - b);
  const failed = [...errors.values()].reduce((a, b) => a + b, 0);
  console.log(`load: ${VIEWERS} viewers and ${STREAMS} zone streams for ${SECONDS} s on the twin (production build, one process)`);
  console.log(`  pages: ${times.length} served, ${failed} errors${failed ? ` (${[...errors].map(([k, n]) => `${k}×${n}`).join(', ')})` : ''}`);
  console.log(`  page time: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, ${(times.length / SECONDS).toFixed(1)} pages/s`);
  console.log(`  streams: ${STREAMS - streamErrors}/${STREAMS} open to the end, ${streamEvents} events received`);
  console.log(`  memory (launcher + twin + server): ${rssBefore.toFixed(0)} MiB before → ${rssAfter.toFixed(0)} MiB after`);
  stop();
  process.exit(failed || streamErrors ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  stop();
  process.exit(1);
});
