import { test, expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/**
 * The packaged artifact (`npm run package`, from the build `npm test` just made) started the way
 * each host starts it, against the twin: plain `node launcher.mjs`, an app folder the process
 * cannot write (App Service runs the zip read-only; the Jump VM's unit runs as an unprivileged
 * user under ProtectSystem=strict — here: another user than the folder's owner, or a read-only
 * folder when not root), everything written under DATA_DIR. A browser signs in and stops a
 * cluster through it; on the Jump VM shape the dashboard process is killed and comes back with
 * the twin's state.
 */
const ROOT = resolve('.');
// Made in beforeAll: Playwright also loads this file in its main process, which runs no test.
let work = '';
const UNPRIVILEGED = 65534; // nobody:nogroup, as the unit's User=dashboard
// Ports next to the run's own (E2E_PORT, E2E_TWIN_PORT), so that parallel runs on one machine do not meet:
// host n listens on E2E_PORT + n, its twin on E2E_TWIN_PORT + 5n (a twin takes five ports: API, browser, three clusters).
const APP_PORT = Number(process.env.E2E_PORT ?? 3100);
const TWIN_PORT = Number(process.env.E2E_TWIN_PORT ?? 4543);
const ports = (n: number) => ({ port: APP_PORT + n, twinPort: TWIN_PORT + 5 * n });
const asRoot = process.getuid?.() === 0;

test.describe.configure({ mode: 'serial' });

function run(cmd: string, args: string[], cwd = ROOT) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const p = join(e.parentPath, e.name);
      return `${relative(dir, p)}:${statSync(p).size}`;
    })
    .sort();
}

/** The app folder as the host has it: the process may read it, not write it. */
function lockDown(dir: string) {
  if (asRoot) {
    chmodSync(work, 0o755); // nobody must reach it; it stays root's
  } else {
    spawnSync('chmod', ['-R', 'a-w', dir]);
  }
}

function dataDir(path: string) {
  mkdirSync(path, { recursive: true });
  if (asRoot) chownSync(path, UNPRIVILEGED, UNPRIVILEGED);
  return path;
}

interface Host {
  proc: ChildProcess;
  log: string[];
  port: number;
  exited: Promise<number | null>;
}

