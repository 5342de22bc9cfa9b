import { createTwoFilesPatch } from 'diff';
import type { ClusterKey } from './cluster';

/**
 * An add-on plan: what `helm upgrade` of one install step on one cluster would change, as the
 * diff of each release's manifest (what is installed → what the pinned chart renders), and the
 * rules that let an apply run it. Pure: the jobs capability reads the files and runs the tools.
 */

/** One Helm release of the planned step: installed and pinned chart versions, and its diff. */
export interface ReleaseDiff {
  release: string;
  namespace: string;
  chart: string;
  /** The chart version installed when the plan was made; null: not installed (the plan installs it). */
  installed: string | null;
  /** infra/'s pin at plan time: what the apply installs. */
  pinned: string;
  /** Unified diff (jsdiff's createTwoFilesPatch), cut at the bound when `truncated`. */
  patch: string;
  /** Objects (kind/namespace/name) added, removed or changed. */
  objectsChanged: number;
  /** Lines added and removed, counted over the whole diff even when the patch kept is cut. */
  added: number;
  removed: number;
  /** The patch kept stops short of the whole diff (see MAX_RELEASE_PATCH_CHARS and MAX_PLAN_PATCH_CHARS). */
  truncated: boolean;
  /** Too large to diff line by line (MAX_EDIT_LENGTH): only the objects are counted. */
  tooLarge?: boolean;
}

export interface AddonPlanSummary {
  type: 'addon-plan';
  cluster: ClusterKey;
  /** The install step (`03-reloader`), what install.sh --step runs. */
  addon: string;
  /** sha256 of the step's inputs at plan time: its script, the pins, the shared helpers and its values files. */
  inputs: string;
  releases: ReleaseDiff[];
  simulated?: boolean;
}

/** A release's kept patch, at most (a chart with many CRDs renders megabytes). */
export const MAX_RELEASE_PATCH_CHARS = 64_000;
/** The patches of one plan together, at most: what is stored with the job and sent to the page. */
export const MAX_PLAN_PATCH_CHARS = 192_000;
/** Past this many changed lines, jsdiff stops (its maxEditLength) and the release shows its object counts only. */
export const MAX_EDIT_LENGTH = 20_000;
/**
 * How old a plan may be when it is applied. The plan was rendered against the cluster as it
 * was; past this, another install or a drift may have changed what the diff showed.
 */
export const ADDON_PLAN_MAX_AGE_MS = 30 * 60_000;

/**
 * A manifest's objects, keyed `kind namespace/name`, each as its YAML text. Secrets are left
 * out: Helm's dry run hides them (--hide-secret), and their values must not reach a diff.
 */
export function manifestObjects(manifest: string): Map<string, string> {
  const out = new Map<string, string>();
  manifest.split(/^---[ \t]*$/m).forEach((raw, i) => {
    const doc = raw.replace(/^\n+|\s+$/g, '');
    if (!doc || doc.split('\n').every((l) => !l.trim() || l.trimStart().startsWith('#'))) return;
    const kind = /^kind:\s*(\S+)/m.exec(doc)?.[1] ?? '?';
    if (kind === 'Secret') return;
    const meta = doc.slice(Math.max(0, doc.search(/^metadata:/m)));
    const name = /^ {2}name:\s*(\S+)/m.exec(meta)?.[1] ?? `#${i}`;
    const namespace = /^ {2}namespace:\s*(\S+)/m.exec(meta)?.[1] ?? '';
    out.set(`${kind} ${namespace ? `${namespace}/` : ''}${name}`, doc);
  });
  return out;
}

/** The objects in a stable order, so that a chart rendering them in another order is no change. */
const normalised = (objects: Map<string, string>) =>
  [...objects.keys()].sort().map((k) => `---\n${objects.get(k)}\n`).join('');

function countLines(patch: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    if (line.startsWith('@@')) inHunk = true;
    else if (!inHunk) continue;
    else if (line.startsWith('+')) added += 1;
    else if (line.startsWith('-')) removed += 1;
  }
  return { added, removed };
}

/** A text cut at a line end, at most `max` characters. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.lastIndexOf('\n', max - 1);
  return text.slice(0, end > 0 ? end + 1 : 0);
}

export interface ReleaseManifests {
  release: string;
  namespace: string;
  chart: string;
  installed: string | null;
  pinned: string;
  /** `helm get manifest` of the installed release ('' when not installed). */
  old: string;
  /** What `helm upgrade --dry-run=server` renders at the pin. */
  new: string;
}

