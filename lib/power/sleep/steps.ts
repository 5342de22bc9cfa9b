import 'server-only';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { getAzureClients } from '../../azure';
import { clusterRef, type ClusterKey } from '../../config';
import { FROZEN_NAP_LIMITS, isNapFrozen, workloadKey, type LiveWorkload, type SleepMemory, type StepAction } from '../../domain/power-plan';
import { AppError } from '../../errors';
import { getKubeClients, type KubeClients } from '../../k8s';
import { azure, k8s } from './calls';
import { NAP_LABEL, spotWorkloads, type NodePoolObject } from './live';
import { sleep, timing } from './timing';

/** The steps of a sleep or wake: what each kind of step does against Azure and Kubernetes. */

const merge = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
/** The limits of infra/manifests/karpenter/nodepool-spot.yaml (10 vCPU / 40Gi), used if a wake finds no record. */
const MANIFEST_NAP_LIMITS = { cpu: '10', memory: '40Gi' };
const MESH_INGRESS = { namespace: 'aks-istio-ingress', prefix: 'aks-istio-ingressgateway-external' };

export interface StepContext {
  signal?: AbortSignal;
  persist: () => Promise<unknown>;
}

async function waitUntil(what: string, check: () => Promise<string | null>, ctx: StepContext): Promise<void> {
  const { pollIntervalMs } = getAzureClients();
  const deadline = Date.now() + timing().waitTimeoutMs;
  for (;;) {
    const missing = await check();
    if (missing === null) return;
    if (Date.now() > deadline) throw new AppError('upstream', `${what}: still not done after ${Math.round(timing().waitTimeoutMs / 1000)} s — ${missing}`, 'PowerWaitTimeout');
    await sleep(Math.max(50, pollIntervalMs), ctx.signal);
  }
}

type Handler<T extends StepAction['type']> = (key: ClusterKey, action: Extract<StepAction, { type: T }>, memory: SleepMemory, ctx: StepContext) => Promise<string>;

/**
 * One handler per kind of step. Each is idempotent: run again after a crash,
 * it finds its work done (or half done) and finishes it. It returns what it
 * did, in words, for the run's history.
 */
