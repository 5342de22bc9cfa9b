/**
 * The launcher's parts: it validates the settings, applies migrations, prepares the jobs'
 * working copy, starts the twin (twin target) and the dashboard, and supervises them. A
 * dashboard that dies is started again (the twin, and so its state, is kept); every exit is
 * logged with its reason. Used by `npm start` (scripts/run.ts through tsx) and, bundled by
 * esbuild, as `launcher.mjs` in the packaged artifact (scripts/package.mjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import type { AppConfig } from '../lib/config';

export interface Command {
  command: string;
  args: string[];
  cwd: string;
}

export type Log = (line: string) => void;

/** "code 1", "killed by SIGKILL" … — what the log says about an exit. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory, or killed by an operator)' : ''}`;
  if (code === 0) return 'exited normally (code 0)';
  return `exited with code ${code}`;
}

export interface SuperviseOptions {
  name: string;
  start: () => ChildProcess;
  log: Log;
  /** Restart after an unexpected exit; false: report it through onGiveUp at once. */
  restart: boolean;
  /** Delay before restart n (1-based). */
  backoffMs?: (n: number) => number;
  /** More restarts than this within windowMs: give up (the host's own supervisor takes over). */
  maxRestarts?: number;
  windowMs?: number;
  onGiveUp: (reason: string) => void;
}

export interface Supervised {
  readonly name: string;
  readonly child: ChildProcess;
  readonly restarts: number;
  /** Stops the child (SIGTERM, then SIGKILL after graceMs) without restarting it. */
  stop(graceMs?: number): Promise<void>;
}

const defaultBackoff = (n: number) => Math.min(30_000, 1000 * 2 ** (n - 1));

export function supervise(o: SuperviseOptions): Supervised {
  let child: ChildProcess;
  let stopping = false;
  let restarts = 0;
  let recent: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let exited: Promise<void>;

  const run = () => {
    child = o.start();
    const pid = child.pid;
    o.log(`${o.name} started (pid ${pid})`);
    exited = new Promise((resolveExit) => {
      child.once('error', (err) => o.log(`${o.name} (pid ${pid}) could not run: ${err.message}`));
      child.once('exit', (code, signal) => {
        resolveExit();
        if (stopping) {
          o.log(`${o.name} (pid ${pid}) stopped by the launcher: ${describeExit(code, signal)}`);
          return;
        }
        const reason = describeExit(code, signal);
        o.log(`${o.name} (pid ${pid}) ${reason}`);
        if (!o.restart) return o.onGiveUp(`${o.name} ${reason}`);
        const now = Date.now();
        recent = [...recent.filter((t) => now - t < (o.windowMs ?? 120_000)), now];
        if (recent.length > (o.maxRestarts ?? 5)) {
          return o.onGiveUp(`${o.name} ${reason}; ${recent.length} exits in ${Math.round((o.windowMs ?? 120_000) / 1000)} s, not restarting again`);
        }
        restarts += 1;
        const delay = (o.backoffMs ?? defaultBackoff)(recent.length);
        o.log(`restarting ${o.name} in ${delay} ms (restart ${restarts})`);
        timer = setTimeout(() => {
          timer = undefined;
          if (!stopping) run();
        }, delay);
      });
    });
  };
  run();

  return {
    name: o.name,
    get child() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}

/** Waits for the twin's `{"twin":"ready",…}` line; other lines are passed to the log. */
export function twinReady(child: ChildProcess, log: Log): Promise<{ url: string; caFile: string }> {
  return new Promise((resolveReady, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => reject(new Error(`the twin ${describeExit(code, signal)} before it was ready`));
    child.once('exit', onExit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { twin?: string; url: string; caFile: string };
        if (msg.twin === 'ready') {
          child.off('exit', onExit);
          resolveReady(msg);
          return;
        }
      } catch {
        // not the ready line
      }
      log(`[twin] ${line}`);
    });
  });
}

const KEPT = new Set(['.terraform', '.terraform.lock.hcl']);

/** What a job's OpenTofu must not take from the shipped copy: local state, caches, this repo's tests. */
const NOT_COPIED = new Set(['.terraform', 'terraform.tfstate', 'terraform.tfstate.backup', 'contract', 'tests', 'bootstrap', '.jobs']);

/**
 * The jobs' working copy (packaged app: the app folder is read-only, and tofu writes .terraform
 * and its lock file next to the configuration). Refreshed from the shipped infra/ at every start;
 * .terraform (providers, backend) and the lock file are kept so that a restart does not download
 * providers again.
 */
export function prepareWorkCopy(source: string, target: string): void {
  mkdirSync(target, { recursive: true });
  // Whatever an older release left goes, except what tofu init made (providers, backend, lock file).
  for (const entry of readdirSync(target)) if (!KEPT.has(entry)) rmSync(join(target, entry), { recursive: true, force: true });
  cpSync(source, target, {
    recursive: true,
    filter: (src) => {
      const rel = relative(source, src);
      return !rel.split(sep).some((part) => NOT_COPIED.has(part)) && !/\.test\.ts$|\.ts$/.test(rel);
    },
  });
}

