import { gunzipSync, gzipSync } from 'node:zlib';
import type { InstalledRelease } from './releases';

/**
 * Helm 3's release storage (the default `secret` driver): one Secret per revision,
 * named `sh.helm.release.v1.<release>.v<revision>`, of type `helm.sh/release.v1`, labelled
 * `owner=helm` (and `name`, `status`, `version`). Its `release` key holds base64 of the
 * gzipped release JSON; the Secret's own data encoding adds a second base64 on the wire.
 * Server-side only (zlib): the capability decodes, the twin encodes.
 */
export const HELM_SECRET_TYPE = 'helm.sh/release.v1';
export const HELM_OWNER_SELECTOR = 'owner=helm';
const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

export const helmSecretName = (release: string, revision: number) => `sh.helm.release.v1.${release}.v${revision}`;

/** The release JSON fields this product reads (Helm writes many more). */
export interface HelmReleaseJson {
  name: string;
  namespace: string;
  version: number;
  info: { status: string; first_deployed?: string; last_deployed?: string; description?: string };
  chart: { metadata: { name: string; version: string; appVersion?: string; apiVersion?: string } };
}

export class HelmReleaseDecodeError extends Error {}

/** `data.release` as the API server returns it (base64) → the release JSON, as Helm's `decodeRelease` reads it. */
export function decodeHelmRelease(data: string): HelmReleaseJson {
  const inner = Buffer.from(Buffer.from(data, 'base64').toString('utf8'), 'base64');
  let json: string;
  try {
    // Helm accepts an uncompressed release too (older writers); it tells them apart by gzip's magic bytes.
    json = GZIP_MAGIC.every((b, i) => inner[i] === b) ? gunzipSync(inner).toString('utf8') : inner.toString('utf8');
    const parsed = JSON.parse(json) as Partial<HelmReleaseJson>;
    if (typeof parsed.name !== 'string' || typeof parsed.version !== 'number' || !parsed.chart?.metadata?.version || !parsed.info?.status) {
      throw new HelmReleaseDecodeError('the release lacks its name, revision, chart version or status');
    }
    return parsed as HelmReleaseJson;
  } catch (err) {
    if (err instanceof HelmReleaseDecodeError) throw err;
    throw new HelmReleaseDecodeError(`not a Helm release: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The release JSON → `data.release` as a Secret carries it on the wire (the inverse of decodeHelmRelease). */
export function encodeHelmRelease(release: HelmReleaseJson): string {
  const gz = gzipSync(Buffer.from(JSON.stringify(release), 'utf8'), { level: 9 });
  return Buffer.from(gz.toString('base64'), 'utf8').toString('base64');
}

/** A decoded release as the comparison reads it; the Secret's namespace stands in when the JSON has none. */
export function installedRelease(r: HelmReleaseJson, secretNamespace?: string): InstalledRelease {
  return {
    name: r.name,
    namespace: r.namespace || secretNamespace || '',
    revision: r.version,
    status: r.info.status,
    lastDeployed: r.info.last_deployed,
    chart: r.chart.metadata.name,
    chartVersion: r.chart.metadata.version,
    appVersion: r.chart.metadata.appVersion,
  };
}
