/**
 * Zone health: what each zone of a cluster
 * holds (nodes Ready / NotReady / cordoned, Spot / Regular, pods, ingress
 * gateways) and whether the cluster still survives the loss of a zone. Pure:
 * the facts come from Kubernetes API reads mapped in lib/zones.
 */
export const ZONE_IDS = ['1', '2', '3'] as const;
export type ZoneId = (typeof ZONE_IDS)[number];

export interface NodeFacts {
  name: string;
  /** From `topology.kubernetes.io/zone` (`koreacentral-2` → `2`); null for a node without a zone. */
  zone: ZoneId | null;
  /** `kubernetes.azure.com/agentpool` (a NAP node carries its NodePool's name). */
  pool: string;
  capacity: 'spot' | 'regular';
  ready: 'True' | 'False' | 'Unknown';
  cordoned: boolean;
  ingress: boolean;
  /** Created by node auto-provisioning (Karpenter), not an ARM agent pool. */
  nap: boolean;
}

export interface PodFacts {
  namespace: string;
  name: string;
  nodeName?: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  ready: boolean;
  /** An Istio ingress gateway replica. */
  gateway: boolean;
  /** Owned by a DaemonSet: present on every node, never moved by a zone failure. */
  daemon: boolean;
  /** Why a Pending pod waits (the scheduler's or Karpenter's message). */
  reason?: string;
}

export type ZoneState = 'healthy' | 'degraded' | 'cordoned' | 'down' | 'empty';

export interface ZoneCell {
  zone: ZoneId;
  state: ZoneState;
  nodes: NodeFacts[];
  counts: { ready: number; notReady: number; cordoned: number; spot: number; regular: number };
  /** Workload pods (DaemonSets excluded) bound to this zone's nodes. */
  pods: { running: number; notReady: number };
  gateways: { ready: number; total: number };
}

export type ClusterVerdict = 'ok' | 'degraded' | 'at-risk';

export interface ClusterZones {
  cells: ZoneCell[];
  pending: { namespace: string; name: string; reason?: string }[];
  /** Zones with at least one Ready, schedulable system node; the cluster runs on two. */
  systemZones: ZoneId[];
  /** Zones with a Ready ingress gateway; two gateways keep serving. */
  gatewayZones: ZoneId[];
  hasGateways: boolean;
  verdict: ClusterVerdict;
  why: string[];
}

export function zoneFromLabel(value: string | undefined): ZoneId | null {
  const z = value?.split('-').pop();
  return (ZONE_IDS as readonly string[]).includes(z ?? '') ? (z as ZoneId) : null;
}

/** One zone's state: down (no node Ready) > cordoned (every node cordoned) > degraded (some) > healthy. */
export function zoneState(nodes: NodeFacts[]): ZoneState {
  if (!nodes.length) return 'empty';
  if (nodes.every((n) => n.ready !== 'True')) return 'down';
  if (nodes.every((n) => n.cordoned)) return 'cordoned';
  if (nodes.some((n) => n.ready !== 'True' || n.cordoned)) return 'degraded';
  return 'healthy';
}

const usable = (n: NodeFacts) => n.ready === 'True' && !n.cordoned;

export function summarizeCluster(nodes: NodeFacts[], pods: PodFacts[]): ClusterZones {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const cells: ZoneCell[] = ZONE_IDS.map((zone) => {
    const zn = nodes.filter((n) => n.zone === zone).sort((a, b) => a.pool.localeCompare(b.pool) || a.name.localeCompare(b.name));
    const zp = pods.filter((p) => p.nodeName && byName.get(p.nodeName)?.zone === zone && (p.phase === 'Running' || p.phase === 'Pending'));
    const work = zp.filter((p) => !p.daemon);
    const gw = zp.filter((p) => p.gateway);
    return {
      zone,
      state: zoneState(zn),
      nodes: zn,
      counts: {
        ready: zn.filter((n) => n.ready === 'True').length,
        notReady: zn.filter((n) => n.ready !== 'True').length,
        cordoned: zn.filter((n) => n.cordoned).length,
        spot: zn.filter((n) => n.capacity === 'spot').length,
        regular: zn.filter((n) => n.capacity === 'regular').length,
      },
      pods: { running: work.filter((p) => p.phase === 'Running' && p.ready).length, notReady: work.filter((p) => !(p.phase === 'Running' && p.ready)).length },
      gateways: { ready: gw.filter((p) => p.phase === 'Running' && p.ready).length, total: gw.length },
    };
  });
  const pending = pods
    .filter((p) => p.phase === 'Pending' && !p.nodeName)
    .map((p) => ({ namespace: p.namespace, name: p.name, reason: p.reason }))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  const systemZones = ZONE_IDS.filter((z) => nodes.some((n) => n.zone === z && n.pool === 'system' && usable(n)));
  const hasGateways = pods.some((p) => p.gateway);
  const gatewayZones = cells.filter((c) => c.gateways.ready > 0).map((c) => c.zone);
  return { cells, pending, systemZones, gatewayZones, hasGateways, ...verdictOf(cells, pending.length, systemZones, hasGateways, gatewayZones) };
}

/**
 * With one zone lost, two system nodes and two gateways keep the
 * cluster serving. At risk when that no longer holds (one more zone lost
 * would stop it); degraded when a zone is impaired or pods wait.
 */
export function verdictOf(cells: ZoneCell[], pendingCount: number, systemZones: ZoneId[], hasGateways: boolean, gatewayZones: ZoneId[]): { verdict: ClusterVerdict; why: string[] } {
  const why: string[] = [];
  if (systemZones.length < 2) why.push(`system nodes usable in ${systemZones.length} zone(s); one zone lost needs 2`);
  if (hasGateways && gatewayZones.length < 2) why.push(`ingress gateways Ready in ${gatewayZones.length} zone(s); one zone lost needs 2`);
  if (why.length) return { verdict: 'at-risk', why };
  for (const c of cells) if (c.state !== 'healthy' && c.state !== 'empty') why.push(`zone ${c.zone} ${c.state}`);
  if (pendingCount) why.push(`${pendingCount} pod(s) Pending`);
  return { verdict: why.length ? 'degraded' : 'ok', why };
}

/** Nodes of a zone that a cordon (or uncordon) still has to change. */
export function cordonTargets(nodes: NodeFacts[], zone: ZoneId, cordon: boolean): string[] {
  return nodes.filter((n) => n.zone === zone && n.cordoned !== cordon).map((n) => n.name).sort();
}

/** What `kubectl drain --ignore-daemonsets` evicts from these nodes. */
export function drainTargets(pods: PodFacts[], nodeNames: string[]): { namespace: string; name: string }[] {
  const set = new Set(nodeNames);
  return pods
    .filter((p) => p.nodeName && set.has(p.nodeName) && !p.daemon && (p.phase === 'Running' || p.phase === 'Pending'))
    .map((p) => ({ namespace: p.namespace, name: p.name }))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** A Karpenter NodePool's zone requirement without (or with again) one zone. */
export function zoneRequirementValues(values: string[], location: string, zone: ZoneId, include: boolean): string[] {
  const name = `${location}-${zone}`;
  const rest = values.filter((v) => v !== name);
  return include ? [...rest, name].sort() : rest;
}
