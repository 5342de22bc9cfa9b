import 'server-only';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { z } from 'zod';
import { CLUSTER_KEYS, getConfig, type ClusterKey } from '../config';
import { cordonTargets, drainTargets, zoneRequirementValues, ZONE_IDS, type ZoneId } from '../domain/zones';
import { AppError, toUserError, translateKubernetesError } from '../errors';
import { getKubeClients, type KubeClients } from '../k8s';
import { nodeFacts, podFacts } from './facts';
import { invalidateZones } from './queries';

/**
 * The zone-failure demo: cordon every node of zone N — on one cluster
 * or all — and drain it the way `kubectl drain --ignore-daemonsets` does
 * (Eviction API, so PDBs hold); on a NAP cluster, also take zone N out of the
 * Karpenter NodePool so that node auto-provisioning does not refill the zone
 * (the NodePool is annotated, so restore puts back only what the demo removed).
 * Restore = uncordon + the zone back in the NodePool; pods are not moved back
 * (Kubernetes does not rebalance), which the page shows.
 */
const clusterOrAll = z.enum([...CLUSTER_KEYS, 'all']);
const zone = z.enum(ZONE_IDS);

export const cordonZoneInput = z.object({ cluster: clusterOrAll, zone, drain: z.boolean().default(true) });
export const restoreZoneInput = z.object({ cluster: clusterOrAll, zone });
/** Injected faults with no Azure API behind them (a Spot eviction has one: ./spot.ts). */
export const scenarioInput = z.object({ cluster: clusterOrAll, kind: z.enum(['zone-outage', 'zone-restore']), zone });

export interface ZoneCommandResult {
  cluster: ClusterKey;
  outcome: 'done' | 'partial' | 'failed';
  nodes: string[];
  nodePool?: string;
  evicted: number;
  /** Pods whose eviction a PodDisruptionBudget still refused when the drain gave up. */
  blocked: string[];
  message: string;
}

const CORDON_ANNOTATION = 'aks-demo.io/cordoned-zones';
const DRAIN_BUDGET_MS = 20_000;
const DRAIN_RETRY_MS = 1_000;
const strategic = () => setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
const merge = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface NodePoolObject {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { template: { spec: { requirements: { key: string; operator: string; values?: string[] }[] } } };
}

const targets = (cluster: ClusterKey | 'all'): ClusterKey[] => (cluster === 'all' ? [...CLUSTER_KEYS] : [cluster]);

async function perCluster(cluster: ClusterKey | 'all', run: (key: ClusterKey) => Promise<ZoneCommandResult>): Promise<ZoneCommandResult[]> {
  const keys = targets(cluster);
  const settled = await Promise.allSettled(keys.map(run));
  await invalidateZones(keys);
  return settled.map((r, i) =>
    r.status === 'fulfilled' ? r.value : { cluster: keys[i], outcome: 'failed', nodes: [], evicted: 0, blocked: [], message: toUserError(translateKubernetesError(r.reason, keys[i])).message },
  );
}

async function zoneNodes(c: KubeClients, z: ZoneId) {
  const list = await c.core.listNode({ labelSelector: `topology.kubernetes.io/zone=${getConfig().location}-${z}` });
  return list.items.map(nodeFacts);
}

