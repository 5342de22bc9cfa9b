import 'server-only';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { getAzureClients } from '../azure';
import { sharedReads, type SharedReadResult } from '../cache/shared-read';
import { getConfig, type ClusterKey } from '../config';
import { getBudgetPage } from '../cost';
import { VM_SIZES, evaluatePreflight, overallStatus, type MeshRevisionInfo, type PreflightCheck, type PreflightCluster, type PreflightStatus, type SupportedVersion, type Usage } from '../domain/preflight';
import { AppError, toUserError, translateAzureError, type UserError } from '../errors';
import { getKubeClients } from '../k8s';
import { getTopology, type ClusterTile } from '../topology';

/**
 * Pre-flight before a live session: the region's quotas (regular and Spot
 * vCPUs, public IPs), the Kubernetes versions and Istio revisions AKS supports
 * for the clusters, and the budget left against the session's modelled cost.
 * Every read is shared between viewers and cached; a read that fails makes its
 * checks "cannot tell", with the error and its age, and the rest still run.
 */

const COMPUTE_API = '2024-07-01';
const NETWORK_API = '2024-05-01';
/** Quotas and version lists change rarely; a presenter asks again with "Check again". */
const REGION_TTL_MS = 5 * 60_000;
/** Bastion's public IP: the one address the environment owns outside the clusters. */
const SHARED_PUBLIC_IPS = 1;
const SPOT_LABEL = 'kubernetes.azure.com/scalesetpriority=spot';

export const SESSION_HOURS = { min: 0.5, max: 12, default: 2 } as const;

export interface PreflightSource {
  what: string;
  status: 'ok' | 'stale' | 'failed';
  fetchedAt?: number;
  error?: UserError;
}

export interface PreflightReport {
  region: string;
  sessionHours: number;
  overall: PreflightStatus;
  checks: PreflightCheck[];
  sources: PreflightSource[];
  generatedAt: number;
}

interface UsageList {
  value?: { name?: { value?: string }; currentValue?: number; limit?: number }[];
}

async function readUsages(provider: 'Microsoft.Compute' | 'Microsoft.Network', apiVersion: string): Promise<Usage[]> {
  const c = getConfig();
  const path = `/subscriptions/${c.subscriptionId}/providers/${provider}/locations/${c.location}/usages`;
  const r = await getAzureClients().arm.pathUnchecked(path).get({ queryParameters: { 'api-version': apiVersion } });
  if (r.status !== '200') {
    const e = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new AppError(r.status === '429' ? 'throttled' : Number(r.status) >= 500 ? 'upstream' : 'refused', `Reading ${provider} quotas: ${e?.message ?? `HTTP ${r.status}`}`, e?.code);
  }
  return ((r.body as UsageList).value ?? []).flatMap((u) =>
    u.name?.value && typeof u.currentValue === 'number' && typeof u.limit === 'number' ? [{ name: u.name.value, currentValue: u.currentValue, limit: u.limit }] : [],
  );
}

async function readVersions(): Promise<SupportedVersion[]> {
  try {
    const r = await getAzureClients().containerService.managedClusters.listKubernetesVersions(getConfig().location);
    return (r.values ?? []).flatMap((v) =>
      v.version ? [{ version: v.version, isPreview: v.isPreview === true, supportPlans: v.capabilities?.supportPlan ?? [], patches: Object.keys(v.patchVersions ?? {}) }] : [],
    );
  } catch (err) {
    throw translateAzureError(err);
  }
}

async function readMeshRevisions(): Promise<MeshRevisionInfo[]> {
  try {
    const out: MeshRevisionInfo[] = [];
    for await (const profile of getAzureClients().containerService.managedClusters.listMeshRevisionProfiles(getConfig().location))
      for (const r of profile.properties?.meshRevisions ?? [])
        if (r.revision)
          out.push({ revision: r.revision, upgrades: r.upgrades ?? [], kubernetes: r.compatibleWith?.find((c) => c.name?.toLowerCase() === 'kubernetes')?.versions ?? [] });
    return out;
  } catch (err) {
    throw translateAzureError(err);
  }
}

/** The region's Istio add-on revisions, one cached read shared by pre-flight and the Releases page. */
export function regionMeshRevisions(): Promise<SharedReadResult<MeshRevisionInfo[]>> {
  return sharedReads().read('preflight:mesh', REGION_TTL_MS, readMeshRevisions);
}

/** "10" → 10, "10000m" → 10 */
export function cpuQuantity(q: unknown): number | null {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return null;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  return m ? Number(m[1]) / (m[2] ? 1000 : 1) : null;
}

interface NodePoolObject {
  spec?: { limits?: { cpu?: unknown }; template?: { spec?: { requirements?: { key?: string; values?: string[] }[] } } };
}

/** The Spot vCPUs a set of Karpenter NodePools may create: the sum of their cpu limits (null when one has none). */
export function spotLimitOf(pools: NodePoolObject[]): number | null {
  let sum = 0;
  for (const p of pools) {
    const capacity = p.spec?.template?.spec?.requirements?.find((r) => r.key === 'karpenter.sh/capacity-type')?.values ?? [];
    if (!capacity.includes('spot')) continue;
    const cpu = cpuQuantity(p.spec?.limits?.cpu);
    if (cpu === null) return null;
    sum += cpu;
  }
  return sum;
}

/** What infra/ declares, for a cluster whose API server does not answer (stopped, asleep). */
async function designedSpotLimit(): Promise<number | null> {
  const text = await readFile(join(getConfig().jobs.infraDir, 'manifests', 'karpenter', 'nodepool-spot.yaml'), 'utf8');
  return spotLimitOf([parseYaml(text) as NodePoolObject]);
}

