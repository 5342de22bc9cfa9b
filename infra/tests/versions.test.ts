/**
 * Add-on pins: one place (addons/lib/versions.sh), each with the Kubernetes range its project states
 * and the day it was checked; every range must hold the clusters' Kubernetes version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDryRun } from '../contract/dry-run';
import { INFRA_DIR, readYamlDocs } from '../contract/model-from-hcl';
import { parseTfFile } from '../contract/tf-module';

interface Pin { name: string; version: string; min: number | null; max: number | null; checked: string }

const minor = (v: string): number => {
  const m = /^1\.(\d+)$/.exec(v);
  if (!m) throw new Error(`not a Kubernetes minor: ${v}`);
  return Number(m[1]);
};

function readPins(text: string): Pin[] {
  return text.split('\n').filter((l) => /^pin /.test(l)).map((l) => {
    const [, name, version, range, checked] = l.split(/\s+/);
    // "1.33-1.36", "1.24+" (no upper bound stated) or "none"
    if (range === 'none') return { name, version, min: null, max: null, checked };
    if (range.endsWith('+')) return { name, version, min: minor(range.slice(0, -1)), max: null, checked };
    const [lo, hi] = range.split('-');
    return { name, version, min: minor(lo), max: minor(hi), checked };
  });
}

/** pins whose range does not hold Kubernetes 1.<k> */
function outside(list: Pin[], k: number): string[] {
  return list.filter((p) => (p.min !== null && k < p.min) || (p.max !== null && k > p.max)).map((p) => `${p.name} ${p.version}`);
}

const pinsFile = fs.readFileSync(path.join(INFRA_DIR, 'addons/lib/versions.sh'), 'utf8');
const pins = readPins(pinsFile);
// Pins without a stated Kubernetes range; the reason is written next to each in versions.sh.
const NO_RANGE = ['KIALI_VERSION'];

async function clusterMinor(): Promise<number> {
  const v = (await parseTfFile(path.join(INFRA_DIR, 'variables.tf'))).variable as Record<string, { default?: string }[]>;
  return minor(v.kubernetes_version[0].default!);
}

describe('add-on pins', () => {
  it('are all in addons/lib/versions.sh, with a range and a check date', () => {
    expect(pins.map((p) => p.name).sort()).toEqual([
      'CERT_MANAGER_VERSION', 'ESO_VERSION', 'GATEWAY_API_VERSION', 'KIALI_VERSION', 'KYVERNO_VERSION', 'OTEL_CHART_VERSION',
      'OTEL_IMAGE_TAG', 'RELOADER_VERSION', 'TETRAGON_VERSION', 'VPA_VERSION',
    ]);
    for (const p of pins) {
      expect(p.version, p.name).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(p.checked, p.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(p.checked).getTime(), p.name).toBeLessThanOrEqual(Date.now());
      if (p.min === null && p.max === null) expect(NO_RANGE, `${p.name} needs a Kubernetes range`).toContain(p.name);
    }
  });

  it('each range holds the clusters\' Kubernetes version (kubernetes_version default)', async () => {
    expect(outside(pins, await clusterMinor())).toEqual([]);
  });

  it('the range check refuses the old pins on Kubernetes 1.35', () => {
    const old = readPins(['pin ESO_VERSION 0.10.7 1.19-1.31 2024-08-03', 'pin CERT_MANAGER_VERSION v1.19.1 1.31-1.34 2025-10-07',
      'pin VPA_VERSION 5.0.0 1.28+ 2026-11-29'].join('\n'));
    expect(outside(old, 35)).toEqual(['ESO_VERSION 0.10.7', 'CERT_MANAGER_VERSION v1.19.1']);
  });

  it('no script carries a version of its own: the dry run uses exactly the pins', () => {
    for (const f of fs.readdirSync(path.join(INFRA_DIR, 'addons/scripts'))) {
      const text = fs.readFileSync(path.join(INFRA_DIR, 'addons/scripts', f), 'utf8');
      for (const m of text.matchAll(/setting ([A-Z_]+(?:VERSION|TAG))\b([^)]*)\)/g)) expect(m[2].trim(), `${f}: ${m[1]} default`).toBe('');
    }
    const { steps } = runDryRun(INFRA_DIR, 'all');
    const cmd = (step: string) => steps.find((s) => s.step === step)!.commands.find((c) => c[0] === 'helm' && c[1] === 'upgrade')!;
    const v = (c: string[]) => c[c.indexOf('--version') + 1];
    const pin = (n: string) => pins.find((p) => p.name === n)!.version;
    expect(v(cmd('01-cert-manager'))).toBe(pin('CERT_MANAGER_VERSION'));
    expect(v(cmd('02-external-secrets'))).toBe(pin('ESO_VERSION'));
    expect(v(cmd('03-reloader'))).toBe(pin('RELOADER_VERSION'));
    expect(v(cmd('05-kyverno'))).toBe(pin('KYVERNO_VERSION'));
    expect(v(cmd('07-kiali'))).toBe(pin('KIALI_VERSION'));
    expect(v(cmd('15-tetragon'))).toBe(pin('TETRAGON_VERSION'));
    expect(v(cmd('19-vpa'))).toBe(pin('VPA_VERSION'));
    expect(v(cmd('16-otel-collector'))).toBe(pin('OTEL_CHART_VERSION'));
    expect(cmd('16-otel-collector')).toContain(`image.tag=${pin('OTEL_IMAGE_TAG')}`);
    const gw = steps.find((s) => s.step === '00b-gateway-api')!.commands[0].join(' ');
    expect(gw).toContain(`/${pin('GATEWAY_API_VERSION')}/standard-install.yaml`);
  });

  it('a pin can still be overridden from the environment', () => {
    const { steps } = runDryRun(INFRA_DIR, 'mgmt', { CERT_MANAGER_VERSION: 'v1.21.9' });
    const c = steps.find((s) => s.step === '01-cert-manager')!.commands.find((x) => x[0] === 'helm' && x[1] === 'upgrade')!;
    expect(c[c.indexOf('--version') + 1]).toBe('v1.21.9');
  });
});

