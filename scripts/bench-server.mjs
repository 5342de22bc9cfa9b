// What the `npm run bench` parts that drive the production server share: building it once, starting it
// with a twin on 127.0.0.1 (its own process group, so that stopping it stops the twin too), signing a
// demo user in, percentiles. Every wait is bounded.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

/** Runs `next build` when there is no production build yet; exits the process when it fails. */
export function ensureBuild(part) {
  if (existsSync('.next/BUILD_ID')) return;
  console.log(`${part}: building the app first (next build)`);
  const b = spawnSync(process.execPath, [resolve('node_modules/next/dist/bin/next'), 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

/**
 * Starts `scripts/run.ts` (launcher, twin, production server) on `port`, the twin on `twinPort`,
 * with a fresh data directory and `env` on top. `stop()` ends the whole process group.
 */
export function startServer({ port, twinPort, dataDir, env = {} }) {
  rmSync(dataDir, { recursive: true, force: true });
  const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/run.ts'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      TWIN_PORT: String(twinPort),
      TWIN_BROWSER_PORT: String(twinPort + 1),
      TWIN_DATA_DIR: `${dataDir}/twin`,
      DATABASE_URL: `file:./${dataDir}/app.db`,
      TARGET: 'twin',
      SIGN_INS_PER_MINUTE: '10000',
      SCHEDULE_DEFAULTS_ENABLED: 'false',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
  });
  const handle = { pid: server.pid, base: `http://127.0.0.1:${port}`, port, log: '' };
  server.stdout.on('data', (d) => (handle.log += d));
  server.stderr.on('data', (d) => (handle.log += d));
  handle.exited = new Promise((r) => server.on('exit', r));
  handle.stop = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  return handle;
}

/** Waits (at most `ms`) until the server answers. */
export async function waitUp(handle, ms = 120_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${handle.base}/signin`, { redirect: 'manual', signal: AbortSignal.timeout(5_000) })).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not start:\n${handle.log}`);
}

/** Signs a demo user in through the twin's provider by following the redirects with a cookie jar. */
export async function signIn(handle, user) {
  const jar = new Map();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = `${handle.base}/signin?login_hint=${user}`;
  for (let hop = 0; hop < 10; hop++) {
    // The app's cookies go to the app only (it may name itself localhost or 127.0.0.1), never to the twin.
    const toApp = new URL(url).port === String(handle.port);
    const res = await fetch(url, { redirect: 'manual', headers: toApp ? { cookie: cookieHeader() } : {}, signal: AbortSignal.timeout(30_000) });
    for (const c of toApp ? res.headers.getSetCookie() : []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    const next = res.headers.get('location');
    if (!next) break;
    url = new URL(next, url).toString();
  }
  if (!jar.get('aksdemo_session')) throw new Error(`sign-in as ${user} failed (last URL ${url})`);
  return `aksdemo_session=${jar.get('aksdemo_session')}`;
}

export function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}
