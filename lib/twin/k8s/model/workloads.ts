import { createHash } from 'node:crypto';
import { matchesSelector, tolerates } from '../meta';
import type { Node, Pod, PodDisruptionBudget, Workload } from '../types';
import { bind } from './scheduler';
import { event } from './events';
import { UNSCHEDULABLE_TAINT, UNREACHABLE_TAINT, NOT_READY_TAINT, iso, isTerminal, condition } from './shared';
import type { ClusterModel } from '.';

/** Workloads: the Deployment, StatefulSet and DaemonSet controllers, their pods, and workload and PDB status. */

export function podsOf(m: ClusterModel, w: Workload): Pod[] {
  return m.podsOwnedBy(w.metadata.namespace!, ownerUid(m, w)).filter((p) => !isTerminal(p));
}

export function ownerUid(m: ClusterModel, w: Workload): string {
  // Deployments own their pods through a ReplicaSet, whose uid is derived from the Deployment's and its template.
  if (w.kind !== 'Deployment') return w.metadata.uid;
  const h = createHash('sha256').update(`${w.metadata.uid}/${templateHash(m, w)}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Hashes by template object: a write that changes the template replaces it (API writes replace the spec). */
const templateHashes = new WeakMap<object, string>();

export function templateHash(m: ClusterModel, w: Workload): string {
  const known = templateHashes.get(w.spec.template);
  if (known) return known;
  const hash = createHash('sha256').update(JSON.stringify(w.spec.template)).digest('hex').slice(0, 10).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]);
  templateHashes.set(w.spec.template, hash);
  return hash;
}

export function reconcileWorkload(m: ClusterModel, w: Workload): void {
  const pods = podsOf(m, w);
  if (w.kind === 'DaemonSet') {
    const nodes = new Set(m.nodes().filter((n) => daemonFits(m, w, n)).map((n) => n.metadata.name));
    const served = new Set(pods.map((p) => p.spec.nodeName));
    for (const n of nodes) if (!served.has(n)) createWorkloadPod(m, w, `${w.metadata.name}-${m.suffix()}`, n);
    for (const p of pods) if (!nodes.has(p.spec.nodeName!)) m.store.remove('pods', p);
    return;
  }
  const desired = w.spec.replicas ?? 1;
  if (w.kind === 'StatefulSet') {
    for (let i = 0; i < desired; i++) {
      if (!pods.some((p) => p.metadata.name === `${w.metadata.name}-${i}`)) createWorkloadPod(m, w, `${w.metadata.name}-${i}`);
    }
    for (const p of pods) {
      const ordinal = Number(p.metadata.name.slice(w.metadata.name.length + 1));
      if (ordinal >= desired) deletePod(m, p, 'statefulset-controller');
    }
    return;
  }
  for (let i = pods.length; i < desired; i++) createWorkloadPod(m, w, `${w.metadata.name}-${templateHash(m, w)}-${m.suffix()}`);
  if (pods.length > desired) {
    // The ReplicaSet controller removes unscheduled, then not-ready, then the newest pods first.
    const rank = (p: Pod) => (!p.spec.nodeName ? 0 : p.status.phase !== 'Running' ? 1 : 2);
    const victims = [...pods].sort((a, b) => rank(a) - rank(b) || b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp)).slice(0, pods.length - desired);
    for (const p of victims) deletePod(m, p, 'replicaset-controller');
  }
}

export function daemonFits(m: ClusterModel, w: Workload, n: Node): boolean {
  const sel = w.spec.template.spec.nodeSelector ?? {};
  if (!Object.entries(sel).every(([k, v]) => n.metadata.labels?.[k] === v)) return false;
  return (n.spec.taints ?? []).filter((t) => t.effect !== 'PreferNoSchedule' && ![UNSCHEDULABLE_TAINT, UNREACHABLE_TAINT, NOT_READY_TAINT].includes(t.key)).every((t) => tolerates(w.spec.template.spec.tolerations, t));
}

export function newPod(m: ClusterModel, namespace: string, name: string, labels: Record<string, string>, spec: Pod['spec'], owner?: { apiVersion: string; kind: string; name: string; uid?: string }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name, namespace, labels, uid: '', resourceVersion: '', creationTimestamp: '',
      ownerReferences: owner ? [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid ?? m.store.newUid(), controller: true, blockOwnerDeletion: true }] : undefined,
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

export function createWorkloadPod(m: ClusterModel, w: Workload, name: string, nodeName?: string): void {
  const ns = w.metadata.namespace!;
  const labels = { ...w.spec.template.metadata.labels };
  let owner = { apiVersion: 'apps/v1', kind: w.kind as string, name: w.metadata.name, uid: ownerUid(m, w) };
  if (w.kind === 'Deployment') {
    labels['pod-template-hash'] = templateHash(m, w);
    owner = { ...owner, kind: 'ReplicaSet', name: `${w.metadata.name}-${labels['pod-template-hash']}` };
  }
  if (w.kind === 'StatefulSet') labels['statefulset.kubernetes.io/pod-name'] = name;
  const spec = structuredClone(w.spec.template.spec);
  if (w.kind === 'DaemonSet') {
    spec.nodeName = nodeName;
    spec.tolerations = [...(spec.tolerations ?? []), { key: UNSCHEDULABLE_TAINT, operator: 'Exists', effect: 'NoSchedule' }];
  }
  const pod = newPod(m, ns, name, labels, spec, owner);
  if (w.kind === 'DaemonSet' && nodeName) {
    // DaemonSet pods run on their node with the DaemonSet tolerations (no expiry for unreachable).
    pod.spec.tolerations = pod.spec.tolerations!.map((t) => (t.key === UNREACHABLE_TAINT || t.key === NOT_READY_TAINT ? { key: t.key, operator: 'Exists', effect: 'NoExecute' } : t));
  }
  m.store.create('pods', pod, m.time);
  if (nodeName) bind(m, pod, nodeName);
}

export function deletePod(m: ClusterModel, p: Pod, component: string): void {
  event(m, p, 'Killing', `Stopping container ${p.spec.containers[0]?.name ?? ''}`, 'Normal', 'kubelet');
  m.store.remove('pods', p);
  void component;
}

/** True when setPodReady(p, ready) would change nothing (so the controller need not write the pod). */
export function podReadyIs(p: Pod, ready: boolean): boolean {
  const want = ready ? 'True' : 'False';
  return ['Ready', 'ContainersReady'].every((type) => (condition(p, type)?.status ?? want) === want)
    && (p.status.containerStatuses ?? []).every((s) => s.ready === (ready && p.status.phase === 'Running'));
}

export function setPodReady(m: ClusterModel, p: Pod, ready: boolean, reason?: string): void {
  const t = iso(m.time);
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

export function updateWorkloadStatuses(m: ClusterModel): void {
  for (const w of m.workloads()) {
    const pods = podsOf(m, w);
    const ready = pods.filter((p) => condition(p, 'Ready')?.status === 'True').length;
    m.store.mutate(m.resourceOf(w), w, (x) => {
      if (x.kind === 'DaemonSet') {
        const desired = m.nodes().filter((n) => daemonFits(m, x, n)).length;
        x.status = { currentNumberScheduled: pods.length, desiredNumberScheduled: desired, numberAvailable: ready, numberMisscheduled: 0, numberReady: ready, observedGeneration: x.metadata.generation, updatedNumberScheduled: pods.length, ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}) };
        return;
      }
      const replicas = x.spec.replicas ?? 1;
      // The default rolling update allows 25 % unavailable.
      const available = ready >= replicas - Math.floor(replicas * 0.25);
      x.status = {
        observedGeneration: x.metadata.generation, replicas: pods.length, updatedReplicas: pods.length, readyReplicas: ready, availableReplicas: ready,
        ...(x.kind === 'StatefulSet' ? { currentReplicas: pods.length, currentRevision: `${x.metadata.name}-${templateHash(m, x).slice(0, 8)}`, updateRevision: `${x.metadata.name}-${templateHash(m, x).slice(0, 8)}` } : {}),
        ...(x.kind === 'Deployment' && replicas - ready > 0 ? { unavailableReplicas: replicas - ready } : {}),
        ...(x.kind === 'Deployment'
          ? { conditions: [
              { type: 'Available', status: available ? 'True' : 'False', reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.' },
              { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${x.metadata.name}-${templateHash(m, x)}" has successfully progressed.` },
            ] }
          : {}),
      };
    });
  }
  for (const pdb of m.store.list<PodDisruptionBudget>('poddisruptionbudgets')) m.store.mutate('poddisruptionbudgets', pdb, (x) => (x.status = pdbStatus(m, x)));
}