describe('manifests follow the pinned APIs', () => {
  it('External Secrets: ExternalSecret and ClusterSecretStore on external-secrets.io/v1 (ESO 2.x), PushSecret v1alpha1', () => {
    const dir = path.join(INFRA_DIR, 'manifests/external-secrets');
    const docs = fs.readdirSync(dir).flatMap((f) => readYamlDocs(path.join(dir, f)));
    const api = (kind: string) => docs.filter((d) => d.kind === kind).map((d) => d.apiVersion);
    expect(api('ExternalSecret')).toEqual(['external-secrets.io/v1']);
    expect(api('ClusterSecretStore')).toEqual(['external-secrets.io/v1']);
    expect(api('PushSecret')).toEqual(['external-secrets.io/v1alpha1']);
    expect(JSON.stringify(docs)).not.toContain('v1beta1');
  });

  it('every image the add-on values set is admitted by the Kyverno allow-list, which names this deployment\'s ACR', () => {
    const [policy] = readYamlDocs(path.join(INFRA_DIR, 'manifests/kyverno/restrict-image-registries.yaml'));
    const pattern = JSON.stringify(policy).match(/"image":"([^"]+)"/)![1];
    const allowed = pattern.split('|').map((p) => p.trim());
    expect(allowed).toContain('${ACR_LOGIN_SERVER}/*');
    expect(allowed.some((a) => a.includes('azurecr.io'))).toBe(false);
    const glob = (g: string) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const admitted = (image: string) => allowed.some((a) => glob(a).test(image));
    const values = path.join(INFRA_DIR, 'addons/values');
    const images: string[] = [];
    for (const f of fs.readdirSync(values)) {
      const text = fs.readFileSync(path.join(values, f), 'utf8');
      for (const m of text.matchAll(/^\s*repository:\s*(\S+)/gm)) images.push(`${m[1]}:tag`);
    }
    expect(images.length).toBeGreaterThan(0);
    for (const i of images) expect(admitted(i), i).toBe(true);
    expect(admitted('otel/opentelemetry-collector-contrib:0.158.0')).toBe(false); // the chart's old Docker Hub form
  });
});
