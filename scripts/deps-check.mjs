#!/usr/bin/env node
// `npm test` step: dependency hygiene.
// 1. `npm ls` is clean: every installed package is the one the lockfile names (no missing, invalid or extraneous).
// 2. Every package in the lockfile comes from the npm registry with an integrity hash.
// 3. `npm audit` of the production dependencies finds nothing high or critical. When the registry's audit
//    endpoint itself answers an error (some mirrors have none), the step says so and why, and passes:
//    the other two checks still ran.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let failed = false;
const say = (ok, line) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
  if (!ok) failed = true;
};

const ls = spawnSync('npm', ['ls', '--all'], { encoding: 'utf8' });
// An optional dependency of another platform (UNMET OPTIONAL) is not a problem.
const problems = (ls.stdout + ls.stderr).split('\n').filter((l) => /invalid|extraneous|missing|UNMET (?!OPTIONAL)/i.test(l));
say(ls.status === 0 && problems.length === 0, `npm ls: ${ls.status === 0 ? 'the installed tree matches the lockfile' : problems.slice(0, 5).join('; ') || ls.stderr.trim()}`);

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const foreign = Object.entries(lock.packages ?? {})
  // Bundled packages arrive inside their parent's tarball, covered by its hash.
  .filter(([path, p]) => path && !p.link && !p.inBundle && (!p.integrity || (p.resolved !== undefined && !String(p.resolved).startsWith('https://registry.npmjs.org/'))))
  .map(([path]) => path);
say(foreign.length === 0, `lockfile: ${foreign.length ? `not from the registry or without integrity: ${foreign.slice(0, 5).join(', ')}` : 'every package from the npm registry with an integrity hash'}`);

const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 60_000 });
let report;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = undefined;
}
const counts = report?.metadata?.vulnerabilities;
if (counts) {
  const serious = (counts.high ?? 0) + (counts.critical ?? 0);
  say(serious === 0, `npm audit (production): ${counts.total ?? 0} advisories, ${serious} high or critical`);
} else {
  const reason = [report?.message, report?.error?.summary, ...audit.stderr.split('\n').filter((l) => /audit|error/i.test(l))].find((r) => typeof r === 'string' && r.trim()) ?? 'no answer';
  console.log(`skip npm audit (production): the registry's audit endpoint did not answer with a report (${reason})`);
}

process.exit(failed ? 1 : 0);
