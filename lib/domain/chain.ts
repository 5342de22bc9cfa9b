/**
 * The GitOps and secret chain of one cluster, judged link by link: Git (Flux's GitRepository) →
 * the Kustomization that applies it → cert-manager's gateway Certificate → its TLS Secret → the
 * PushSecret that copies it to Key Vault → the Key Vault secrets → the ClusterSecretStore External
 * Secrets reads the vault through → the ExternalSecret that syncs it back → Reloader → the ingress
 * gateway that serves the certificate.
 *
 * Which links a cluster has follows the architecture: mgmt runs cert-manager and pushes the
 * certificate to Key Vault; app1's gateway reads it back from Key Vault (its ExternalSecret fills its
 * Secret); app2 has no gateway, so its chain is Flux, the store and Reloader. Pure: the reads and
 * the time come in, the verdicts go out.
 */

export type ChainLinkId = 'git' | 'kustomization' | 'certificate' | 'secret' | 'pushsecret' | 'keyvault' | 'store' | 'externalsecret' | 'reloader' | 'gateway';
export type LinkVerdict = 'ok' | 'warning' | 'broken' | 'unknown';
/** issues: cert-manager and the PushSecret (mgmt); receives: the certificate from Key Vault (app1); none: no gateway (app2). */
export type ChainRole = 'issues' | 'receives' | 'none';

export const CHAIN_ORDER: Record<ChainRole, readonly ChainLinkId[]> = {
  issues: ['git', 'kustomization', 'certificate', 'secret', 'pushsecret', 'keyvault', 'store', 'reloader', 'gateway'],
  receives: ['git', 'kustomization', 'keyvault', 'store', 'externalsecret', 'secret', 'reloader', 'gateway'],
  none: ['git', 'kustomization', 'store', 'reloader'],
};

/** The architecture's roles: cert-manager on mgmt, the Istio ingress on mgmt and app1. */
export function chainRole(cluster: string): ChainRole {
  return cluster === 'mgmt' ? 'issues' : cluster === 'app1' ? 'receives' : 'none';
}

/** The Key Vault secrets the PushSecret writes (infra/manifests/external-secrets/push-secret.yaml). */
export const PUSHED_SECRETS = ['gateway-tls-crt', 'gateway-tls-key'] as const;
/** Below this much validity left, a certificate whose renewal should have run a month before is broken, not late. */
const CRITICAL_VALIDITY_MS = 7 * 86_400_000;
/** renewBefore of the manifest, for a Key Vault copy whose certificate was not read. */
const DEFAULT_RENEW_BEFORE_MS = 30 * 86_400_000;

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
interface WithConditions {
  status?: { conditions?: Condition[] };
}
export interface GitRepositoryObject {
  status?: { conditions?: Condition[]; artifact?: { revision?: string; lastUpdateTime?: string } };
}
export interface KustomizationObject {
  status?: { conditions?: Condition[]; lastAppliedRevision?: string; lastAttemptedRevision?: string };
}
export interface CertificateObject {
  spec?: { renewBefore?: string; secretName?: string; issuerRef?: { kind?: string; name?: string } };
  status?: { conditions?: Condition[]; notBefore?: string; notAfter?: string; renewalTime?: string };
}
export interface PushSecretObject {
  spec?: { refreshInterval?: string };
  status?: { conditions?: Condition[]; refreshTime?: string };
}
export type SecretStoreObject = WithConditions;
export interface ExternalSecretObject {
  spec?: { refreshInterval?: string; target?: { name?: string } };
  status?: { conditions?: Condition[]; refreshTime?: string; syncedResourceVersion?: string; binding?: { name?: string } };
}
/** A Secret without its data: what the chain needs (the product never keeps key material). */
export interface SecretFacts {
  type?: string;
  created?: string;
  keys: string[];
  /** Who writes it: cert-manager (mgmt) or External Secrets (app1), from its annotations and labels. */
  writer?: string;
}
export interface VaultSecretFacts {
  name: string;
  version?: string;
  enabled?: boolean;
  updated?: number;
  expires?: number;
}
export interface ReloaderFacts {
  /** The Reloader Deployment, or null when it is not there. */
  deployment: { replicas: number; ready: number } | null;
  /** Workloads that ask Reloader to roll them (a reloader.stakater.com/* annotation). */
  annotated: { namespace: string; name: string; kind: string; annotation: string; lastRollout?: string }[];
}
export interface GatewayFacts {
  name: string;
  replicas: number;
  ready: number;
}

