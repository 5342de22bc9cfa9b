import { mkdtempSync, readFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/config';
import { artifactNodeMismatch, describeExit, launch, prepareWorkCopy, writeBackendOverride, type Launched } from './launcher';

/**
 * The launcher supervises its children with real processes: a stand-in twin that keeps its
 * state in memory (a counter it serves over HTTP) and a stand-in dashboard. Killing the
 * dashboard must start a new one against the same twin, and every exit must be logged with
 * its reason. (The previous launcher ended everything when any child exited.)
 */
const dir = mkdtempSync(join(tmpdir(), 'launcher-test-'));

const TWIN = `
const http = require('node:http');
let hits = 0;
const server = http.createServer((req, res) => { hits += 1; res.end(String(hits)); });
server.listen(0, '127.0.0.1', () => {
  const url = 'http://127.0.0.1:' + server.address().port;
  console.log('twin says hello');
  console.log(JSON.stringify({ twin: 'ready', url, caFile: '/dev/null' }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;
// The stand-in dashboard records its pid and the twin it was given, then runs until killed.
const DASHBOARD = `
const fs = require('node:fs');
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);
fs.appendFileSync(process.env.STARTS_FILE, JSON.stringify({ pid: process.pid, twin: process.env.TWIN_URL, ca: process.env.NODE_EXTRA_CA_CERTS }) + '\\n');
`;
writeFileSync(join(dir, 'twin.cjs'), TWIN);
writeFileSync(join(dir, 'dashboard.cjs'), DASHBOARD);

const running: Launched[] = [];
afterEach(async () => {
  for (const l of running.splice(0)) await l.shutdown(0, 'test over');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until<T>(what: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = what();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function starts(file: string): { pid: number; twin: string; ca: string }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function start(name: string) {
  const startsFile = join(dir, `${name}.starts`);
  const lines: string[] = [];
  const exits: number[] = [];
  const launched = await launch({
    config: parseConfig({}),
    env: { ...process.env, STARTS_FILE: startsFile },
    log: (l) => lines.push(l),
    exit: (code) => exits.push(code),
    twin: () => ({ command: process.execPath, args: [join(dir, 'twin.cjs')], cwd: dir }),
    server: () => ({ command: process.execPath, args: [join(dir, 'dashboard.cjs')], cwd: dir }),
    backoffMs: () => 50,
    graceMs: 2000,
  });
  running.push(launched);
  return { launched, lines, exits, startsFile };
}

describe('the launcher supervises the dashboard', () => {
  it('starts a killed dashboard again against the same twin, whose state is kept', async () => {
    const { launched, lines, exits, startsFile } = await start('restart');
    const first = await until(() => starts(startsFile)[0]);
    expect(first.twin).toBe(launched.twinUrl);
    expect(first.ca).toBe('/dev/null');
    // The twin holds state: two requests make its counter 2.
    await fetch(launched.twinUrl!);
    expect(await (await fetch(launched.twinUrl!)).text()).toBe('2');
    const twinPid = launched.twin!.child.pid;

    process.kill(first.pid, 'SIGKILL');
    const second = await until(() => starts(startsFile)[1]);
    expect(second.pid).not.toBe(first.pid);
    expect(second.twin).toBe(launched.twinUrl);
    expect(launched.twin!.child.pid).toBe(twinPid);
    expect(await (await fetch(launched.twinUrl!)).text()).toBe('3');
    expect(launched.dashboard.restarts).toBe(1);
    expect(exits).toEqual([]);
    expect(lines).toContain(`dashboard (pid ${first.pid}) killed by SIGKILL (out of memory, or killed by an operator)`);
    expect(lines.some((l) => /^restarting dashboard in 50 ms \(restart 1\)$/.test(l))).toBe(true);
    expect(lines).toContain('[twin] twin says hello');
  });

  it('logs an exit with its code and a stop by the launcher as such', async () => {
    const { launched, lines, exits, startsFile } = await start('code');
    const first = await until(() => starts(startsFile)[0]);
    launched.dashboard.child.kill('SIGTERM'); // the stand-in exits with code 0 on SIGTERM: unexpected all the same
    await until(() => starts(startsFile)[1]);
    expect(lines).toContain(`dashboard (pid ${first.pid}) exited normally (code 0)`);
    const twinPid = launched.twin!.child.pid;
    await launched.shutdown(0, 'SIGTERM');
    expect(exits).toEqual([0]);
    expect(lines.some((l) => /^dashboard \(pid \d+\) stopped by the launcher: exited normally \(code 0\)$/.test(l))).toBe(true);
    expect(lines).toContain(`twin (pid ${twinPid}) stopped by the launcher: exited normally (code 0)`);
    expect(lines).toContain('launcher stopping: SIGTERM');
  });

  it('ends the launcher with code 1 when the twin dies (its state is gone), and says why', async () => {
    const { launched, lines, exits } = await start('twin-dies');
    const twinPid = launched.twin!.child.pid!;
    process.kill(twinPid, 'SIGKILL');
    await until(() => exits.length > 0);
    expect(exits).toEqual([1]);
    expect(lines).toContain(`twin (pid ${twinPid}) killed by SIGKILL (out of memory, or killed by an operator)`);
    expect(lines.some((l) => l.startsWith('launcher stopping: twin killed by SIGKILL'))).toBe(true);
    expect(launched.dashboard.child.exitCode !== null || launched.dashboard.child.signalCode !== null).toBe(true);
  });

  it('gives up after too many exits in a row, so the host restarts the whole launcher', async () => {
    writeFileSync(join(dir, 'crash.cjs'), 'process.exit(3)');
    const lines: string[] = [];
    const exits: number[] = [];
    const launched = await launch({
      config: parseConfig({ TARGET: 'twin' }),
      env: process.env,
      log: (l) => lines.push(l),
      exit: (code) => exits.push(code),
      twin: () => ({ command: process.execPath, args: [join(dir, 'twin.cjs')], cwd: dir }),
      server: () => ({ command: process.execPath, args: [join(dir, 'crash.cjs')], cwd: dir }),
      backoffMs: () => 10,
    });
    running.push(launched);
    await until(() => exits.length > 0);
    expect(exits).toEqual([1]);
    expect(lines.filter((l) => /^dashboard \(pid \d+\) exited with code 3$/.test(l))).toHaveLength(6);
    expect(lines.some((l) => /not restarting again$/.test(l))).toBe(true);
  });
});

describe('describeExit', () => {
  it.each([
    [0, null, 'exited normally (code 0)'],
    [2, null, 'exited with code 2'],
    [null, 'SIGTERM', 'killed by SIGTERM'],
  ] as const)('%s %s → %s', (code, signal, text) => expect(describeExit(code, signal)).toBe(text));
});

describe('the jobs working copy', () => {
  it('copies the OpenTofu code without state, caches or tests, keeps .terraform, and writes the backend', () => {
    const src = join(dir, 'src-infra');
    mkdirSync(join(src, 'modules/a'), { recursive: true });
    mkdirSync(join(src, 'contract'), { recursive: true });
    mkdirSync(join(src, '.terraform'), { recursive: true });
    writeFileSync(join(src, 'main.tf'), 'terraform {}');
    writeFileSync(join(src, 'modules/a/main.tf'), '# a');
    writeFileSync(join(src, 'contract/x.ts'), '');
    writeFileSync(join(src, 'terraform.tfstate'), '{}');
    const target = join(dir, 'work/infra');
    mkdirSync(join(target, '.terraform/providers'), { recursive: true });
    writeFileSync(join(target, 'removed-since.tf'), '# from an older release');
    prepareWorkCopy(src, target);
    expect(existsSync(join(target, 'removed-since.tf'))).toBe(false);
    expect(readFileSync(join(target, 'modules/a/main.tf'), 'utf8')).toBe('# a');
    expect(existsSync(join(target, 'contract'))).toBe(false);
    expect(existsSync(join(target, 'terraform.tfstate'))).toBe(false);
    expect(existsSync(join(target, '.terraform/providers'))).toBe(true);
    const file = writeBackendOverride(target, { resourceGroup: 'rg-tfstate', storageAccount: 'sttfstate1', container: 'tfstate', key: 'k8s-demo.tfstate' });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('storage_account_name = "sttfstate1"');
    expect(text).toContain('use_azuread_auth     = true');
  });
});

describe('the artifact runs only on the Node it was packaged with', () => {
  const node22 = { node: '22.22.2', nodeMajor: '22', nodeModuleVersion: '127' };

  it('starts on the same ABI, whatever the patch release', () => {
    expect(artifactNodeMismatch(node22, { node: '22.23.0', modules: '127' })).toBeNull();
  });

  it.each([
    ['20.20.2', '115'],
    ['24.15.0', '137'],
  ])('refuses Node %s (ABI %s), naming the Node and App Service stack it needs', (node, modules) => {
    expect(artifactNodeMismatch(node22, { node, modules })).toBe(
      `This artifact was packaged with Node 22.22.2 (native module ABI 127) and cannot run on Node ${node} (ABI ${modules}). ` +
        'Run it on Node 22.x (App Service stack 22-lts), or package it again with this Node.',
    );
  });

  it('refuses an artifact whose manifest is missing or does not name its Node', () => {
    for (const manifest of [null, {}, { node: '22.22.2' }, 'text']) {
      expect(artifactNodeMismatch(manifest, { node: '22.22.2', modules: '127' })).toMatch(/^artifact\.json does not say which Node/);
    }
  });
});
