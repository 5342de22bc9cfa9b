import { CLUSTER_KEYS, type ClusterKey } from './cluster';
import { meshRevisionSupport, type MeshRevisionInfo } from './preflight';
import { parseScope, type InfraFiles } from './releases';

/**
 * What AKS manages for a cluster beside Helm, as ARM reports it: the Istio add-on's revisions,
 * the Key Vault CSI add-on, the cluster extensions and the Flux configurations, each with a
 * verdict against what infra/ declares. Pure: the caller reads ARM, the cluster and infra/.
 */

/** A cluster extension infra/ installs, and where it says so. */
export interface ExpectedExtension {
  name: string;
  extensionType: string;
  clusters: ClusterKey[];
  declaredIn: string;
}

/** A Flux configuration an install step creates. */
export interface ExpectedFluxConfiguration {
  name: string;
  clusters: ClusterKey[];
  step: string;
}

/** infra/modules/backup/main.extension.tf installs the backup extension on every cluster the backup module is given (all of them). */
const BACKUP_EXTENSION: ExpectedExtension = {
  name: 'azure-aks-backup',
  extensionType: 'microsoft.dataprotection.kubernetes',
  clusters: [...CLUSTER_KEYS],
  declaredIn: 'infra/modules/backup/main.extension.tf',
};

/** `az k8s-configuration flux create` (06-flux.sh says `"${verb}"`: create, or update when it exists), its continued lines joined. */
const FLUX_CREATE = /\baz\s+k8s-configuration\s+flux\s+(?:create|"\$\{verb\}")\s.*$/m;

/** The steps that create a Flux configuration (`az k8s-configuration flux create`), with the configuration's `--name` and the step's scope. */
export function expectedFluxConfigurations(files: Pick<InfraFiles, 'scripts'>): ExpectedFluxConfiguration[] {
  const out: ExpectedFluxConfiguration[] = [];
  for (const script of [...files.scripts].sort((a, b) => a.name.localeCompare(b.name))) {
    const call = FLUX_CREATE.exec(script.text.replace(/\\\n\s*/g, ' '))?.[0];
    if (!call) continue;
    const name = /--name\s+(\S+)/.exec(call)?.[1];
    if (!name) continue;
    out.push({ name, clusters: parseScope(script.name, script.text), step: script.name.replace(/\.sh$/, '') });
  }
  return out;
}

/** The extensions infra/ expects: backup everywhere, and `flux` (microsoft.flux), which AKS installs with a cluster's first Flux configuration. */
export function expectedExtensions(flux: readonly ExpectedFluxConfiguration[]): ExpectedExtension[] {
  const fluxClusters = CLUSTER_KEYS.filter((k) => flux.some((f) => f.clusters.includes(k)));
  const out = [BACKUP_EXTENSION];
  if (fluxClusters.length) out.push({ name: 'flux', extensionType: 'microsoft.flux', clusters: fluxClusters, declaredIn: flux.map((f) => `infra/addons/scripts/${f.step}.sh`).join(', ') });
  return out;
}

// ── Istio (the managed service mesh add-on) ──

export type MeshVerdict = 'supported' | 'unsupported' | 'not-enabled' | 'unknown';

export interface MeshRevisionRow {
  revision: string;
  verdict: Exclude<MeshVerdict, 'not-enabled'>;
  /** Why, in words (what the region offers, or the compatible Kubernetes minors). */
  detail: string;
}

export interface MeshRow {
  verdict: MeshVerdict;
  revisions: MeshRevisionRow[];
}

/**
 * Each revision the cluster runs (two during a canary upgrade) against the region's mesh revisions
 * for its Kubernetes version; the worst decides. `offered` null: the region's list could not be read.
 */
export function meshVerdict(revisions: readonly string[], kubernetesVersion: string | null, offered: readonly MeshRevisionInfo[] | null): MeshRow {
  if (!revisions.length) return { verdict: 'not-enabled', revisions: [] };
  const rows = revisions.map((revision): MeshRevisionRow => {
    if (!offered) return { revision, verdict: 'unknown', detail: 'the region’s mesh revisions could not be read' };
    const s = meshRevisionSupport(revision, kubernetesVersion, offered);
    if (s.status === 'not-offered') return { revision, verdict: 'unsupported', detail: `not offered in the region (it offers ${s.offered.join(', ') || 'none'})` };
    if (s.status === 'incompatible') return { revision, verdict: 'unsupported', detail: `compatible with Kubernetes ${s.compatible.join(', ')}, not ${s.minor}` };
    return { revision, verdict: 'supported', detail: `offered for Kubernetes ${s.minor ?? '?'}` };
  });
  const verdict = rows.some((r) => r.verdict === 'unsupported') ? 'unsupported' : rows.some((r) => r.verdict === 'unknown') ? 'unknown' : 'supported';
  return { verdict, revisions: rows };
}

// ── Cluster extensions ──

/** What ARM says of one extension (Microsoft.KubernetesConfiguration/extensions). */
export interface ExtensionState {
  name: string;
  extensionType?: string;
  /** The pinned version (absent when it follows its release train). */
  version?: string;
  currentVersion?: string;
  autoUpgradeMinorVersion?: boolean;
  provisioningState?: string;
  /** `errorInfo`, then the `statuses` of level Error, as messages. */
  errors: string[];
}

