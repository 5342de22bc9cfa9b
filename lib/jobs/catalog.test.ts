import { mkdtempSync, rmSync, writeFileSync, cpSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonInputs, chartVersionIn, readPlanDir } from './addons';
import { jobInputs, jobRequestSchema, jobSpec } from './catalog';

const PLAN = '00000000-0000-4000-8000-000000000001';

describe('the add-on kinds of the jobs catalog', () => {
  it('a plan runs install.sh --step … --plan (the runner adds its directory), changes nothing and needs helm', () => {
    expect(jobSpec({ kind: 'addon-plan', cluster: 'app1', addon: '03-reloader' })).toMatchObject({
      argv: ['bash', 'addons/install.sh', '--cluster', 'app1', '--step', '03-reloader', '--plan'], tools: ['bash', 'helm'], mutating: false, simulatedOnTwin: true,
    });
  });

  it('an apply runs the step on its plan\'s cluster, holds the lock (mutating) and needs the install\'s tools', () => {
    expect(jobSpec({ kind: 'addon-apply', planJobId: PLAN, cluster: 'mgmt', addon: '01-cert-manager' })).toMatchObject({
      title: 'install.sh --cluster mgmt --step 01-cert-manager (saved plan)',
      argv: ['bash', 'addons/install.sh', '--cluster', 'mgmt', '--step', '01-cert-manager'], tools: ['bash', 'az', 'kubectl', 'helm'], mutating: true,
    });
  });

  it('refuses what is not an install step or not a cluster, before any argv is built', () => {
    for (const addon of ['03-reloader --dry-run', '../03-reloader', '03-Reloader', '3-reloader', '', `03-${'x'.repeat(41)}`]) {
      expect(jobInputs.addon.safeParse({ cluster: 'app1', addon }).success, addon).toBe(false);
    }
    expect(jobInputs.addon.safeParse({ cluster: 'all', addon: '03-reloader' }).success).toBe(false);
    expect(jobInputs.addon.safeParse({ cluster: 'app1', addon: '00b-gateway-api' }).success).toBe(true);
    expect(jobRequestSchema.safeParse({ kind: 'addon-apply', planJobId: 'not-a-uuid', cluster: 'app1', addon: '03-reloader' }).success).toBe(false);
  });
});

describe('what ties an add-on apply to its plan', () => {
  it('the inputs hash moves with the step\'s script, the pins, the helpers and its values files, and with nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'addon-inputs-'));
    try {
      cpSync(resolve('infra/addons'), join(dir, 'addons'), { recursive: true });
      const base = await addonInputs(dir, '03-reloader');
      expect(await addonInputs(dir, '03-reloader')).toBe(base);
      writeFileSync(join(dir, 'addons/values/kyverno.yaml'), 'changed: true\n');
      expect(await addonInputs(dir, '03-reloader')).toBe(base);
      const values = join(dir, 'addons/values/reloader.yaml');
      writeFileSync(values, `${readFileSync(values, 'utf8')}# changed\n`);
      expect(await addonInputs(dir, '03-reloader')).not.toBe(base);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the installed chart version from the rendered labels, and refuses a plan directory missing a release', async () => {
    expect(chartVersionIn('  labels:\n    helm.sh/chart: cert-manager-v1.21.1\n', 'cert-manager')).toBe('v1.21.1');
    expect(chartVersionIn('    helm.sh/chart: "kiali-server-2.29.0"\n', 'kiali-server')).toBe('2.29.0');
    expect(chartVersionIn('kind: ConfigMap\n', 'vpa')).toBe('unknown');
    const dir = mkdtempSync(join(tmpdir(), 'addon-plan-dir-'));
    try {
      const release = { step: '19-vpa', clusters: ['app1' as const], namespace: 'vpa', release: 'vpa', chartRef: 'fairwinds-stable/vpa', chart: 'vpa', setting: 'VPA_VERSION', version: '5.0.0' };
      writeFileSync(join(dir, 'vpa.new.yaml'), 'kind: Deployment\n');
      await expect(readPlanDir(dir, [release])).rejects.toThrow('wrote no vpa.old.yaml');
      writeFileSync(join(dir, 'vpa.old.yaml'), '');
      expect(await readPlanDir(dir, [release])).toEqual([{ release, installed: null, old: '', new: 'kind: Deployment\n' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