/** One read: its value (null: the object is not there), and when the read failed, why. */
export interface Read<T> {
  value?: T;
  /** When the value was read (a value with an error is the last good answer). */
  fetchedAt?: number;
  error?: string;
  /** Since when the read has been failing. */
  failingSince?: number;
}

export interface ChainInputs {
  role: ChainRole;
  git: Read<GitRepositoryObject | null>;
  kustomization: Read<KustomizationObject | null>;
  certificate?: Read<CertificateObject | null>;
  secret?: Read<SecretFacts | null>;
  pushSecret?: Read<PushSecretObject | null>;
  keyVault?: Read<VaultSecretFacts[]>;
  store: Read<SecretStoreObject | null>;
  externalSecret?: Read<ExternalSecretObject | null>;
  reloader: Read<ReloaderFacts>;
  gateway?: Read<GatewayFacts | null>;
}

export interface ChainLink {
  id: ChainLinkId;
  label: string;
  /** The object read, by kind and name. */
  object: string;
  verdict: LinkVerdict;
  /** What was read and what it means, in words (times are in `times`). */
  evidence: string[];
  /** The points in time that matter here, labelled. */
  times: { label: string; at: number }[];
  /** The read failed: why, since when, and when the answer shown (if any) was read. */
  readError?: { message: string; since?: number; lastGood?: number };
  /** The first broken link before this one: this link's state depends on it. */
  dependsOn?: ChainLinkId;
}

export interface ChainEvaluation {
  role: ChainRole;
  links: ChainLink[];
  firstBroken?: ChainLinkId;
  verdict: LinkVerdict;
}

const LABELS: Record<ChainLinkId, [label: string, object: string]> = {
  git: ['Git source', 'GitRepository flux-system/gitops-config'],
  kustomization: ['Flux apply', 'Kustomization flux-system/gitops-config-infra'],
  certificate: ['Certificate', 'Certificate aks-istio-ingress/gateway-tls'],
  secret: ['TLS Secret', 'Secret aks-istio-ingress/gateway-tls'],
  pushsecret: ['Push to Key Vault', 'PushSecret aks-istio-ingress/gateway-tls'],
  keyvault: ['Key Vault', `Key Vault secrets ${PUSHED_SECRETS.join(', ')}`],
  store: ['Secret store', 'ClusterSecretStore azure-key-vault'],
  externalsecret: ['Sync from Key Vault', 'ExternalSecret aks-istio-ingress/gateway-tls'],
  reloader: ['Reloader', 'Deployment reloader/reloader-reloader'],
  gateway: ['Ingress gateway', 'Deployment aks-istio-ingress/aks-istio-ingressgateway-external'],
};

