import 'server-only';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { boundPlan, diffRelease, type AddonPlanSummary, type ReleaseDiff } from '../domain/addon-plan';
import type { ClusterKey } from '../domain/cluster';
import { parseExpectedReleases, ReleasePinError, type ExpectedRelease } from '../domain/releases';
import { AppError } from '../errors';

/**
 * The add-ons one plan/apply acts on: an install step that installs Helm releases on the
 * cluster (infra/'s scripts and pins, read with the domain's parser, as the releases page reads
 * them), and what ties an apply to its plan: the pins and a hash of the step's inputs.
 */

/** infra/'s Helm releases, read at run time as the jobs run infra/ (a broken pin file is a refusal that names it). */
async function expectedReleases(infraDir: string): Promise<ExpectedRelease[]> {
  const addons = join(infraDir, 'addons');
  const names = (await readdir(join(addons, 'scripts'))).filter((f) => f.endsWith('.sh'));
  const [versions, scripts] = await Promise.all([
    readFile(join(addons, 'lib/versions.sh'), 'utf8'),
    Promise.all(names.map(async (name) => ({ name, text: await readFile(join(addons, 'scripts', name), 'utf8') }))),
  ]);
  try {
    return parseExpectedReleases({ versions, scripts });
  } catch (err) {
    if (err instanceof ReleasePinError) throw new AppError('validation', `infra/'s Helm pins: ${err.message}`, 'ReleasePins');
    throw err;
  }
}

/** The Helm releases `addon` (an install step) installs on `cluster`; refuses a step that installs none there. */
export async function addonReleases(infraDir: string, cluster: ClusterKey, addon: string): Promise<ExpectedRelease[]> {
  const all = await expectedReleases(infraDir);
  const releases = all.filter((r) => r.step === addon && r.clusters.includes(cluster));
  if (!releases.length) {
    const offered = [...new Set(all.filter((r) => r.clusters.includes(cluster)).map((r) => r.step))].join(', ');
    throw new AppError('validation', `${addon} is not an add-on infra/ installs with Helm on ${cluster} (those are: ${offered}).`);
  }
  return releases;
}

export const pinsOf = (releases: readonly ExpectedRelease[]) => new Map(releases.map((r) => [r.release, r.version]));

/**
 * sha256 of what the step runs with: its script, the pins, the shared helpers and the values
 * files it names. An apply whose hash differs from its plan's would not do what was reviewed.
 */
export async function addonInputs(infraDir: string, addon: string): Promise<string> {
  const addons = join(infraDir, 'addons');
  const script = await readFile(join(addons, 'scripts', `${addon}.sh`), 'utf8');
  const values = [...new Set(script.match(/addons\/values\/[A-Za-z0-9._-]+\.ya?ml/g) ?? [])].sort();
  const hash = createHash('sha256');
  for (const [name, text] of [
    [`scripts/${addon}.sh`, script],
    ['lib/versions.sh', await readFile(join(addons, 'lib/versions.sh'), 'utf8')],
    ['lib/common.sh', await readFile(join(addons, 'lib/common.sh'), 'utf8')],
    ...(await Promise.all(values.map(async (v) => [v, await readFile(join(infraDir, v), 'utf8').catch(() => '(missing)')]))),
  ]) hash.update(`${name}\0${text}\0`);
  return hash.digest('hex');
}

/** What the plan found for one release: its installed chart version and the two manifests. */
export interface RenderedRelease {
  release: ExpectedRelease;
  installed: string | null;
  old: string;
  new: string;
}

export function addonPlanSummary(cluster: ClusterKey, addon: string, inputs: string, rendered: RenderedRelease[], redact: (text: string) => string, simulated?: boolean): AddonPlanSummary {
  const diffs: ReleaseDiff[] = rendered.map((r) => diffRelease({
    release: r.release.release, namespace: r.release.namespace, chart: r.release.chart, installed: r.installed, pinned: r.release.version,
    old: redact(r.old), new: redact(r.new),
  }));
  return { type: 'addon-plan', cluster, addon, inputs, releases: boundPlan(diffs), ...(simulated ? { simulated } : {}) };
}

/**
 * The files `install.sh --plan DIR` wrote: DIR/<release>.new.yaml and .old.yaml for each release
 * of the step. The installed version is the one `helm get manifest` rendered: its `helm.sh/chart` label.
 */
export async function readPlanDir(dir: string, releases: readonly ExpectedRelease[]): Promise<RenderedRelease[]> {
  const present = new Set(await readdir(dir));
  return Promise.all(releases.map(async (release) => {
    for (const side of ['new', 'old']) {
      if (!present.has(`${release.release}.${side}.yaml`)) throw new Error(`install.sh --plan wrote no ${release.release}.${side}.yaml`);
    }
    const [old, rendered] = await Promise.all(['old', 'new'].map((side) => readFile(join(dir, `${release.release}.${side}.yaml`), 'utf8')));
    return { release, installed: old.trim() ? chartVersionIn(old, release.chart) : null, old, new: rendered };
  }));
}

/** The chart version a rendered manifest names (`helm.sh/chart: <chart>-<version>`), or `unknown`. */
export function chartVersionIn(manifest: string, chart: string): string {
  const escaped = chart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`helm\\.sh/chart:\\s*"?${escaped}-(v?[0-9][^\\s"]*)`).exec(manifest)?.[1] ?? 'unknown';
}