function start(appDir: string, env: Record<string, string>, port: number): Host {
  const base = { PATH: process.env.PATH, LANG: 'C.UTF-8', NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' as const };
  const [command, args]: [string, string[]] = asRoot
    ? ['setpriv', ['--reuid', String(UNPRIVILEGED), '--regid', String(UNPRIVILEGED), '--clear-groups', process.execPath, 'launcher.mjs']]
    : [process.execPath, ['launcher.mjs']];
  const proc: ChildProcess = spawn(command, args, { cwd: appDir, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  for (const s of [proc.stdout!, proc.stderr!]) s.setEncoding('utf8').on('data', (c: string) => log.push(...c.split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, log, port, exited };
}

async function ready(host: Host) {
  const end = Date.now() + 90_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${host.port}/`, { redirect: 'manual' });
      if (r.status === 307) return;
    } catch {
      // not listening yet
    }
    if (host.proc.exitCode !== null) throw new Error(`the launcher exited:\n${host.log.join('\n')}`);
    if (Date.now() > end) throw new Error(`not ready:\n${host.log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function signInAndStop(page: Page, port: number) {
  const base = `http://localhost:${port}`;
  await page.goto(`${base}/signin?login_hint=operator&returnTo=%2F`);
  await expect(page.getByLabel('signed in user')).toContainText('Operator');
  const app2 = page.getByRole('region', { name: 'aks-app2' });
  const state = app2.getByLabel('power state');
  await expect(state).toHaveText('Running');
  page.once('dialog', (d) => void d.accept());
  await app2.getByRole('button', { name: 'Stop' }).click();
  await expect(state).toHaveText('Stopped', { timeout: 60_000 });
  return state;
}

async function stop(host: Host) {
  host.proc.kill('SIGTERM');
  return host.exited;
}

const twinEnv = (port: number, twinPort: number) => ({
  TARGET: 'twin',
  TWIN_PROFILE: 'manual',
  TWIN_PORT: String(twinPort),
  TWIN_BROWSER_PORT: String(twinPort + 1),
  TWIN_CLOCK_SPEED: '240',
  READ_CACHE_TTL_MS: '1000',
  SCHEDULE_DEFAULTS_ENABLED: 'false',
  APP_BASE_URL: `http://localhost:${port}`,
});

test.beforeAll(async () => {
  test.setTimeout(600_000);
  work = mkdtempSync(join(tmpdir(), 'artifact-e2e-'));
  run(process.execPath, ['scripts/package.mjs', '--no-build', `--out=${join(work, 'dist')}`]);
});

test.afterAll(() => {
  if (!work) return;
  if (!asRoot) spawnSync('chmod', ['-R', 'u+w', work]);
  rmSync(work, { recursive: true, force: true });
});

test('App Service: the zip, run read-only from the package with App Service’s variables, signs in and stops a cluster', async ({ page }) => {
  test.setTimeout(240_000);
  const zip = readdirSync(join(work, 'dist')).find((f) => f.endsWith('.zip'))!;
  const wwwroot = join(work, 'appservice/site/wwwroot');
  mkdirSync(wwwroot, { recursive: true });
  run('unzip', ['-q', join(work, 'dist', zip), '-d', wwwroot]);
  lockDown(wwwroot);
  const before = files(wwwroot);
  const home = join(work, 'appservice/home');
  dataDir(join(home, 'data'));
  const { port, twinPort } = ports(1);
  const host = start(
    wwwroot,
    {
      ...twinEnv(port, twinPort),
      // What App Service sets: the port to listen on, the container's name as HOSTNAME, its own markers.
      PORT: String(port),
      HOSTNAME: 'a1b2c3d4e5f6',
      HOME: home,
      WEBSITE_SITE_NAME: 'app-k8s-demo-dashboard',
      WEBSITE_RUN_FROM_PACKAGE: '1',
      SCM_DO_BUILD_DURING_DEPLOYMENT: 'false',
      // What the module writes for the data directory.
      DATA_DIR: join(home, 'data'),
    },
    port,
  );
  try {
    await ready(host);
    await signInAndStop(page, port);
  } finally {
    expect(await stop(host)).toBe(0);
  }
  expect(files(wwwroot)).toEqual(before);
  expect(readdirSync(join(home, 'data')).sort()).toEqual(expect.arrayContaining(['app.db', 'twin', 'work']));
  expect(host.log.join('\n')).toContain('launcher exits with code 0');
});

test('Jump VM: the tarball as the unit runs it, signs in, stops a cluster, and survives the dashboard’s death', async ({ page }) => {
  test.setTimeout(360_000);
  const tarball = readdirSync(join(work, 'dist')).find((f) => f.endsWith('.tar.gz'))!;
  const opt = join(work, 'opt');
  mkdirSync(opt, { recursive: true });
  run('tar', ['-xzf', join(work, 'dist', tarball), '-C', opt]);
  const current = join(opt, 'aks-demo-control-plane');
  lockDown(current);
  const before = files(current);
  const state = dataDir(join(work, 'var/lib/aks-demo-control-plane'));
  const { port, twinPort } = ports(2);
  const env = {
    ...twinEnv(port, twinPort),
    PORT: String(port),
    DATA_DIR: state,
    HOME: join(state, 'home'),
  };
  const host = start(current, env, port);
  try {
    await ready(host);
    const power = await signInAndStop(page, port);

    // The dashboard process dies: the launcher starts it again, the twin (and the stopped cluster) stays.
    const pid = Number(/dashboard started \(pid (\d+)\)/.exec(host.log.join('\n'))![1]);
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => host.log.filter((l) => l.includes('dashboard started (pid')).length, { timeout: 30_000 }).toBe(2);
    expect(host.log.join('\n')).toContain(`dashboard (pid ${pid}) killed by SIGKILL`);
    await ready(host);
    await page.reload();
    await expect(page.getByLabel('signed in user')).toContainText('Operator');
    await expect(power).toHaveText('Stopped');

    // A destroy holds the environment's lock when the dashboard dies: after the restart the lock is
    // still held by that job, shown as cut off with its last log line, until an Admin forces it.
    await page.goto(`http://localhost:${port}/signin?login_hint=admin&returnTo=%2Fjobs`);
    await expect(page.getByLabel('signed in user')).toContainText('Admin');
    await page.getByLabel('Environment name to confirm').fill('k8s-demo');
    await page.getByRole('button', { name: 'Destroy' }).click();
    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    const jobId = page.url().split('/').pop()!;
    await expect(page.getByRole('log', { name: 'job log' })).toContainText('Destroying...');
    const second = Number([...host.log.join('\n').matchAll(/dashboard started \(pid (\d+)\)/g)].at(-1)![1]);
    process.kill(second, 'SIGKILL');
    await expect.poll(() => host.log.filter((l) => l.includes('dashboard started (pid')).length, { timeout: 30_000 }).toBe(3);
    await ready(host);
    await page.goto(`http://localhost:${port}/jobs`);
    const lock = page.getByRole('region', { name: 'environment lock' });
    await expect(lock).toContainText('Locked by Adam Admin');
    await expect(lock.getByRole('link', { name: 'the job' })).toHaveAttribute('href', `/jobs/${jobId}`);
    // Once its heartbeat is stale (15 s), the page says the job was cut off and offers the force unlock.
    const cutOff = lock.getByRole('status', { name: 'lock held by an interrupted job' });
    await expect(cutOff).toContainText('its server stopped while it ran', { timeout: 45_000 });
    await expect(cutOff).toContainText('Its last log line:');
    // Still refused for everyone meanwhile.
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Install add-ons' }).click();
    await expect(page.getByRole('region', { name: 'start a job' }).getByRole('alert')).toContainText('Another job holds the lock on k8s-demo');
    await cutOff.getByLabel('Environment name to force unlock').fill('k8s-demo');
    await cutOff.getByRole('button', { name: 'Force unlock' }).click();
    await expect(lock).toContainText('Not locked', { timeout: 15_000 });
    await page.goto(`http://localhost:${port}/jobs/${jobId}`);
    await expect(page.getByRole('log', { name: 'job log' })).toContainText('lock on k8s-demo force-unlocked by Adam Admin');
  } finally {
    expect(await stop(host)).toBe(0);
  }
  expect(files(current)).toEqual(before);
});

test('a host whose Node differs from the one the artifact was packaged with is refused at start, plainly', async () => {
  const tarball = readdirSync(join(work, 'dist')).find((f) => f.endsWith('.tar.gz'))!;
  const opt = join(work, 'other-node');
  mkdirSync(opt, { recursive: true });
  run('tar', ['-xzf', join(work, 'dist', tarball), '-C', opt]);
  const current = join(opt, 'aks-demo-control-plane');
  const manifest = JSON.parse(readFileSync(join(current, 'artifact.json'), 'utf8')) as { node: string; nodeMajor: string; nodeModuleVersion: string };
  // The manifest beside the archives is the one inside them (OpenTofu reads it to pick the hosts' Node).
  const beside = JSON.parse(readFileSync(join(work, 'dist', tarball.replace(/\.tar\.gz$/, '.json')), 'utf8')) as typeof manifest;
  expect(beside).toMatchObject(manifest);
  expect(manifest).toMatchObject({ node: process.versions.node, nodeMajor: process.versions.node.split('.')[0], nodeModuleVersion: process.versions.modules });
  // As if packaged with another Node than this host's.
  writeFileSync(join(current, 'artifact.json'), JSON.stringify({ ...manifest, node: '99.0.0', nodeMajor: '99', nodeModuleVersion: '999' }));
  const state = dataDir(join(work, 'other-node-data'));
  const { port, twinPort } = ports(3);
  const host = start(current, { ...twinEnv(port, twinPort), PORT: String(port), DATA_DIR: state }, port);
  expect(await host.exited).toBe(2);
  expect(host.log.join('\n')).toContain(`This artifact was packaged with Node 99.0.0 (native module ABI 999) and cannot run on Node ${process.versions.node}`);
  expect(readdirSync(state)).toEqual([]);
});
