import { createHash } from 'node:crypto';
import type { TwinCluster, TwinPool } from '../../seed';
import type { Condition, Node, NodeClaim, Taint } from '../types';
import { podReadyIs, setPodReady } from './workloads';
import { event } from './events';
import { TIMINGS, ZONE, HOSTNAME, UNSCHEDULABLE_TAINT, UNREACHABLE_TAINT, NOT_READY_TAINT, SPOT_LABEL, NODE_CPU, NODE_MEMORY, NODE_ALLOC_CPU, NODE_ALLOC_MEMORY, SKU, iso, isTerminal, vmProviderId, condition, nodeZone, ownerKind } from './shared';
import type { ClusterModel } from '.';

/** Nodes: agent-pool nodes as the VMSS places them, their lifecycle (Ready, taints, taint-based eviction). */

export function syncAgentPoolNodes(m: ClusterModel, cluster: TwinCluster): void {
  for (const pool of cluster.pools) {
    const mine = m.nodes()
      .filter((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === pool.name && !n.metadata.labels?.['karpenter.sh/nodepool'])
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const names = mine.map((n) => n.metadata.name);
    for (let i = mine.length; i < pool.count; i++) names.push(createPoolNode(m, pool, names));
    // VMSS scale-in removes the newest instances first.
    for (const n of mine.slice(pool.count).reverse()) deleteNode(m, n, 'ScaleDown', `Node ${n.metadata.name} removed: agent pool ${pool.name} scaled to ${pool.count}`);
  }
  const poolNames = new Set(cluster.pools.map((p) => p.name));
  for (const n of m.nodes()) {
    const pool = n.metadata.labels?.['kubernetes.azure.com/agentpool'];
    if (pool && !n.metadata.labels?.['karpenter.sh/nodepool'] && !poolNames.has(pool)) deleteNode(m, n, 'RemovingNode', `agent pool ${pool} deleted`);
  }
}

export function vmssName(m: ClusterModel, pool: string): string {
  const id = parseInt(createHash('sha256').update(`${m.key}/${pool}`).digest('hex').slice(0, 8), 16) % 1e8;
  return `aks-${pool}-${String(id).padStart(8, '0')}-vmss`;
}

export function createPoolNode(m: ClusterModel, pool: TwinPool, existing: string[]): string {
  const base = vmssName(m, pool.name);
  let index = 0;
  while (existing.includes(`${base}${index.toString(36).padStart(6, '0')}`)) index++;
  const name = `${base}${index.toString(36).padStart(6, '0')}`;
  const zone = pool.zones.length ? pool.zones[index % pool.zones.length] : '';
  const cluster = m.env.cluster();
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
  createNode(m, name, zone, labels, taints, vmProviderId(m.env, `virtualMachineScaleSets/${base}/virtualMachines/${index}`), TIMINGS.nodeBootMs);
  return name;
}

export function createNode(m: ClusterModel, name: string, zone: string, labels: Record<string, string>, taints: Taint[], providerID: string, bootMs: number): Node {
  const cluster = m.env.cluster();
  const ip = `10.${['mgmt', 'app1', 'app2'].indexOf(m.key) + 1}.${1 + (m.counter % 200)}.${4 + m.nodes().length}`;
  m.counter += 1;
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
  m.readyAt.set(name, m.seeding ? m.time : m.time + m.env.duration(bootMs));
  if (!m.seeding) m.wakeAt(m.time + m.env.duration(bootMs));
  setNodeConditions(m, node);
  m.store.create('nodes', node, m.time);
  if (!m.seeding) event(m, node, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`, 'Normal', 'node-controller');
  return node;
}

export function deleteNode(m: ClusterModel, node: Node, reason: string, message: string): void {
  for (const p of m.podsBoundTo(node.metadata.name)) m.store.remove('pods', p);
  m.store.remove('nodes', node);
  m.readyAt.delete(node.metadata.name);
  m.emptySince.delete(node.metadata.name);
  const claim = m.store.get<NodeClaim>('nodeclaims', undefined, node.metadata.name);
  if (claim) m.store.remove('nodeclaims', claim);
  event(m, node, reason, message, 'Normal', reason === 'RemovingNode' || reason === 'ScaleDown' ? 'node-controller' : 'karpenter');
}

export function nodeIp(m: ClusterModel, n: Node): string {
  return n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '';
}

/** Ready follows boot and the injected outage; taints follow Ready and cordon, as the node lifecycle controller does. */
export function setNodeConditions(m: ClusterModel, n: Node): void {
  const t = iso(m.time);
  const outage = m.outageZones.has(nodeZone(n));
  const booted = (m.readyAt.get(n.metadata.name) ?? Infinity) <= m.time;
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

export function nodeLifecycle(m: ClusterModel): void {
  for (const n of m.nodes()) {
    const before = condition(n, 'Ready')?.status;
    const changed = m.store.mutate('nodes', n, (x) => setNodeConditions(m, x));
    const after = condition(n, 'Ready')?.status;
    if (changed && before && before !== after) {
      event(m, n, after === 'True' ? 'NodeReady' : 'NodeNotReady', `Node ${n.metadata.name} status is now: ${after === 'True' ? 'NodeReady' : 'NodeNotReady'}`, after === 'True' ? 'Normal' : 'Warning', 'node-controller');
    }
    const noExecute = n.spec.taints?.find((t) => (t.key === UNREACHABLE_TAINT || t.key === NOT_READY_TAINT) && t.effect === 'NoExecute');
    for (const p of m.podsBoundTo(n.metadata.name).filter((p) => !isTerminal(p))) {
      if (noExecute) {
        if (!podReadyIs(p, false)) m.store.mutate('pods', p, (x) => setPodReady(m, x, false, 'NodeNotReady'));
        // DaemonSet pods tolerate these taints forever; the rest have Kubernetes' default 300 s.
        if (ownerKind(p) !== 'DaemonSet') {
          const evictAt = Date.parse(noExecute.timeAdded ?? iso(m.time)) + m.env.duration(TIMINGS.taintEvictionMs);
          if (m.time >= evictAt) {
            event(m, p, 'TaintManagerEviction', `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}`, 'Normal', 'taint-eviction-controller');
            m.store.remove('pods', p);
          } else m.wakeAt(evictAt);
        }
      } else if (p.status.phase === 'Running' && !podReadyIs(p, true)) {
        m.store.mutate('pods', p, (x) => setPodReady(m, x, true));
      }
    }
  }
}
