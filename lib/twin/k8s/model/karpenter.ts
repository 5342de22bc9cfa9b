import type { TwinCluster } from '../../seed';
import { quantity } from '../meta';
import type { K8sEvent, Node, NodeClaim, NodePool, Pod, Taint, Workload } from '../types';
import { createNode, deleteNode } from './nodes';
import { daemonFits } from './workloads';
import { podsOnNode, selectorMatches, taintsTolerated, spreadCounts, spreadAllows, antiAffinityBlocks } from './scheduler';
import { event } from './events';
import { TIMINGS, ZONE, SPOT_LABEL, SPOT_TAINT, NODE_CPU, NODE_MEMORY, NODE_ALLOC_CPU, SKU, type Claim, iso, isTerminal, condition, nodeZone, isReady, requests, ownerKind, durationMs, vmProviderId } from './shared';
import type { ClusterModel } from '.';

/** Karpenter (node auto-provisioning): NodeClaims for pods nothing can hold, consolidation of empty nodes. */

export function napNodes(m: ClusterModel, pool: string): Node[] {
  return m.nodes().filter((n) => n.metadata.labels?.['karpenter.sh/nodepool'] === pool);
}

export function zonesOf(m: ClusterModel, np: NodePool): string[] {
  const req = np.spec.template.spec.requirements.find((r) => r.key === ZONE);
  const all = ['1', '2', '3'];
  if (!req) return all;
  const values = (req.values ?? []).map((v) => v.split('-').pop() ?? v);
  return req.operator === 'In' ? all.filter((z) => values.includes(z)) : req.operator === 'NotIn' ? all.filter((z) => !values.includes(z)) : all;
}

/** The labels and taints a node from this NodePool would have, to test a pending pod against. */
export function templateNode(m: ClusterModel, np: NodePool, zone: string): { labels: Record<string, string>; taints: Taint[] } {
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
    [ZONE]: `${m.location}-${zone}`,
  };
  return { labels, taints: [...(np.spec.template.spec.taints ?? []), SPOT_TAINT] };
}

export function limitsAllow(m: ClusterModel, np: NodePool, extraNodes: number): boolean {
  const count = napNodes(m, np.metadata.name).length + [...m.claims.values()].filter((c) => c.pool === np.metadata.name && !m.store.get('nodes', undefined, c.name)).length + extraNodes;
  const l = np.spec.limits ?? {};
  if (l.cpu !== undefined && count * quantity(NODE_CPU) > quantity(l.cpu)) return false;
  if (l.memory !== undefined && count * quantity(NODE_MEMORY) > quantity(l.memory)) return false;
  if (l.nodes !== undefined && count > quantity(l.nodes)) return false;
  return true;
}

export function daemonOverhead(m: ClusterModel, labels: Record<string, string>, taints: Taint[]): number {
  const fake = { metadata: { labels }, spec: { taints } } as unknown as Node;
  return m.store.list<Workload>('daemonsets').filter((d) => daemonFits(m, d, fake)).reduce((a, d) => a + d.spec.template.spec.containers.reduce((s, c) => s + quantity(c.resources?.requests?.cpu), 0), 0);
}

