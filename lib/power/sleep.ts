import { randomUUID } from 'node:crypto';
import { PatchStrategy, setHeaderOptions, type V1Deployment, type V1StatefulSet } from '@kubernetes/client-node';
import { getAzureClients } from '../azure';
import { CLUSTER_KEYS, clusterRef, type ClusterKey } from '../config';
import { getDb } from '../db';
import { sharedReads } from '../cache/shared-read';
import {
  FROZEN_NAP_LIMITS, NAP_NODEPOOL, isNapFrozen, memoryBeforeSleep, planCluster, workloadKey,
  type ClusterPlan, type Direction, type LiveCluster, type LiveWorkload, type PlanOptions, type PlanStep, type SleepMemory, type StepAction,
} from '../domain/power-plan';
import { AppError, translateAzureError, toUserError } from '../errors';
import { getKubeClients, type KubeClients } from '../k8s';
import { invalidateCluster } from '../topology';
import type { Actor } from '../auth';

/**
 * Sleep and wake of a NAP cluster (issue 13), run step by step from a plan
 * (lib/domain/power-plan.ts). Every step is idempotent and the run — its steps
 * and what the sleep remembered — is kept in the PowerRun table after each
 * step, so that a run interrupted by a crash or a restart is taken up again
 * at the next start (`resumePowerRuns`) and completed; if it cannot be, it ends
 * Failed with the reason and the cluster shows as partially asleep, where the
 * next power-down completes it and the next power-up undoes it.
 */
export type StepStatus = 'pending' | 'running' | 'done' | 'failed';
export interface RunStep extends PlanStep {
  status: StepStatus;
  detail?: string;
  startedAt?: string;
  finishedAt?: string;
}

export type RunStatus = 'InProgress' | 'Succeeded' | 'Failed';

const merge = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
export const NAP_LABEL = 'karpenter.sh/nodepool';
const SPOT_KEYS = ['kubernetes.azure.com/scalesetpriority', 'karpenter.sh/capacity-type', NAP_LABEL];
/** The limits of infra/manifests/karpenter/nodepool-spot.yaml (10 vCPU / 40Gi), used if a wake finds no record. */
const MANIFEST_NAP_LIMITS = { cpu: '10', memory: '40Gi' };
const MESH_INGRESS = { namespace: 'aks-istio-ingress', prefix: 'aks-istio-ingressgateway-external' };

interface Timing {
  /** Longest wait for consolidation, nodes Ready, add-ons Running (real ms). */
  waitTimeoutMs: number;
  /** A running run's heartbeat (updatedAt) is renewed this often … */
  heartbeatMs: number;
  /** … and a run whose heartbeat is older than this belongs to no live instance: it may be resumed. */
  staleMs: number;
}
const TIMING = Symbol.for('aks-demo.power.timing');
type Holder = { [TIMING]?: Partial<Timing> };
/** Tests may shorten the waits. */
export function configureSleep(t: Partial<Timing>): void {
  (globalThis as Holder)[TIMING] = { ...(globalThis as Holder)[TIMING], ...t };
}
function timing(): Timing {
  return { waitTimeoutMs: 20 * 60_000, heartbeatMs: 15_000, staleMs: 60_000, ...(globalThis as Holder)[TIMING] };
}

class Interrupted extends Error {}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new Interrupted('interrupted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Interrupted('interrupted'));
    }, { once: true });
  });

function azure<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw translateAzureError(err);
  });
}

function k8s<T>(key: ClusterKey, p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    const e = err as { code?: number; body?: unknown; message?: string };
    if (typeof e?.code === 'number') throw new AppError(e.code >= 500 ? 'upstream' : 'refused', `Kubernetes API of ${key}: ${e.code} ${typeof e.body === 'string' ? e.body.slice(0, 200) : (e.message ?? '')}`, 'K8sError');
    throw new AppError('upstream', `Kubernetes API of ${key} unreachable: ${e?.message ?? String(err)}`, 'K8sUnreachable');
  });
}

// ── Live state ──────────────────────────────────────────────────────────────

/** Whether a workload's pods go to Spot/NAP nodes: they keep NAP's nodes busy. */
export function runsOnSpot(w: V1Deployment | V1StatefulSet): boolean {
  const spec = w.spec?.template.spec;
  if (!spec) return false;
  if (Object.keys(spec.nodeSelector ?? {}).some((k) => SPOT_KEYS.includes(k))) return true;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.some((t) => (t.matchExpressions ?? []).some((e) => SPOT_KEYS.includes(e.key)));
}

