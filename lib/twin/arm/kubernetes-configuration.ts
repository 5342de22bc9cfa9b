import { z } from 'zod';
import type { ServerResponse } from 'node:http';
import { perState, send, type TwinContext, type TwinRequest } from '../server';
import { TwinError, type TwinState } from '../state';
import type { TwinCluster } from '../seed';
import type { K8sTwin } from '../k8s';
import type { K8sObject } from '../k8s/types';

/**
 * Microsoft.KubernetesConfiguration on a managed cluster, as infra/ leaves it: the backup extension
 * (`azure-aks-backup`, infra/modules/backup/main.extension.tf) on every cluster, and once the
 * 06-flux step has run, the `flux` extension AKS installs with the Flux configuration `gitops-config`
 * that step creates. Served under
 *
 *   …/managedClusters/{cluster}/providers/Microsoft.KubernetesConfiguration/extensions[/{name}]
 *   …/managedClusters/{cluster}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations[/{name}]
 *
 * in the shapes of the REST reference's 2023-05-01 examples (Extensions - List, Flux Configurations - List). The
 * configuration's compliance is the cluster's own: the Kustomization `gitops-config-infra` in
 * flux-system as the twin's Kubernetes holds it (a `Ready` condition False is Non-Compliant with its
 * message). The extension versions are the twin's own.
 */

const FLUX_STEP = '06-flux';
const FLUX_NAMESPACE = 'flux-system';
const FLUX_CONFIGURATION = 'gitops-config';
const KUSTOMIZATION = 'infra';

interface SeededExtension {
  name: string;
  extensionType: string;
  currentVersion: string;
  releaseNamespace: string;
  configurationSettings: Record<string, string>;
}

function extensionsOf(cluster: TwinCluster): SeededExtension[] {
  const out: SeededExtension[] = [
    {
      name: 'azure-aks-backup',
      extensionType: 'microsoft.dataprotection.kubernetes',
      currentVersion: '0.0.3350-525',
      releaseNamespace: 'dataprotection-microsoft',
      configurationSettings: { 'configuration.backupStorageLocation.bucket': cluster.key, 'configuration.backupStorageLocation.config.resourceGroup': 'rg-k8s-demo-common' },
    },
  ];
  if (fluxInstalled(cluster)) {
    out.push({ name: 'flux', extensionType: 'microsoft.flux', currentVersion: '1.16.3', releaseNamespace: FLUX_NAMESPACE, configurationSettings: { 'multiTenancy.enforce': 'false' } });
  }
  return out;
}

/** A cluster created by a simulated `tofu apply` has no Flux until its 06-flux step runs. */
const fluxInstalled = (cluster: TwinCluster) => !cluster.installedSteps || cluster.installedSteps.includes(FLUX_STEP);

/** Failures injected with the admin knob, per cluster key → extension name → message. */
class ExtensionFailures {
  private readonly byCluster = new Map<string, Map<string, string>>();

  constructor(state: TwinState) {
    state.events.on('reset', () => this.byCluster.clear());
  }

  get(cluster: string, name: string): string | undefined {
    return this.byCluster.get(cluster)?.get(name.toLowerCase());
  }

  set(cluster: string, name: string, message: string): void {
    const m = this.byCluster.get(cluster) ?? new Map<string, string>();
    m.set(name.toLowerCase(), message);
    this.byCluster.set(cluster, m);
  }

  clear(cluster: string, name?: string): void {
    if (name) this.byCluster.get(cluster)?.delete(name.toLowerCase());
    else this.byCluster.delete(cluster);
  }
}

const failures = perState((ctx) => new ExtensionFailures(ctx.state));