const HANDLERS: { [T in Exclude<StepAction['type'], 'aks-stop' | 'aks-start'>]: Handler<T> } = {
  'freeze-nap': async (key, action, memory, ctx) => {
    const c = await getKubeClients(key);
    const np = (await k8s(key, c.custom.getClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: action.nodePool }))) as NodePoolObject;
    if (isNapFrozen(np.spec?.limits)) return 'already frozen';
    if (!memory.napLimits) {
      memory.napLimits = np.spec?.limits ?? {};
      await ctx.persist();
    }
    await k8s(key, c.custom.patchClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: action.nodePool, body: { spec: { limits: FROZEN_NAP_LIMITS } } }, merge()));
    return `limits ${JSON.stringify(memory.napLimits)} → ${JSON.stringify(FROZEN_NAP_LIMITS)}`;
  },
  'scale-workloads-to-zero': async (key, action, memory, ctx) => {
    const c = await getKubeClients(key);
    const done: string[] = [];
    for (const w of await spotWorkloads(key, c)) {
      if (w.replicas === 0) continue;
      // Remember before touching it: a crash after the patch must not lose the count.
      if (memory.replicas[workloadKey(w)] === undefined) {
        memory.replicas[workloadKey(w)] = w.replicas;
        await ctx.persist();
      }
      await scaleWorkload(key, c, w, 0);
      done.push(`${workloadKey(w)} ${w.replicas}→0`);
    }
    return done.length ? done.join(', ') : 'nothing left to scale';
  },
  'await-nap-empty': async (key, action, memory, ctx) => {
    const c = await getKubeClients(key);
    await waitUntil('Consolidation of the Spot nodes', async () => {
      const nodes = await k8s(key, c.core.listNode({ labelSelector: `${NAP_LABEL}=${action.nodePool}` }));
      return nodes.items.length === 0 ? null : `${nodes.items.length} NAP node(s) left: ${nodes.items.map((n) => n.metadata?.name).join(', ')}`;
    }, ctx);
    return 'no NAP node left';
  },
  'scale-pool': async (key, action, memory, ctx) => {
    const { containerService, ref, lro } = arm(key, ctx);
    const pool = await azure(containerService.agentPools.get(ref.resourceGroup, ref.name, action.pool));
    if (pool.count === action.count && pool.provisioningState !== 'Scaling') return `already ${action.count}`;
    if (pool.provisioningState === 'Scaling') {
      // A scale already running (e.g. started before a restart): wait for it, then check again.
      await waitUntil(`Agent pool ${action.pool}`, async () => {
        const p = await azure(containerService.agentPools.get(ref.resourceGroup, ref.name, action.pool));
        return p.provisioningState === 'Scaling' ? 'Scaling' : null;
      }, ctx);
      return runStep(key, action, memory, ctx);
    }
    const from = pool.count;
    await azure(containerService.agentPools.beginCreateOrUpdateAndWait(ref.resourceGroup, ref.name, action.pool, { ...pool, count: action.count }, lro));
    return `${from} → ${action.count}`;
  },
  'set-tier': async (key, action, memory, ctx) => {
    const { containerService, ref, lro } = arm(key, ctx);
    const cluster = await azure(containerService.managedClusters.get(ref.resourceGroup, ref.name));
    if (cluster.provisioningState === 'Updating') {
      // An update already running (e.g. this step's own PUT before a restart): wait, then check again.
      await waitUntil('Cluster update', async () => {
        const c = await azure(containerService.managedClusters.get(ref.resourceGroup, ref.name));
        return c.provisioningState === 'Updating' ? 'Updating' : null;
      }, ctx);
      return runStep(key, action, memory, ctx);
    }
    if (cluster.sku?.tier === action.tier) return `already ${action.tier}`;
    const from = cluster.sku?.tier;
    await azure(containerService.managedClusters.beginCreateOrUpdateAndWait(ref.resourceGroup, ref.name, { ...cluster, sku: { name: cluster.sku?.name ?? 'Base', tier: action.tier } }, lro));
    return `${from} → ${action.tier}`;
  },
  'await-nodes-ready': async (key, action, memory, ctx) => {
    const { containerService, ref } = arm(key, ctx);
    const c = await getKubeClients(key);
    const wanted = new Map<string, number>();
    for await (const p of containerService.agentPools.list(ref.resourceGroup, ref.name)) wanted.set(p.name!, p.count ?? 0);
    await waitUntil('Agent-pool nodes Ready', async () => {
      const nodes = (await k8s(key, c.core.listNode())).items.filter((n) => !n.metadata?.labels?.[NAP_LABEL]);
      const missing: string[] = [];
      for (const [pool, count] of wanted) {
        const ready = nodes.filter((n) => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === pool && n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')).length;
        if (ready < count) missing.push(`${pool} ${ready}/${count} Ready`);
      }
      return missing.length ? missing.join(', ') : null;
    }, ctx);
    return [...wanted].map(([p, n]) => `${p}: ${n} Ready`).join(', ');
  },
  'thaw-nap': async (key, action, memory) => {
    const c = await getKubeClients(key);
    const np = (await k8s(key, c.custom.getClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: action.nodePool }))) as NodePoolObject;
    const current = np.spec?.limits ?? {};
    if (!isNapFrozen(current)) return 'not frozen';
    const restore = memory.napLimits ?? MANIFEST_NAP_LIMITS;
    // Merge patch: keys the record does not have are removed (null), so the limits are exactly as before.
    const body: Record<string, string | null> = { ...Object.fromEntries(Object.keys(current).map((k) => [k, null])), ...restore };
    await k8s(key, c.custom.patchClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: action.nodePool, body: { spec: { limits: body } } }, merge()));
    return `limits → ${JSON.stringify(restore)}${memory.napLimits ? '' : ' (no record: the manifest limits)'}`;
  },
  'restore-workloads': async (key, action, memory) => {
    const c = await getKubeClients(key);
    const live = new Map((await spotWorkloads(key, c)).map((w) => [workloadKey(w), w]));
    const done: string[] = [];
    for (const [wk, replicas] of Object.entries(memory.replicas)) {
      const w = live.get(wk);
      if (!w) {
        done.push(`${wk} no longer exists`);
        continue;
      }
      // Someone scaled it meanwhile: their count wins.
      if (w.replicas !== 0) continue;
      await scaleWorkload(key, c, w, replicas);
      done.push(`${wk} 0→${replicas}`);
    }
    return done.length ? done.join(', ') : 'nothing to restore';
  },
  'await-ready': async (key, action, memory, ctx) => {
    const c = await getKubeClients(key);
    let summary = '';
    await waitUntil('Nodes Ready, add-ons Running, ingress answering', async () => {
      const [nodes, deployments, daemonSets] = await Promise.all([
        k8s(key, c.core.listNode()),
        k8s(key, c.apps.listDeploymentForAllNamespaces()),
        k8s(key, c.apps.listDaemonSetForAllNamespaces()),
      ]);
      const notReady = nodes.items.filter((n) => !n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')).map((n) => n.metadata?.name);
      const notAvailable = deployments.items.filter((d) => (d.spec?.replicas ?? 1) > (d.status?.availableReplicas ?? 0)).map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`);
      const dsNotReady = daemonSets.items.filter((d) => (d.status?.numberReady ?? 0) < (d.status?.desiredNumberScheduled ?? 0)).map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`);
      // The ingress gateway answers when its pods pass their readiness probe behind the load balancer.
      const gateway = deployments.items.find((d) => d.metadata?.namespace === MESH_INGRESS.namespace && d.metadata?.name?.startsWith(MESH_INGRESS.prefix));
      const gatewayDown = gateway && (gateway.status?.readyReplicas ?? 0) === 0 ? ['ingress gateway has no ready replica'] : [];
      const missing = [...notReady.map((n) => `node ${n} not Ready`), ...notAvailable.map((d) => `${d} not available`), ...dsNotReady.map((d) => `${d} not ready`), ...gatewayDown];
      summary = `${nodes.items.length} nodes Ready, ${deployments.items.length} deployments and ${daemonSets.items.length} daemon sets available${gateway ? ', ingress gateway ready' : ''}`;
      return missing.length ? missing.slice(0, 5).join('; ') + (missing.length > 5 ? ` (+${missing.length - 5})` : '') : null;
    }, ctx);
    return summary;
  },
};

/** Runs one step of a sleep or wake; `memory` is what the sleep remembered (kept with the run). */
export function runStep(key: ClusterKey, action: StepAction, memory: SleepMemory, ctx: StepContext): Promise<string> {
  if (action.type === 'aks-stop' || action.type === 'aks-start') {
    return Promise.reject(new AppError('validation', 'AKS stop/start is run as an Operation, not as a step of a sleep.', 'NotASleepStep'));
  }
  const handler = HANDLERS[action.type] as Handler<typeof action.type>;
  return handler(key, action, memory, ctx);
}

function arm(key: ClusterKey, ctx: StepContext) {
  const { containerService, pollIntervalMs } = getAzureClients();
  return { ref: clusterRef(key), containerService, lro: { updateIntervalInMs: pollIntervalMs, abortSignal: ctx.signal } };
}

async function scaleWorkload(key: ClusterKey, c: KubeClients, w: LiveWorkload, replicas: number): Promise<void> {
  const args = { name: w.name, namespace: w.namespace, body: { spec: { replicas } } };
  if (w.kind === 'Deployment') await k8s(key, c.apps.patchNamespacedDeploymentScale(args, merge()));
  else await k8s(key, c.apps.patchNamespacedStatefulSetScale(args, merge()));
}


