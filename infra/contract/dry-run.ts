/** Runs `addons/install.sh --dry-run` and parses its stable output (format: addons/lib/common.sh). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export interface DryRunStep {
  cluster: string; // mgmt | app1 | app2 | subscription
  step: string; // e.g. 05-kyverno
  commands: string[][]; // argv of every "+ …" line
  lines: string[];
}

export interface DryRunResult {
  stdout: string;
  steps: DryRunStep[];
}

/** Split a "+ …" line (bash printf %q quoting) into argv. */
export function splitCommand(line: string): string[] {
  const s = line.replace(/^\+ /, '').replace(/\s+# rendered$/, '');
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) { cur += s[++i]; has = true; continue; }
    if (c === "'") { const j = s.indexOf("'", i + 1); cur += s.slice(i + 1, j); i = j; has = true; continue; }
    if (c === ' ') { if (has) out.push(cur); cur = ''; has = false; continue; }
    cur += c; has = true;
  }
  if (has) out.push(cur);
  return out;
}

export function parseDryRun(stdout: string): DryRunResult {
  const steps: DryRunStep[] = [];
  let cur: DryRunStep | null = null;
  for (const line of stdout.split('\n')) {
    const h = /^==> \[([a-z0-9]+)\] (\S+)$/.exec(line);
    if (h) { cur = { cluster: h[1], step: h[2], commands: [], lines: [] }; steps.push(cur); continue; }
    if (!cur) continue;
    cur.lines.push(line);
    if (line.startsWith('+ ')) cur.commands.push(splitCommand(line));
  }
  return { stdout, steps };
}

/** A minimal child environment (ProcessEnv typing in this repo requires NODE_ENV). */
export function shellEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { NODE_ENV: process.env.NODE_ENV ?? 'test', ...vars } as NodeJS.ProcessEnv;
}

export function runDryRun(infraDir: string, cluster: string, env: Record<string, string> = {}): DryRunResult {
  const stdout = execFileSync('bash', [path.join(infraDir, 'addons', 'install.sh'), '--cluster', cluster, '--dry-run'], {
    encoding: 'utf8',
    env: shellEnv({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseDryRun(stdout);
}

/** Manifest files (relative to infra/) a step applies on a cluster. */
export function appliedFiles(steps: DryRunStep[], cluster: string, step?: string): string[] {
  return steps
    .filter((s) => s.cluster === cluster && (!step || s.step === step))
    .flatMap((s) => s.commands)
    .filter((c) => c[0] === 'kubectl' && c.includes('apply'))
    .map((c) => c[c.indexOf('-f') + 1])
    .filter((f) => f && f.startsWith('manifests/'));
}
