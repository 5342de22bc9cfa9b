import { createHash } from 'node:crypto';
import type { TwinCluster, TwinPool } from '../seed';
import {
  NODEPOOL_NAME, installStepOf, namespacesFor, nodePoolObject, pdbObject, verifyObjects, workloadObject, workloadsFor, type ClusterKey,
} from './catalog';
import { matchesRequirements, matchesSelector, quantity, tolerates, parseLabelSelector } from './meta';
import { ObjectStore } from './store';
import {
  K8sError, type Condition, type K8sEvent, type K8sObject, type Node, type NodeClaim, type NodePool, type Pod,
  type PodDisruptionBudget, type Taint, type Workload,
} from './types';

/**
 * One cluster's Kubernetes, as the twin runs it: the object store behind the
 * API server and the controllers that act on it, all on the twin clock.
 *
 * - Agent-pool nodes follow ARM (`TwinCluster.pools[].count`, zones round-robin as
 *   VMSS places them); a stopped cluster has no nodes and no pods.
 * - Deployments, StatefulSets and DaemonSets keep their pods; the scheduler
 *   binds them (taints, node selector and affinity, resources, hostname
 *   anti-affinity, zone spread) and the kubelet starts them after a delay.
 * - NotReady nodes get the `unreachable` taints; their pods are evicted after
 *   the default 300 s toleration (taint-based eviction ignores PDBs, as in Kubernetes).
 * - Node auto-provisioning (Karpenter `karpenter.sh/v1` NodePool): pending pods
 *   that fit a Spot node get a NodeClaim in a zone the NodePool allows and that
 *   has Spot capacity, within its limits; empty nodes are removed after
 *   `consolidateAfter` unless a disruption budget of "0" forbids it.
 *
 * Twin simplifications (stated, not hidden): a strategic merge patch is applied
 * as a merge patch; zone-spread domains are the zones of nodes the pod could
 * use (Ready, schedulable, selector and taints honoured), plus for Karpenter
 * the NodePool zones that have Spot capacity; consolidation removes empty
 * nodes only (no bin-packing of under-used ones); StatefulSets start pods in parallel.
 */

export const TIMINGS = {
  /** Image pull + container start. */
  podStartMs: 5_000,
  /** A VMSS instance from create to Ready. */
  nodeBootMs: 90_000,
  /** Karpenter: NodeClaim → Node registered, → Ready (§10.3: replacement within ~5 min). */
  claimRegisterMs: 45_000,
  claimReadyMs: 80_000,
  /** Azure's Spot eviction notice. */
  spotNoticeMs: 30_000,
  /** The default toleration of `node.kubernetes.io/unreachable` added to every pod. */
  taintEvictionMs: 300_000,
  eventTtlMs: 3_600_000,
};

const ZONE = 'topology.kubernetes.io/zone';
const HOSTNAME = 'kubernetes.io/hostname';
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const DISRUPTED_TAINT = 'karpenter.sh/disrupted';
const SPOT_LABEL = 'kubernetes.azure.com/scalesetpriority';
const SPOT_TAINT: Taint = { key: SPOT_LABEL, value: 'spot', effect: 'NoSchedule' };
const NODE_CPU = '2';
const NODE_MEMORY = '8145208Ki';
const NODE_ALLOC_CPU = '1900m';
const NODE_ALLOC_MEMORY = '5862200Ki';
const SKU = 'Standard_D2s_v5';

export interface ModelEnv {
  key: ClusterKey;
  subscriptionId: string;
  /** The live ARM state of this cluster (power, pools, NAP mode). */
  cluster: () => TwinCluster;
  now: () => number;
  /** How long something that takes `ms` in AKS takes here (the twin clock's speed). */
  duration: (ms: number) => number;
}

interface Claim {
  name: string;
  zone: string;
  pool: string;
  pods: Set<string>;
}

export interface ScenarioResult {
  cluster: ClusterKey;
  detail: string;
  nodes: string[];
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isTerminal = (p: Pod) => p.status.phase === 'Succeeded' || p.status.phase === 'Failed';
const condition = (o: { status: { conditions?: Condition[] } }, type: string) => o.status.conditions?.find((c) => c.type === type);
export const nodeZone = (n: Node) => (n.metadata.labels?.[ZONE] ?? '').split('-').pop() ?? '';
const isReady = (n: Node) => condition(n, 'Ready')?.status === 'True';
const requests = (p: Pod) =>
  p.spec.containers.reduce(
    (acc, c) => ({ cpu: acc.cpu + quantity(c.resources?.requests?.cpu), memory: acc.memory + quantity(c.resources?.requests?.memory) }),
    { cpu: 0, memory: 0 },
  );
const ownerKind = (p: Pod) => p.metadata.ownerReferences?.[0]?.kind;

export class ClusterModel {
  readonly store: ObjectStore;
  private timers: { at: number; run: () => void }[] = [];
  private time: number;
  private advancing = false;
  private seeding = true;
  private counter = 0;
  private readyAt = new Map<string, number>();
  private startAt = new Map<string, number>();
  private emptySince = new Map<string, number>();
  private claims = new Map<string, Claim>();
  private stopped = false;
  /** Zones whose Spot capacity Azure has (scenario: none in a zone → Karpenter falls back, §4.3). */
  readonly spotCapacity: Record<string, boolean> = { '1': true, '2': true, '3': true };
  readonly outageZones = new Set<string>();

  constructor(private readonly env: ModelEnv) {
    this.store = new ObjectStore(createHash('sha256').update(env.key).digest('hex').slice(0, 8));
    this.time = env.now();
    this.seed();
    this.seeding = false;
  }

  get key(): ClusterKey {
    return this.env.key;
  }

  private get location(): string {
    return this.env.cluster().location;
  }

  // ---------- seed ----------

  private seed(): void {
    const now = this.time;
    const installedSteps = this.env.cluster().installedSteps;
    // A cluster created by a simulated `tofu apply` holds only what AKS creates with it (issue 7).
    const installed = (resource: string, object: K8sObject) => {
      const step = installStepOf(resource, object);
      return step === null || !installedSteps || installedSteps.includes(step);
    };
    const objects = this.catalogObjects(now).filter((o) => installed(o.resource, o.object));
    const base = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
    for (const ns of namespacesFor(this.key)) {
      if (base.includes(ns) || objects.some((o) => o.object.metadata.namespace === ns)) this.store.create('namespaces', namespaceObject(ns), now);
    }
    for (const { resource, object } of objects) this.store.create(resource, object, now);
    this.advance(now);
    if (this.key === 'mgmt' && installed('pods', { metadata: { namespace: 'cert-manager', name: 'startupapicheck' } } as K8sObject)) this.seedCompletedJobPod(now);
  }

  /** Every object the catalog puts in this cluster (§12.4), with the resource it is stored under. */
  private catalogObjects(now: number): { resource: string; object: K8sObject }[] {
    const out: { resource: string; object: K8sObject }[] = [];
    for (const addOn of workloadsFor(this.key)) {
      const w = workloadObject(addOn);
      out.push({ resource: this.resourceOf(w), object: w });
      const pdb = pdbObject(addOn);
      if (pdb) out.push({ resource: 'poddisruptionbudgets', object: pdb });
    }
    if (this.env.cluster().nodeProvisioningMode === 'Auto') out.push({ resource: 'nodepools', object: nodePoolObject(this.location) });
    out.push(...verifyObjects(this.key, iso(now)));
    return out;
  }

