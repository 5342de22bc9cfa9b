import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeHelmRelease, encodeHelmRelease, HelmReleaseDecodeError, helmSecretName, installedRelease, type HelmReleaseJson } from './helm-release';
import { compareReleases, latestRevisions, parseExpectedReleases, parsePins, ReleasePinError, type ExpectedRelease, type InstalledRelease } from './releases';

const ADDONS = resolve(__dirname, '../../infra/addons');
const realFiles = () => ({
  versions: readFileSync(join(ADDONS, 'lib/versions.sh'), 'utf8'),
  scripts: readdirSync(join(ADDONS, 'scripts')).filter((f) => f.endsWith('.sh')).map((name) => ({ name, text: readFileSync(join(ADDONS, 'scripts', name), 'utf8') })),
});

describe('the releases infra/ pins', () => {
  it('reads every helm_install of the real scripts with its scope, namespace, chart and pinned version', () => {
    const files = realFiles();
    const pins = parsePins(files.versions);
    const releases = parseExpectedReleases(files);
    expect(releases.map((r) => [r.step, r.release, r.namespace, r.chart, r.clusters.join(' ')])).toEqual([
      ['01-cert-manager', 'cert-manager', 'cert-manager', 'cert-manager', 'mgmt'],
      ['02-external-secrets', 'external-secrets', 'external-secrets', 'external-secrets', 'mgmt app1 app2'],
      ['03-reloader', 'reloader', 'reloader', 'reloader', 'mgmt app1 app2'],
      ['05-kyverno', 'kyverno', 'kyverno', 'kyverno', 'app1 app2'],
      ['07-kiali', 'kiali-server', 'aks-istio-system', 'kiali-server', 'mgmt'],
      ['15-tetragon', 'tetragon', 'kube-system', 'tetragon', 'mgmt app1 app2'],
      ['16-otel-collector', 'otel-collector', 'otel', 'opentelemetry-collector', 'mgmt app1 app2'],
      ['19-vpa', 'vpa', 'vpa', 'vpa', 'mgmt app1 app2'],
    ]);
    // Each version is the one versions.sh pins for the setting the script passes to --version.
    for (const r of releases) expect(r.version, r.release).toBe(pins.get(r.setting));
    expect(releases.find((r) => r.release === 'cert-manager')).toMatchObject({ chartRef: 'jetstack/cert-manager', setting: 'CERT_MANAGER_VERSION', version: pins.get('CERT_MANAGER_VERSION') });
  });

  it('refuses a broken sample with a message that names the file and the fault', () => {
    const script = (body: string, scope = 'all') => ({ name: '42-sample.sh', text: `#!/usr/bin/env bash\n# scope: ${scope}\nstep() {\n${body}\n}\n` });
    const install = 'helm_install "$1" sample repo/sample sample \\\n    --version "$(setting SAMPLE_VERSION)"';
    expect(() => parsePins('pin SAMPLE_VERSION 1.0.0 1.30+\n')).toThrow(/line 1: expected "pin NAME VERSION KUBERNETES CHECKED"/);
    expect(() => parsePins('pin A 1 none 2026-01-01\npin A 2 none 2026-01-01\n')).toThrow(/A is pinned twice/);
    expect(() => parseExpectedReleases({ versions: '', scripts: [script(install)] })).toThrow(/SAMPLE_VERSION \(the sample release\) is not pinned/);
    expect(() => parseExpectedReleases({ versions: 'pin SAMPLE_VERSION 1.0.0 none 2026-01-01', scripts: [script('helm_install "$1" sample repo/sample sample --version 1.0.0')] })).toThrow(/no --version "\$\(setting NAME\)"/);
    expect(() => parseExpectedReleases({ versions: 'pin SAMPLE_VERSION 1.0.0 none 2026-01-01', scripts: [script(install, 'mgmt app9')] })).toThrow(/unknown cluster in scope: app9/);
    expect(() => parseExpectedReleases({ versions: '', scripts: [{ name: '43-x.sh', text: 'helm_install "$1" x\n' }] })).toThrow(ReleasePinError);
    expect(parseExpectedReleases({ versions: 'pin SAMPLE_VERSION 1.0.0 none 2026-01-01', scripts: [script(install, 'subscription')] })[0].clusters).toEqual([]);
  });
});