export function karpenter(m: ClusterModel, cluster: TwinCluster): void {
  if (cluster.nodeProvisioningMode !== 'Auto') return;
  const pools = m.nodePools();
  const podsByUid = new Map(m.pods().map((p) => [p.metadata.uid, p]));
  // Claims whose node is Ready hand their pods to the scheduler.
  for (const c of [...m.claims.values()]) {
    const node = m.store.get<Node>('nodes', undefined, c.name);
    for (const uid of [...c.pods]) {
      const p = podsByUid.get(uid);
      if (!p || p.spec.nodeName) c.pods.delete(uid);
    }
    if (node && isReady(node)) m.claims.delete(c.name);
  }
  const reservedBy = new Map<string, Claim>();
  for (const c of m.claims.values()) for (const uid of c.pods) reservedBy.set(uid, c);
  const pending = m.pods().filter(
    (p) => !p.spec.nodeName && !isTerminal(p) && condition(p, 'PodScheduled')?.reason === 'Unschedulable' && !reservedBy.has(p.metadata.uid),
  );
  for (const p of pending) {
    let placed = false;
    const failures: string[] = [];
    for (const np of pools) {
      const zones = zonesOf(m, np).filter((z) => m.spotCapacity[z] && !m.outageZones.has(z));
      const probe = templateNode(m, np, zones[0] ?? '1');
      if (!taintsTolerated(m, p, probe.taints) || !selectorMatches(m, p, { metadata: { labels: probe.labels } } as unknown as Node, probe.labels)) {
        failures.push(`incompatible with nodepool "${np.metadata.name}"`);
        continue;
      }
      const reserved = new Map<string, Pod[]>();
      for (const c of m.claims.values()) {
        const list = reserved.get(c.zone) ?? [];
        for (const uid of c.pods) { const q = podsByUid.get(uid); if (q) list.push(q); }
        reserved.set(c.zone, list);
      }
      // Pack into a claim that is still launching when the pod fits there.
      for (const c of m.claims.values()) {
        if (c.pool !== np.metadata.name || !zones.includes(c.zone)) continue;
        const others = [...c.pods].map((u) => podsByUid.get(u)).filter((q): q is Pod => Boolean(q));
        const tmpl = templateNode(m, np, c.zone);
        const free = quantity(NODE_ALLOC_CPU) - daemonOverhead(m, tmpl.labels, tmpl.taints) - others.map(requests).reduce((a, r) => a + r.cpu, 0);
        if (requests(p).cpu > free || antiAffinityBlocks(m, p, others) || !spreadAllows(m, p, c.zone, zones, reserved)) continue;
        c.pods.add(p.metadata.uid);
        placed = true;
        break;
      }
      if (placed) break;
      const allowed = zones.filter((z) => spreadAllows(m, p, z, zones, reserved));
      if (!allowed.length) {
        failures.push(zones.length ? `no zone of nodepool "${np.metadata.name}" satisfies the topology spread` : `nodepool "${np.metadata.name}" has no Spot capacity in zones ${zonesOf(m, np).join(', ') || 'none'}`);
        continue;
      }
      if (!limitsAllow(m, np, 1)) {
        failures.push(`all available instance types exceed limits for nodepool: "${np.metadata.name}"`);
        continue;
      }
      const counts = (z: string) => napNodes(m, np.metadata.name).filter((n) => nodeZone(n) === z).length + [...m.claims.values()].filter((c) => c.zone === z).length;
      const spreadCount = (z: string) => {
        const c = (p.spec.topologySpreadConstraints ?? []).find((x) => x.topologyKey === ZONE);
        return c ? (spreadCounts(m, p, c, zones, reserved).get(z) ?? 0) : 0;
      };
      allowed.sort((a, b) => spreadCount(a) - spreadCount(b) || counts(a) - counts(b) || a.localeCompare(b));
      launch(m, np, allowed[0], p);
      placed = true;
      break;
    }
    if (!placed && failures.length) {
      const message = `Failed to schedule pod, ${failures.join('; ')}`;
      const last = m.store.list<K8sEvent>('events', p.metadata.namespace).find((e) => e.involvedObject.uid === p.metadata.uid && e.reason === 'FailedScheduling' && e.source.component === 'karpenter');
      if (!last || last.message !== message) event(m, p, 'FailedScheduling', message, 'Warning', 'karpenter');
    }
  }
  consolidate(m, pools);
}