  /**
   * Applies one install.sh step (§12.4) to a cluster created without its add-ons, as helm and
   * kubectl would: namespaces, workloads, PDBs, custom resources; the controllers take it from
   * there (scheduling, pods starting on the twin clock). Returns what it created.
   */
  installStep(step: string): string[] {
    this.advance();
    const created: string[] = [];
    for (const { resource, object } of this.catalogObjects(this.time)) {
      if (installStepOf(resource, object) !== step) continue;
      const ns = object.metadata.namespace;
      if (ns && !this.store.get('namespaces', undefined, ns)) this.store.create('namespaces', namespaceObject(ns), this.time);
      if (this.store.get(resource, ns, object.metadata.name)) continue;
      this.store.create(resource, object, this.time);
      created.push(`${resource}/${ns ? `${ns}/` : ''}${object.metadata.name}`);
    }
    if (step === '01-cert-manager' && this.key === 'mgmt' && !this.pods().some((p) => p.metadata.namespace === 'cert-manager' && p.metadata.name.startsWith('cert-manager-startupapicheck'))) {
      this.seedCompletedJobPod(this.time);
    }
    this.advance();
    return created;
  }

  /** cert-manager's post-install check: a Job pod that has Completed (verify accepts Running or Completed). */
  private seedCompletedJobPod(now: number): void {
    const node = this.nodes().find((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === 'system');
    if (!node) return;
    const pod = this.newPod('cert-manager', 'cert-manager-startupapicheck-' + this.suffix(), { 'app.kubernetes.io/name': 'startupapicheck' }, {
      containers: [{ name: 'cert-manager-startupapicheck', image: 'quay.io/jetstack/cert-manager-startupapicheck:v1.19.1' }],
      nodeName: node.metadata.name, restartPolicy: 'OnFailure',
    }, { apiVersion: 'batch/v1', kind: 'Job', name: 'cert-manager-startupapicheck' });
    pod.status = {
      phase: 'Succeeded', hostIP: this.nodeIp(node), startTime: iso(now), qosClass: 'BestEffort',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: iso(now) }, { type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: iso(now) }],
      containerStatuses: [{ name: 'cert-manager-startupapicheck', ready: false, restartCount: 0, image: pod.spec.containers[0].image, imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    };
    this.store.create('pods', pod, now);
  }

  // ---------- time ----------

  /** Runs every controller up to `now` (twin time), firing timers in order. */
  advance(now = this.env.now()): void {
    if (this.advancing) return;
    this.advancing = true;
    try {
      for (let guard = 0; guard < 10_000; guard++) {
        this.reconcile();
        this.timers.sort((a, b) => a.at - b.at);
        const next = this.timers[0];
        if (!next || next.at > now) break;
        this.timers.shift();
        this.time = Math.max(this.time, next.at);
        next.run();
      }
      this.time = Math.max(this.time, now);
      // Controllers react to each other (a deleted node → pods → scheduling): settle within this instant.
      for (let i = 0; i < 8; i++) {
        const rv = this.store.resourceVersion;
        this.reconcile();
        if (this.store.resourceVersion === rv) break;
      }
    } finally {
      this.advancing = false;
    }
  }

  private after(ms: number, run: () => void): void {
    if (this.seeding) return run();
    this.timers.push({ at: this.time + this.env.duration(ms), run });
  }

  /** A wake-up so that a deadline (consolidation, taint eviction) is handled at its time. */
  private wakeAt(at: number): void {
    if (!this.seeding && at > this.time && !this.timers.some((t) => t.at === at)) this.timers.push({ at, run: () => undefined });
  }

  private suffix(len = 5): string {
    this.counter += 1;
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let h = createHash('sha256').update(`${this.key}:${this.counter}`).digest();
    let out = '';
    for (let i = 0; i < len; i++) {
      out += alphabet[h[i] % alphabet.length];
      if (i === h.length - 1) h = createHash('sha256').update(h).digest();
    }
    return out;
  }

  // ---------- reads ----------

  nodes(): Node[] {
    return this.store.list<Node>('nodes');
  }

  /** The model's time: the twin clock's now, up to which every controller has run. */
  get currentTime(): number {
    return this.time;
  }

  pods(): Pod[] {
    return this.store.list<Pod>('pods');
  }

  nodePools(): NodePool[] {
    return this.store.list<NodePool>('nodepools');
  }

  private workloads(): Workload[] {
    return [...this.store.list<Workload>('deployments'), ...this.store.list<Workload>('statefulsets'), ...this.store.list<Workload>('daemonsets')];
  }

  private resourceOf(w: Workload): string {
    return w.kind === 'Deployment' ? 'deployments' : w.kind === 'StatefulSet' ? 'statefulsets' : 'daemonsets';
  }

  // ---------- reconcile ----------

  private reconcile(): void {
    const cluster = this.env.cluster();
    if (cluster.power !== 'Running') {
      if (!this.stopped) this.teardown();
      return;
    }
    this.stopped = false;
    this.syncAgentPoolNodes(cluster);
    this.nodeLifecycle();
    for (const w of this.workloads()) this.reconcileWorkload(w);
    this.schedule();
    this.karpenter(cluster);
    this.updateStatuses();
    this.expireEvents();
  }

  /** AKS stop: the VMs are deallocated; the API server keeps its objects, but no node or pod is left. */
  private teardown(): void {
    this.stopped = true;
    for (const p of this.pods()) this.store.remove('pods', p);
    for (const n of this.nodes()) this.store.remove('nodes', n);
    for (const c of this.store.list('nodeclaims')) this.store.remove('nodeclaims', c);
    this.claims.clear();
    this.readyAt.clear();
    this.startAt.clear();
    this.emptySince.clear();
    this.timers = [];
  }

  private syncAgentPoolNodes(cluster: TwinCluster): void {
    for (const pool of cluster.pools) {
      const mine = this.nodes()
        .filter((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === pool.name && !n.metadata.labels?.['karpenter.sh/nodepool'])
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      const names = mine.map((n) => n.metadata.name);
      for (let i = mine.length; i < pool.count; i++) names.push(this.createPoolNode(pool, names));
      // VMSS scale-in removes the newest instances first.
      for (const n of mine.slice(pool.count).reverse()) this.deleteNode(n, 'ScaleDown', `Node ${n.metadata.name} removed: agent pool ${pool.name} scaled to ${pool.count}`);
    }
    const poolNames = new Set(cluster.pools.map((p) => p.name));
    for (const n of this.nodes()) {
      const pool = n.metadata.labels?.['kubernetes.azure.com/agentpool'];
      if (pool && !n.metadata.labels?.['karpenter.sh/nodepool'] && !poolNames.has(pool)) this.deleteNode(n, 'RemovingNode', `agent pool ${pool} deleted`);
    }
  }

  private vmssName(pool: string): string {
    const id = parseInt(createHash('sha256').update(`${this.key}/${pool}`).digest('hex').slice(0, 8), 16) % 1e8;
    return `aks-${pool}-${String(id).padStart(8, '0')}-vmss`;
  }

  private createPoolNode(pool: TwinPool, existing: string[]): string {
    const base = this.vmssName(pool.name);
    let index = 0;
    while (existing.includes(`${base}${index.toString(36).padStart(6, '0')}`)) index++;
    const name = `${base}${index.toString(36).padStart(6, '0')}`;
    const zone = pool.zones.length ? pool.zones[index % pool.zones.length] : '';
    const cluster = this.env.cluster();
    const labels: Record<string, string> = {
      agentpool: pool.name,
      'kubernetes.azure.com/agentpool': pool.name,
      'kubernetes.azure.com/mode': pool.mode.toLowerCase(),
      'kubernetes.azure.com/role': 'agent',
      'kubernetes.azure.com/cluster': `MC_${cluster.resourceGroup}_${cluster.name}_${cluster.location}`,
      'kubernetes.azure.com/os-sku': 'Ubuntu',
      ...pool.labels,
    };
    if (pool.priority === 'Spot') labels[SPOT_LABEL] = 'spot';
    const taints = pool.taints.map((t): Taint => {
      const m = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(t);
      return { key: m?.[1] ?? t, value: m?.[2], effect: (m?.[3] ?? 'NoSchedule') as Taint['effect'] };
    });
    const providerID = `azure:///subscriptions/${this.env.subscriptionId}/resourceGroups/mc_${cluster.resourceGroup}_${cluster.name}_${cluster.location}/providers/Microsoft.Compute/virtualMachineScaleSets/${base}/virtualMachines/${index}`.toLowerCase();
    this.createNode(name, zone, labels, taints, providerID, TIMINGS.nodeBootMs);
    return name;
  }

  private createNode(name: string, zone: string, labels: Record<string, string>, taints: Taint[], providerID: string, bootMs: number): Node {
    const cluster = this.env.cluster();
    const ip = `10.${['mgmt', 'app1', 'app2'].indexOf(this.key) + 1}.${1 + (this.counter % 200)}.${4 + this.nodes().length}`;
    this.counter += 1;
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name, uid: '', resourceVersion: '', creationTimestamp: '',
        labels: {
          'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux',
          [HOSTNAME]: name, 'node.kubernetes.io/instance-type': SKU, 'beta.kubernetes.io/instance-type': SKU,
          'topology.kubernetes.io/region': cluster.location,
          ...(zone ? { [ZONE]: `${cluster.location}-${zone}`, 'failure-domain.beta.kubernetes.io/zone': `${cluster.location}-${zone}`, 'topology.disk.csi.azure.com/zone': `${cluster.location}-${zone}` } : {}),
          'kubernetes.azure.com/node-image-version': 'AKSUbuntu-2404gen2containerd-202611.03.0',
          ...labels,
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: { providerID, taints: taints.length ? taints : undefined },
      status: {
        capacity: { cpu: NODE_CPU, memory: NODE_MEMORY, pods: '250', 'ephemeral-storage': '129886128Ki' },
        allocatable: { cpu: NODE_ALLOC_CPU, memory: NODE_ALLOC_MEMORY, pods: '250', 'ephemeral-storage': '119703055367' },
        conditions: [],
        addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
        nodeInfo: {
          architecture: 'amd64', operatingSystem: 'linux', osImage: 'Ubuntu 24.04.3 LTS', kernelVersion: '6.8.0-1041-azure',
          containerRuntimeVersion: 'containerd://2.1.4-1', kubeletVersion: `v${cluster.kubernetesVersion}`, kubeProxyVersion: '',
        },
      },
    };
    this.readyAt.set(name, this.seeding ? this.time : this.time + this.env.duration(bootMs));
    if (!this.seeding) this.wakeAt(this.time + this.env.duration(bootMs));
    this.setNodeConditions(node);
    this.store.create('nodes', node, this.time);
    if (!this.seeding) this.event(node, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`, 'Normal', 'node-controller');
    return node;
  }

  private deleteNode(node: Node, reason: string, message: string): void {
    for (const p of this.pods().filter((p) => p.spec.nodeName === node.metadata.name)) this.store.remove('pods', p);
    this.store.remove('nodes', node);
    this.readyAt.delete(node.metadata.name);
    this.emptySince.delete(node.metadata.name);
    const claim = this.store.get<NodeClaim>('nodeclaims', undefined, node.metadata.name);
    if (claim) this.store.remove('nodeclaims', claim);
    this.event(node, reason, message, 'Normal', reason === 'RemovingNode' || reason === 'ScaleDown' ? 'node-controller' : 'karpenter');
  }

  private nodeIp(n: Node): string {
    return n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '';
  }

  /** Ready follows boot and the injected outage; taints follow Ready and cordon, as the node lifecycle controller does. */
  private setNodeConditions(n: Node): void {
    const t = iso(this.time);
    const outage = this.outageZones.has(nodeZone(n));
    const booted = (this.readyAt.get(n.metadata.name) ?? Infinity) <= this.time;
    const [status, reason, message]: [Condition['status'], string, string] = outage
      ? ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']
      : booted
        ? ['True', 'KubeletReady', 'kubelet is posting ready status']
        : ['False', 'KubeletNotReady', 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady'];
    const previous = condition(n, 'Ready');
    const since = previous && previous.status === status ? previous.lastTransitionTime : t;
    const pressure = (type: string, r: string, m: string): Condition =>
      outage
        ? { type, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: condition(n, type)?.status === 'Unknown' ? condition(n, type)?.lastTransitionTime : t }
        : { type, status: 'False', reason: r, message: m, lastTransitionTime: condition(n, type)?.status === 'False' ? condition(n, type)?.lastTransitionTime : t };
    n.status.conditions = [
      pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      { type: 'Ready', status, reason, message, lastTransitionTime: since },
    ];
    const keep = (n.spec.taints ?? []).filter((x) => ![UNSCHEDULABLE_TAINT, UNREACHABLE_TAINT, NOT_READY_TAINT].includes(x.key));
    const existing = (key: string, effect: string) => n.spec.taints?.find((x) => x.key === key && x.effect === effect);
    const add: Taint[] = [];
    if (n.spec.unschedulable) add.push(existing(UNSCHEDULABLE_TAINT, 'NoSchedule') ?? { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule', timeAdded: t });
    if (status !== 'True') {
      const key = status === 'Unknown' ? UNREACHABLE_TAINT : NOT_READY_TAINT;
      add.push(existing(key, 'NoSchedule') ?? { key, effect: 'NoSchedule' });
      add.push(existing(key, 'NoExecute') ?? { key, effect: 'NoExecute', timeAdded: t });
    }
    const taints = [...keep, ...add];
    n.spec.taints = taints.length ? taints : undefined;
    if (n.spec.taints === undefined) delete n.spec.taints;
  }

  private nodeLifecycle(): void {
    for (const n of this.nodes()) {
      const before = condition(n, 'Ready')?.status;
      const changed = this.store.mutate('nodes', n, (x) => this.setNodeConditions(x));
      const after = condition(n, 'Ready')?.status;
      if (changed && before && before !== after) {
        this.event(n, after === 'True' ? 'NodeReady' : 'NodeNotReady', `Node ${n.metadata.name} status is now: ${after === 'True' ? 'NodeReady' : 'NodeNotReady'}`, after === 'True' ? 'Normal' : 'Warning', 'node-controller');
      }
      const noExecute = n.spec.taints?.find((t) => (t.key === UNREACHABLE_TAINT || t.key === NOT_READY_TAINT) && t.effect === 'NoExecute');
      for (const p of this.pods().filter((p) => p.spec.nodeName === n.metadata.name && !isTerminal(p))) {
        if (noExecute) {
          this.store.mutate('pods', p, (x) => this.setPodReady(x, false, 'NodeNotReady'));
          // DaemonSet pods tolerate these taints forever; the rest have Kubernetes' default 300 s.
          if (ownerKind(p) !== 'DaemonSet') {
            const evictAt = Date.parse(noExecute.timeAdded ?? iso(this.time)) + this.env.duration(TIMINGS.taintEvictionMs);
            if (this.time >= evictAt) {
              this.event(p, 'TaintManagerEviction', `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}`, 'Normal', 'taint-eviction-controller');
              this.store.remove('pods', p);
            } else this.wakeAt(evictAt);
          }
        } else if (p.status.phase === 'Running') {
          this.store.mutate('pods', p, (x) => this.setPodReady(x, true));
        }
      }
    }
  }

  // ---------- workloads ----------

  private podsOf(w: Workload): Pod[] {
    return this.pods().filter(
      (p) => p.metadata.namespace === w.metadata.namespace && p.metadata.ownerReferences?.[0]?.uid === this.ownerUid(w) && !isTerminal(p),
    );
  }

  private ownerUid(w: Workload): string {
    // Deployments own their pods through a ReplicaSet, whose uid is derived from the Deployment's and its template.
    if (w.kind !== 'Deployment') return w.metadata.uid;
    const h = createHash('sha256').update(`${w.metadata.uid}/${this.templateHash(w)}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private templateHash(w: Workload): string {
    return createHash('sha256').update(JSON.stringify(w.spec.template)).digest('hex').slice(0, 10).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]);
  }

  private reconcileWorkload(w: Workload): void {
    const pods = this.podsOf(w);
    if (w.kind === 'DaemonSet') {
      const nodes = this.nodes().filter((n) => this.daemonFits(w, n));
      for (const n of nodes) {
        if (!pods.some((p) => p.spec.nodeName === n.metadata.name)) this.createWorkloadPod(w, `${w.metadata.name}-${this.suffix()}`, n.metadata.name);
      }
      for (const p of pods) if (!nodes.some((n) => n.metadata.name === p.spec.nodeName)) this.store.remove('pods', p);
      return;
    }
    const desired = w.spec.replicas ?? 1;
    if (w.kind === 'StatefulSet') {
      for (let i = 0; i < desired; i++) {
        if (!pods.some((p) => p.metadata.name === `${w.metadata.name}-${i}`)) this.createWorkloadPod(w, `${w.metadata.name}-${i}`);
      }
      for (const p of pods) {
        const ordinal = Number(p.metadata.name.slice(w.metadata.name.length + 1));
        if (ordinal >= desired) this.deletePod(p, 'statefulset-controller');
      }
      return;
    }
    for (let i = pods.length; i < desired; i++) this.createWorkloadPod(w, `${w.metadata.name}-${this.templateHash(w)}-${this.suffix()}`);
    if (pods.length > desired) {
      // The ReplicaSet controller removes unscheduled, then not-ready, then the newest pods first.
      const rank = (p: Pod) => (!p.spec.nodeName ? 0 : p.status.phase !== 'Running' ? 1 : 2);
      const victims = [...pods].sort((a, b) => rank(a) - rank(b) || b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp)).slice(0, pods.length - desired);
      for (const p of victims) this.deletePod(p, 'replicaset-controller');
    }
  }

