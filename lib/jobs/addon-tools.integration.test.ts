import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import type { Actor } from '../auth';

/**
 * The add-on plan and apply with the real install.sh and stand-ins for helm, kubectl and az (the
 * target that is not the twin): the argv the runner builds, the plan directory it reads and removes.
 */
const admin: Actor = { id: 'a', name: 'Ada Admin', role: 'Admin', via: 'session' };
let twin: Twin;
let jobs: typeof import('./index');
let bin: string;
let planDir: string;

const HELM = `#!/bin/bash
echo "helm $*" >> "$HOME/calls"
version=""; prev=""
for a in "$@"; do [[ "$prev" == "--version" ]] && version="$a"; prev="$a"; done
deployment() { printf -- '---\\n# Source: reloader/templates/deployment.yaml\\napiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: reloader\\n  namespace: reloader\\n  labels:\\n    helm.sh/chart: reloader-%s\\n' "$1"; }
case "$1 $2" in
  "version --short") echo v3.16.0 ;;
  "upgrade --install")
    if [[ " $* " == *" --dry-run=server "* ]]; then printf 'Release "reloader" has been upgraded. Happy Helming!\\nNAME: reloader\\nMANIFEST:\\n'; deployment "$version"; printf '\\nNOTES:\\nhi\\n'
    else echo 'Release "reloader" has been upgraded. Happy Helming!'; fi ;;
  "get manifest") deployment 2.2.10 ;;
esac
`;

async function finished(id: string) {
  for (let i = 0; i < 1200; i++) {
    const job = await jobs.getJob(id);
    if (job && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('job did not finish');
}

beforeAll(async () => {
  ({ twin } = await startHarness());
  jobs = await import('./index');
  bin = mkdtempSync(join(tmpdir(), 'addon-tools-'));
  planDir = mkdtempSync(join(tmpdir(), 'addon-plans-'));
  writeFileSync(join(bin, 'helm'), HELM);
  for (const tool of ['kubectl', 'az']) writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "$HOME/calls"\n`);
  for (const tool of ['helm', 'kubectl', 'az']) chmodSync(join(bin, tool), 0o755);
  jobs.configureJobs({
    infraDir: resolve('infra'), planDir, simulate: false, flushMs: 20, heartbeatMs: 100,
    sourceEnv: { PATH: `${bin}:/usr/bin:/bin`, HOME: bin },
  });
});

afterAll(async () => {
  rmSync(bin, { recursive: true, force: true });
  rmSync(planDir, { recursive: true, force: true });
  await twin.close();
});

describe('an add-on plan and apply with the real install.sh', () => {
  it('plan: install.sh --step --plan <its own directory>; the diff is kept and the directory removed; apply runs the step', async () => {
    const { jobId, simulated } = await jobs.startJob(admin, { kind: 'addon-plan', cluster: 'app1', addon: '03-reloader' });
    expect(simulated).toBe(false);
    const plan = await finished(jobId);
    const log = (await jobs.getJobLines(jobId, 0, 1000)).map((l) => l.text);
    expect(plan.status, log.join('\n')).toBe('succeeded');
    expect(log[0]).toContain(`running bash addons/install.sh --cluster app1 --step 03-reloader --plan`);
    expect(log.some((l) => l.startsWith('plan summary (helm upgrade --dry-run=server against helm get manifest): 1 object changed, +1 −1 lines'))).toBe(true);
    expect(plan.addonPlan?.releases[0]).toMatchObject({ release: 'reloader', installed: '2.2.10', pinned: '2.2.16', objectsChanged: 1 });
    expect(plan.addonPlan?.releases[0].patch).toContain('+    helm.sh/chart: reloader-2.2.16');
    expect(readdirSync(planDir)).toEqual([]);
    const calls = () => readFileSync(join(bin, 'calls'), 'utf8').trim().split('\n');
    expect(calls().filter((c) => !c.startsWith('helm '))).toEqual([]);

    const apply = await jobs.applyAddonPlan(admin, jobId);
    const applied = await finished(apply.jobId);
    expect(applied.status).toBe('succeeded');
    expect((await jobs.getJobLines(apply.jobId, 0, 1))[0].text).toContain('running bash addons/install.sh --cluster app1 --step 03-reloader —');
    const upgrades = calls().filter((c) => c.startsWith('helm upgrade') && !c.includes('--dry-run'));
    expect(upgrades).toHaveLength(1);
    expect(upgrades[0]).toContain('--version 2.2.16 ');
    expect(calls()).toContain('kubectl --context aks-app1 apply -f manifests/hpa/reloader.yaml');
    expect(existsSync(join(planDir, `${jobId}.addon`))).toBe(false);
  });
});
