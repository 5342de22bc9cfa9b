/**
 * What Helm has installed on each cluster against what infra/ pins: the releases the
 * install steps declare (read from infra/ at run time, as the jobs run it), and the
 * release records Helm keeps in each cluster (its `owner=helm` Secrets), newest revision first.
 */
import 'server-only';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedReads } from '../cache/shared-read';
import { CLUSTER_KEYS, clusterRef, displayCluster, getConfig, type ClusterKey } from '../config';
import { decodeHelmRelease, HELM_OWNER_SELECTOR, HELM_SECRET_TYPE, installedRelease } from '../domain/helm-release';
import { compareReleases, parseExpectedReleases, ReleasePinError, type ExpectedRelease, type InstalledRelease, type ReleaseRow } from '../domain/releases';
import { AppError, toUserError, translateKubernetesError, type UserError } from '../errors';
import { getKubeClients } from '../k8s';

export type { ReleaseRow, ReleaseVerdict, InstalledRelease } from '../domain/releases';

export interface ClusterReleases {
  key: ClusterKey;
  name: string;
  /** ok: fresh; stale: the last good answer, the refresh failed; failed: no answer at all. */
  status: 'ok' | 'stale' | 'failed';
  rows?: ReleaseRow[];
  /** Helm Secrets whose release could not be decoded (not counted). */
  unreadable?: string[];
  error?: UserError;
  fetchedAt?: number;
}

export interface ReleasesSnapshot {
  clusters: ClusterReleases[];
  generatedAt: number;
}

/** The releases the install steps declare, from infra/addons (a broken file is the page's error, named). */
export async function expectedReleases(infraDir = getConfig().jobs.infraDir): Promise<ExpectedRelease[]> {
  const addons = join(infraDir, 'addons');
  try {
    const names = (await readdir(join(addons, 'scripts'))).filter((f) => f.endsWith('.sh'));
    const [versions, scripts] = await Promise.all([
      readFile(join(addons, 'lib/versions.sh'), 'utf8'),
      Promise.all(names.map(async (name) => ({ name, text: await readFile(join(addons, 'scripts', name), 'utf8') }))),
    ]);
    return parseExpectedReleases({ versions, scripts });
  } catch (err) {
    const why = err instanceof ReleasePinError ? err.message : `${addons} could not be read: ${err instanceof Error ? err.message : String(err)}`;
    throw new AppError('validation', `infra/'s Helm pins: ${why}`, 'ReleasePins');
  }
}

interface Installed {
  releases: InstalledRelease[];
  unreadable: string[];
}

async function loadInstalled(key: ClusterKey): Promise<Installed> {
  const name = clusterRef(key).name;
  try {
    const { core } = await getKubeClients(key);
    const list = await core.listSecretForAllNamespaces({ labelSelector: HELM_OWNER_SELECTOR });
    const out: Installed = { releases: [], unreadable: [] };
    for (const s of list.items) {
      if (s.type !== HELM_SECRET_TYPE) continue;
      try {
        out.releases.push(installedRelease(decodeHelmRelease(s.data?.release ?? ''), s.metadata?.namespace));
      } catch {
        out.unreadable.push(`${s.metadata?.namespace}/${s.metadata?.name}`);
      }
    }
    return out;
  } catch (err) {
    throw translateKubernetesError(err, name);
  }
}

export const releasesCacheKey = (key: ClusterKey) => `releases:${key}`;

/** One cluster's releases, through the shared read cache (one list per TTL, whatever the number of viewers). */
export async function getClusterReleases(key: ClusterKey, pins: Promise<readonly ExpectedRelease[]> | readonly ExpectedRelease[]): Promise<ClusterReleases> {
  const r = await sharedReads().read(releasesCacheKey(key), getConfig().readCacheTtlMs, () => loadInstalled(key));
  const expected = await pins;
  const base = { key, name: displayCluster(key) };
  const view = r.value && { rows: compareReleases(key, expected, r.value.releases), unreadable: r.value.unreadable, fetchedAt: r.fetchedAt };
  if (!r.error) return { ...base, status: 'ok', ...view };
  return { ...base, status: view ? 'stale' : 'failed', ...view, error: toUserError(r.error) };
}

/** Every cluster against infra/'s pins; one cluster failing never hides the others. */
export async function getReleases(): Promise<ReleasesSnapshot> {
  // infra/'s files and the clusters are read together: neither waits for the other.
  const expected = expectedReleases();
  expected.catch(() => undefined); // awaited by each cluster below; a broken pin file is the page's error
  return { clusters: await Promise.all(CLUSTER_KEYS.map((k) => getClusterReleases(k, expected))), generatedAt: Date.now() };
}

export function invalidateReleases(): void {
  sharedReads().invalidate('releases:');
}