async function nodePools(c: KubeClients): Promise<NodePoolObject[]> {
  try {
    const list = (await c.custom.listClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools' })) as { items: NodePoolObject[] };
    return list.items;
  } catch (err) {
    // No Karpenter CRD: a cluster without node auto-provisioning.
    if ((err as { code?: number }).code === 404) return [];
    throw err;
  }
}

/** Takes a zone out of (or back into) the NodePools' zone requirement; returns the pools changed. */
async function setNodePoolZone(c: KubeClients, z: ZoneId, include: boolean): Promise<string[]> {
  const location = getConfig().location;
  const changed: string[] = [];
  for (const np of await nodePools(c)) {
    const marked = (np.metadata.annotations?.[CORDON_ANNOTATION] ?? '').split(',').filter(Boolean);
    if (include && !marked.includes(z)) continue;
    const requirements = np.spec.template.spec.requirements;
    const req = requirements.find((r) => r.key === 'topology.kubernetes.io/zone' && r.operator === 'In');
    if (!req) continue;
    const values = zoneRequirementValues(req.values ?? [], location, z, include);
    if (!include && values.length === (req.values ?? []).length) continue;
    if (!include && values.length === 0) continue; // never leave a NodePool with no zone at all
    const nextMarks = include ? marked.filter((m) => m !== z) : [...new Set([...marked, z])].sort();
    await c.custom.patchClusterCustomObject(
      {
        group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: np.metadata.name,
        body: {
          metadata: { annotations: { [CORDON_ANNOTATION]: nextMarks.length ? nextMarks.join(',') : null } },
          spec: { template: { spec: { requirements: requirements.map((r) => (r === req ? { ...r, values } : r)) } } },
        },
      },
      merge(),
    );
    changed.push(np.metadata.name);
  }
  return changed;
}

async function drain(c: KubeClients, nodeNames: string[]): Promise<{ evicted: number; blocked: string[] }> {
  if (!nodeNames.length) return { evicted: 0, blocked: [] };
  const lists = await Promise.all(nodeNames.map((n) => c.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${n}` })));
  let remaining = drainTargets(lists.flatMap((l) => l.items.map(podFacts)), nodeNames);
  let evicted = 0;
  const deadline = Date.now() + DRAIN_BUDGET_MS;
  for (;;) {
    const blocked: typeof remaining = [];
    for (const p of remaining) {
      try {
        await c.core.createNamespacedPodEviction({ name: p.name, namespace: p.namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.name, namespace: p.namespace } } });
        evicted++;
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 404) continue; // already gone
        if (code === 429) blocked.push(p); // a PDB says wait: its replacement must be Ready first
        else throw err;
      }
    }
    remaining = blocked;
    if (!remaining.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, DRAIN_RETRY_MS));
  }
  return { evicted, blocked: remaining.map((p) => `${p.namespace}/${p.name}`) };
}

export async function cordonZone(input: z.infer<typeof cordonZoneInput>): Promise<ZoneCommandResult[]> {
  return perCluster(input.cluster, async (key) => {
    const c = await getKubeClients(key);
    const nodes = await zoneNodes(c, input.zone);
    const toCordon = cordonTargets(nodes, input.zone, true);
    for (const name of toCordon) await c.core.patchNode({ name, body: { spec: { unschedulable: true } } }, strategic());
    const pools = await setNodePoolZone(c, input.zone, false);
    const { evicted, blocked } = input.drain ? await drain(c, nodes.map((n) => n.name)) : { evicted: 0, blocked: [] };
    return {
      cluster: key,
      outcome: blocked.length ? 'partial' : 'done',
      nodes: nodes.map((n) => n.name),
      nodePool: pools.join(', ') || undefined,
      evicted,
      blocked,
      message: `${nodes.length} node(s) of zone ${input.zone} cordoned${pools.length ? `, zone removed from NodePool ${pools.join(', ')}` : ''}${input.drain ? `, ${evicted} pod(s) evicted` : ''}${blocked.length ? `, ${blocked.length} still held by a PDB` : ''}`,
    };
  });
}

export async function restoreZone(input: z.infer<typeof restoreZoneInput>): Promise<ZoneCommandResult[]> {
  return perCluster(input.cluster, async (key) => {
    const c = await getKubeClients(key);
    const nodes = await zoneNodes(c, input.zone);
    for (const name of cordonTargets(nodes, input.zone, false)) await c.core.patchNode({ name, body: { spec: { unschedulable: false } } }, strategic());
    const pools = await setNodePoolZone(c, input.zone, true);
    return {
      cluster: key, outcome: 'done', nodes: nodes.map((n) => n.name), nodePool: pools.join(', ') || undefined, evicted: 0, blocked: [],
      message: `${nodes.length} node(s) of zone ${input.zone} schedulable again${pools.length ? `, zone back in NodePool ${pools.join(', ')}` : ''}`,
    };
  });
}

/** Scenarios are injected faults: they exist only on the twin (its admin surface), never on Azure. */
export async function runScenario(input: z.infer<typeof scenarioInput>): Promise<{ cluster: string; detail: string; nodes: string[] }[]> {
  const config = getConfig();
  if (!config.twinUrl) throw new AppError('refused', 'A zone outage is injected by the twin; Azure has no API to take a zone down.', 'TwinOnly');
  const res = await fetch(`${config.twinUrl}/_twin/k8s/${input.cluster}/${input.kind}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ zone: input.zone }),
  });
  const body = (await res.json()) as { results?: { cluster: string; detail: string; nodes: string[] }[]; error?: { code: string; message: string } };
  await invalidateZones(targets(input.cluster));
  if (!res.ok) throw new AppError(res.status === 404 ? 'not_found' : 'refused', body.error?.message ?? `twin answered ${res.status}`, body.error?.code);
  return body.results ?? [];
}
