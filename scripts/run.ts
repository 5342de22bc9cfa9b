/**
 * `npm start` (through tsx, in a clone) and `node launcher.mjs` (the packaged artifact, bundled
 * by scripts/package.mjs): validates the settings, applies migrations, starts the twin when the
 * target is the twin, then the dashboard, and supervises both (scripts/launcher.ts).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ConfigError, parseConfig } from '../lib/config';
import { migrate } from '../lib/db/migrate';
import { artifactNodeMismatch, launch, prepareWorkCopy, writeBackendOverride } from './launcher';

const here = import.meta.dirname;
// Packaged: launcher.mjs sits next to Next's standalone server.js; in a clone: scripts/run.ts.
const packaged = existsSync(join(here, 'server.js')) && existsSync(join(here, 'twin.mjs'));
const root = packaged ? here : resolve(here, '..');
const log = (line: string) => console.log(`${new Date().toISOString()} [launcher] ${line}`);

/** The artifact's native module (better-sqlite3) was built for one Node: refuse another plainly. */
function checkNode(): void {
  if (!packaged) return;
  const file = join(root, 'artifact.json');
  let manifest: unknown = null;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // refused below: an artifact without its manifest cannot say which Node it needs
  }
  const refusal = artifactNodeMismatch(manifest, { node: process.versions.node, modules: process.versions.modules });
  if (refusal) {
    console.error(refusal);
    process.exit(2);
  }
}

async function main() {
  checkNode();
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Relative paths in the settings mean the working directory the launcher was started in;
  // Next's standalone server changes directory to the app folder, so pass them on absolute.
  env.DATA_DIR = resolve(env.DATA_DIR || 'data');
  if (packaged && !env.INFRA_DIR) env.INFRA_DIR = join(env.DATA_DIR, 'work/infra');
  if (env.INFRA_DIR) env.INFRA_DIR = resolve(env.INFRA_DIR);
  if (!env.DATABASE_URL) env.DATABASE_URL = `file:${join(env.DATA_DIR, 'app.db')}`;
  else if (env.DATABASE_URL.startsWith('file:')) env.DATABASE_URL = `file:${resolve(env.DATABASE_URL.slice(5))}`;
  env.TWIN_DATA_DIR = resolve(env.TWIN_DATA_DIR || join(env.DATA_DIR, 'twin'));

  let config;
  try {
    config = parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const applied = await migrate(config.databaseUrl, root);
  if (applied.length) log(`database: applied ${applied.join(', ')}`);

  if (packaged) {
    prepareWorkCopy(join(root, 'infra'), config.jobs.infraDir);
    log(`jobs: working copy of infra/ in ${config.jobs.infraDir}`);
  }
  if (config.jobs.remoteState) {
    const file = writeBackendOverride(config.jobs.infraDir, config.jobs.remoteState);
    log(`jobs: remote state ${config.jobs.remoteState.storageAccount}/${config.jobs.remoteState.container}/${config.jobs.remoteState.key} (${file})`);
  }

  const require = createRequire(import.meta.url);
  const launched = await launch({
    config,
    env,
    log,
    exit: (code) => process.exit(code),
    twin: () =>
      packaged
        ? { command: process.execPath, args: [join(root, 'twin.mjs')], cwd: root }
        : { command: process.execPath, args: ['--import', 'tsx', join(root, 'lib/twin/main.ts')], cwd: root },
    server: (serverEnv) => {
      // Next's standalone server listens on HOSTNAME:PORT. Containers (App Service) export HOSTNAME
      // as the container's name, which would bind one interface only: listen on all.
      serverEnv.HOSTNAME = '0.0.0.0';
      serverEnv.PORT = String(config.port);
      return packaged
        ? { command: process.execPath, args: [join(root, 'server.js')], cwd: root }
        : { command: process.execPath, args: [require.resolve('next/dist/bin/next'), 'start', '-p', String(config.port)], cwd: root };
    },
  });
  process.on('SIGINT', () => void launched.shutdown(0, 'SIGINT'));
  process.on('SIGTERM', () => void launched.shutdown(0, 'SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