/** Go's duration syntax as Kubernetes objects carry it ("720h0m0s", "10m"); undefined when it is not one. */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (!text || !/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

/** A span in words, rounded to its largest unit ("3 days", "5 hours", "12 minutes"). */
export function spanWords(ms: number): string {
  const abs = Math.abs(ms);
  const [n, unit] = abs >= 2 * 86_400_000 ? [abs / 86_400_000, 'day'] : abs >= 2 * 3_600_000 ? [abs / 3_600_000, 'hour'] : [abs / 60_000, 'minute'];
  const whole = Math.max(1, Math.floor(n));
  return `${whole} ${unit}${whole === 1 ? '' : 's'}`;
}

const time = (iso: string | undefined) => (iso && Number.isFinite(Date.parse(iso)) ? Date.parse(iso) : undefined);
const ready = (o: WithConditions | null | undefined) => o?.status?.conditions?.find((c) => c.type === 'Ready');
const said = (c: Condition) => `${c.reason ? `${c.reason}: ` : ''}${c.message ?? 'no message'}`;

interface Judged {
  verdict: LinkVerdict;
  evidence: string[];
  times?: { label: string; at: number }[];
}

/** A controller's Ready condition in words: True ok, False broken, absent or Unknown still reconciling. */
function readyJudgement(o: WithConditions, what: string): Judged {
  const c = ready(o);
  const since = time(c?.lastTransitionTime);
  const times = since !== undefined ? [{ label: c?.status === 'True' ? 'Ready since' : 'Not Ready since', at: since }] : [];
  if (!c) return { verdict: 'warning', evidence: [`${what} has no Ready condition yet: its controller has not reconciled it`], times };
  if (c.status === 'True') return { verdict: 'ok', evidence: [`${what} is Ready (${said(c)})`], times };
  if (c.status === 'False') return { verdict: 'broken', evidence: [`${what} is not Ready (${said(c)})`], times };
  return { verdict: 'warning', evidence: [`${what} is reconciling (${said(c)})`], times };
}

function judgeGit(g: GitRepositoryObject): Judged {
  const j = readyJudgement(g, 'The source');
  const rev = g.status?.artifact?.revision;
  const fetched = time(g.status?.artifact?.lastUpdateTime);
  return {
    ...j,
    evidence: [...j.evidence, rev ? `artifact revision ${rev}` : 'no artifact fetched yet'],
    times: [...(fetched !== undefined ? [{ label: 'last fetched', at: fetched }] : []), ...(j.times ?? [])],
  };
}

function judgeKustomization(k: KustomizationObject, sourceRevision: string | undefined): Judged {
  const j = readyJudgement(k, 'The Kustomization');
  const applied = k.status?.lastAppliedRevision;
  const evidence = [...j.evidence, applied ? `applied revision ${applied}` : 'nothing applied yet'];
  if (k.status?.lastAttemptedRevision && k.status.lastAttemptedRevision !== applied) evidence.push(`last attempted ${k.status.lastAttemptedRevision}`);
  const behind = sourceRevision !== undefined && applied !== sourceRevision;
  if (behind) evidence.push(`behind the source, which has ${sourceRevision}`);
  return { verdict: j.verdict === 'ok' && behind ? 'warning' : j.verdict, evidence, times: (j.times ?? []).map((t) => ({ ...t, label: `last reconcile (${t.label})` })) };
}

function judgeCertificate(c: CertificateObject, now: number): Judged {
  const j = readyJudgement(c, 'The certificate');
  const notAfter = time(c.status?.notAfter);
  const renewal = time(c.status?.renewalTime);
  const renewBefore = parseGoDuration(c.spec?.renewBefore);
  const issuer = c.spec?.issuerRef?.name ? `issued by ${c.spec.issuerRef.kind ?? 'Issuer'} ${c.spec.issuerRef.name}` : 'issuer not named';
  const evidence = [...j.evidence, issuer];
  const times = [...(notAfter !== undefined ? [{ label: 'expires', at: notAfter }] : []), ...(renewal !== undefined ? [{ label: 'renewal due', at: renewal }] : []), ...(j.times ?? [])];
  const issuing = c.status?.conditions?.find((x) => x.type === 'Issuing' && x.status === 'False');
  if (issuing) evidence.push(`the last issuance failed (${said(issuing)})`);
  if (notAfter === undefined) return { verdict: j.verdict === 'ok' ? 'warning' : j.verdict, evidence: [...evidence, 'no expiry recorded'], times };
  const left = notAfter - now;
  if (left <= 0) return { verdict: 'broken', evidence: [...evidence, `expired ${spanWords(left)} ago`], times };
  const overdue = renewal !== undefined && renewal <= now;
  if (left < CRITICAL_VALIDITY_MS) {
    return { verdict: 'broken', evidence: [...evidence, `expires in ${spanWords(left)}${overdue ? `; renewal was due ${spanWords(now - renewal)} ago and has not happened` : ''}`], times };
  }
  if (overdue || (renewBefore !== undefined && left <= renewBefore)) {
    return { verdict: j.verdict === 'broken' ? 'broken' : 'warning', evidence: [...evidence, `expires in ${spanWords(left)}: within its renewBefore${renewBefore ? ` of ${spanWords(renewBefore)}` : ''}, renewal pending`], times };
  }
  return { ...j, evidence: [...evidence, `valid for ${spanWords(left)} more${renewal !== undefined ? `, renewed in ${spanWords(renewal - now)}` : ''}`], times };
}

function judgeSecret(s: SecretFacts): Judged {
  const created = time(s.created);
  const times = created !== undefined ? [{ label: 'created', at: created }] : [];
  const missing = ['tls.crt', 'tls.key'].filter((k) => !s.keys.includes(k));
  if (s.type !== 'kubernetes.io/tls') return { verdict: 'broken', evidence: [`type ${s.type ?? 'unset'}, not kubernetes.io/tls: the gateway cannot use it`], times };
  if (missing.length) return { verdict: 'broken', evidence: [`kubernetes.io/tls without ${missing.join(' and ')}`], times };
  return { verdict: 'ok', evidence: [`kubernetes.io/tls with tls.crt and tls.key${s.writer ? `, written by ${s.writer}` : ''}`], times };
}

function judgePushSecret(p: PushSecretObject): Judged {
  const j = readyJudgement(p, 'The PushSecret');
  const refreshed = time(p.status?.refreshTime);
  const evidence = [...j.evidence, ...(p.spec?.refreshInterval ? [`pushes every ${p.spec.refreshInterval}`] : [])];
  return { ...j, evidence, times: [...(refreshed !== undefined ? [{ label: 'last refresh', at: refreshed }] : []), ...(j.times ?? [])] };
}

/**
 * External Secrets re-reads the vault every refreshInterval: a sync older than two of them means
 * the controller has stopped refreshing, though the Secret it wrote last is still there.
 */
function judgeExternalSecret(e: ExternalSecretObject, now: number): Judged {
  const j = readyJudgement(e, 'The ExternalSecret');
  const refreshed = time(e.status?.refreshTime);
  const interval = parseGoDuration(e.spec?.refreshInterval);
  const evidence = [...j.evidence];
  if (e.status?.binding?.name) evidence.push(`writes Secret ${e.status.binding.name}`);
  if (e.status?.syncedResourceVersion) evidence.push(`synced resource version ${e.status.syncedResourceVersion}`);
  const times = [...(refreshed !== undefined ? [{ label: 'last sync', at: refreshed }] : []), ...(j.times ?? [])];
  if (j.verdict !== 'ok') return { ...j, evidence, times };
  if (!interval) return { ...j, evidence: [...evidence, `refreshInterval ${e.spec?.refreshInterval ?? 'unset'}: no periodic refresh to judge`], times };
  if (refreshed === undefined) return { verdict: 'warning', evidence: [...evidence, `refreshes every ${e.spec!.refreshInterval}, but no sync is recorded`], times };
  const age = now - refreshed;
  if (age > 2 * interval) {
    return { verdict: 'warning', evidence: [...evidence, `last synced ${spanWords(age)} ago, more than twice its refreshInterval of ${e.spec!.refreshInterval}: the refresh has stopped`], times };
  }
  return { ...j, evidence: [...evidence, `refreshes every ${e.spec!.refreshInterval}`], times };
}

function judgeKeyVault(secrets: VaultSecretFacts[], now: number, certificate: CertificateObject | null | undefined): Judged {
  const renewBefore = parseGoDuration(certificate?.spec?.renewBefore) ?? DEFAULT_RENEW_BEFORE_MS;
  const issued = time(certificate?.status?.notBefore);
  const verdicts: LinkVerdict[] = [];
  const evidence: string[] = [];
  const times: { label: string; at: number }[] = [];
  for (const name of PUSHED_SECRETS) {
    const s = secrets.find((x) => x.name === name);
    if (!s) {
      verdicts.push('broken');
      evidence.push(`${name} is not in the vault`);
      continue;
    }
    const version = s.version ? `version ${s.version.slice(0, 8)}` : 'version unknown';
    if (s.updated !== undefined) times.push({ label: `${name} updated`, at: s.updated });
    if (s.expires !== undefined) times.push({ label: `${name} expires`, at: s.expires });
    if (s.enabled === false) {
      verdicts.push('broken');
      evidence.push(`${name} (${version}) is disabled`);
    } else if (s.expires !== undefined && s.expires <= now) {
      verdicts.push('broken');
      evidence.push(`${name} (${version}) expired ${spanWords(now - s.expires)} ago`);
    } else if (issued !== undefined && s.updated !== undefined && s.updated < issued) {
      verdicts.push('warning');
      evidence.push(`${name} (${version}) was written before the certificate's last issue: the push has not reached the vault`);
    } else if (s.expires !== undefined && s.expires - now <= renewBefore) {
      verdicts.push('warning');
      evidence.push(`${name} (${version}) expires in ${spanWords(s.expires - now)}`);
    } else {
      verdicts.push('ok');
      evidence.push(`${name}: ${version}, current`);
    }
  }
  return { verdict: worst(verdicts), evidence, times };
}

function judgeReloader(r: ReloaderFacts): Judged {
  const d = r.deployment;
  const asks = r.annotated.length
    ? r.annotated.map((w) => `${w.kind} ${w.namespace}/${w.name} asks for reloads (${w.annotation})`)
    : ['no workload on this cluster asks Reloader for reloads'];
  const times = r.annotated.flatMap((w) => (time(w.lastRollout) !== undefined ? [{ label: `${w.namespace}/${w.name} last rollout`, at: time(w.lastRollout)! }] : []));
  if (!d) return { verdict: 'broken', evidence: ['Reloader is not installed', ...asks], times };
  const running = `${d.ready} of ${d.replicas} replicas ready`;
  if (d.ready === 0) return { verdict: 'broken', evidence: [`Reloader is not running (${running})`, ...asks], times };
  return { verdict: d.ready < d.replicas ? 'warning' : 'ok', evidence: [`Reloader running, ${running}`, ...asks], times };
}

function judgeGateway(g: GatewayFacts): Judged {
  const words = `${g.ready} of ${g.replicas} gateway pods Ready`;
  if (g.ready === 0) return { verdict: 'broken', evidence: [`${words}: nothing serves the certificate`] };
  return { verdict: g.ready < g.replicas ? 'warning' : 'ok', evidence: [words] };
}

const RANK: Record<LinkVerdict, number> = { ok: 0, warning: 1, unknown: 2, broken: 3 };
const worst = (vs: LinkVerdict[]): LinkVerdict => vs.reduce<LinkVerdict>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');

function link<T>(id: ChainLinkId, read: Read<T | null> | undefined, judge: (value: T) => Judged): ChainLink {
  const [label, object] = LABELS[id];
  const base = { id, label, object };
  if (!read || read.value === undefined) {
    return { ...base, verdict: 'unknown', evidence: ['cannot tell: the read failed'], times: [], readError: { message: read?.error ?? 'not read', ...(read?.failingSince ? { since: read.failingSince } : {}) } };
  }
  const j: Judged = read.value === null ? { verdict: 'broken', evidence: [`${object} not found`] } : judge(read.value);
  return { ...base, verdict: j.verdict, evidence: j.evidence, times: j.times ?? [], ...(read.error ? { readError: { message: read.error, lastGood: read.fetchedAt, ...(read.failingSince ? { since: read.failingSince } : {}) } } : {}) };
}

export function evaluateChain(inputs: ChainInputs, now: number): ChainEvaluation {
  const sourceRevision = inputs.git.value?.status?.artifact?.revision;
  const judges: Record<ChainLinkId, () => ChainLink> = {
    git: () => link('git', inputs.git, judgeGit),
    kustomization: () => link('kustomization', inputs.kustomization, (k) => judgeKustomization(k, sourceRevision)),
    certificate: () => link('certificate', inputs.certificate, (c) => judgeCertificate(c, now)),
    secret: () => link('secret', inputs.secret, judgeSecret),
    pushsecret: () => link('pushsecret', inputs.pushSecret, judgePushSecret),
    keyvault: () => link('keyvault', inputs.keyVault, (s) => judgeKeyVault(s, now, inputs.certificate?.value)),
    store: () => link('store', inputs.store, (s) => readyJudgement(s, 'The store')),
    externalsecret: () => link('externalsecret', inputs.externalSecret, (e) => judgeExternalSecret(e, now)),
    reloader: () => link('reloader', inputs.reloader, judgeReloader),
    gateway: () => link('gateway', inputs.gateway, judgeGateway),
  };
  const links = CHAIN_ORDER[inputs.role].map((id) => judges[id]());
  const firstBroken = links.find((l) => l.verdict === 'broken')?.id;
  const at = firstBroken ? links.findIndex((l) => l.id === firstBroken) : links.length;
  return {
    role: inputs.role,
    links: links.map((l, i) => (i > at ? { ...l, dependsOn: firstBroken } : l)),
    ...(firstBroken ? { firstBroken } : {}),
    verdict: worst(links.map((l) => l.verdict)),
  };
}

/** A Secret's facts without its data: type, creation, key names and which controller writes it. */
export function secretFacts(s: { type?: string; metadata?: { creationTimestamp?: string | Date; annotations?: Record<string, string>; labels?: Record<string, string> }; data?: Record<string, unknown> }): SecretFacts {
  const created = s.metadata?.creationTimestamp;
  const writer = s.metadata?.annotations?.['cert-manager.io/certificate-name']
    ? 'cert-manager'
    : s.metadata?.labels?.['reconcile.external-secrets.io/managed']
      ? 'External Secrets (from Key Vault)'
      : undefined;
  return {
    type: s.type,
    created: created instanceof Date ? created.toISOString() : created,
    keys: Object.keys(s.data ?? {}),
    ...(writer ? { writer } : {}),
  };
}
