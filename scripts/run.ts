/**
 * Starts the product: validates the configuration, applies migrations, starts
 * the twin when the target is the twin, then `next start`. Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { ConfigError, parseConfig } from '../lib/config';
import { migrate } from '../lib/db/migrate';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];

function shutdown(code: number): never {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(code);
}

async function startTwin(env: NodeJS.ProcessEnv): Promise<{ url: string; caFile: string }> {
  const twin = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'lib/twin/main.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(twin);
  return new Promise((resolveReady, reject) => {
    twin.once('exit', (code) => reject(new Error(`the twin exited with code ${code}`)));
    createInterface({ input: twin.stdout! }).on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { twin?: string; url: string; caFile: string };
        if (msg.twin === 'ready') resolveReady(msg);
      } catch {
        process.stdout.write(`[twin] ${line}\n`);
      }
    });
  });
}

async function main() {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const applied = await migrate(config.databaseUrl, root);
  if (applied.length) console.log(`database: applied ${applied.join(', ')}`);

  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  if (config.target === 'twin') {
    const twin = await startTwin(env);
    env.TWIN_URL = twin.url;
    // The Azure SDKs trust the twin's own CA; TLS checking stays on (STACK.md).
    env.NODE_EXTRA_CA_CERTS = twin.caFile;
    console.log(`twin: ${twin.url} (profile ${config.twin.profile}, clock ×${config.twin.clockSpeed})`);
  }
  const nextBin = require.resolve('next/dist/bin/next');
  const next = spawn(process.execPath, [nextBin, 'start', '-p', String(config.port)], { cwd: root, env, stdio: 'inherit' });
  children.push(next);
  console.log(`dashboard: http://localhost:${config.port} (target ${config.target})`);
  for (const c of children) c.on('exit', (code) => shutdown(code ?? 1));
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  shutdown(1);
});