export type ExtensionVerdict = 'ok' | 'pending' | 'failed' | 'missing';

export interface ExtensionRow {
  name: string;
  extensionType?: string;
  verdict: ExtensionVerdict;
  /** Whether infra/ declares it (an extension installed by hand is listed too). */
  expected: boolean;
  declaredIn?: string;
  state?: ExtensionState;
}

function extensionVerdict(s: ExtensionState): Exclude<ExtensionVerdict, 'missing'> {
  const state = (s.provisioningState ?? '').toLowerCase();
  if (state === 'failed' || s.errors.length) return 'failed';
  return state === 'succeeded' ? 'ok' : 'pending';
}

/** One cluster's extensions against infra/: what it declares first (missing when ARM has none), then any others ARM lists. */
export function compareExtensions(cluster: ClusterKey, expected: readonly ExpectedExtension[], actual: readonly ExtensionState[]): ExtensionRow[] {
  const byName = new Map(actual.map((a) => [a.name.toLowerCase(), a]));
  const rows: ExtensionRow[] = expected
    .filter((e) => e.clusters.includes(cluster))
    .map((e) => {
      const state = byName.get(e.name.toLowerCase());
      byName.delete(e.name.toLowerCase());
      return { name: e.name, extensionType: e.extensionType, expected: true, declaredIn: e.declaredIn, verdict: state ? extensionVerdict(state) : 'missing', state };
    });
  for (const state of [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    rows.push({ name: state.name, extensionType: state.extensionType, expected: false, verdict: extensionVerdict(state), state });
  }
  return rows;
}

// ── Flux configurations ──

/** ARM's compliance words, compared without case or dash (the wire says `Non-Compliant`). */
export type FluxCompliance = 'compliant' | 'non-compliant' | 'pending' | 'suspended' | 'unknown';

export function fluxCompliance(value: string | undefined): FluxCompliance {
  const v = (value ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (v === 'compliant') return 'compliant';
  if (v === 'noncompliant') return 'non-compliant';
  if (v === 'pending' || v === 'suspended') return v;
  return 'unknown';
}

export interface FluxObjectState {
  name: string;
  namespace?: string;
  kind?: string;
  compliance: FluxCompliance;
  /** The Ready condition's message (or the first condition's), when the object is not compliant. */
  message?: string;
}

/** What ARM says of one Flux configuration (Microsoft.KubernetesConfiguration/fluxConfigurations). */
export interface FluxConfigurationState {
  name: string;
  url?: string;
  branch?: string;
  compliance: FluxCompliance;
  provisioningState?: string;
  errorMessage?: string;
  sourceSyncedCommitId?: string;
  sourceUpdatedAt?: number;
  statusUpdatedAt?: number;
  /** The Kustomizations' states, from `statuses`. */
  kustomizations: FluxObjectState[];
}

export type FluxVerdict = 'compliant' | 'non-compliant' | 'pending' | 'failed' | 'missing';

export interface FluxRow {
  name: string;
  verdict: FluxVerdict;
  expected: boolean;
  step?: string;
  state?: FluxConfigurationState;
}

function fluxVerdict(s: FluxConfigurationState): Exclude<FluxVerdict, 'missing'> {
  if ((s.provisioningState ?? '').toLowerCase() === 'failed') return 'failed';
  if (s.compliance === 'non-compliant' || s.kustomizations.some((k) => k.compliance === 'non-compliant')) return 'non-compliant';
  return s.compliance === 'compliant' ? 'compliant' : 'pending';
}

export function compareFluxConfigurations(cluster: ClusterKey, expected: readonly ExpectedFluxConfiguration[], actual: readonly FluxConfigurationState[]): FluxRow[] {
  const byName = new Map(actual.map((a) => [a.name.toLowerCase(), a]));
  const rows: FluxRow[] = expected
    .filter((e) => e.clusters.includes(cluster))
    .map((e) => {
      const state = byName.get(e.name.toLowerCase());
      byName.delete(e.name.toLowerCase());
      return { name: e.name, expected: true, step: e.step, verdict: state ? fluxVerdict(state) : 'missing', state };
    });
  for (const state of [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))) rows.push({ name: state.name, expected: false, verdict: fluxVerdict(state), state });
  return rows;
}

// ── Key Vault CSI ──

export interface KeyVaultCsiRow {
  enabled: boolean;
  secretRotation: boolean;
  rotationPollInterval?: string;
}

/** `addonProfiles.azureKeyvaultSecretsProvider` as ARM sends it: its config values are strings ("true"). */
export function keyVaultCsi(profile: { enabled?: boolean; config?: Record<string, string> | null } | undefined): KeyVaultCsiRow {
  const config = profile?.config ?? {};
  return {
    enabled: profile?.enabled === true,
    secretRotation: String(config.enableSecretRotation ?? '').toLowerCase() === 'true',
    rotationPollInterval: config.rotationPollInterval || undefined,
  };
}

/** The tag of a container image reference (`mcr.microsoft.com/oss/istio/pilot:1.30.0-distroless` → `1.30.0-distroless`); a digest-only reference has none. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(colon + 1) : undefined;
}
