import { CLUSTER_KEYS, isClusterKey, type ClusterKey } from './cluster';

/**
 * What infra/ says Helm installs: the chart pins of `infra/addons/lib/versions.sh`
 * (`pin NAME VERSION KUBERNETES CHECKED`) joined with the `helm_install` calls of the
 * `infra/addons/scripts/NN-*.sh` steps (`helm_install "<cluster>" <release> <chart> <namespace>
 * --version "$(setting NAME)"`) and each step's `# scope:` header. Pure: the caller reads the files.
 */
export interface ExpectedRelease {
  /** The install step, the script's name without `.sh` (`01-cert-manager`). */
  step: string;
  /** The clusters the step's scope names (`all` is every cluster). */
  clusters: ClusterKey[];
  namespace: string;
  release: string;
  /** As the script names it, with its repository (`jetstack/cert-manager`). */
  chartRef: string;
  /** The chart's own name, as Helm records it (`cert-manager`). */
  chart: string;
  /** The versions.sh setting that pins it. */
  setting: string;
  version: string;
}

export interface InfraFiles {
  versions: string;
  scripts: readonly { name: string; text: string }[];
}

/** infra/'s files do not say what this parser expects: the message names the file and the line. */
export class ReleasePinError extends Error {}

/** `pin NAME VERSION KUBERNETES CHECKED` lines → NAME → VERSION. */
export function parsePins(text: string): Map<string, string> {
  const pins = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (!/^pin\s/.test(trimmed)) return;
    const words = trimmed.replace(/\s+#.*$/, '').split(/\s+/);
    if (words.length !== 5 || !/^[A-Z][A-Z0-9_]*$/.test(words[1])) {
      throw new ReleasePinError(`versions.sh line ${i + 1}: expected "pin NAME VERSION KUBERNETES CHECKED", got "${trimmed}"`);
    }
    if (pins.has(words[1])) throw new ReleasePinError(`versions.sh line ${i + 1}: ${words[1]} is pinned twice`);
    pins.set(words[1], words[2]);
  });
  return pins;
}

/** The `# scope:` header: `all`, `subscription` (no cluster) or cluster names. */
export function parseScope(name: string, text: string): ClusterKey[] {
  const m = /^# scope: (.+)$/m.exec(text);
  if (!m) throw new ReleasePinError(`${name}: no "# scope:" header`);
  const words = m[1].trim().split(/\s+/);
  if (words.length === 1 && words[0] === 'all') return [...CLUSTER_KEYS];
  if (words.length === 1 && words[0] === 'subscription') return [];
  const unknown = words.filter((w) => !isClusterKey(w));
  if (unknown.length) throw new ReleasePinError(`${name}: unknown cluster in scope: ${unknown.join(', ')}`);
  return words as ClusterKey[];
}

const HELM_INSTALL = /^\s*helm_install\s+"[^"]*"\s+(\S+)\s+(\S+)\s+(\S+)(.*)$/;
const VERSION_SETTING = /--version\s+"\$\(setting\s+([A-Z][A-Z0-9_]*)\)"/;

/** The helm_install calls of one script, its backslash-continued lines joined. */
function helmCalls(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => /^\s*helm_install\s/.test(l));
}

export function parseExpectedReleases(files: InfraFiles): ExpectedRelease[] {
  const pins = parsePins(files.versions);
  const out: ExpectedRelease[] = [];
  for (const script of [...files.scripts].sort((a, b) => a.name.localeCompare(b.name))) {
    const step = script.name.replace(/\.sh$/, '');
    const calls = helmCalls(script.text);
    if (!calls.length) continue;
    const clusters = parseScope(script.name, script.text);
    for (const call of calls) {
      const m = HELM_INSTALL.exec(call);
      if (!m) throw new ReleasePinError(`${script.name}: expected helm_install "<cluster>" <release> <chart> <namespace>, got "${call.trim()}"`);
      const [, release, chartRef, namespace, rest] = m;
      const setting = VERSION_SETTING.exec(rest)?.[1];
      if (!setting) throw new ReleasePinError(`${script.name}: the ${release} release has no --version "$(setting NAME)"`);
      const version = pins.get(setting);
      if (!version) throw new ReleasePinError(`${script.name}: ${setting} (the ${release} release) is not pinned in versions.sh`);
      out.push({ step, clusters, namespace, release, chartRef, chart: chartRef.split('/').pop()!, setting, version });
    }
  }
  return out;
}

/** What Helm records of a release's revision (from its storage Secret). */
export interface InstalledRelease {
  name: string;
  namespace: string;
  revision: number;
  /** Helm's status: deployed, failed, superseded, pending-install, pending-upgrade … */
  status: string;
  lastDeployed?: string;
  chart: string;
  chartVersion: string;
  appVersion?: string;
}

/** Helm keeps every revision; only the newest of each release says what is installed. */
export function latestRevisions(all: readonly InstalledRelease[]): InstalledRelease[] {
  const latest = new Map<string, InstalledRelease>();
  for (const r of all) {
    const key = `${r.namespace}/${r.name}`;
    const seen = latest.get(key);
    if (!seen || r.revision > seen.revision) latest.set(key, r);
  }
  return [...latest.values()];
}

export type ReleaseVerdict = 'matches' | 'drift' | 'missing' | 'failed' | 'unpinned';

export interface ReleaseRow {
  namespace: string;
  release: string;
  chart: string;
  verdict: ReleaseVerdict;
  /** infra/'s pin (absent for an unpinned release). */
  pinned?: string;
  step?: string;
  installed?: InstalledRelease;
}

/** Chart versions compared without a leading `v` (cert-manager's charts carry one, a pin may not). */
const sameVersion = (a: string, b: string) => a.replace(/^v/, '') === b.replace(/^v/, '');

function verdictOf(pinned: string, installed: InstalledRelease | undefined): ReleaseVerdict {
  if (!installed) return 'missing';
  if (installed.status !== 'deployed') return 'failed';
  return sameVersion(installed.chartVersion, pinned) ? 'matches' : 'drift';
}

/**
 * One cluster's releases against infra/: every release its steps install, with what Helm has
 * (the newest revision), then the releases Helm has that infra/ does not pin.
 */
export function compareReleases(cluster: ClusterKey, expected: readonly ExpectedRelease[], installed: readonly InstalledRelease[]): ReleaseRow[] {
  const latest = latestRevisions(installed);
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const byKey = new Map(latest.map((r) => [key(r.namespace, r.name), r]));
  const rows: ReleaseRow[] = expected
    .filter((e) => e.clusters.includes(cluster))
    .map((e) => {
      const found = byKey.get(key(e.namespace, e.release));
      byKey.delete(key(e.namespace, e.release));
      return { namespace: e.namespace, release: e.release, chart: e.chart, verdict: verdictOf(e.version, found), pinned: e.version, step: e.step, installed: found };
    });
  const unpinned = [...byKey.values()].sort((a, b) => key(a.namespace, a.name).localeCompare(key(b.namespace, b.name)));
  for (const r of unpinned) rows.push({ namespace: r.namespace, release: r.name, chart: r.chart, verdict: 'unpinned', installed: r });
  return rows;
}
