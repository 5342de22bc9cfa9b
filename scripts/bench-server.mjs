// The production server against a fresh twin, for the `npm run bench` parts that load pages (bench-load, bench-shell).
// It is built first when no build exists. Traffic goes to 127.0.0.1 only; every wait is bounded.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

/** Builds the app when there is no build (the parts share it). Exits the process when the build fails. */
export function ensureBuild(part) {
  if (existsSync('.next/BUILD_ID')) return;
  console.log(`${part}: building the app first (next build)`);
  const b = spawnSync(process.execPath, [resolve('node_modules/next/dist/bin/next'), 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

/**
 * Starts the launcher (twin + Next) in its own process group with its data in `dataDir` (emptied first).
 * `env` adds or overrides settings. The group is stopped when this process exits.
 */
export function startServer({ port, twinPort, dataDir, env = {} }) {
  rmSync(dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/run.ts'], {
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
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  process.on('exit', stop);
  return { base: `http://127.0.0.1:${port}`, port, pid: child.pid, stop, log: () => log };
}

/** Waits until the app answers (at most two minutes). */
export async function waitUp(server) {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${server.base}/signin`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) })).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not start:\n${server.log()}`);
}

/** Signs a demo user in through the twin's provider by following the redirects with a cookie jar. */
export async function signIn(server, user) {
  const jar = new Map();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = `${server.base}/signin?login_hint=${user}`;
  for (let hop = 0; hop < 10; hop++) {
    // The app's cookies go to the app only (it may name itself localhost or 127.0.0.1), never to the twin.
    const toApp = new URL(url).port === String(server.port);
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
