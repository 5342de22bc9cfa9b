import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDryRun, runDryRun, shellEnv } from '../contract/dry-run';
import { INFRA_DIR } from '../contract/model-from-hcl';

const ADDONS = path.join(INFRA_DIR, 'addons');
const walk = (d: string): string[] =>
  fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const shellScripts = walk(INFRA_DIR).filter((f) => f.endsWith('.sh'));

// In order, 14 last.
const ORDER = [
  '00-priority-classes', '00b-gateway-api', '01-cert-manager', '02-external-secrets', '03-reloader', '04-istio', '05-kyverno',
  '06-flux', '07-kiali', '08-karpenter-nodepool', '09-backup-extension', '10-defender', '11-budget-alert', '12-aks-automation',
  '13-hubble', '15-tetragon', '16-otel-collector', '19-vpa', '14-verify-clusters',
];
const SCOPE: Record<string, string[]> = {
  '01-cert-manager': ['mgmt'],
  '04-istio': ['mgmt', 'app1'],
  '05-kyverno': ['app1', 'app2'],
  '07-kiali': ['mgmt'],
  '11-budget-alert': ['subscription'],
  '12-aks-automation': ['subscription'],
};
const scopeOf = (step: string) => SCOPE[step] ?? ['mgmt', 'app1', 'app2'];