async function readSpot(key: ClusterKey, napMode: boolean): Promise<{ limit: number | null; inUse: number }> {
  const { core, custom } = await getKubeClients(key);
  const [nodes, pools] = await Promise.all([
    core.listNode({ labelSelector: SPOT_LABEL }),
    napMode ? custom.listClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools' }) : Promise.resolve(undefined),
  ]);
  const inUse = nodes.items.reduce((s, n) => s + (cpuQuantity(n.status?.capacity?.cpu) ?? 0), 0);
  const limit = pools ? spotLimitOf(((pools as { items?: NodePoolObject[] }).items ?? [])) : null;
  return { limit, inUse };
}

function source<T>(what: string, r: SharedReadResult<T>): PreflightSource {
  if (!r.error && r.value !== undefined) return { what, status: 'ok', fetchedAt: r.fetchedAt };
  return { what, status: r.value !== undefined ? 'stale' : 'failed', fetchedAt: r.fetchedAt, error: r.error ? toUserError(r.error) : undefined };
}

async function clusterInput(tile: ClusterTile, sources: PreflightSource[]): Promise<PreflightCluster | null> {
  const v = tile.view;
  if (!v) return null;
  const nap = v.nodeProvisioningMode === 'Auto';
  const regularPools = v.pools.filter((p) => p.priority === 'Regular' && p.source === 'agentPool').map((p) => ({ name: p.name, vmSize: p.vmSize ?? '?', count: p.count ?? 0 }));
  const spotPools = v.pools.filter((p) => p.priority === 'Spot' && p.source === 'agentPool');
  const running = v.powerState === 'Running';
  let spotVcpuLimit: number | null = nap
    ? null
    : spotPools.reduce((s, p) => s + (VM_SIZES[p.vmSize ?? '']?.vcpus ?? 0) * (p.autoscale?.max ?? p.count ?? 0), 0);
  let spotVcpusInUse = 0;
  if (running) {
    const r = await sharedReads().read(`preflight-spot:${tile.key}`, getConfig().readCacheTtlMs, () => readSpot(tile.key, nap));
    sources.push(source(`Spot nodes of ${tile.name}`, r));
    if (r.value) {
      spotVcpusInUse = r.value.inUse;
      if (nap) spotVcpuLimit = r.value.limit;
    }
  }
  if (nap && spotVcpuLimit === null) {
    const r = await sharedReads().read('preflight-designed-spot', REGION_TTL_MS, designedSpotLimit);
    if (r.error) sources.push(source(`Spot NodePool limit in infra/ for ${tile.name}`, r));
    spotVcpuLimit = r.value ?? null;
  }
  return {
    name: tile.name,
    kubernetesVersion: v.kubernetesVersion,
    meshRevision: v.meshRevisions?.[0] ?? null,
    running,
    regularPools,
    spotVcpuLimit,
    spotVcpusInUse,
    publicIps: 1 + ((v.meshRevisions?.length ?? 0) > 0 ? 1 : 0),
  };
}

export function parseSessionHours(raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(n)) return SESSION_HOURS.default;
  return Math.min(SESSION_HOURS.max, Math.max(SESSION_HOURS.min, Math.round(n * 2) / 2));
}

export async function getPreflight(sessionHours: number = SESSION_HOURS.default): Promise<PreflightReport> {
  const config = getConfig();
  const reads = sharedReads();
  const [compute, network, versions, mesh, topology, budget] = await Promise.all([
    reads.read('preflight:compute', REGION_TTL_MS, () => readUsages('Microsoft.Compute', COMPUTE_API)),
    reads.read('preflight:network', REGION_TTL_MS, () => readUsages('Microsoft.Network', NETWORK_API)),
    reads.read('preflight:versions', REGION_TTL_MS, readVersions),
    regionMeshRevisions(),
    getTopology(),
    getBudgetPage().catch(() => null),
  ]);
  const sources: PreflightSource[] = [
    source('vCPU quotas (Microsoft.Compute usages)', compute),
    source('network quotas (Microsoft.Network usages)', network),
    source('supported Kubernetes versions', versions),
    source('Istio add-on revisions', mesh),
  ];
  for (const t of topology.clusters)
    if (t.status !== 'ok') sources.push({ what: `cluster ${t.name}`, status: t.view ? 'stale' : 'failed', fetchedAt: t.fetchedAt, error: t.error });
  const clusters = (await Promise.all(topology.clusters.map((t) => clusterInput(t, sources)))).filter((c): c is PreflightCluster => c !== null);
  const m = budget?.modelled;
  const checks = evaluatePreflight({
    region: config.location,
    clusters,
    sharedPublicIps: SHARED_PUBLIC_IPS,
    compute: compute.value ?? null,
    network: network.value ?? null,
    versions: versions.value ?? null,
    meshRevisions: mesh.value ?? null,
    budget:
      budget && m?.hoursLeft && m.awakePerHour !== null
        ? { amount: budget.budgetAmount, awakeHoursLeft: m.hoursLeft.hours, awakePerHour: m.awakePerHour, overEvenIdle: m.hoursLeft.overEvenIdle }
        : null,
    sessionHours,
  });
  if (!budget || !m?.hoursLeft) sources.push({ what: 'month-to-date cost and the modelled burn rate', status: 'failed' });
  if (clusters.length < topology.clusters.length)
    checks.push({ id: 'clusters', title: 'Every cluster could be read', status: 'unknown', evidence: `${topology.clusters.length - clusters.length} of ${topology.clusters.length} clusters could not be read; their needs are not counted.` });
  return { region: config.location, sessionHours, overall: overallStatus(checks), checks, sources, generatedAt: Date.now() };
}

/** "Check again": the next read asks Azure, whatever the cache holds. */
export function invalidatePreflight(): void {
  sharedReads().invalidate('preflight');
}

