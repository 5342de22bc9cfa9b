import { createHash } from 'node:crypto';
import { matchesSelector, quantity, tolerates } from '../meta';
import type { Node, Pod, Taint } from '../types';
import { nodeIp } from './nodes';
import { setPodReady } from './workloads';
import { event } from './events';
import { TIMINGS, ZONE, HOSTNAME, iso, isTerminal, condition, nodeZone, isReady, requests, ownerKind } from './shared';
import type { ClusterModel } from '.';

/** The scheduler and the kubelet: binding pending pods to nodes, and starting them after a delay. */

export function podsOnNode(m: ClusterModel, name: string): Pod[] {
  return m.podsBoundTo(name).filter((p) => !isTerminal(p));
}

export function selectorMatches(m: ClusterModel, p: Pod, n: Node, labels = n.metadata.labels ?? {}): boolean {
  if (!Object.entries(p.spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return false;
  const required = p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !required.nodeSelectorTerms.some((t) => matchesSelector(labels, { matchExpressions: t.matchExpressions }))) return false;
  return true;
}

export function taintsTolerated(m: ClusterModel, p: Pod, taints: Taint[]): boolean {
  return taints.filter((t) => t.effect !== 'PreferNoSchedule').every((t) => tolerates(p.spec.tolerations, t));
}

/** A node the pod could use, ignoring resources: the nodes that make up its spread domains. */
export function usable(m: ClusterModel, p: Pod, n: Node): boolean {
  return isReady(n) && !n.spec.unschedulable && selectorMatches(m, p, n) && taintsTolerated(m, p, n.spec.taints ?? []);
}

type SpreadConstraint = NonNullable<Pod['spec']['topologySpreadConstraints']>[number];

/**
 * The scheduler asks for a pod's counts once per candidate node; they change only with a write to
 * the store, so they are kept per constraint until the store's resourceVersion moves.
 */
const spreadMemo = new WeakMap<SpreadConstraint, { rv: string; pod: string; counts: Map<string, number> }>();

export function spreadCounts(m: ClusterModel, p: Pod, constraint: SpreadConstraint, extraDomains: string[] = [], reserved: Map<string, Pod[]> = new Map()): Map<string, number> {
  const plain = !extraDomains.length && !reserved.size;
  const hit = plain ? spreadMemo.get(constraint) : undefined;
  if (hit && hit.rv === m.store.resourceVersion && hit.pod === p.metadata.uid) return hit.counts;
  const counts = countSpread(m, p, constraint, extraDomains, reserved);
  if (plain) spreadMemo.set(constraint, { rv: m.store.resourceVersion, pod: p.metadata.uid, counts });
  return counts;
}

function countSpread(m: ClusterModel, p: Pod, constraint: SpreadConstraint, extraDomains: string[], reserved: Map<string, Pod[]>): Map<string, number> {
  const usableNodes = m.nodes().filter((n) => usable(m, p, n));
  const counts = new Map<string, number>();
  for (const z of extraDomains) counts.set(z, 0);
  for (const n of usableNodes) counts.set(nodeZone(n), counts.get(nodeZone(n)) ?? 0);
  const zoneOf = new Map(usableNodes.map((n) => [n.metadata.name, nodeZone(n)]));
  for (const q of m.podsIn(p.metadata.namespace!)) {
    if (isTerminal(q) || !q.spec.nodeName || q.metadata.uid === p.metadata.uid) continue;
    const z = zoneOf.get(q.spec.nodeName);
    if (z !== undefined && matchesSelector(q.metadata.labels, constraint.labelSelector)) counts.set(z, (counts.get(z) ?? 0) + 1);
  }
  for (const [z, list] of reserved) {
    const extra = list.filter((q) => q.metadata.uid !== p.metadata.uid && matchesSelector(q.metadata.labels, constraint.labelSelector)).length;
    if (counts.has(z)) counts.set(z, (counts.get(z) ?? 0) + extra);
  }
  return counts;
}

export function spreadAllows(m: ClusterModel, p: Pod, zone: string, extraDomains: string[] = [], reserved?: Map<string, Pod[]>): boolean {
  for (const c of p.spec.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== 'DoNotSchedule' || c.topologyKey !== ZONE) continue;
    const counts = spreadCounts(m, p, c, extraDomains, reserved);
    if (!counts.has(zone)) return false;
    const min = Math.min(...counts.values());
    if ((counts.get(zone) ?? 0) + 1 - min > c.maxSkew) return false;
  }
  return true;
}

export function antiAffinityBlocks(m: ClusterModel, p: Pod, others: Pod[]): boolean {
  const terms = p.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms.some((t) => t.topologyKey === HOSTNAME && others.some((q) => q.metadata.namespace === p.metadata.namespace && q.metadata.uid !== p.metadata.uid && matchesSelector(q.metadata.labels, t.labelSelector)));
}

export function fitsResources(m: ClusterModel, p: Pod, n: Node, extra: Pod[] = []): { cpu: boolean; memory: boolean } {
  const used = [...podsOnNode(m, n.metadata.name), ...extra].filter((q) => q.metadata.uid !== p.metadata.uid).map(requests);
  const want = requests(p);
  const cpu = used.reduce((a, r) => a + r.cpu, 0) + want.cpu <= quantity(n.status.allocatable.cpu) + 1e-9;
  const memory = used.reduce((a, r) => a + r.memory, 0) + want.memory <= quantity(n.status.allocatable.memory);
  return { cpu, memory };
}