describe('shell scripts', () => {
  it('there is one script per install step, and nothing else', () => {
    const steps = fs.readdirSync(path.join(ADDONS, 'scripts')).filter((f) => f.endsWith('.sh')).map((f) => f.replace(/\.sh$/, ''));
    expect(steps.sort()).toEqual([...ORDER].sort());
  });

  it.each(shellScripts.map((f) => [path.relative(INFRA_DIR, f), f]))('%s: bash -n, strict mode, env shebang', (_rel, file) => {
    execFileSync('bash', ['-n', file]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    // lib/ is sourced by the step scripts, which set strict mode themselves
    if (!file.includes(`${path.sep}lib${path.sep}`)) expect(text).toMatch(/^set -euo pipefail$/m);
  });

  it('shellcheck is installed (apt-get install shellcheck) and clean on every script', () => {
    const version = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    expect(version.error, 'shellcheck is missing: apt-get install -y shellcheck').toBeUndefined();
    const r = spawnSync('shellcheck', ['--external-sources', ...shellScripts], { encoding: 'utf8', cwd: os.tmpdir() });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('every side effect in the step scripts goes through run/kc/helm_*/apply_manifest', () => {
    for (const f of walk(path.join(ADDONS, 'scripts'))) {
      const bare = fs.readFileSync(f, 'utf8').split('\n').filter((l) => /^\s*(az|kubectl|helm)\s/.test(l));
      expect(bare, f).toEqual([]);
    }
  });
});

describe('install.sh --dry-run', () => {
  const expected = (cluster: string) =>
    ORDER.flatMap((step) => {
      const scope = scopeOf(step);
      if (scope[0] === 'subscription') return cluster === 'all' ? [`subscription ${step}`] : [];
      const clusters = cluster === 'all' ? ['mgmt', 'app1', 'app2'] : [cluster];
      return clusters.filter((c) => scope.includes(c)).map((c) => `${c} ${step}`);
    });

  it.each(['mgmt', 'app1', 'app2', 'all'])('--cluster %s prints the install order with the right scoping', (cluster) => {
    const { steps } = runDryRun(INFRA_DIR, cluster);
    expect(steps.map((s) => `${s.cluster} ${s.step}`)).toEqual(expected(cluster));
    expect(steps.at(-1)!.step).toBe('14-verify-clusters');
  });

  it('scopes Istio to mgmt+app1, Kyverno to app1+app2, Kiali to mgmt', () => {
    const { steps } = runDryRun(INFRA_DIR, 'all');
    const where = (step: string) => steps.filter((s) => s.step === step).map((s) => s.cluster);
    expect(where('04-istio')).toEqual(['mgmt', 'app1']);
    expect(where('05-kyverno')).toEqual(['app1', 'app2']);
    expect(where('07-kiali')).toEqual(['mgmt']);
    expect(where('01-cert-manager')).toEqual(['mgmt']);
    // and the commands inside a step target that step's cluster only
    for (const s of steps.filter((x) => x.cluster !== 'subscription'))
      for (const c of s.commands.filter((x) => x[0] === 'kubectl' || (x[0] === 'helm' && x[1] !== 'repo')))
        expect(c.join(' '), `${s.cluster} ${s.step}`).toContain(`aks-${s.cluster}`);
  });

  it('executes nothing and needs no az/kubectl/helm', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-tools-'));
    const marker = path.join(bin, 'called');
    for (const tool of ['az', 'kubectl', 'helm', 'tofu'])
      fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${marker}"\nexit 1\n`, { mode: 0o755 });
    try {
      const out = execFileSync('bash', [path.join(ADDONS, 'install.sh'), '--cluster', 'all', '--dry-run'], {
        encoding: 'utf8', env: shellEnv({ PATH: `${bin}:/usr/bin:/bin`, HOME: os.tmpdir() }),
      });
      expect(fs.existsSync(marker)).toBe(false);
      expect(parseDryRun(out).steps.length).toBeGreaterThan(40);
      // without the tools and without --dry-run it refuses up front
      const real = spawnSync('bash', [path.join(ADDONS, 'install.sh'), '--cluster', 'mgmt'], {
        encoding: 'utf8', env: shellEnv({ PATH: '/usr/bin:/bin', HOME: os.tmpdir() }),
      });
      if (!['az', 'kubectl', 'helm'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`], { env: shellEnv({ PATH: '/usr/bin:/bin' }) }).status === 0)) {
        expect(real.status).not.toBe(0);
        expect(real.stderr).toMatch(/^xx .* is required/m);
      }
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('prints only lines of the documented format', () => {
    const { stdout } = runDryRun(INFRA_DIR, 'all');
    for (const line of stdout.split('\n').filter(Boolean))
      expect(line).toMatch(/^(==> \[(mgmt|app1|app2|subscription)\] [0-9]{2}b?-[a-z-]+|\+ \S.*|-- .+)$/);
  });

  it('rejects a bad --cluster', () => {
    const r = spawnSync('bash', [path.join(ADDONS, 'install.sh'), '--cluster', 'app3', '--dry-run'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
  });

  it('uses idempotent commands and the corrected versions', () => {
    const { steps } = runDryRun(INFRA_DIR, 'all');
    const cmds = steps.flatMap((s) => s.commands.map((c) => ({ step: s.step, c })));
    for (const { c } of cmds.filter((x) => x.c[0] === 'helm' && x.c[1] !== 'repo')) expect(c.slice(0, 3)).toEqual(['helm', 'upgrade', '--install']);
    for (const { c } of cmds.filter((x) => x.c[0] === 'kubectl' && x.c.includes('create'))) expect(c).toContain('--dry-run=client');
    const version = (step: string) => cmds.find((x) => x.step === step && x.c[0] === 'helm' && x.c[1] === 'upgrade')!.c;
    const v = (c: string[]) => c[c.indexOf('--version') + 1];
    // supported releases on Kubernetes 1.35 (tests/versions.test.ts checks each against its range)
    expect(v(version('05-kyverno'))).toBe('3.8.2');
    expect(v(version('01-cert-manager'))).toMatch(/^v1\.21\.\d+$/);
    expect(v(version('02-external-secrets'))).toMatch(/^2\.8\.\d+$/);
    expect(v(version('03-reloader'))).toMatch(/^2\.\d+\.\d+$/);
    expect(v(version('07-kiali'))).toBe('2.29.0');
    expect(v(version('15-tetragon'))).toBe('1.7.0');
    expect(v(version('19-vpa'))).toBe('5.0.0');
    expect(version('16-otel-collector')).toContain('image.tag=0.158.0');
    const gw = cmds.find((x) => x.step === '00b-gateway-api')!.c.join(' ');
    expect(gw).toContain('/v1.6.1/standard-install.yaml');
    // Flux on AKS needs --cluster-type managedClusters; the Git source is an SSH deploy key.
    const flux = cmds.filter((x) => x.step === '06-flux').map((x) => x.c);
    expect(flux).toHaveLength(3);
    for (const f of flux) {
      expect(f[f.indexOf('--cluster-type') + 1]).toBe('managedClusters');
      expect(f).toContain('--ssh-private-key-file');
      expect(f[f.indexOf('--url') + 1]).toMatch(/^ssh:\/\//);
    }
  });

  it('autoscaler mode applies no Karpenter NodePool; ACNS on checks Hubble', () => {
    const { steps } = runDryRun(INFRA_DIR, 'all', { WORKER_PROVISIONING: 'autoscaler', ACNS_OBSERVABILITY: '1' });
    const k = steps.filter((s) => s.step === '08-karpenter-nodepool');
    expect(k.flatMap((s) => s.commands)).toEqual([]);
    const h = steps.filter((s) => s.step === '13-hubble').flatMap((s) => s.commands.map((c) => c.join(' ')));
    expect(h.filter((c) => c.includes('hubble-relay'))).toHaveLength(3);
    const verify = steps.filter((s) => s.step === '14-verify-clusters').flatMap((s) => s.commands.map((c) => c.join(' ')));
    expect(verify.some((c) => c.includes('nodepools.karpenter.sh'))).toBe(false);
  });

  it('refuses an Istio revision older than asm-1-30', () => {
    const r = spawnSync('bash', [path.join(ADDONS, 'install.sh'), '--cluster', 'mgmt', '--dry-run'], {
      encoding: 'utf8', env: shellEnv({ PATH: process.env.PATH, ISTIO_REVISION: 'asm-1-28' }),
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('asm-1-30');
  });
});

describe('install.sh --step and --plan', () => {
  const install = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('bash', [path.join(ADDONS, 'install.sh'), ...args], { encoding: 'utf8', env: shellEnv({ PATH: process.env.PATH, HOME: os.tmpdir(), ...env }) });

  it('--step runs one step only, and refuses an unknown step or one outside the cluster\'s scope', () => {
    const { steps } = parseDryRun(install(['--cluster', 'app1', '--step', '03-reloader', '--dry-run']).stdout);
    expect(steps.map((s) => `${s.cluster} ${s.step}`)).toEqual(['app1 03-reloader']);
    expect(parseDryRun(install(['--cluster', 'all', '--step', '05-kyverno', '--dry-run']).stdout).steps.map((s) => s.cluster)).toEqual(['app1', 'app2']);
    const unknown = install(['--cluster', 'app1', '--step', '99-nothing', '--dry-run']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('xx no step 99-nothing');
    const outside = install(['--cluster', 'app1', '--step', '01-cert-manager', '--dry-run']);
    expect(outside.status).toBe(1);
    expect(outside.stderr).toContain('01-cert-manager does not apply to app1');
    expect(install(['--cluster', 'app1', '--step', '11-budget-alert', '--dry-run']).stderr).toContain('subscription-level step');
  });

  /** A stand-in helm: renders a manifest for `upgrade --dry-run=server`, answers `get manifest` from OLD_MANIFEST (absent: not installed). */
  function fakeTools() {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-helm-'));
    const calls = path.join(bin, 'calls');
    fs.writeFileSync(path.join(bin, 'helm'), [
      '#!/bin/sh',
      `echo "helm $*" >> "${calls}"`,
      'case "$1 $2" in',
      '  "upgrade --install") printf \'Release "%s" has been upgraded.\\nNAME: %s\\nHOOKS:\\n---\\n# Source: hook.yaml\\nkind: Job\\nMANIFEST:\\n---\\n# Source: chart/templates/deployment.yaml\\nkind: Deployment\\nmetadata:\\n  name: %s\\n  labels:\\n    helm.sh/chart: %s\\n\\nNOTES:\\nthanks\\n\' "$3" "$3" "$3" "$4" ;;',
      '  "get manifest") if [ -n "$OLD_MANIFEST" ]; then printf "%s\\n" "$OLD_MANIFEST"; else echo "Error: release: not found" >&2; exit 1; fi ;;',
      'esac',
    ].join('\n'), { mode: 0o755 });
    for (const tool of ['az', 'kubectl']) fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${calls}"\nexit 1\n`, { mode: 0o755 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
    return { bin, calls, dir, cleanup: () => [bin, dir].forEach((d) => fs.rmSync(d, { recursive: true, force: true })) };
  }

  it('--plan renders each Helm release with --dry-run=server into DIR and only prints the other commands', () => {
    const t = fakeTools();
    try {
      const r = install(['--cluster', 'app1', '--step', '03-reloader', '--plan', t.dir], { PATH: `${t.bin}:/usr/bin:/bin`, OLD_MANIFEST: 'kind: Deployment\nmetadata:\n  name: reloader' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const calls = fs.readFileSync(t.calls, 'utf8').trim().split('\n');
      // No kubectl/az, no helm that changes a cluster: the upgrade ran only as a server-side dry run.
      expect(calls.filter((c) => !c.startsWith('helm '))).toEqual([]);
      const upgrade = calls.filter((c) => c.startsWith('helm upgrade'));
      expect(upgrade).toHaveLength(1);
      expect(upgrade[0]).toContain('--dry-run=server');
      expect(upgrade[0]).toContain('--version 2.2.16');
      expect(upgrade[0]).not.toContain('--wait');
      expect(calls).toContain('helm get manifest reloader --kube-context aks-app1 --namespace reloader');
      const rendered = fs.readFileSync(path.join(t.dir, 'reloader.new.yaml'), 'utf8');
      expect(rendered).toContain('# Source: chart/templates/deployment.yaml');
      expect(rendered).not.toContain('NOTES:');
      expect(rendered).not.toContain('hook.yaml');
      expect(fs.readFileSync(path.join(t.dir, 'reloader.old.yaml'), 'utf8')).toContain('name: reloader');
      expect(fs.readdirSync(t.dir).sort()).toEqual(['reloader.new.yaml', 'reloader.old.yaml']);
      // the printed format stays the documented one; the kubectl apply is printed, not run
      for (const line of r.stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^(==> \[app1\] 03-reloader|\+ \S.*|-- .+)$/);
      expect(r.stdout).toContain('+ kubectl --context aks-app1 apply -f manifests/hpa/reloader.yaml');
    } finally {
      t.cleanup();
    }
  });

  it('--plan: a release not installed has an empty "before"; --plan needs one cluster, a directory and the real settings', () => {
    const t = fakeTools();
    try {
      const env = { PATH: `${t.bin}:/usr/bin:/bin` };
      expect(install(['--cluster', 'app2', '--step', '19-vpa', '--plan', t.dir], env).status).toBe(0);
      expect(fs.readFileSync(path.join(t.dir, 'vpa.old.yaml'), 'utf8')).toBe('');
      expect(install(['--cluster', 'all', '--step', '19-vpa', '--plan', t.dir], env).stderr).toContain('name the cluster');
      expect(install(['--cluster', 'app2', '--plan', path.join(t.dir, 'nope')], env).stderr).toContain('no such directory');
      expect(install(['--cluster', 'app2', '--plan', t.dir, '--dry-run'], env).stderr).toContain('exclude each other');
      // cert-manager's client id has no default: a plan does not render a placeholder into the manifest
      const unset = install(['--cluster', 'mgmt', '--step', '01-cert-manager', '--plan', t.dir], env);
      expect(unset.status).toBe(1);
      expect(unset.stderr).toContain('setting CERT_MANAGER_CLIENT_ID is required');
    } finally {
      t.cleanup();
    }
  });
});
