import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * A private PostgreSQL server (Debian's packages; scripts/test.sh installs
 * them) in a temporary folder on a loopback port, for tests of the
 * several-instances mode. Throws, never skips, when PostgreSQL is missing.
 */
function findPgBin(): string {
  for (const dir of ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin']) {
    if (spawnSync(join(dir, 'initdb'), ['--version']).status === 0) return dir;
  }
  throw new Error('PostgreSQL is not installed: run `apt-get install -y postgresql` (scripts/test.sh does this).');
}

export function startPostgres(): { url: string; stop: () => void } {
  const bin = findPgBin();
  const dataDir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  const port = 50000 + Math.floor(Math.random() * 10000);
  // initdb refuses to run as root: run the server as the postgres user Debian creates.
  const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asUser.length) spawnSync('chown', ['-R', 'postgres', dataDir]);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(asUser[0] ?? cmd, asUser.length ? [...asUser.slice(1), cmd, ...args] : args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  run(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  run(join(bin, 'pg_ctl'), ['-D', dataDir, '-o', `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1`, '-w', 'start', '-l', join(dataDir, 'log')]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', 'stop']);
    },
  };
}