async function spotWorkloads(key: ClusterKey, c: KubeClients): Promise<LiveWorkload[]> {
  const [deployments, statefulSets] = await Promise.all([
    k8s(key, c.apps.listDeploymentForAllNamespaces()),
    k8s(key, c.apps.listStatefulSetForAllNamespaces()),
  ]);
  const out: LiveWorkload[] = [];
  for (const d of deployments.items) if (runsOnSpot(d)) out.push({ namespace: d.metadata!.namespace!, kind: 'Deployment', name: d.metadata!.name!, replicas: d.spec?.replicas ?? 1 });
  for (const s of statefulSets.items) if (runsOnSpot(s)) out.push({ namespace: s.metadata!.namespace!, kind: 'StatefulSet', name: s.metadata!.name!, replicas: s.spec?.replicas ?? 1 });
  return out;
}

interface NodePoolObject {
  spec?: { limits?: Record<string, string> };
}

/** ARM (cluster, agent pools) and, for a running NAP cluster, Kubernetes (NodePool, NAP nodes, Spot workloads). */
export async function readLiveCluster(key: ClusterKey): Promise<LiveCluster> {
  const ref = clusterRef(key);
  const { containerService } = getAzureClients();
  const cluster = await azure(containerService.managedClusters.get(ref.resourceGroup, ref.name));
  const pools: LiveCluster['pools'] = [];
  for await (const p of containerService.agentPools.list(ref.resourceGroup, ref.name)) {
    pools.push({ name: p.name!, mode: p.mode === 'System' ? 'System' : 'User', count: p.count ?? 0, enableAutoScaling: !!p.enableAutoScaling, minCount: p.minCount, provisioningState: p.provisioningState });
  }
  const mode = cluster.nodeProvisioningProfile?.mode;
  const code = cluster.powerState?.code;
  const live: LiveCluster = {
    key,
    nodeProvisioningMode: mode === 'Auto' ? 'Auto' : mode === 'Manual' ? 'Manual' : 'None',
    powerState: code === 'Running' || code === 'Stopped' ? code : 'Unknown',
    provisioningState: cluster.provisioningState ?? 'Unknown',
    tier: cluster.sku?.tier ?? 'Standard',
    pools,
    nap: null,
    workloads: [],
  };
  if (live.nodeProvisioningMode === 'Auto' && live.powerState === 'Running') Object.assign(live, await readNapState(key, await getKubeClients(key)));
  return live;
}

/** The Kubernetes side of a NAP cluster: its NodePool's limits, NAP nodes and the workloads on Spot. */
export async function readNapState(key: ClusterKey, c: KubeClients): Promise<Pick<LiveCluster, 'nap' | 'workloads'>> {
  const [np, nodes, workloads] = await Promise.all([
    k8s(key, c.custom.getClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: NAP_NODEPOOL })) as Promise<NodePoolObject>,
    k8s(key, c.core.listNode({ labelSelector: `${NAP_LABEL}=${NAP_NODEPOOL}` })),
    spotWorkloads(key, c),
  ]);
  return { nap: { limits: np.spec?.limits ?? {}, nodes: nodes.items.length }, workloads };
}

// ── Runs ────────────────────────────────────────────────────────────────────

