import { matchesRequirements, parseLabelSelector } from '../meta';
import { K8sError, type Node } from '../types';
import { deleteNode } from './nodes';
import { event } from './events';
import { TIMINGS, DISRUPTED_TAINT, SPOT_LABEL, type ScenarioResult, iso, condition, nodeZone } from './shared';
import type { ClusterModel } from '.';

/** The twin admin's scenarios: a Spot eviction, a zone outage and its restore, Spot capacity per zone. */

/** Azure evicts a Spot VM; the node goes after the notice, Karpenter replaces what is needed. */
export function spotEviction(m: ClusterModel, opts: { node?: string; zone?: string }): ScenarioResult {
  m.advance();
  const spot = m.nodes().filter((n) => n.metadata.labels?.[SPOT_LABEL] === 'spot' && !n.spec.taints?.some((t) => t.key === DISRUPTED_TAINT));
  const target = opts.node ? spot.find((n) => n.metadata.name === opts.node) : spot.filter((n) => !opts.zone || nodeZone(n) === opts.zone).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  if (!target) throw new K8sError(404, 'NotFound', opts.node ? `no Spot node "${opts.node}"` : `no Spot node${opts.zone ? ` in zone ${opts.zone}` : ''} to evict`);
  const name = target.metadata.name;
  event(m, target, 'SpotInterrupted', `Spot VM ${name} received an eviction notice from Azure; it will be deleted in ${TIMINGS.spotNoticeMs / 1000}s`, 'Warning', 'karpenter');
  m.store.mutate('nodes', target, (n) => { n.spec.taints = [...(n.spec.taints ?? []), { key: DISRUPTED_TAINT, effect: 'NoSchedule', timeAdded: iso(m.time) }]; });
  m.after(TIMINGS.spotNoticeMs, () => {
    const n = m.store.get<Node>('nodes', undefined, name);
    if (!n) return;
    const poolName = n.metadata.labels?.['kubernetes.azure.com/agentpool'];
    const pool = !n.metadata.labels?.['karpenter.sh/nodepool'] ? m.env.cluster().pools.find((p) => p.name === poolName) : undefined;
    // A VMSS Spot pool with eviction policy Delete loses the instance: its count goes down with it.
    if (pool) pool.count = Math.max(0, pool.count - 1);
    deleteNode(m, n, 'SpotEvicted', `Node ${name} deleted: Azure evicted the Spot VM`);
  });
  m.advance();
  return { cluster: m.key, detail: `Spot eviction notice for ${name} (zone ${nodeZone(target)})`, nodes: [name] };
}

/** A zone goes down: its nodes stop reporting (NotReady), no new capacity there until restored. */
export function zoneOutage(m: ClusterModel, zone: string): ScenarioResult {
  m.advance();
  m.outageZones.add(zone);
  m.advance();
  return { cluster: m.key, detail: `zone ${zone} down`, nodes: m.nodes().filter((n) => nodeZone(n) === zone).map((n) => n.metadata.name) };
}

export function restoreZone(m: ClusterModel, zone: string): ScenarioResult {
  m.advance();
  m.outageZones.delete(zone);
  m.advance();
  return { cluster: m.key, detail: `zone ${zone} restored`, nodes: m.nodes().filter((n) => nodeZone(n) === zone).map((n) => n.metadata.name) };
}

export function setSpotCapacity(m: ClusterModel, zone: string, available: boolean): void {
  m.advance();
  m.spotCapacity[zone] = available;
  m.advance();
}

/** What the admin surface reports: counts that a test or a presenter can check at a glance. */
export function summary(m: ClusterModel) {
  m.advance();
  const nodes = m.nodes();
  const pods = m.pods();
  return {
    cluster: m.key,
    power: m.env.cluster().power,
    resourceVersion: m.store.resourceVersion,
    outageZones: [...m.outageZones],
    spotCapacity: { ...m.spotCapacity },
    nodes: nodes.map((n) => ({ name: n.metadata.name, zone: nodeZone(n), pool: n.metadata.labels?.['kubernetes.azure.com/agentpool'], ready: condition(n, 'Ready')?.status, unschedulable: Boolean(n.spec.unschedulable), spot: n.metadata.labels?.[SPOT_LABEL] === 'spot' })),
    pods: { total: pods.length, pending: pods.filter((p) => p.status.phase === 'Pending').map((p) => `${p.metadata.namespace}/${p.metadata.name}`), running: pods.filter((p) => p.status.phase === 'Running').length },
    nodeClaims: m.store.list('nodeclaims').map((c) => c.metadata.name),
    pendingTimers: m.timers.length,
  };
}

export function selectNodes(m: ClusterModel, labelSelector: string): Node[] {
  const reqs = parseLabelSelector(labelSelector);
  return m.nodes().filter((n) => matchesRequirements(n.metadata.labels, reqs));
}