export function schedule(m: ClusterModel): void {
  const pending = m.pods()
    .filter((p) => !p.spec.nodeName && !isTerminal(p))
    .sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) || a.metadata.name.localeCompare(b.metadata.name));
  for (const p of pending) {
    const nodes = m.nodes();
    const reasons = new Map<string, number>();
    const note = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const candidates: { node: Node; score: number }[] = [];
    for (const n of nodes) {
      if (!isReady(n)) { note("node(s) had untolerated taint {node.kubernetes.io/not-ready: }"); continue; }
      if (n.spec.unschedulable) { note('node(s) were unschedulable'); continue; }
      if (!selectorMatches(m, p, n)) { note("node(s) didn't match Pod's node affinity/selector"); continue; }
      const taint = (n.spec.taints ?? []).find((t) => t.effect !== 'PreferNoSchedule' && !tolerates(p.spec.tolerations, t));
      if (taint) { note(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`); continue; }
      const fit = fitsResources(m, p, n);
      if (!fit.cpu) { note('Insufficient cpu'); continue; }
      if (!fit.memory) { note('Insufficient memory'); continue; }
      if (antiAffinityBlocks(m, p, podsOnNode(m, n.metadata.name))) { note("node(s) didn't match pod anti-affinity rules"); continue; }
      if (!spreadAllows(m, p, nodeZone(n))) { note("node(s) didn't match pod topology spread constraints"); continue; }
      candidates.push({ node: n, score: score(m, p, n) });
    }
    if (!candidates.length) {
      const detail = [...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r, c]) => `${c} ${r}`).join(', ');
      const message = `0/${nodes.length} nodes are available: ${detail || 'no nodes available to schedule pods'}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      const changed = m.store.mutate('pods', p, (x) => {
        x.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: condition(x, 'PodScheduled')?.lastTransitionTime ?? iso(m.time) }];
      });
      if (changed) event(m, p, 'FailedScheduling', message, 'Warning', 'default-scheduler');
      continue;
    }
    candidates.sort((a, b) => b.score - a.score || a.node.metadata.name.localeCompare(b.node.metadata.name));
    bind(m, p, candidates[0].node.metadata.name);
  }
}

export function score(m: ClusterModel, p: Pod, n: Node): number {
  let score = 0;
  for (const pref of p.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (matchesSelector(n.metadata.labels, { matchExpressions: pref.preference.matchExpressions })) score += pref.weight * 10;
  }
  for (const c of p.spec.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== 'ScheduleAnyway') continue;
    const counts = spreadCounts(m, p, c);
    score -= (counts.get(nodeZone(n)) ?? 0) * 200;
  }
  const used = podsOnNode(m, n.metadata.name).map(requests).reduce((a, r) => a + r.cpu, 0);
  score += (1 - used / quantity(n.status.allocatable.cpu)) * 100;
  return score;
}

export function bind(m: ClusterModel, p: Pod, nodeName: string): void {
  const node = m.store.get<Node>('nodes', undefined, nodeName);
  const t = iso(m.time);
  m.store.mutate('pods', p, (x) => {
    x.spec.nodeName = nodeName;
    x.status = {
      phase: 'Pending', hostIP: node ? nodeIp(m, node) : undefined, startTime: t, qosClass: x.status.qosClass,
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
  if (ownerKind(p) !== 'DaemonSet') event(m, p, 'Scheduled', `Successfully assigned ${p.metadata.namespace}/${p.metadata.name} to ${nodeName}`, 'Normal', 'default-scheduler');
  const uid = p.metadata.uid;
  m.startAt.set(uid, m.time + m.env.duration(TIMINGS.podStartMs));
  m.after(TIMINGS.podStartMs, () => startPod(m, p.metadata.namespace!, p.metadata.name, uid));
}

export function startPod(m: ClusterModel, namespace: string, name: string, uid: string): void {
  const p = m.store.get<Pod>('pods', namespace, name);
  m.startAt.delete(uid);
  if (!p || p.metadata.uid !== uid || !p.spec.nodeName) return;
  const node = m.store.get<Node>('nodes', undefined, p.spec.nodeName);
  const t = iso(m.time);
  m.store.mutate('pods', p, (x) => {
    x.status.phase = 'Running';
    x.status.podIP = `10.244.${Math.floor(m.counter / 250) % 250}.${(m.counter++ % 250) + 2}`;
    for (const c of x.status.conditions ?? []) {
      if (c.status !== 'True') { c.status = 'True'; c.lastTransitionTime = t; delete c.reason; delete c.message; }
    }
    x.status.containerStatuses = x.spec.containers.map((c) => ({ name: c.name, ready: true, started: true, restartCount: 0, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${createHash('sha256').update(c.image).digest('hex')}`, state: { running: { startedAt: t } } }));
    if (node && !isReady(node)) setPodReady(m, x, false, 'NodeNotReady');
  });
  if (!m.seeding) event(m, p, 'Started', `Started container ${p.spec.containers[0]?.name ?? ''}`, 'Normal', 'kubelet');
}
