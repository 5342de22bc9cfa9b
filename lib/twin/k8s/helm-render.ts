import { stringify } from 'yaml';
import type { HelmReleaseJson } from '../../domain/helm-release';
import { ADD_ONS, type ClusterKey } from './catalog';
import { pinnedReleases } from './helm';

/**
 * What Helm would render for one of infra/'s releases on the twin (`helm upgrade --dry-run=server`
 * at a chart version, `helm get manifest` of the installed revision): the release's workloads
 * from the twin's catalog, labelled as charts label them (`helm.sh/chart: <chart>-<version>`,
 * `app.kubernetes.io/version`) with the image tag of the chart's app version. So a plan's diff
 * shows what an upgrade changes in a real chart: the chart and version labels and the image tags.
 */
export interface RenderTarget {
  cluster: ClusterKey;
  namespace: string;
  release: string;
  /** Chart version to render. */
  version: string;
  /** The chart's app version (the image tag); the chart version stands in when unknown. */
  appVersion?: string;
}

/** The release infra/ installs on the cluster, or undefined (the twin renders only what infra/ installs). */
export function pinnedRelease(cluster: ClusterKey, namespace: string, release: string) {
  return pinnedReleases().find((r) => r.release === release && r.namespace === namespace && r.clusters.includes(cluster));
}

/** The release's workloads in the catalog: in its namespace, named after it (`kiali` for `kiali-server`). */
const workloadsOf = (t: RenderTarget) =>
  ADD_ONS.filter((a) => a.clusters.includes(t.cluster) && a.namespace === t.namespace && (a.name.startsWith(t.release) || t.release.startsWith(a.name)));

function imageAt(image: string, appVersion: string): string {
  const at = image.lastIndexOf(':');
  const [repo, tag] = at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, ''];
  return `${repo}:${tag.startsWith('v') && !appVersion.startsWith('v') ? 'v' : ''}${appVersion}`;
}

export function renderRelease(t: RenderTarget): string {
  const pinned = pinnedRelease(t.cluster, t.namespace, t.release);
  const chart = pinned?.chart ?? t.release;
  const appVersion = t.appVersion ?? t.version;
  const labels = {
    'app.kubernetes.io/instance': t.release,
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/version': appVersion,
    'helm.sh/chart': `${chart}-${t.version}`,
  };
  return workloadsOf(t).map((a) => {
    const object = {
      apiVersion: 'apps/v1',
      kind: a.kind,
      metadata: { name: a.name, namespace: a.namespace, labels: { ...a.labels, ...labels } },
      spec: {
        ...(a.kind === 'Deployment' ? { replicas: a.replicas ?? 1 } : {}),
        selector: { matchLabels: a.labels },
        template: {
          metadata: { labels: { ...a.labels, 'app.kubernetes.io/version': appVersion } },
          spec: { containers: [{ name: a.name, image: imageAt(a.image, appVersion), resources: { requests: { cpu: a.cpu, memory: a.memory } } }] },
        },
      },
    };
    return `---\n# Source: ${chart}/templates/${a.kind.toLowerCase()}.yaml\n${stringify(object)}`;
  }).join('');
}

/** `helm get manifest` of an installed revision, rendered at its chart and app versions. */
export function installedManifest(cluster: ClusterKey, r: HelmReleaseJson): string {
  return renderRelease({ cluster, namespace: r.namespace, release: r.name, version: r.chart.metadata.version, appVersion: r.chart.metadata.appVersion });
}
