#!/usr/bin/env node
// Runs scripts/bench.ts with the twin's CA trusted from process start (as the app does).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ca = resolve('data/test-twin/twin-ca.pem');
// Create the CA first (ensureTwinCertificates), then run the benchmark trusting it.
spawnSync(process.execPath, ['--import', 'tsx', '-e', "await (await import('./lib/twin/cert.ts')).ensureTwinCertificates('data/test-twin')"], { stdio: 'inherit' });
let status = 0;
for (const part of ['audit', 'shared-reads', 'push']) {
  // The product's server modules are marked server-only: run them as React's server environment does.
  const r = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/bench.ts', part], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: ca } });
  status ||= r.status ?? 1;
}
// The load test runs the production server, so it is its own process group.
const load = spawnSync(process.execPath, ['scripts/bench-load.mjs'], { stdio: 'inherit' });
status ||= load.status ?? 1;
// The twin at its seed size and at ten times it: page times and a node event's way to the zone stream.
const scale = spawnSync(process.execPath, ['scripts/bench-scale.mjs'], { stdio: 'inherit' });
status ||= scale.status ?? 1;
// Shell first and parallel reads: first byte and total per page, with and without slow upstream answers.
const shell = spawnSync(process.execPath, ['scripts/bench-shell.mjs'], { stdio: 'inherit' });
status ||= shell.status ?? 1;
// The bundle budgets read the build the load test made or found.
const bundle = spawnSync(process.execPath, ['scripts/bench-bundle.mjs'], { stdio: 'inherit' });
status ||= bundle.status ?? 1;
process.exit(status);
