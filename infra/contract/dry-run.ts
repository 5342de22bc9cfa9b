/** Runs `addons/install.sh --dry-run` and parses its stable output (the parser is the product's, in lib/domain/dry-run.ts). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseDryRun, type DryRunResult, type DryRunStep } from '../../lib/domain/dry-run';

export { parseDryRun, splitCommand, type DryRunResult, type DryRunStep } from '../../lib/domain/dry-run';

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