/** azurerm backend of the jobs, from the TF_STATE_* settings (an override file: infra/terraform.tf keeps a partial block). */
export function writeBackendOverride(infraDir: string, state: NonNullable<AppConfig['jobs']['remoteState']>): string {
  const file = join(infraDir, 'backend_override.tf');
  writeFileSync(
    file,
    [
      '# Written by the dashboard launcher from TF_STATE_* at every start; do not edit.',
      'terraform {',
      '  backend "azurerm" {',
      `    resource_group_name  = ${JSON.stringify(state.resourceGroup)}`,
      `    storage_account_name = ${JSON.stringify(state.storageAccount)}`,
      `    container_name       = ${JSON.stringify(state.container)}`,
      `    key                  = ${JSON.stringify(state.key)}`,
      '    use_azuread_auth     = true',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

/** What `npm run package` records in artifact.json about the Node that built the artifact. */
export interface ArtifactNode {
  node: string;
  nodeMajor: string;
  nodeModuleVersion: string;
}

/**
 * The artifact's native module (better-sqlite3) is built for one Node ABI (NODE_MODULE_VERSION,
 * one per major): on another Node it fails at the first database call, so the launcher refuses
 * at once, saying which Node it needs. Returns the refusal, or null when this Node fits.
 */
export function artifactNodeMismatch(manifest: unknown, running: { node: string; modules: string }): string | null {
  const m = manifest as Partial<ArtifactNode> | null;
  if (!m || typeof m.node !== 'string' || typeof m.nodeModuleVersion !== 'string') {
    return 'artifact.json does not say which Node this artifact was packaged with: package it again (npm run package).';
  }
  if (m.nodeModuleVersion === running.modules) return null;
  const major = m.nodeMajor ?? m.node.split('.')[0];
  return (
    `This artifact was packaged with Node ${m.node} (native module ABI ${m.nodeModuleVersion}) and cannot run on Node ${running.node} (ABI ${running.modules}). ` +
    `Run it on Node ${major}.x (App Service stack ${major}-lts), or package it again with this Node.`
  );
}

export interface LaunchOptions {
  config: AppConfig;
  env: NodeJS.ProcessEnv;
  /** How to start each process (dev: next start and tsx; packaged: server.js and twin.mjs). */
  server: (env: NodeJS.ProcessEnv) => Command;
  twin: () => Command;
  log: Log;
  /** Called once when the launcher ends (host supervisors restart it on a non-zero code). */
  exit: (code: number) => void;
  backoffMs?: (n: number) => number;
  graceMs?: number;
}

export interface Launched {
  dashboard: Supervised;
  twin?: Supervised;
  twinUrl?: string;
  shutdown(code: number, why: string): Promise<void>;
}

export async function launch(o: LaunchOptions): Promise<Launched> {
  const env: NodeJS.ProcessEnv = { ...o.env, NEXT_TELEMETRY_DISABLED: '1' };
  const kids: { twin?: Supervised; dashboard?: Supervised } = {};
  let ending = false;
  const shutdown = async (code: number, why: string) => {
    if (ending) return;
    ending = true;
    o.log(`launcher stopping: ${why}`);
    await Promise.all([kids.dashboard?.stop(o.graceMs), kids.twin?.stop(o.graceMs)]);
    o.log(`launcher exits with code ${code}`);
    o.exit(code);
  };

  let twinUrl: string | undefined;
  if (o.config.target === 'twin') {
    const cmd = o.twin();
    const ready: { promise?: Promise<{ url: string; caFile: string }> } = {};
    kids.twin = supervise({
      name: 'twin',
      // The twin's state lives in its process: restarting it would lose the environment, so its
      // death ends the launcher (the host's supervisor, or the user, starts everything again).
      restart: false,
      log: o.log,
      start: () => {
        const child = spawn(cmd.command, cmd.args, { cwd: cmd.cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
        ready.promise = twinReady(child, o.log);
        return child;
      },
      onGiveUp: (reason) => void shutdown(1, reason),
    });
    const t = await ready.promise!;
    twinUrl = t.url;
    env.TWIN_URL = t.url;
    // The Azure SDKs trust the twin's own CA; TLS checking stays on.
    env.NODE_EXTRA_CA_CERTS = t.caFile;
    o.log(`twin: ${t.url} (profile ${o.config.twin.profile}, scale ×${o.config.twin.scale}, clock ×${o.config.twin.clockSpeed})`);
  }

  const cmd = o.server(env);
  const dashboard = supervise({
    name: 'dashboard',
    restart: true,
    log: o.log,
    backoffMs: o.backoffMs,
    start: () => spawn(cmd.command, cmd.args, { cwd: cmd.cwd, env, stdio: 'inherit' }),
    onGiveUp: (reason) => void shutdown(1, reason),
  });
  o.log(`dashboard: http://localhost:${o.config.port} (target ${o.config.target})`);
  kids.dashboard = dashboard;
  return { dashboard, twin: kids.twin, twinUrl, shutdown };
}