export interface PowerRunView {
  id: string;
  cluster: string;
  direction: Direction;
  strategy: string;
  status: RunStatus;
  steps: RunStep[];
  memory: SleepMemory;
  actorName: string;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

type Row = Awaited<ReturnType<ReturnType<typeof getDb>['powerRun']['findFirst']>>;
function view(r: NonNullable<Row>): PowerRunView {
  return { ...r, direction: r.direction as Direction, status: r.status as RunStatus, steps: JSON.parse(r.steps) as RunStep[], memory: JSON.parse(r.memory) as SleepMemory };
}

export async function listPowerRuns(limit = 20): Promise<PowerRunView[]> {
  return (await getDb().powerRun.findMany({ orderBy: { startedAt: 'desc' }, take: limit })).map(view);
}

/**
 * What the cluster's last sleep remembered, as long as no wake has completed
 * since: wake restores it; a repeated or resumed sleep keeps its first record.
 */
export async function openSleepMemory(key: ClusterKey): Promise<SleepMemory | null> {
  const last = await getDb().powerRun.findFirst({ where: { cluster: key }, orderBy: { startedAt: 'desc' } });
  if (!last) return null;
  if (last.direction === 'wake' && last.status === 'Succeeded') return null;
  return JSON.parse(last.memory) as SleepMemory;
}

export async function planFor(key: ClusterKey, direction: Direction, options: PlanOptions): Promise<{ plan: ClusterPlan; live: LiveCluster; memory: SleepMemory | null }> {
  const [live, memory] = await Promise.all([readLiveCluster(key), openSleepMemory(key)]);
  return { plan: planCluster(live, direction, memory, options), live, memory };
}

/**
 * Starts a sleep or wake run for a plan and follows it in the background.
 * Refuses while another run of the same cluster is in progress.
 */
export async function startPowerRun(actor: Actor, plan: ClusterPlan, live: LiveCluster, memory: SleepMemory | null, options: { follow?: boolean } = {}): Promise<string> {
  if (plan.action !== 'sleep' && plan.action !== 'wake') throw new AppError('validation', `Not a sleep or wake plan (${plan.action}).`, 'NotASleepPlan');
  const db = getDb();
  const running = await db.powerRun.findFirst({ where: { cluster: plan.key, status: 'InProgress' } });
  if (running) throw new AppError('conflict', `A ${running.direction} of ${plan.key} is already in progress (started by ${running.actorName}).`, 'PowerRunInProgress');
  const remembered: SleepMemory =
    plan.action === 'sleep' ? memoryBeforeSleep(live, memory) : (memory ?? { tier: 'Standard', pools: {}, napLimits: null, replicas: {} });
  const now = new Date();
  const id = randomUUID();
  const steps: RunStep[] = plan.steps.map((s) => ({ ...s, status: 'pending' }));
  await db.powerRun.create({
    data: { id, cluster: plan.key, direction: plan.action, strategy: plan.strategy, status: 'InProgress', steps: JSON.stringify(steps), memory: JSON.stringify(remembered), actorName: actor.name, startedAt: now, updatedAt: now },
  });
  invalidateCluster(plan.key as ClusterKey);
  if (options.follow !== false) void executePowerRun(id).catch((err: unknown) => console.error('power run', id, err));
  return id;
}

/**
 * Runs the remaining steps of a run. `signal` stands for the process going
 * away (tests): the run is then left InProgress in the database, exactly as a
 * crash leaves it.
 */
export async function executePowerRun(id: string, options: { signal?: AbortSignal; afterStep?: (stepId: string) => void } = {}): Promise<RunStatus> {
  const db = getDb();
  const row = await db.powerRun.findUnique({ where: { id } });
  if (!row) throw new Error(`no power run ${id}`);
  const run = view(row);
  const key = run.cluster as ClusterKey;
  const save = (data: Partial<{ status: RunStatus; error: string | null; finishedAt: Date }> = {}) =>
    db.powerRun.update({ where: { id }, data: { steps: JSON.stringify(run.steps), memory: JSON.stringify(run.memory), updatedAt: new Date(), ...data } });
  // The heartbeat tells other instances (and this one after a restart) that the run is alive.
  const heartbeat = setInterval(() => {
    if (!options.signal?.aborted) void db.powerRun.updateMany({ where: { id, status: 'InProgress' }, data: { updatedAt: new Date() } }).catch(() => undefined);
  }, timing().heartbeatMs);
  heartbeat.unref();
  try {
    for (const s of run.steps) {
      if (s.status === 'done') continue;
      options.signal?.throwIfAborted();
      s.status = 'running';
      s.startedAt ??= new Date().toISOString();
      await save();
      try {
        s.detail = await runStep(key, s.action, run, { signal: options.signal, persist: () => save() });
      } catch (err) {
        if (err instanceof Interrupted || options.signal?.aborted) throw err;
        s.status = 'failed';
        s.detail = toUserError(err).message;
        s.finishedAt = new Date().toISOString();
        await save({ status: 'Failed', error: `${s.label}: ${s.detail}`, finishedAt: new Date() });
        return 'Failed';
      } finally {
        invalidateCluster(key);
        sharedReads().invalidate(`power-k8s:${key}`);
      }
      s.status = 'done';
      s.finishedAt = new Date().toISOString();
      await save();
      options.afterStep?.(s.id);
    }
    await save({ status: 'Succeeded', error: null, finishedAt: new Date() });
    return 'Succeeded';
  } catch (err) {
    if (err instanceof Interrupted || options.signal?.aborted) return 'InProgress';
    throw err;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Sleeps and wakes that were in progress when the server stopped: each is
 * taken up again at its current step (every step is idempotent) and completed;
 * one that cannot be ends Failed with the reason, never silently half done.
 */
export async function resumePowerRuns(): Promise<number> {
  const open = await getDb().powerRun.findMany({ where: { status: 'InProgress' } });
  const { staleMs } = timing();
  let taken = 0;
  let alive = 0;
  let ended = 0;
  for (const r of open) {
    // A fresh heartbeat: another instance is running it (or this process died a moment ago): look again later.
    if (Date.now() - r.updatedAt.getTime() < staleMs) {
      alive += 1;
      continue;
    }
    if (!(CLUSTER_KEYS as readonly string[]).includes(r.cluster)) {
      // Environment-level runs (Bastion, rebuild) follow one ARM operation or job each: not resumed, said so.
      await getDb().powerRun.update({ where: { id: r.id }, data: { status: 'Failed', error: 'Interrupted by a restart of the dashboard; run it again (it is idempotent).', finishedAt: new Date(), updatedAt: new Date() } });
      ended += 1;
      continue;
    }
    // Claim it: of several instances starting together, only the one whose update lands resumes it.
    const claimed = await getDb().powerRun.updateMany({ where: { id: r.id, status: 'InProgress', updatedAt: r.updatedAt }, data: { updatedAt: new Date() } });
    if (claimed.count === 0) continue;
    taken += 1;
    const steps = JSON.parse(r.steps) as RunStep[];
    const current = steps.find((s) => s.status !== 'done');
    console.info(`resuming ${r.direction} of ${r.cluster} at "${current?.label ?? 'the end'}"`);
    void executePowerRun(r.id).catch((err: unknown) =>
      getDb().powerRun.update({ where: { id: r.id }, data: { status: 'Failed', error: `Could not resume after restart: ${toUserError(err).message}`, finishedAt: new Date(), updatedAt: new Date() } }).catch(() => undefined),
    );
  }
  if (alive > 0) setTimeout(() => void resumePowerRuns().catch((err: unknown) => console.error('could not resume power runs', err)), staleMs).unref();
  return taken + ended;
}

// ── Steps ───────────────────────────────────────────────────────────────────

interface StepContext {
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

async function runStep(key: ClusterKey, action: StepAction, run: PowerRunView, ctx: StepContext): Promise<string> {
  const ref = clusterRef(key);
  const { containerService, pollIntervalMs } = getAzureClients();
  const lro = { updateIntervalInMs: pollIntervalMs, abortSignal: ctx.signal };
  switch (action.type) {
    case 'freeze-nap': {
      const c = await getKubeClients(key);
      const np = (await k8s(key, c.custom.getClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: action.nodePool }))) as NodePoolObject;
      if (isNapFrozen(np.spec?.limits)) return 'already frozen';
      if (!run.memory.napLimits) {
        run.memory.napLimits = np.spec?.limits ?? {};
        await ctx.persist();
      }
      await k8s(key, c.custom.patchClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: action.nodePool, body: { spec: { limits: FROZEN_NAP_LIMITS } } }, merge()));
      return `limits ${JSON.stringify(run.memory.napLimits)} → ${JSON.stringify(FROZEN_NAP_LIMITS)}`;
    }
    case 'scale-workloads-to-zero': {
      const c = await getKubeClients(key);
      const done: string[] = [];
      for (const w of await spotWorkloads(key, c)) {
        if (w.replicas === 0) continue;
        // Remember before touching it: a crash after the patch must not lose the count.
        if (run.memory.replicas[workloadKey(w)] === undefined) {
          run.memory.replicas[workloadKey(w)] = w.replicas;
          await ctx.persist();
        }
        await scaleWorkload(key, c, w, 0);
        done.push(`${workloadKey(w)} ${w.replicas}→0`);
      }
      return done.length ? done.join(', ') : 'nothing left to scale';
    }
    case 'await-nap-empty': {
      const c = await getKubeClients(key);
      await waitUntil('Consolidation of the Spot nodes', async () => {
        const nodes = await k8s(key, c.core.listNode({ labelSelector: `${NAP_LABEL}=${action.nodePool}` }));
        return nodes.items.length === 0 ? null : `${nodes.items.length} NAP node(s) left: ${nodes.items.map((n) => n.metadata?.name).join(', ')}`;
      }, ctx);
      return 'no NAP node left';
    }
    case 'scale-pool': {
      const pool = await azure(containerService.agentPools.get(ref.resourceGroup, ref.name, action.pool));
      if (pool.count === action.count && pool.provisioningState !== 'Scaling') return `already ${action.count}`;
      if (pool.provisioningState === 'Scaling') {
        // A scale already running (e.g. started before a restart): wait for it, then check again.
        await waitUntil(`Agent pool ${action.pool}`, async () => {
          const p = await azure(containerService.agentPools.get(ref.resourceGroup, ref.name, action.pool));
          return p.provisioningState === 'Scaling' ? 'Scaling' : null;
        }, ctx);
        return runStep(key, action, run, ctx);
      }
      const from = pool.count;
      await azure(containerService.agentPools.beginCreateOrUpdateAndWait(ref.resourceGroup, ref.name, action.pool, { ...pool, count: action.count }, lro));
      return `${from} → ${action.count}`;
    }
    case 'set-tier': {
      const cluster = await azure(containerService.managedClusters.get(ref.resourceGroup, ref.name));
      if (cluster.provisioningState === 'Updating') {
        // An update already running (e.g. this step's own PUT before a restart): wait, then check again.
        await waitUntil('Cluster update', async () => {
          const c = await azure(containerService.managedClusters.get(ref.resourceGroup, ref.name));
          return c.provisioningState === 'Updating' ? 'Updating' : null;
        }, ctx);
        return runStep(key, action, run, ctx);
      }
      if (cluster.sku?.tier === action.tier) return `already ${action.tier}`;
      const from = cluster.sku?.tier;
      await azure(containerService.managedClusters.beginCreateOrUpdateAndWait(ref.resourceGroup, ref.name, { ...cluster, sku: { name: cluster.sku?.name ?? 'Base', tier: action.tier } }, lro));
      return `${from} → ${action.tier}`;
    }
    case 'await-nodes-ready': {
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
    }
    case 'thaw-nap': {
      const c = await getKubeClients(key);
      const np = (await k8s(key, c.custom.getClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: action.nodePool }))) as NodePoolObject;
      const current = np.spec?.limits ?? {};
      if (!isNapFrozen(current)) return 'not frozen';
      const restore = run.memory.napLimits ?? MANIFEST_NAP_LIMITS;
      // Merge patch: keys the record does not have are removed (null), so the limits are exactly as before.
      const body: Record<string, string | null> = { ...Object.fromEntries(Object.keys(current).map((k) => [k, null])), ...restore };
      await k8s(key, c.custom.patchClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: action.nodePool, body: { spec: { limits: body } } }, merge()));
      return `limits → ${JSON.stringify(restore)}${run.memory.napLimits ? '' : ' (no record: the manifest limits)'}`;
    }
    case 'restore-workloads': {
      const c = await getKubeClients(key);
      const live = new Map((await spotWorkloads(key, c)).map((w) => [workloadKey(w), w]));
      const done: string[] = [];
      for (const [wk, replicas] of Object.entries(run.memory.replicas)) {
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
    }
    case 'await-ready': {
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
    }
    case 'aks-stop':
    case 'aks-start':
      throw new AppError('validation', 'AKS stop/start is run as an Operation, not as a step of a sleep.', 'NotASleepStep');
  }
}

async function scaleWorkload(key: ClusterKey, c: KubeClients, w: LiveWorkload, replicas: number): Promise<void> {
  const args = { name: w.name, namespace: w.namespace, body: { spec: { replicas } } };
  if (w.kind === 'Deployment') await k8s(key, c.apps.patchNamespacedDeploymentScale(args, merge()));
  else await k8s(key, c.apps.patchNamespacedStatefulSetScale(args, merge()));
}