export function diffRelease(m: ReleaseManifests, maxChars = MAX_RELEASE_PATCH_CHARS): ReleaseDiff {
  const before = manifestObjects(m.old);
  const after = manifestObjects(m.new);
  let objectsChanged = 0;
  for (const key of new Set([...before.keys(), ...after.keys()])) if (before.get(key) !== after.get(key)) objectsChanged += 1;
  const base = { release: m.release, namespace: m.namespace, chart: m.chart, installed: m.installed, pinned: m.pinned, objectsChanged };
  const patch = createTwoFilesPatch(
    `${m.release} ${m.installed ? `${m.chart}-${m.installed} (installed)` : '(not installed)'}`,
    `${m.release} ${m.chart}-${m.pinned} (pinned)`,
    normalised(before), normalised(after), undefined, undefined, { context: 3, maxEditLength: MAX_EDIT_LENGTH },
  );
  if (patch === undefined) return { ...base, patch: '', added: 0, removed: 0, truncated: true, tooLarge: true };
  const kept = cut(patch, maxChars);
  return { ...base, patch: kept, ...countLines(patch), truncated: kept.length < patch.length };
}

/** Keeps the plan's patches within `max` characters together: later releases are cut first-come, first-served. */
export function boundPlan(diffs: ReleaseDiff[], max = MAX_PLAN_PATCH_CHARS): ReleaseDiff[] {
  let left = max;
  return diffs.map((d) => {
    const kept = cut(d.patch, left);
    left -= kept.length;
    return kept.length < d.patch.length ? { ...d, patch: kept, truncated: true } : d;
  });
}

export interface PlanTotals {
  objectsChanged: number;
  added: number;
  removed: number;
}

export function planTotals(diffs: readonly ReleaseDiff[]): PlanTotals {
  return diffs.reduce((t, d) => ({ objectsChanged: t.objectsChanged + d.objectsChanged, added: t.added + d.added, removed: t.removed + d.removed }), { objectsChanged: 0, added: 0, removed: 0 });
}

/** "N objects changed, +a −b lines", as the job page and the log say it. */
export function planTotalsLine(t: PlanTotals): string {
  return `${t.objectsChanged} object${t.objectsChanged === 1 ? '' : 's'} changed, +${t.added} −${t.removed} lines`;
}

/** What an apply checks against its plan, read at apply time. */
export interface ApplyCheck {
  plan: { status: string; finishedAt: Date | null; summary: AddonPlanSummary | null };
  /** The step's releases on the cluster as infra/ pins them now (release → version). */
  pinsNow: ReadonlyMap<string, string>;
  /** sha256 of the step's inputs now. */
  inputsNow: string;
  now: Date;
  maxAgeMs?: number;
}

/** Why an add-on apply may not run its plan, or null when it may. */
export function addonApplyRefusal(c: ApplyCheck): string | null {
  const { plan } = c;
  if (plan.status !== 'succeeded' || !plan.summary || !plan.finishedAt) return 'Only a plan that succeeded can be applied.';
  const maxAge = c.maxAgeMs ?? ADDON_PLAN_MAX_AGE_MS;
  const age = c.now.getTime() - plan.finishedAt.getTime();
  if (age > maxAge) return `This plan is ${Math.round(age / 60_000)} min old; a plan may be applied within ${Math.round(maxAge / 60_000)} min of being made (the cluster may have changed since). Plan again.`;
  const changed = plan.summary.releases
    .filter((r) => c.pinsNow.get(r.release) !== r.pinned)
    .map((r) => `${r.release} ${r.pinned} → ${c.pinsNow.get(r.release) ?? 'no longer installed by this step'}`);
  const added = [...c.pinsNow.keys()].filter((k) => !plan.summary!.releases.some((r) => r.release === k)).map((k) => `${k} (new)`);
  if (changed.length || added.length) return `infra/'s pins changed since the plan (${[...changed, ...added].join(', ')}). Plan again.`;
  if (plan.summary.inputs !== c.inputsNow) return 'The step\'s script, values or helpers changed since the plan. Plan again.';
  return null;
}
