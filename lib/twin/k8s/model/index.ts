import { createHash } from 'node:crypto';
import { installStepOf, kyvernoPolicyObjects, namespacesFor, nodePoolObject, pdbObject, verifyObjects, workloadObject, workloadsFor, type ClusterKey } from '../catalog';
import { decodeHelmRelease, type HelmReleaseJson } from '../../../domain/helm-release';
import { appVersionOf, helmReleasesFor, helmSecret, releaseJson } from '../helm';
import { matchesSelector } from '../meta';
import { ObjectStore } from '../store';
import { K8sError, type K8sObject, type Node, type NodePool, type Pod, type PodDisruptionBudget, type Workload } from '../types';
import { syncAgentPoolNodes, nodeIp, nodeLifecycle } from './nodes';
import { reconcileWorkload, newPod, deletePod, updateWorkloadStatuses, pdbStatus } from './workloads';
import { schedule } from './scheduler';
import { karpenter, updateNodePoolStatuses } from './karpenter';
import { event, expireEvents } from './events';
import { spotEviction, zoneOutage, restoreZone, setSpotCapacity, summary, selectNodes } from './scenarios';
import { type ModelEnv, type Claim, type ScenarioResult, iso, condition, namespaceObject } from './shared';

export { TIMINGS, nodeZone, durationMs, type ModelEnv, type ScenarioResult } from './shared';
export { NODEPOOL_NAME } from '../catalog';

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
 *
 * This class owns the store, the clock and the reconcile loop; each controller
 * is its own file (`nodes`, `workloads`, `scheduler`, `karpenter`, `events`),
 * and the admin's scenarios are in `scenarios`.
 */
export class ClusterModel {
  readonly store: ObjectStore;
  // The controllers' state, shared with the controllers in this folder; the API handlers use the methods below.
  timers: { at: number; run: () => void }[] = [];
  time: number;
  private advancing = false;
  seeding = true;
  counter = 0;
  readyAt = new Map<string, number>();
  startAt = new Map<string, number>();
  emptySince = new Map<string, number>();
  claims = new Map<string, Claim>();
  private stopped = false;
  /** Zones whose Spot capacity Azure has (scenario: none in a zone → Karpenter falls back to the other zones). */
  readonly spotCapacity: Record<string, boolean> = { '1': true, '2': true, '3': true };
  readonly outageZones = new Set<string>();

  constructor(readonly env: ModelEnv) {
    this.store = new ObjectStore(createHash('sha256').update(env.key).digest('hex').slice(0, 8));
    // The controllers read pods by node, by owner and by namespace: filed once per write, not scanned per read.
    this.store.addIndex('pods', 'node', (p) => (p as Pod).spec.nodeName);
    this.store.addIndex('pods', 'owner', (p) => {
      const uid = p.metadata.ownerReferences?.[0]?.uid;
      return uid ? `${p.metadata.namespace}/${uid}` : undefined;
    });
    this.store.addIndex('pods', 'namespace', (p) => p.metadata.namespace);
    this.time = env.now();
    this.seed();
    this.seeding = false;
  }

  get key(): ClusterKey {
    return this.env.key;
  }

  get location(): string {
    return this.env.cluster().location;
  }