function clusterId(ctx: TwinContext, c: TwinCluster): string {
  return `/subscriptions/${ctx.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

function extensionJson(ctx: TwinContext, c: TwinCluster, e: SeededExtension) {
  const failure = failures(ctx).get(c.key, e.name);
  const time = new Date(ctx.clock.now()).toISOString();
  return {
    id: `${clusterId(ctx, c)}/providers/Microsoft.KubernetesConfiguration/extensions/${e.name}`,
    name: e.name,
    type: 'Microsoft.KubernetesConfiguration/extensions',
    properties: {
      extensionType: e.extensionType,
      autoUpgradeMinorVersion: true,
      releaseTrain: 'Stable',
      version: null,
      scope: { cluster: { releaseNamespace: e.releaseNamespace } },
      configurationSettings: e.configurationSettings,
      provisioningState: failure ? 'Failed' : 'Succeeded',
      currentVersion: e.currentVersion,
      statuses: failure ? [{ code: 'InstallationFailed', displayStatus: 'Failed', level: 'Error', message: failure, time }] : [],
      ...(failure ? { errorInfo: { code: 'ExtensionOperationFailed', message: failure } } : {}),
      isSystemExtension: false,
    },
  };
}

interface Condition {
  type?: unknown;
  status?: unknown;
  reason?: unknown;
  message?: unknown;
  lastTransitionTime?: unknown;
}

/** A Flux object's conditions, read defensively: its status may be missing, partial or malformed. */
function conditionsOf(o: K8sObject | undefined): Condition[] {
  const list = (o?.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(list) ? list.filter((x): x is Condition => !!x && typeof x === 'object') : [];
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** As the fluxconfig agent reports it: a Ready condition False is Non-Compliant (with its message), anything else Compliant; an object not on the cluster is Pending. */
function complianceOf(o: K8sObject | undefined): { state: 'Compliant' | 'Non-Compliant' | 'Pending'; message?: string } {
  if (!o) return { state: 'Pending', message: 'the object is not on the cluster' };
  const ready = conditionsOf(o).find((c) => c.type === 'Ready');
  return ready?.status === 'False' ? { state: 'Non-Compliant', message: text(ready.message) } : { state: 'Compliant' };
}

function objectStatus(o: K8sObject | undefined, name: string, kind: string) {
  return {
    name,
    namespace: FLUX_NAMESPACE,
    kind,
    complianceState: complianceOf(o).state,
    appliedBy: null,
    statusConditions: conditionsOf(o).map((c) => ({ type: text(c.type), status: text(c.status), reason: text(c.reason), message: text(c.message), lastTransitionTime: text(c.lastTransitionTime) })),
    helmReleaseProperties: null,
  };
}

/** `main@sha1:6f1c2b7` (Flux's revision) → `main/6f1c2b7` (how the fluxConfiguration reports the synced commit). */
const syncedCommit = (revision: string | undefined) => revision?.replace(/@sha1:/, '/');

function fluxConfigurationJson(ctx: TwinContext, k8s: K8sTwin, c: TwinCluster) {
  const model = k8s.model(ctx, c.key);
  model.advance();
  const repo = model.store.get('gitrepositories', FLUX_NAMESPACE, FLUX_CONFIGURATION);
  const kustomization = model.store.get('kustomizations', FLUX_NAMESPACE, `${FLUX_CONFIGURATION}-${KUSTOMIZATION}`);
  const spec = (repo?.spec ?? {}) as { url?: unknown; ref?: { branch?: unknown } };
  const artifact = (repo?.status as { artifact?: { revision?: unknown } } | undefined)?.artifact;
  const statuses = [objectStatus(repo, FLUX_CONFIGURATION, 'GitRepository'), objectStatus(kustomization, `${FLUX_CONFIGURATION}-${KUSTOMIZATION}`, 'Kustomization')];
  const worst = statuses.find((s) => s.complianceState === 'Non-Compliant') ?? statuses.find((s) => s.complianceState === 'Pending');
  const sourceReady = conditionsOf(repo).find((x) => x.type === 'Ready');
  return {
    id: `${clusterId(ctx, c)}/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/${FLUX_CONFIGURATION}`,
    name: FLUX_CONFIGURATION,
    type: 'Microsoft.KubernetesConfiguration/fluxConfigurations',
    properties: {
      scope: 'cluster',
      namespace: FLUX_NAMESPACE,
      sourceKind: 'GitRepository',
      suspend: false,
      gitRepository: {
        url: text(spec.url) ?? null,
        timeoutInSeconds: 600,
        syncIntervalInSeconds: 600,
        repositoryRef: { branch: text(spec.ref?.branch) ?? null, tag: null, semver: null, commit: null },
      },
      kustomizations: {
        [KUSTOMIZATION]: { name: KUSTOMIZATION, path: `./clusters/${c.key}`, dependsOn: [], timeoutInSeconds: 600, syncIntervalInSeconds: 600, prune: true },
      },
      statuses,
      repositoryPublicKey: '',
      sourceSyncedCommitId: syncedCommit(text(artifact?.revision)) ?? null,
      sourceUpdatedAt: text(sourceReady?.lastTransitionTime) ?? null,
      statusUpdatedAt: new Date(ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      complianceState: worst?.complianceState ?? 'Compliant',
      provisioningState: 'Succeeded',
      errorMessage: '',
    },
  };
}

/**
 * The body for a GET under `…/managedClusters/{cluster}/providers/Microsoft.KubernetesConfiguration/`:
 * `rest` is the lower-cased path after it, `names` the same as sent (for ARM's messages).
 */
export function kubernetesConfigurationJson(ctx: TwinContext, k8s: K8sTwin, method: string, cluster: TwinCluster, rest: string[], names: string[]): unknown {
  if (method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
  const notFound = (type: string) =>
    new TwinError(404, 'ResourceNotFound', `The Resource 'Microsoft.KubernetesConfiguration/${type}/${names[1]}' under resource group '${cluster.resourceGroup}' was not found.`);
  if (rest.length > 2) throw new TwinError(404, 'NotFound', 'No route.');
  if (rest[0] === 'extensions') {
    const all = extensionsOf(cluster);
    if (rest.length === 1) return { value: all.map((e) => extensionJson(ctx, cluster, e)), nextLink: null };
    const e = all.find((x) => x.name.toLowerCase() === rest[1]);
    if (!e) throw notFound('extensions');
    return extensionJson(ctx, cluster, e);
  }
  if (rest[0] === 'fluxconfigurations') {
    const all = fluxInstalled(cluster) ? [fluxConfigurationJson(ctx, k8s, cluster)] : [];
    if (rest.length === 1) return { value: all, nextLink: null };
    const f = all.find((x) => x.name.toLowerCase() === rest[1]);
    if (!f) throw notFound('fluxConfigurations');
    return f;
  }
  throw new TwinError(404, 'NotFound', 'No route.');
}

const failureBody = z.object({
  name: z.string().min(1).max(253),
  message: z.string().min(1).max(1000).default('The extension failed to install (failure injected by the twin).'),
}).strict();
const clearBody = z.object({ name: z.string().min(1).max(253).optional() }).strict();

/**
 * The admin knob: `POST /_twin/arm/<cluster>/extension-failure {name, message}` makes that extension
 * Failed with the message (as its agent reports one); `DELETE` with `{name}` clears it, without a
 * body every failure on the cluster. A twin reset clears them all. Bad input changes nothing.
 */
export function extensionFailureAdmin(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean {
  const [, , key, verb, ...more] = req.url.pathname.split('/').filter(Boolean);
  if (verb !== 'extension-failure' || more.length) return false;
  try {
    const cluster = ctx.state.clusters.find((c) => c.key === key);
    if (!cluster) throw new TwinError(404, 'NotFound', `no cluster "${key}"`);
    const body = parseBody(req.body);
    if (req.method === 'POST') {
      const v = parsed(failureBody, body);
      if (!extensionsOf(cluster).some((e) => e.name.toLowerCase() === v.name.toLowerCase())) throw new TwinError(404, 'NotFound', `${cluster.name} has no extension "${v.name}"`);
      failures(ctx).set(cluster.key, v.name, v.message);
      send(res, 200, { ok: true, cluster: cluster.key, extension: v.name, message: v.message });
    } else if (req.method === 'DELETE') {
      const name = parsed(clearBody, body ?? {}).name;
      failures(ctx).clear(cluster.key, name);
      send(res, 200, { ok: true, cluster: cluster.key, cleared: name ?? 'all' });
    } else {
      throw new TwinError(405, 'MethodNotAllowed', `${req.method} not allowed`);
    }
  } catch (err) {
    if (!(err instanceof TwinError)) throw err;
    send(res, err.status, { error: { code: err.code, message: err.message } });
  }
  return true;
}

function parseBody(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    throw new TwinError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
}

function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new TwinError(400, 'BadRequest', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

