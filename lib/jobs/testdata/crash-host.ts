/**
 * A server that dies mid-job, for the crash-safety tests: starts the stand-in's endless job
 * against the test database, prints the job id once lines are stored, then waits to be killed.
 * `install` as argument: the mutating add-on install (it takes the environment's lock).
 */
import { resolve } from 'node:path';
import { configureJobs, startJob } from '../index';
import { getDb } from '../../db';

async function main() {
  const here = resolve(import.meta.dirname);
  configureJobs({
    infraDir: resolve(here, 'infra'),
    simulate: false,
    flushMs: 20,
    heartbeatMs: 100,
    sourceEnv: { PATH: `${resolve(here, 'bin')}:/usr/bin:/bin`, HOME: '/tmp' },
  });
  const kind = process.argv[2] === 'install' ? 'addons-install' : 'addons-dry-run';
  const { jobId } = await startJob({ id: 'crash', name: 'Crash Host', role: 'Admin', via: 'system' }, { kind, cluster: 'mgmt' });
  for (;;) {
    const job = await getDb().job.findUnique({ where: { id: jobId } });
    if (job && job.lineCount >= 5 && job.pid) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write(`${jobId}\n`);
  setInterval(() => undefined, 1000);
}

void main();