  private daemonFits(w: Workload, n: Node): boolean {
    const sel = w.spec.template.spec.nodeSelector ?? {};
    if (!Object.entries(sel).every(([k, v]) => n.metadata.labels?.[k] === v)) return false;
    return (n.spec.taints ?? []).filter((t) => t.effect !== 'PreferNoSchedule' && ![UNSCHEDULABLE_TAINT, UNREACHABLE_TAINT, NOT_READY_TAINT].includes(t.key)).every((t) => tolerates(w.spec.template.spec.tolerations, t));
  }

  private newPod(namespace: string, name: string, labels: Record<string, string>, spec: Pod['spec'], owner?: { apiVersion: string; kind: string; name: string; uid?: string }): Pod {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name, namespace, labels, uid: '', resourceVersion: '', creationTimestamp: '',
        ownerReferences: owner ? [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid ?? this.store.newUid(), controller: true, blockOwnerDeletion: true }] : undefined,
      },
      spec: {
        restartPolicy: 'Always', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', serviceAccountName: 'default',
        ...spec,
        // The DefaultTolerationSeconds admission plugin adds these to every pod.
        tolerations: [
          ...(spec.tolerations ?? []),
          { key: NOT_READY_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: UNREACHABLE_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
      },
      status: { phase: 'Pending', qosClass: 'Burstable' },
    };
  }