const release = (over: Partial<HelmReleaseJson> = {}): HelmReleaseJson => ({
  name: 'reloader', namespace: 'reloader', version: 1,
  info: { status: 'deployed', first_deployed: '2026-11-30T09:00:00Z', last_deployed: '2026-11-30T09:00:00Z' },
  chart: { metadata: { name: 'reloader', version: '2.2.16', appVersion: 'v1.4.21', apiVersion: 'v2' } },
  ...over,
});

describe('Helm’s release Secrets', () => {
  it('decodes what Helm writes: base64 (the Secret) of base64 of gzip of the release JSON', async () => {
    const { gzipSync } = await import('node:zlib');
    const wire = Buffer.from(gzipSync(JSON.stringify(release())).toString('base64')).toString('base64');
    expect(decodeHelmRelease(wire)).toMatchObject({ name: 'reloader', version: 1, chart: { metadata: { version: '2.2.16' } } });
    expect(decodeHelmRelease(encodeHelmRelease(release({ version: 3 }))).version).toBe(3);
    expect(helmSecretName('reloader', 3)).toBe('sh.helm.release.v1.reloader.v3');
  });

  it('reads an uncompressed release, and refuses what is not a release', () => {
    const plain = Buffer.from(Buffer.from(JSON.stringify(release())).toString('base64')).toString('base64');
    expect(decodeHelmRelease(plain).name).toBe('reloader');
    expect(() => decodeHelmRelease(Buffer.from(Buffer.from('not json').toString('base64')).toString('base64'))).toThrow(HelmReleaseDecodeError);
    expect(() => decodeHelmRelease(Buffer.from(Buffer.from('{"name":"x"}').toString('base64')).toString('base64'))).toThrow(/lacks its name, revision/);
  });

  it('turns a release into what the comparison reads', () => {
    expect(installedRelease(release())).toEqual({ name: 'reloader', namespace: 'reloader', revision: 1, status: 'deployed', lastDeployed: '2026-11-30T09:00:00Z', chart: 'reloader', chartVersion: '2.2.16', appVersion: 'v1.4.21' });
  });
});

describe('the verdicts', () => {
  const expected: ExpectedRelease[] = [
    { step: '01-a', clusters: ['mgmt'], namespace: 'a', release: 'a', chartRef: 'r/a', chart: 'a', setting: 'A', version: 'v1.0.0' },
    { step: '02-b', clusters: ['mgmt', 'app1'], namespace: 'b', release: 'b', chartRef: 'r/b', chart: 'b', setting: 'B', version: '2.0.0' },
    { step: '03-c', clusters: ['mgmt'], namespace: 'c', release: 'c', chartRef: 'r/c', chart: 'c', setting: 'C', version: '3.0.0' },
    { step: '04-d', clusters: ['mgmt'], namespace: 'd', release: 'd', chartRef: 'r/d', chart: 'd', setting: 'D', version: '4.0.0' },
  ];
  const inst = (name: string, chartVersion: string, revision = 1, status = 'deployed'): InstalledRelease => ({ name, namespace: name, revision, status, chart: name, chartVersion });

  it('matches, drift, missing, failed and unpinned; only the newest revision counts', () => {
    const installed = [inst('a', '1.0.0'), inst('b', '2.0.0', 1, 'superseded'), inst('b', '2.1.0', 2), inst('c', '3.0.0', 1, 'failed'), inst('extra', '9.9.9')];
    const rows = compareReleases('mgmt', expected, installed);
    expect(rows.map((r) => [r.release, r.verdict, r.pinned, r.installed?.chartVersion])).toEqual([
      ['a', 'matches', 'v1.0.0', '1.0.0'],
      ['b', 'drift', '2.0.0', '2.1.0'],
      ['c', 'failed', '3.0.0', '3.0.0'],
      ['d', 'missing', '4.0.0', undefined],
      ['extra', 'unpinned', undefined, '9.9.9'],
    ]);
    // A release outside the cluster's scope is not expected there.
    expect(compareReleases('app2', expected, []).map((r) => r.release)).toEqual([]);
    expect(latestRevisions([inst('b', '2.1.0', 2), inst('b', '2.0.0', 1)])).toEqual([inst('b', '2.1.0', 2)]);
  });
});
