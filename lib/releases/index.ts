/**
 * What Helm has installed on each cluster against what infra/ pins: the releases the
 * install steps declare (read from infra/ at run time, as the jobs run it), and the
 * release records Helm keeps in each cluster (its `owner=helm` Secrets), newest revision first.
 * Beside them, what AKS manages (add-ons, extensions, Flux configurations: ./addons.ts).
 */
import 'server-only';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedReads } from '../cache/shared-read';
import { CLUSTER_KEYS, clusterRef, displayCluster, getConfig, type ClusterKey } from '../config';
import { decodeHelmRelease, HELM_OWNER_SELECTOR, HELM_SECRET_TYPE, installedRelease } from '../domain/helm-release';
import { expectedFluxConfigurations, type ExpectedFluxConfiguration } from '../domain/addons';
import { compareReleases, parseExpectedReleases, ReleasePinError, type ExpectedRelease, type InfraFiles, type InstalledRelease, type ReleaseRow } from '../domain/releases';
import { AppError, toUserError, translateKubernetesError, type UserError } from '../errors';
import { getKubeClients } from '../k8s';
import { getClusterAddons, type ClusterAddons } from './addons';

export type { ReleaseRow, ReleaseVerdict, InstalledRelease } from '../domain/releases';
export type { ClusterAddons, ExtensionRow, ExtensionVerdict, FluxRow, FluxVerdict, KeyVaultCsiRow, MeshRow, MeshVerdict, ReadState, RunningImages } from './addons';

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
  /** The AKS-managed add-ons, extensions and Flux configurations, read from ARM on their own (one failing leaves the Helm rows). */
  addons: ClusterAddons;
}

export interface ReleasesSnapshot {
  clusters: ClusterReleases[];
  generatedAt: number;
}

/** infra/addons' pins and install steps, as the jobs run them (unreadable: the page's error, named). */
async function readInfraFiles(infraDir: string): Promise<InfraFiles> {
  const addons = join(infraDir, 'addons');
  try {
    const names = (await readdir(join(addons, 'scripts'))).filter((f) => f.endsWith('.sh'));
    const [versions, scripts] = await Promise.all([
      readFile(join(addons, 'lib/versions.sh'), 'utf8'),
      Promise.all(names.map(async (name) => ({ name, text: await readFile(join(addons, 'scripts', name), 'utf8') }))),
    ]);
    return { versions, scripts };
  } catch (err) {
    throw new AppError('validation', `infra/'s Helm pins: ${addons} could not be read: ${err instanceof Error ? err.message : String(err)}`, 'ReleasePins');
  }
}

/** What infra/ declares: the Helm releases its steps install, and the Flux configurations they create. */
async function infraExpectations(infraDir: string): Promise<{ releases: ExpectedRelease[]; flux: ExpectedFluxConfiguration[] }> {
  const files = await readInfraFiles(infraDir);
  try {
    return { releases: parseExpectedReleases(files), flux: expectedFluxConfigurations(files) };
  } catch (err) {
    if (!(err instanceof ReleasePinError)) throw err;
    throw new AppError('validation', `infra/'s Helm pins: ${err.message}`, 'ReleasePins');
  }
}

/** The releases the install steps declare, from infra/addons (a broken file is the page's error, named). */
export async function expectedReleases(infraDir = getConfig().jobs.infraDir): Promise<ExpectedRelease[]> {
  return (await infraExpectations(infraDir)).releases;
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

/** One cluster's releases, through the shared read cache (one list per TTL, whatever the number of viewers), with its add-ons beside them. */
export async function getClusterReleases(
  key: ClusterKey,
  pins: Promise<readonly ExpectedRelease[]> | readonly ExpectedRelease[],
  flux: Promise<readonly ExpectedFluxConfiguration[]> | readonly ExpectedFluxConfiguration[],
): Promise<ClusterReleases> {
  const [r, addons] = await Promise.all([
    sharedReads().read(releasesCacheKey(key), getConfig().readCacheTtlMs, () => loadInstalled(key)),
    getClusterAddons(key, flux),
  ]);
  const expected = await pins;
  const base = { key, name: displayCluster(key), addons };
  const view = r.value && { rows: compareReleases(key, expected, r.value.releases), unreadable: r.value.unreadable, fetchedAt: r.fetchedAt };
  if (!r.error) return { ...base, status: 'ok', ...view };
  return { ...base, status: view ? 'stale' : 'failed', ...view, error: toUserError(r.error) };
}

/** Every cluster against infra/'s pins; one cluster failing never hides the others. */
export async function getReleases(): Promise<ReleasesSnapshot> {
  // infra/'s files and the clusters are read together: neither waits for the other.
  const expected = infraExpectations(getConfig().jobs.infraDir);
  const pins = expected.then((e) => e.releases);
  const flux = expected.then((e) => e.flux);
  // Awaited by each cluster below; a broken pin file is the page's error.
  for (const p of [pins, flux]) p.catch(() => undefined);
  return { clusters: await Promise.all(CLUSTER_KEYS.map((k) => getClusterReleases(k, pins, flux))), generatedAt: Date.now() };
}

export function invalidateReleases(): void {
  sharedReads().invalidate('releases:');
}