  private createWorkloadPod(w: Workload, name: string, nodeName?: string): void {
    const ns = w.metadata.namespace!;
    const labels = { ...w.spec.template.metadata.labels };
    let owner = { apiVersion: 'apps/v1', kind: w.kind as string, name: w.metadata.name, uid: this.ownerUid(w) };
    if (w.kind === 'Deployment') {
      labels['pod-template-hash'] = this.templateHash(w);
      owner = { ...owner, kind: 'ReplicaSet', name: `${w.metadata.name}-${labels['pod-template-hash']}` };
    }
    if (w.kind === 'StatefulSet') labels['statefulset.kubernetes.io/pod-name'] = name;
    const spec = structuredClone(w.spec.template.spec);
    if (w.kind === 'DaemonSet') {
      spec.nodeName = nodeName;
      spec.tolerations = [...(spec.tolerations ?? []), { key: UNSCHEDULABLE_TAINT, operator: 'Exists', effect: 'NoSchedule' }];
    }
    const pod = this.newPod(ns, name, labels, spec, owner);
    if (w.kind === 'DaemonSet' && nodeName) {
      // DaemonSet pods run on their node with the DaemonSet tolerations (no expiry for unreachable).
      pod.spec.tolerations = pod.spec.tolerations!.map((t) => (t.key === UNREACHABLE_TAINT || t.key === NOT_READY_TAINT ? { key: t.key, operator: 'Exists', effect: 'NoExecute' } : t));
    }
    this.store.create('pods', pod, this.time);
    if (nodeName) this.bind(pod, nodeName);
  }

  private deletePod(p: Pod, component: string): void {
    this.event(p, 'Killing', `Stopping container ${p.spec.containers[0]?.name ?? ''}`, 'Normal', 'kubelet');
    this.store.remove('pods', p);
    void component;
  }

  private setPodReady(p: Pod, ready: boolean, reason?: string): void {
    const t = iso(this.time);
    for (const type of ['Ready', 'ContainersReady']) {
      const c = condition(p, type);
      if (c && c.status !== (ready ? 'True' : 'False')) {
        c.status = ready ? 'True' : 'False';
        c.lastTransitionTime = t;
        if (reason && !ready) c.reason = reason;
        else delete c.reason;
      }
    }
    for (const s of p.status.containerStatuses ?? []) s.ready = ready && p.status.phase === 'Running';
  }

  // ---------- scheduling ----------

  private podsOnNode(name: string): Pod[] {
    return this.pods().filter((p) => p.spec.nodeName === name && !isTerminal(p));
  }

