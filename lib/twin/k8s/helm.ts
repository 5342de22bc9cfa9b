import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeHelmRelease, HELM_SECRET_TYPE, helmSecretName, type HelmReleaseJson } from '../../domain/helm-release';
import { parseExpectedReleases, type ExpectedRelease } from '../../domain/releases';
import type { ClusterKey } from './catalog';
import type { K8sObject } from './types';

/**
 * The Helm releases install.sh leaves, as Helm stores them: one Secret per revision
 * (`sh.helm.release.v1.<release>.v<revision>`, type `helm.sh/release.v1`, labels `owner=helm`,
 * `name`, `status`, `version`), at the versions infra/ pins: the twin reads
 * `infra/addons/lib/versions.sh` and the install steps with the product's own parser, so a pin
 * that moves moves the twin with it. infra/ is found as the dashboard finds it: `INFRA_DIR`, else `infra` in the
 * working directory (the clone, or the unpacked artifact, which carries infra/ beside the twin).
 */
const ADDONS = () => resolve(process.env.INFRA_DIR ?? 'infra', 'addons');

/** The charts' app versions at the pinned chart versions (a pin that moves shows none rather than a wrong one). */
const APP_VERSIONS: Record<string, string> = {
  'cert-manager@v1.21.1': 'v1.21.1',
  'external-secrets@2.8.0': 'v2.8.0',
  'reloader@2.2.16': 'v1.4.21',
  'kyverno@3.8.2': 'v1.18.2',
  'kiali-server@2.29.0': 'v2.29.0',
  'tetragon@1.7.0': '1.7.0',
  'opentelemetry-collector@0.170.0': '0.158.0',
  'vpa@5.0.0': '1.7.1',
};

/** A chart version's app version, when the twin knows it. */
export const appVersionOf = (chart: string, version: string): string | undefined => APP_VERSIONS[`${chart}@${version}`];

let pinned: ExpectedRelease[] | undefined;

/** infra/'s Helm releases, read once per twin process (none when infra/ is not there: the clusters then hold no Helm release). */
export function pinnedReleases(): ExpectedRelease[] {
  try {
    pinned ??= readPins();
  } catch (err) {
    console.error(`twin: no Helm releases seeded, infra/addons could not be read: ${err instanceof Error ? err.message : String(err)}`);
    pinned = [];
  }
  return pinned;
}

function readPins(): ExpectedRelease[] {
  return parseExpectedReleases({
    versions: readFileSync(join(ADDONS(), 'lib/versions.sh'), 'utf8'),
    scripts: readdirSync(join(ADDONS(), 'scripts'))
      .filter((f) => f.endsWith('.sh'))
      .map((name) => ({ name, text: readFileSync(join(ADDONS(), 'scripts', name), 'utf8') })),
  });
}

export function helmReleasesFor(cluster: ClusterKey): ExpectedRelease[] {
  return pinnedReleases().filter((r) => r.clusters.includes(cluster));
}

/** The install step that writes a Helm release Secret (by its `name` label), or undefined for another Secret. */
export function helmStepOf(object: K8sObject): string | undefined {
  const labels = object.metadata.labels;
  if (labels?.owner !== 'helm') return undefined;
  return pinnedReleases().find((r) => r.release === labels.name && r.namespace === object.metadata.namespace)?.step;
}

export function releaseJson(r: ExpectedRelease, now: string): HelmReleaseJson {
  const appVersion = appVersionOf(r.chart, r.version);
  return {
    name: r.release,
    namespace: r.namespace,
    version: 1,
    info: { first_deployed: now, last_deployed: now, status: 'deployed', description: 'Install complete' },
    chart: { metadata: { apiVersion: 'v2', name: r.chart, version: r.version, ...(appVersion ? { appVersion } : {}) } },
  };
}

/** One revision's storage Secret, as Helm's secret driver writes it. */
export function helmSecret(release: HelmReleaseJson): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: helmSecretName(release.name, release.version),
      namespace: release.namespace,
      labels: { name: release.name, owner: 'helm', status: release.info.status, version: String(release.version) },
      uid: '', resourceVersion: '', creationTimestamp: '',
    },
    type: HELM_SECRET_TYPE,
    data: { release: encodeHelmRelease(release) },
  };
}