export function launch(m: ClusterModel, np: NodePool, zone: string, pod: Pod): void {
  const name = `aks-${np.metadata.name}-${m.suffix()}`;
  const claim: Claim = { name, zone, pool: np.metadata.name, pods: new Set([pod.metadata.uid]) };
  m.claims.set(name, claim);
  const t = iso(m.time);
  const tmpl = templateNode(m, np, zone);
  const nc: NodeClaim = {
    apiVersion: 'karpenter.sh/v1', kind: 'NodeClaim',
    metadata: {
      name, uid: '', resourceVersion: '', creationTimestamp: '', labels: { ...tmpl.labels },
      ownerReferences: [{ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', name: np.metadata.name, uid: np.metadata.uid, blockOwnerDeletion: true }],
    },
    spec: { nodeClassRef: np.spec.template.spec.nodeClassRef, requirements: [...np.spec.template.spec.requirements, { key: ZONE, operator: 'In', values: [`${m.location}-${zone}`] }], taints: tmpl.taints, expireAfter: np.spec.template.spec.expireAfter },
    status: { conditions: [{ type: 'Launched', status: 'Unknown', reason: 'Launching', lastTransitionTime: t }] },
  };
  m.store.create('nodeclaims', nc, m.time);
  if (!m.seeding) {
    event(m, pod, 'Nominated', `Pod should schedule on: nodeclaim/${name}`, 'Normal', 'karpenter');
    event(m, nc, 'Launched', `Status condition transitioned, Type: Launched, Status: Unknown -> True, Reason: Launched (zone ${m.location}-${zone}, capacity spot)`, 'Normal', 'karpenter');
  }
  m.after(TIMINGS.claimRegisterMs, () => {
    if (!m.claims.has(name) && !m.seeding) return;
    const providerID = vmProviderId(m.env, `virtualMachines/${name}`);
    createNode(m, name, zone, { ...tmpl.labels, 'karpenter.sh/registered': 'true', 'karpenter.sh/initialized': 'true' }, tmpl.taints, providerID, m.seeding ? 0 : TIMINGS.claimReadyMs - TIMINGS.claimRegisterMs);
    const stored = m.store.get<NodeClaim>('nodeclaims', undefined, name);
    if (stored) {
      m.store.mutate('nodeclaims', stored, (x) => {
        x.status = { nodeName: name, providerID, capacity: { cpu: NODE_CPU, memory: NODE_MEMORY }, conditions: ['Launched', 'Registered', 'Initialized', 'Ready'].map((type) => ({ type, status: 'True' as const, reason: type, lastTransitionTime: iso(m.time) })) };
      });
    }
  });
}

export function consolidate(m: ClusterModel, pools: NodePool[]): void {
  for (const np of pools) {
    const after = np.spec.disruption.consolidateAfter;
    if (after === 'Never') continue;
    const delay = m.env.duration(durationMs(after));
    const blocked = (np.spec.disruption.budgets ?? []).some((b) => /^0%?$/.test(b.nodes.trim()) && (!b.reasons || b.reasons.includes('Empty')));
    for (const n of napNodes(m, np.metadata.name)) {
      const busy = podsOnNode(m, n.metadata.name).some((p) => ownerKind(p) !== 'DaemonSet');
      const launching = m.claims.has(n.metadata.name);
      if (busy || launching || !isReady(n)) {
        m.emptySince.delete(n.metadata.name);
        continue;
      }
      const since = m.emptySince.get(n.metadata.name) ?? m.time;
      m.emptySince.set(n.metadata.name, since);
      if (blocked) continue;
      if (m.time - since >= delay) {
        event(m, n, 'DisruptionTerminating', `Disrupting Node: Empty/Delete`, 'Normal', 'karpenter');
        deleteNode(m, n, 'Terminated', `Node ${n.metadata.name} removed by consolidation (empty for ${after})`);
      } else m.wakeAt(since + delay);
    }
  }
}

export function updateNodePoolStatuses(m: ClusterModel): void {
  for (const np of m.nodePools()) {
    const nodes = napNodes(m, np.metadata.name);
    m.store.mutate('nodepools', np, (x) => {
      x.status = {
        resources: { cpu: String(nodes.length * quantity(NODE_CPU)), memory: `${nodes.length * quantity(NODE_MEMORY) / 1024}Ki`, nodes: String(nodes.length), pods: String(nodes.length * 250) },
        conditions: ['NodeClassReady', 'ValidationSucceeded', 'Ready'].map((type) => ({ type, status: 'True' as const, reason: type, lastTransitionTime: x.metadata.creationTimestamp })),
      };
    });
  }
}