  private seed(): void {
    const now = this.time;
    const installedSteps = this.env.cluster().installedSteps;
    // A cluster created by a simulated `tofu apply` holds only what AKS creates with it.
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

  /** Every object the catalog puts in this cluster (what install.sh leaves), with the resource it is stored under. */
  private catalogObjects(now: number): { resource: string; object: K8sObject }[] {
    const out: { resource: string; object: K8sObject }[] = [];
    for (const addOn of workloadsFor(this.key)) {
      const w = workloadObject(addOn, this.env.scale);
      out.push({ resource: this.resourceOf(w), object: w });
      const pdb = pdbObject(addOn);
      if (pdb) out.push({ resource: 'poddisruptionbudgets', object: pdb });
    }
    if (this.env.cluster().nodeProvisioningMode === 'Auto') out.push({ resource: 'nodepools', object: nodePoolObject(this.location, this.env.scale) });
    out.push(...verifyObjects(this.key, iso(now)));
    out.push(...kyvernoPolicyObjects(this.key));
    for (const r of helmReleasesFor(this.key)) out.push({ resource: 'secrets', object: helmSecret(releaseJson(r, iso(now))) });
    return out;
  }

  /** The newest revision Helm recorded of a release, or undefined when it is not installed. */
  helmRelease(namespace: string, release: string): HelmReleaseJson | undefined {
    const revisions = this.store.list('secrets', namespace).filter((s) => s.metadata.labels?.owner === 'helm' && s.metadata.labels.name === release);
    const latest = revisions.sort((a, b) => Number(b.metadata.labels?.version) - Number(a.metadata.labels?.version))[0];
    return latest && decodeHelmRelease((latest.data as { release: string }).release);
  }

  /**
   * `helm upgrade` to another chart version, as Helm records it (a drift from infra/'s pin):
   * the newest revision's Secret becomes superseded and the next revision is written, deployed.
   */
  helmUpgrade(v: { namespace: string; release: string; version: string; appVersion?: string }): ScenarioResult {
    this.advance();
    const revisions = this.store.list('secrets', v.namespace).filter((s) => s.metadata.labels?.owner === 'helm' && s.metadata.labels.name === v.release);
    const latest = revisions.sort((a, b) => Number(b.metadata.labels?.version) - Number(a.metadata.labels?.version))[0];
    if (!latest) throw new K8sError(404, 'NotFound', `no Helm release ${v.release} in namespace ${v.namespace} on ${this.key}`);
    const previous = decodeHelmRelease((latest.data as { release: string }).release);
    const superseded = helmSecret({ ...previous, info: { ...previous.info, status: 'superseded' } });
    this.store.mutate('secrets', latest, (s) => {
      s.metadata.labels = { ...s.metadata.labels, status: 'superseded' };
      s.data = superseded.data;
    });
    const now = iso(this.time);
    const appVersion = v.appVersion ?? appVersionOf(previous.chart.metadata.name, v.version);
    const next = {
      ...previous,
      version: previous.version + 1,
      info: { ...previous.info, status: 'deployed', last_deployed: now, description: 'Upgrade complete' },
      // Another chart version has its own app version: the one given, or none rather than the old one.
      chart: { metadata: { apiVersion: previous.chart.metadata.apiVersion, name: previous.chart.metadata.name, version: v.version, ...(appVersion ? { appVersion } : {}) } },
    };
    this.store.create('secrets', helmSecret(next), this.time);
    return { cluster: this.key, detail: `Helm release ${v.namespace}/${v.release}: revision ${next.version}, chart ${previous.chart.metadata.version} → ${v.version}`, nodes: [] };
  }

  /**
   * Applies one install.sh step to a cluster created without its add-ons, as helm and
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
    const pod = newPod(this, 'cert-manager', 'cert-manager-startupapicheck-' + this.suffix(), { 'app.kubernetes.io/name': 'startupapicheck' }, {
      containers: [{ name: 'cert-manager-startupapicheck', image: 'quay.io/jetstack/cert-manager-startupapicheck:v1.19.1' }],
      nodeName: node.metadata.name, restartPolicy: 'OnFailure',
    }, { apiVersion: 'batch/v1', kind: 'Job', name: 'cert-manager-startupapicheck' });
    pod.status = {
      phase: 'Succeeded', hostIP: nodeIp(this, node), startTime: iso(now), qosClass: 'BestEffort',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: iso(now) }, { type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: iso(now) }],
      containerStatuses: [{ name: 'cert-manager-startupapicheck', ready: false, restartCount: 0, image: pod.spec.containers[0].image, imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    };
    this.store.create('pods', pod, now);
  }

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

  after(ms: number, run: () => void): void {
    if (this.seeding) return run();
    this.timers.push({ at: this.time + this.env.duration(ms), run });
  }

  /** A wake-up so that a deadline (consolidation, taint eviction) is handled at its time. */
  wakeAt(at: number): void {
    if (!this.seeding && at > this.time && !this.timers.some((t) => t.at === at)) this.timers.push({ at, run: () => undefined });
  }

  suffix(len = 5): string {
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

  /** The pods bound to a node (terminal ones included). */
  podsBoundTo(node: string): Pod[] {
    return this.store.listBy<Pod>('pods', 'node', node);
  }

  /** The pods of a namespace whose first owner reference is `ownerUid`. */
  podsOwnedBy(namespace: string, ownerUid: string): Pod[] {
    return this.store.listBy<Pod>('pods', 'owner', `${namespace}/${ownerUid}`);
  }

  podsIn(namespace: string): Pod[] {
    return this.store.listBy<Pod>('pods', 'namespace', namespace);
  }

  nodePools(): NodePool[] {
    return this.store.list<NodePool>('nodepools');
  }

  workloads(): Workload[] {
    return [...this.store.list<Workload>('deployments'), ...this.store.list<Workload>('statefulsets'), ...this.store.list<Workload>('daemonsets')];
  }

  resourceOf(w: Workload): string {
    return w.kind === 'Deployment' ? 'deployments' : w.kind === 'StatefulSet' ? 'statefulsets' : 'daemonsets';
  }

  private reconcile(): void {
    const cluster = this.env.cluster();
    if (cluster.power !== 'Running') {
      if (!this.stopped) this.teardown();
      return;
    }
    this.stopped = false;
    syncAgentPoolNodes(this, cluster);
    nodeLifecycle(this);
    for (const w of this.workloads()) reconcileWorkload(this, w);
    schedule(this);
    karpenter(this, cluster);
    updateWorkloadStatuses(this);
    updateNodePoolStatuses(this);
    expireEvents(this);
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

  event(obj: K8sObject, reason: string, message: string, type: 'Normal' | 'Warning', component: string): void {
    event(this, obj, reason, message, type, component);
  }

  /** POST …/pods/{name}/eviction: the Eviction API, refused with 429 while a PDB allows no disruption. */
  evict(namespace: string, name: string): void {
    this.advance();
    const p = this.store.get<Pod>('pods', namespace, name);
    if (!p) throw new K8sError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const healthy = condition(p, 'Ready')?.status === 'True';
    for (const pdb of this.store.list<PodDisruptionBudget>('poddisruptionbudgets', namespace)) {
      if (!matchesSelector(p.metadata.labels, pdb.spec.selector)) continue;
      const s = pdbStatus(this, pdb);
      if (healthy && s.disruptionsAllowed < 1) {
        throw new K8sError(429, 'TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.', {
          causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${s.desiredHealthy} healthy pods and has ${s.currentHealthy} currently` }],
        });
      }
    }
    event(this, p, 'Killing', `Stopping container ${p.spec.containers[0]?.name ?? ''}`, 'Normal', 'kubelet');
    this.store.remove('pods', p);
    this.advance();
  }

  deletePodByName(namespace: string, name: string): Pod {
    this.advance();
    const p = this.store.get<Pod>('pods', namespace, name);
    if (!p) throw new K8sError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    deletePod(this, p, 'api');
    this.advance();
    return p;
  }

  /** After an object was written through the API: let the controllers react now. */
  changed(): void {
    this.advance();
  }

  /** Azure evicts a Spot VM; the node goes after the notice, Karpenter replaces what is needed. */
  spotEviction(opts: { node?: string; zone?: string }): ScenarioResult {
    return spotEviction(this, opts);
  }

  /** A zone goes down: its nodes stop reporting (NotReady), no new capacity there until restored. */
  zoneOutage(zone: string): ScenarioResult {
    return zoneOutage(this, zone);
  }

  restoreZone(zone: string): ScenarioResult {
    return restoreZone(this, zone);
  }

  setSpotCapacity(zone: string, available: boolean): void {
    setSpotCapacity(this, zone, available);
  }

  /** What the admin surface reports: counts that a test or a presenter can check at a glance. */
  summary() {
    return summary(this);
  }

  selectNodes(labelSelector: string): Node[] {
    return selectNodes(this, labelSelector);
  }
}
