#!/usr/bin/env node
// `npm run package`: the one deployable artifact. Next's standalone output (server.js with the
// node_modules it traced), its static files, the SQL migrations, the OpenTofu code the jobs run,
// and the launcher and the twin compiled by esbuild, so that `node launcher.mjs` starts it with
// no dev dependency and no install on the host. Writes dist/<name>-<version>-node<major>.tar.gz
// (Jump VM) and .zip (App Service zip deploy, contents at the root) with their SHA-256, and
// <name>.json: the manifest (artifact.json) OpenTofu reads to run the hosts on the same Node.
//   npm run package                 build, then package
//   npm run package -- --no-build   package the existing .next (CI that just built)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const outDir = resolve(root, args.find((a) => a.startsWith('--out='))?.slice(6) ?? 'dist');
const nodeMajor = process.versions.node.split('.')[0];
const name = `${pkg.name}-${pkg.version}-node${nodeMajor}`;
const stage = join(outDir, pkg.name);
const log = (s) => console.log(`package: ${s}`);
const HOST_NODE_MAJORS = ['22', '24'];

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, ...opts });
  if (r.status !== 0) {
    console.error(`package: ${cmd} ${argv.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
}

for (const tool of ['tar', 'zip']) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).error) {
    console.error(`package: ${tool} is not installed (Debian: apt-get install ${tool}).`);
    process.exit(1);
  }
}
if (!args.includes('--no-build')) run(process.execPath, [require.resolve('next/dist/bin/next'), 'build']);
const standalone = join(root, '.next/standalone');
if (!existsSync(join(standalone, 'server.js'))) {
  console.error('package: .next/standalone/server.js is missing: run `next build` (next.config.ts has output: standalone).');
  process.exit(1);
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
// What runs is compiled into .next, launcher.mjs and twin.mjs: the TypeScript sources Next's tracing
// copied along, tests, end-to-end specs and local data are left out.
const skip = (rel) =>
  /(^|\/)(e2e|data|test-results|playwright-report|\.env(\.local)?)(\/|$)/.test(rel) ||
  (!rel.startsWith('node_modules/') && !rel.startsWith('.next/') && /\.(ts|tsx|mts|cts)$/.test(rel) && !rel.endsWith('.d.ts'));
cpSync(standalone, stage, { recursive: true, filter: (src) => !skip(relative(standalone, src)) });
cpSync(join(root, '.next/static'), join(stage, '.next/static'), { recursive: true });
if (existsSync(join(root, 'public'))) cpSync(join(root, 'public'), join(stage, 'public'), { recursive: true });
// What the launcher reads: migrations for both databases, and the whole OpenTofu tree for the jobs' working copy.
for (const dir of ['prisma/migrations', 'prisma/postgresql/migrations']) cpSync(join(root, dir), join(stage, dir), { recursive: true });
rmSync(join(stage, 'infra'), { recursive: true, force: true });
cpSync(join(root, 'infra'), join(stage, 'infra'), {
  recursive: true,
  filter: (src) => !/(^|\/)(\.terraform|terraform\.tfstate[^/]*|backend_override\.tf)$|\.test\.ts$/.test(relative(root, src)),
});
cpSync(join(root, '.env.example'), join(stage, '.env.example'));
// The in-app docs pages read docs/*.md at run time.
cpSync(join(root, 'docs'), join(stage, 'docs'), { recursive: true, filter: (src) => !src.endsWith('.png') });

// The launcher and the twin, compiled to plain JavaScript. Native and server-side packages stay
// external and resolve from the traced node_modules.
const esbuild = await import('esbuild');
const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
for (const [entry, out] of [['scripts/run.ts', 'launcher.mjs'], ['lib/twin/main.ts', 'twin.mjs']]) {
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile: join(stage, out),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'pg', 'pg-native'],
    banner,
    logLevel: 'warning',
  });
}

const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || 'unknown';
const manifest = {
  name: pkg.name,
  version: pkg.version,
  commit,
  builtAt: new Date().toISOString(),
  // better-sqlite3 is a native module built for this Node: the host must run the same major
  // (the launcher refuses another ABI; infra/modules/dashboard installs this major).
  node: process.versions.node,
  nodeMajor,
  nodeModuleVersion: process.versions.modules,
  start: 'node launcher.mjs',
};
writeFileSync(join(stage, 'artifact.json'), JSON.stringify(manifest, null, 2) + '\n');

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
function size(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? size(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

const tarball = join(outDir, `${name}.tar.gz`);
const zipFile = join(outDir, `${name}.zip`);
rmSync(tarball, { force: true });
rmSync(zipFile, { force: true });
// Owner and times normalised so the archive depends on its content, not on who built it when.
run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-czf', tarball, '-C', outDir, pkg.name]);
run('zip', ['-q', '-r', '-y', '-X', zipFile, '.'], { cwd: stage });
for (const f of [tarball, zipFile]) writeFileSync(`${f}.sha256`, `${sha256(f)}  ${relative(outDir, f)}\n`);
// The manifest beside the archives, for OpenTofu (artifact_manifest): the hosts run its Node.
const manifestFile = join(outDir, `${name}.json`);
writeFileSync(manifestFile, JSON.stringify({ ...manifest, tarballSha256: sha256(tarball), zipSha256: sha256(zipFile) }, null, 2) + '\n');

log(`${relative(root, stage)}/ (${(size(stage) / 1e6).toFixed(0)} MB), start: node launcher.mjs`);
log(`${relative(root, tarball)}  sha256 ${sha256(tarball)}`);
log(`${relative(root, zipFile)}  sha256 ${sha256(zipFile)}`);
log(`${relative(root, manifestFile)}  (artifact_manifest)`);
log(`built on Node ${process.versions.node}: run it on Node ${nodeMajor}.x (App Service stack ${nodeMajor}-lts)`);
// The Node majors App Service's Linux stacks offer and the Jump VM installs (infra/modules/dashboard/main.tools.tf).
if (!HOST_NODE_MAJORS.includes(nodeMajor)) {
  console.warn(`package: WARNING: neither host runs Node ${nodeMajor} (they run ${HOST_NODE_MAJORS.join(' or ')}): OpenTofu will refuse to deploy this artifact. Package it with Node ${HOST_NODE_MAJORS.at(-1)}.`);
}