  private selectorMatches(p: Pod, n: Node, labels = n.metadata.labels ?? {}): boolean {
    if (!Object.entries(p.spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return false;
    const required = p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required && !required.nodeSelectorTerms.some((t) => matchesSelector(labels, { matchExpressions: t.matchExpressions }))) return false;
    return true;
  }

  private taintsTolerated(p: Pod, taints: Taint[]): boolean {
    return taints.filter((t) => t.effect !== 'PreferNoSchedule').every((t) => tolerates(p.spec.tolerations, t));
  }

  /** A node the pod could use, ignoring resources: the nodes that make up its spread domains. */
  private usable(p: Pod, n: Node): boolean {
    return isReady(n) && !n.spec.unschedulable && this.selectorMatches(p, n) && this.taintsTolerated(p, n.spec.taints ?? []);
  }

  private spreadCounts(p: Pod, constraint: NonNullable<Pod['spec']['topologySpreadConstraints']>[number], extraDomains: string[] = [], reserved: Map<string, Pod[]> = new Map()) {
    const usable = this.nodes().filter((n) => this.usable(p, n));
    const counts = new Map<string, number>();
    for (const z of extraDomains) counts.set(z, 0);
    for (const n of usable) counts.set(nodeZone(n), counts.get(nodeZone(n)) ?? 0);
    const zoneOf = new Map(usable.map((n) => [n.metadata.name, nodeZone(n)]));
    for (const q of this.pods()) {
      if (q.metadata.namespace !== p.metadata.namespace || isTerminal(q) || !q.spec.nodeName || q.metadata.uid === p.metadata.uid) continue;
      const z = zoneOf.get(q.spec.nodeName);
      if (z !== undefined && matchesSelector(q.metadata.labels, constraint.labelSelector)) counts.set(z, (counts.get(z) ?? 0) + 1);
    }
    for (const [z, list] of reserved) {
      const extra = list.filter((q) => q.metadata.uid !== p.metadata.uid && matchesSelector(q.metadata.labels, constraint.labelSelector)).length;
      if (counts.has(z)) counts.set(z, (counts.get(z) ?? 0) + extra);
    }
    return counts;
  }

  private spreadAllows(p: Pod, zone: string, extraDomains: string[] = [], reserved?: Map<string, Pod[]>): boolean {
    for (const c of p.spec.topologySpreadConstraints ?? []) {
      if (c.whenUnsatisfiable !== 'DoNotSchedule' || c.topologyKey !== ZONE) continue;
      const counts = this.spreadCounts(p, c, extraDomains, reserved);
      if (!counts.has(zone)) return false;
      const min = Math.min(...counts.values());
      if ((counts.get(zone) ?? 0) + 1 - min > c.maxSkew) return false;
    }
    return true;
  }

  private antiAffinityBlocks(p: Pod, others: Pod[]): boolean {
    const terms = p.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    return terms.some((t) => t.topologyKey === HOSTNAME && others.some((q) => q.metadata.namespace === p.metadata.namespace && q.metadata.uid !== p.metadata.uid && matchesSelector(q.metadata.labels, t.labelSelector)));
  }

  private fitsResources(p: Pod, n: Node, extra: Pod[] = []): { cpu: boolean; memory: boolean } {
    const used = [...this.podsOnNode(n.metadata.name), ...extra].filter((q) => q.metadata.uid !== p.metadata.uid).map(requests);
    const want = requests(p);
    const cpu = used.reduce((a, r) => a + r.cpu, 0) + want.cpu <= quantity(n.status.allocatable.cpu) + 1e-9;
    const memory = used.reduce((a, r) => a + r.memory, 0) + want.memory <= quantity(n.status.allocatable.memory);
    return { cpu, memory };
  }

  private schedule(): void {
    const pending = this.pods()
      .filter((p) => !p.spec.nodeName && !isTerminal(p))
      .sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) || a.metadata.name.localeCompare(b.metadata.name));
    for (const p of pending) {
      const nodes = this.nodes();
      const reasons = new Map<string, number>();
      const note = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
      const candidates: { node: Node; score: number }[] = [];
      for (const n of nodes) {
        if (!isReady(n)) { note("node(s) had untolerated taint {node.kubernetes.io/not-ready: }"); continue; }
        if (n.spec.unschedulable) { note('node(s) were unschedulable'); continue; }
        if (!this.selectorMatches(p, n)) { note("node(s) didn't match Pod's node affinity/selector"); continue; }
        const taint = (n.spec.taints ?? []).find((t) => t.effect !== 'PreferNoSchedule' && !tolerates(p.spec.tolerations, t));
        if (taint) { note(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`); continue; }
        const fit = this.fitsResources(p, n);
        if (!fit.cpu) { note('Insufficient cpu'); continue; }
        if (!fit.memory) { note('Insufficient memory'); continue; }
        if (this.antiAffinityBlocks(p, this.podsOnNode(n.metadata.name))) { note("node(s) didn't match pod anti-affinity rules"); continue; }
        if (!this.spreadAllows(p, nodeZone(n))) { note("node(s) didn't match pod topology spread constraints"); continue; }
        candidates.push({ node: n, score: this.score(p, n) });
      }
      if (!candidates.length) {
        const detail = [...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r, c]) => `${c} ${r}`).join(', ');
        const message = `0/${nodes.length} nodes are available: ${detail || 'no nodes available to schedule pods'}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
        const changed = this.store.mutate('pods', p, (x) => {
          x.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: condition(x, 'PodScheduled')?.lastTransitionTime ?? iso(this.time) }];
        });
        if (changed) this.event(p, 'FailedScheduling', message, 'Warning', 'default-scheduler');
        continue;
      }
      candidates.sort((a, b) => b.score - a.score || a.node.metadata.name.localeCompare(b.node.metadata.name));
      this.bind(p, candidates[0].node.metadata.name);
    }
  }

  private score(p: Pod, n: Node): number {
    let score = 0;
    for (const pref of p.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (matchesSelector(n.metadata.labels, { matchExpressions: pref.preference.matchExpressions })) score += pref.weight * 10;
    }
    for (const c of p.spec.topologySpreadConstraints ?? []) {
      if (c.whenUnsatisfiable !== 'ScheduleAnyway') continue;
      const counts = this.spreadCounts(p, c);
      score -= (counts.get(nodeZone(n)) ?? 0) * 200;
    }
    const used = this.podsOnNode(n.metadata.name).map(requests).reduce((a, r) => a + r.cpu, 0);
    score += (1 - used / quantity(n.status.allocatable.cpu)) * 100;
    return score;
  }

  private bind(p: Pod, nodeName: string): void {
    const node = this.store.get<Node>('nodes', undefined, nodeName);
    const t = iso(this.time);
    this.store.mutate('pods', p, (x) => {
      x.spec.nodeName = nodeName;
      x.status = {
        phase: 'Pending', hostIP: node ? this.nodeIp(node) : undefined, startTime: t, qosClass: x.status.qosClass,
        conditions: [
          { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: t },
          { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
          { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${x.spec.containers.map((c) => c.name).join(' ')}]`, lastProbeTime: null, lastTransitionTime: t },
          { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', lastProbeTime: null, lastTransitionTime: t },
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
        ],
        containerStatuses: x.spec.containers.map((c) => ({ name: c.name, ready: false, started: false, restartCount: 0, image: c.image, imageID: '', state: { waiting: { reason: 'ContainerCreating' } } })),
      };
    });
    if (ownerKind(p) !== 'DaemonSet') this.event(p, 'Scheduled', `Successfully assigned ${p.metadata.namespace}/${p.metadata.name} to ${nodeName}`, 'Normal', 'default-scheduler');
    const uid = p.metadata.uid;
    this.startAt.set(uid, this.time + this.env.duration(TIMINGS.podStartMs));
    this.after(TIMINGS.podStartMs, () => this.startPod(p.metadata.namespace!, p.metadata.name, uid));
  }

  private startPod(namespace: string, name: string, uid: string): void {
    const p = this.store.get<Pod>('pods', namespace, name);
    this.startAt.delete(uid);
    if (!p || p.metadata.uid !== uid || !p.spec.nodeName) return;
    const node = this.store.get<Node>('nodes', undefined, p.spec.nodeName);
    const t = iso(this.time);
    this.store.mutate('pods', p, (x) => {
      x.status.phase = 'Running';
      x.status.podIP = `10.244.${Math.floor(this.counter / 250) % 250}.${(this.counter++ % 250) + 2}`;
      for (const c of x.status.conditions ?? []) {
        if (c.status !== 'True') { c.status = 'True'; c.lastTransitionTime = t; delete c.reason; delete c.message; }
      }
      x.status.containerStatuses = x.spec.containers.map((c) => ({ name: c.name, ready: true, started: true, restartCount: 0, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`, state: { running: { startedAt: t } } }));
      if (node && !isReady(node)) this.setPodReady(x, false, 'NodeNotReady');
    });
    if (!this.seeding) this.event(p, 'Started', `Started container ${p.spec.containers[0]?.name ?? ''}`, 'Normal', 'kubelet');
  }

  // ---------- Karpenter (node auto-provisioning) ----------

  private napNodes(pool: string): Node[] {
    return this.nodes().filter((n) => n.metadata.labels?.['karpenter.sh/nodepool'] === pool);
  }

  private zonesOf(np: NodePool): string[] {
    const req = np.spec.template.spec.requirements.find((r) => r.key === ZONE);
    const all = ['1', '2', '3'];
    if (!req) return all;
    const values = (req.values ?? []).map((v) => v.split('-').pop() ?? v);
    return req.operator === 'In' ? all.filter((z) => values.includes(z)) : req.operator === 'NotIn' ? all.filter((z) => !values.includes(z)) : all;
  }

  /** The labels and taints a node from this NodePool would have, to test a pending pod against. */
  private templateNode(np: NodePool, zone: string): { labels: Record<string, string>; taints: Taint[] } {
    const labels: Record<string, string> = {
      ...np.spec.template.metadata?.labels,
      'karpenter.sh/nodepool': np.metadata.name,
      'karpenter.sh/capacity-type': 'spot',
      'karpenter.azure.com/sku-name': SKU,
      'karpenter.azure.com/sku-family': 'D',
      'kubernetes.azure.com/agentpool': np.metadata.name,
      'kubernetes.azure.com/mode': 'user',
      [SPOT_LABEL]: 'spot',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': SKU,
      [ZONE]: `${this.location}-${zone}`,
    };
    return { labels, taints: [...(np.spec.template.spec.taints ?? []), SPOT_TAINT] };
  }

  private limitsAllow(np: NodePool, extraNodes: number): boolean {
    const count = this.napNodes(np.metadata.name).length + [...this.claims.values()].filter((c) => c.pool === np.metadata.name && !this.store.get('nodes', undefined, c.name)).length + extraNodes;
    const l = np.spec.limits ?? {};
    if (l.cpu !== undefined && count * quantity(NODE_CPU) > quantity(l.cpu)) return false;
    if (l.memory !== undefined && count * quantity(NODE_MEMORY) > quantity(l.memory)) return false;
    if (l.nodes !== undefined && count > quantity(l.nodes)) return false;
    return true;
  }

  private daemonOverhead(labels: Record<string, string>, taints: Taint[]): number {
    const fake = { metadata: { labels }, spec: { taints } } as unknown as Node;
    return this.store.list<Workload>('daemonsets').filter((d) => this.daemonFits(d, fake)).reduce((a, d) => a + d.spec.template.spec.containers.reduce((s, c) => s + quantity(c.resources?.requests?.cpu), 0), 0);
  }

  private karpenter(cluster: TwinCluster): void {
    if (cluster.nodeProvisioningMode !== 'Auto') return;
    const pools = this.nodePools();
    const podsByUid = new Map(this.pods().map((p) => [p.metadata.uid, p]));
    // Claims whose node is Ready hand their pods to the scheduler.
    for (const c of [...this.claims.values()]) {
      const node = this.store.get<Node>('nodes', undefined, c.name);
      for (const uid of [...c.pods]) {
        const p = podsByUid.get(uid);
        if (!p || p.spec.nodeName) c.pods.delete(uid);
      }
      if (node && isReady(node)) this.claims.delete(c.name);
    }
    const reservedBy = new Map<string, Claim>();
    for (const c of this.claims.values()) for (const uid of c.pods) reservedBy.set(uid, c);
    const pending = this.pods().filter(
      (p) => !p.spec.nodeName && !isTerminal(p) && condition(p, 'PodScheduled')?.reason === 'Unschedulable' && !reservedBy.has(p.metadata.uid),
    );
    for (const p of pending) {
      let placed = false;
      const failures: string[] = [];
      for (const np of pools) {
        const zones = this.zonesOf(np).filter((z) => this.spotCapacity[z] && !this.outageZones.has(z));
        const probe = this.templateNode(np, zones[0] ?? '1');
        if (!this.taintsTolerated(p, probe.taints) || !this.selectorMatches(p, { metadata: { labels: probe.labels } } as unknown as Node, probe.labels)) {
          failures.push(`incompatible with nodepool "${np.metadata.name}"`);
          continue;
        }
        const reserved = new Map<string, Pod[]>();
        for (const c of this.claims.values()) {
          const list = reserved.get(c.zone) ?? [];
          for (const uid of c.pods) { const q = podsByUid.get(uid); if (q) list.push(q); }
          reserved.set(c.zone, list);
        }
        // Pack into a claim that is still launching when the pod fits there.
        for (const c of this.claims.values()) {
          if (c.pool !== np.metadata.name || !zones.includes(c.zone)) continue;
          const others = [...c.pods].map((u) => podsByUid.get(u)).filter((q): q is Pod => Boolean(q));
          const tmpl = this.templateNode(np, c.zone);
          const free = quantity(NODE_ALLOC_CPU) - this.daemonOverhead(tmpl.labels, tmpl.taints) - others.map(requests).reduce((a, r) => a + r.cpu, 0);
          if (requests(p).cpu > free || this.antiAffinityBlocks(p, others) || !this.spreadAllows(p, c.zone, zones, reserved)) continue;
          c.pods.add(p.metadata.uid);
          placed = true;
          break;
        }
        if (placed) break;
        const allowed = zones.filter((z) => this.spreadAllows(p, z, zones, reserved));
        if (!allowed.length) {
          failures.push(zones.length ? `no zone of nodepool "${np.metadata.name}" satisfies the topology spread` : `nodepool "${np.metadata.name}" has no Spot capacity in zones ${this.zonesOf(np).join(', ') || 'none'}`);
          continue;
        }
        if (!this.limitsAllow(np, 1)) {
          failures.push(`all available instance types exceed limits for nodepool: "${np.metadata.name}"`);
          continue;
        }
        const counts = (z: string) => this.napNodes(np.metadata.name).filter((n) => nodeZone(n) === z).length + [...this.claims.values()].filter((c) => c.zone === z).length;
        const spreadCount = (z: string) => {
          const c = (p.spec.topologySpreadConstraints ?? []).find((x) => x.topologyKey === ZONE);
          return c ? (this.spreadCounts(p, c, zones, reserved).get(z) ?? 0) : 0;
        };
        allowed.sort((a, b) => spreadCount(a) - spreadCount(b) || counts(a) - counts(b) || a.localeCompare(b));
        this.launch(np, allowed[0], p);
        placed = true;
        break;
      }
      if (!placed && failures.length) {
        const message = `Failed to schedule pod, ${failures.join('; ')}`;
        const last = this.store.list<K8sEvent>('events', p.metadata.namespace).find((e) => e.involvedObject.uid === p.metadata.uid && e.reason === 'FailedScheduling' && e.source.component === 'karpenter');
        if (!last || last.message !== message) this.event(p, 'FailedScheduling', message, 'Warning', 'karpenter');
      }
    }
    this.consolidate(pools);
  }

  private launch(np: NodePool, zone: string, pod: Pod): void {
    const name = `aks-${np.metadata.name}-${this.suffix()}`;
    const claim: Claim = { name, zone, pool: np.metadata.name, pods: new Set([pod.metadata.uid]) };
    this.claims.set(name, claim);
    const t = iso(this.time);
    const tmpl = this.templateNode(np, zone);
    const nc: NodeClaim = {
      apiVersion: 'karpenter.sh/v1', kind: 'NodeClaim',
      metadata: {
        name, uid: '', resourceVersion: '', creationTimestamp: '', labels: { ...tmpl.labels },
        ownerReferences: [{ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', name: np.metadata.name, uid: np.metadata.uid, blockOwnerDeletion: true }],
      },
      spec: { nodeClassRef: np.spec.template.spec.nodeClassRef, requirements: [...np.spec.template.spec.requirements, { key: ZONE, operator: 'In', values: [`${this.location}-${zone}`] }], taints: tmpl.taints, expireAfter: np.spec.template.spec.expireAfter },
      status: { conditions: [{ type: 'Launched', status: 'Unknown', reason: 'Launching', lastTransitionTime: t }] },
    };
    this.store.create('nodeclaims', nc, this.time);
    if (!this.seeding) {
      this.event(pod, 'Nominated', `Pod should schedule on: nodeclaim/${name}`, 'Normal', 'karpenter');
      this.event(nc, 'Launched', `Status condition transitioned, Type: Launched, Status: Unknown -> True, Reason: Launched (zone ${this.location}-${zone}, capacity spot)`, 'Normal', 'karpenter');
    }
    this.after(TIMINGS.claimRegisterMs, () => {
      if (!this.claims.has(name) && !this.seeding) return;
      const providerID = `azure:///subscriptions/${this.env.subscriptionId}/resourceGroups/mc_${this.env.cluster().resourceGroup}_${this.env.cluster().name}_${this.location}/providers/Microsoft.Compute/virtualMachines/${name}`.toLowerCase();
      this.createNode(name, zone, { ...tmpl.labels, 'karpenter.sh/registered': 'true', 'karpenter.sh/initialized': 'true' }, tmpl.taints, providerID, this.seeding ? 0 : TIMINGS.claimReadyMs - TIMINGS.claimRegisterMs);
      const stored = this.store.get<NodeClaim>('nodeclaims', undefined, name);
      if (stored) {
        this.store.mutate('nodeclaims', stored, (x) => {
          x.status = { nodeName: name, providerID, capacity: { cpu: NODE_CPU, memory: NODE_MEMORY }, conditions: ['Launched', 'Registered', 'Initialized', 'Ready'].map((type) => ({ type, status: 'True' as const, reason: type, lastTransitionTime: iso(this.time) })) };
        });
      }
    });
  }

  private consolidate(pools: NodePool[]): void {
    for (const np of pools) {
      const after = np.spec.disruption.consolidateAfter;
      if (after === 'Never') continue;
      const delay = this.env.duration(durationMs(after));
      const blocked = (np.spec.disruption.budgets ?? []).some((b) => /^0%?$/.test(b.nodes.trim()) && (!b.reasons || b.reasons.includes('Empty')));
      for (const n of this.napNodes(np.metadata.name)) {
        const busy = this.podsOnNode(n.metadata.name).some((p) => ownerKind(p) !== 'DaemonSet');
        const launching = this.claims.has(n.metadata.name);
        if (busy || launching || !isReady(n)) {
          this.emptySince.delete(n.metadata.name);
          continue;
        }
        const since = this.emptySince.get(n.metadata.name) ?? this.time;
        this.emptySince.set(n.metadata.name, since);
        if (blocked) continue;
        if (this.time - since >= delay) {
          this.event(n, 'DisruptionTerminating', `Disrupting Node: Empty/Delete`, 'Normal', 'karpenter');
          this.deleteNode(n, 'Terminated', `Node ${n.metadata.name} removed by consolidation (empty for ${after})`);
        } else this.wakeAt(since + delay);
      }
    }
  }

  // ---------- status ----------

  private updateStatuses(): void {
    for (const w of this.workloads()) {
      const pods = this.podsOf(w);
      const ready = pods.filter((p) => condition(p, 'Ready')?.status === 'True').length;
      this.store.mutate(this.resourceOf(w), w, (x) => {
        if (x.kind === 'DaemonSet') {
          const desired = this.nodes().filter((n) => this.daemonFits(x, n)).length;
          x.status = { currentNumberScheduled: pods.length, desiredNumberScheduled: desired, numberAvailable: ready, numberMisscheduled: 0, numberReady: ready, observedGeneration: x.metadata.generation, updatedNumberScheduled: pods.length, ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}) };
          return;
        }
        const replicas = x.spec.replicas ?? 1;
        // The default rolling update allows 25 % unavailable.
        const available = ready >= replicas - Math.floor(replicas * 0.25);
        x.status = {
          observedGeneration: x.metadata.generation, replicas: pods.length, updatedReplicas: pods.length, readyReplicas: ready, availableReplicas: ready,
          ...(x.kind === 'StatefulSet' ? { currentReplicas: pods.length, currentRevision: `${x.metadata.name}-${this.templateHash(x).slice(0, 8)}`, updateRevision: `${x.metadata.name}-${this.templateHash(x).slice(0, 8)}` } : {}),
          ...(x.kind === 'Deployment' && replicas - ready > 0 ? { unavailableReplicas: replicas - ready } : {}),
          ...(x.kind === 'Deployment'
            ? { conditions: [
                { type: 'Available', status: available ? 'True' : 'False', reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.' },
                { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${x.metadata.name}-${this.templateHash(x)}" has successfully progressed.` },
              ] }
            : {}),
        };
      });
    }
    for (const pdb of this.store.list<PodDisruptionBudget>('poddisruptionbudgets')) this.store.mutate('poddisruptionbudgets', pdb, (x) => (x.status = this.pdbStatus(x)));
    for (const np of this.nodePools()) {
      const nodes = this.napNodes(np.metadata.name);
      this.store.mutate('nodepools', np, (x) => {
        x.status = {
          resources: { cpu: String(nodes.length * quantity(NODE_CPU)), memory: `${nodes.length * quantity(NODE_MEMORY) / 1024}Ki`, nodes: String(nodes.length), pods: String(nodes.length * 250) },
          conditions: ['NodeClassReady', 'ValidationSucceeded', 'Ready'].map((type) => ({ type, status: 'True' as const, reason: type, lastTransitionTime: x.metadata.creationTimestamp })),
        };
      });
    }
  }

  private pdbStatus(pdb: PodDisruptionBudget): PodDisruptionBudget['status'] {
    const pods = this.pods().filter((p) => p.metadata.namespace === pdb.metadata.namespace && !isTerminal(p) && matchesSelector(p.metadata.labels, pdb.spec.selector));
    const healthy = pods.filter((p) => condition(p, 'Ready')?.status === 'True').length;
    const expected = pods.length;
    const resolve = (v: number | string) => (typeof v === 'string' && v.endsWith('%') ? Math.ceil((Number(v.slice(0, -1)) / 100) * expected) : Number(v));
    const desired = pdb.spec.minAvailable !== undefined ? resolve(pdb.spec.minAvailable) : Math.max(0, expected - resolve(pdb.spec.maxUnavailable ?? 0));
    const allowed = Math.max(0, healthy - desired);
    return {
      currentHealthy: healthy, desiredHealthy: desired, disruptionsAllowed: allowed, expectedPods: expected, observedGeneration: pdb.metadata.generation,
      conditions: [{ type: 'DisruptionAllowed', status: allowed > 0 ? 'True' : 'False', reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods', lastTransitionTime: condition(pdb, 'DisruptionAllowed')?.status === (allowed > 0 ? 'True' : 'False') ? condition(pdb, 'DisruptionAllowed')?.lastTransitionTime : iso(this.time) }],
    };
  }

  // ---------- events ----------

  event(obj: K8sObject, reason: string, message: string, type: 'Normal' | 'Warning', component: string): void {
    if (this.seeding) return;
    const ns = obj.metadata.namespace ?? 'default';
    const t = iso(this.time);
    const same = this.store.list<K8sEvent>('events', ns).find((e) => e.involvedObject.uid === obj.metadata.uid && e.reason === reason && e.message === message);
    if (same) {
      this.store.mutate('events', same, (e) => { e.count += 1; e.lastTimestamp = t; });
      return;
    }
    const ev: K8sEvent = {
      apiVersion: 'v1', kind: 'Event',
      metadata: { name: `${obj.metadata.name}.${createHash('sha256').update(`${obj.metadata.uid}:${reason}:${this.counter++}`).digest('hex').slice(0, 16)}`, namespace: ns, uid: '', resourceVersion: '', creationTimestamp: '' },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid },
      reason, message, type, source: { component }, firstTimestamp: t, lastTimestamp: t, eventTime: null, count: 1, reportingComponent: component, reportingInstance: '',
    };
    this.store.create('events', ev, this.time);
  }

  private expireEvents(): void {
    for (const e of this.store.list<K8sEvent>('events')) if (Date.parse(e.lastTimestamp) + TIMINGS.eventTtlMs < this.time) this.store.remove('events', e);
  }

  // ---------- API-driven changes ----------

  /** POST …/pods/{name}/eviction: the Eviction API, refused with 429 while a PDB allows no disruption. */
  evict(namespace: string, name: string): void {
    this.advance();
    const p = this.store.get<Pod>('pods', namespace, name);
    if (!p) throw new K8sError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const healthy = condition(p, 'Ready')?.status === 'True';
    for (const pdb of this.store.list<PodDisruptionBudget>('poddisruptionbudgets', namespace)) {
      if (!matchesSelector(p.metadata.labels, pdb.spec.selector)) continue;
      const s = this.pdbStatus(pdb);
      if (healthy && s.disruptionsAllowed < 1) {
        throw new K8sError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', {
          causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${s.desiredHealthy} healthy pods and has ${s.currentHealthy} currently` }],
        });
      }
    }
    this.event(p, 'Killing', `Stopping container ${p.spec.containers[0]?.name ?? ''}`, 'Normal', 'kubelet');
    this.store.remove('pods', p);
    this.advance();
  }

  deletePodByName(namespace: string, name: string): Pod {
    this.advance();
    const p = this.store.get<Pod>('pods', namespace, name);
    if (!p) throw new K8sError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    this.deletePod(p, 'api');
    this.advance();
    return p;
  }

  /** After an object was written through the API: let the controllers react now. */
  changed(): void {
    this.advance();
  }

  // ---------- scenarios (twin admin) ----------

  /** §4.3 / §10.3: Azure evicts a Spot VM; the node goes after the notice, Karpenter replaces what is needed. */
  spotEviction(opts: { node?: string; zone?: string }): ScenarioResult {
    this.advance();
    const spot = this.nodes().filter((n) => n.metadata.labels?.[SPOT_LABEL] === 'spot' && !n.spec.taints?.some((t) => t.key === DISRUPTED_TAINT));
    const target = opts.node ? spot.find((n) => n.metadata.name === opts.node) : spot.filter((n) => !opts.zone || nodeZone(n) === opts.zone).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
    if (!target) throw new K8sError(404, 'NotFound', opts.node ? `no Spot node "${opts.node}"` : `no Spot node${opts.zone ? ` in zone ${opts.zone}` : ''} to evict`);
    const name = target.metadata.name;
    this.event(target, 'SpotInterrupted', `Spot VM ${name} received an eviction notice from Azure; it will be deleted in ${TIMINGS.spotNoticeMs / 1000}s`, 'Warning', 'karpenter');
    this.store.mutate('nodes', target, (n) => { n.spec.taints = [...(n.spec.taints ?? []), { key: DISRUPTED_TAINT, effect: 'NoSchedule', timeAdded: iso(this.time) }]; });
    this.after(TIMINGS.spotNoticeMs, () => {
      const n = this.store.get<Node>('nodes', undefined, name);
      if (!n) return;
      const poolName = n.metadata.labels?.['kubernetes.azure.com/agentpool'];
      const pool = !n.metadata.labels?.['karpenter.sh/nodepool'] ? this.env.cluster().pools.find((p) => p.name === poolName) : undefined;
      // A VMSS Spot pool with eviction policy Delete loses the instance: its count goes down with it.
      if (pool) pool.count = Math.max(0, pool.count - 1);
      this.deleteNode(n, 'SpotEvicted', `Node ${name} deleted: Azure evicted the Spot VM`);
    });
    this.advance();
    return { cluster: this.key, detail: `Spot eviction notice for ${name} (zone ${nodeZone(target)})`, nodes: [name] };
  }

  /** §4.2: a zone goes down: its nodes stop reporting (NotReady), no new capacity there until restored. */
  zoneOutage(zone: string): ScenarioResult {
    this.advance();
    this.outageZones.add(zone);
    this.advance();
    return { cluster: this.key, detail: `zone ${zone} down`, nodes: this.nodes().filter((n) => nodeZone(n) === zone).map((n) => n.metadata.name) };
  }

  restoreZone(zone: string): ScenarioResult {
    this.advance();
    this.outageZones.delete(zone);
    this.advance();
    return { cluster: this.key, detail: `zone ${zone} restored`, nodes: this.nodes().filter((n) => nodeZone(n) === zone).map((n) => n.metadata.name) };
  }

  setSpotCapacity(zone: string, available: boolean): void {
    this.advance();
    this.spotCapacity[zone] = available;
    this.advance();
  }

  /** What the admin surface reports: counts that a test or a presenter can check at a glance. */
  summary() {
    this.advance();
    const nodes = this.nodes();
    const pods = this.pods();
    return {
      cluster: this.key,
      power: this.env.cluster().power,
      resourceVersion: this.store.resourceVersion,
      outageZones: [...this.outageZones],
      spotCapacity: { ...this.spotCapacity },
      nodes: nodes.map((n) => ({ name: n.metadata.name, zone: nodeZone(n), pool: n.metadata.labels?.['kubernetes.azure.com/agentpool'], ready: condition(n, 'Ready')?.status, unschedulable: Boolean(n.spec.unschedulable), spot: n.metadata.labels?.[SPOT_LABEL] === 'spot' })),
      pods: { total: pods.length, pending: pods.filter((p) => p.status.phase === 'Pending').map((p) => `${p.metadata.namespace}/${p.metadata.name}`), running: pods.filter((p) => p.status.phase === 'Running').length },
      nodeClaims: this.store.list('nodeclaims').map((c) => c.metadata.name),
      pendingTimers: this.timers.length,
    };
  }

  selectNodes(labelSelector: string): Node[] {
    const reqs = parseLabelSelector(labelSelector);
    return this.nodes().filter((n) => matchesRequirements(n.metadata.labels, reqs));
  }
}

/** "30s", "5m", "1h30m" → milliseconds. */
function namespaceObject(ns: string): K8sObject {
  return {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns }, uid: '', resourceVersion: '', creationTimestamp: '' },
    spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
  } as K8sObject;
}

export function durationMs(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/([0-9.]+)(ms|s|m|h)/g)) total += Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[m[2] as 'ms' | 's' | 'm' | 'h'];
  return total;
}

export { NODEPOOL_NAME };