export function pdbStatus(m: ClusterModel, pdb: PodDisruptionBudget): PodDisruptionBudget['status'] {
  const pods = m.podsIn(pdb.metadata.namespace!).filter((p) => !isTerminal(p) && matchesSelector(p.metadata.labels, pdb.spec.selector));
  const healthy = pods.filter((p) => condition(p, 'Ready')?.status === 'True').length;
  const expected = pods.length;
  const resolve = (v: number | string) => (typeof v === 'string' && v.endsWith('%') ? Math.ceil((Number(v.slice(0, -1)) / 100) * expected) : Number(v));
  const desired = pdb.spec.minAvailable !== undefined ? resolve(pdb.spec.minAvailable) : Math.max(0, expected - resolve(pdb.spec.maxUnavailable ?? 0));
  const allowed = Math.max(0, healthy - desired);
  return {
    currentHealthy: healthy, desiredHealthy: desired, disruptionsAllowed: allowed, expectedPods: expected, observedGeneration: pdb.metadata.generation,
    conditions: [{ type: 'DisruptionAllowed', status: allowed > 0 ? 'True' : 'False', reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods', lastTransitionTime: condition(pdb, 'DisruptionAllowed')?.status === (allowed > 0 ? 'True' : 'False') ? condition(pdb, 'DisruptionAllowed')?.lastTransitionTime : iso(m.time) }],
  };
}
