import type { ResourceInfo } from './resources';
import type { K8sObject } from './types';

/**
 * Server-side printing, as the API server does for `kubectl get`: when the
 * client asks for `as=Table`, a list comes back as a meta.k8s.io/v1 Table with
 * the columns kube-apiserver prints for the kind (nodes, pods, deployments,
 * daemonsets); other kinds get Name and Age.
 */
interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  cell: (o: Record<string, unknown> & K8sObject, now: number) => unknown;
}

/** Kubernetes' HumanDuration: the two most significant units, as `kubectl get` shows ages. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

type Obj = Record<string, unknown> & K8sObject;
const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

const name: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0, cell: (o) => o.metadata.name };
const age: Column = {
  name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0,
  cell: (o, now) => (o.metadata.creationTimestamp ? humanDuration(now - Date.parse(o.metadata.creationTimestamp)) : '<unknown>'),
};

function nodeStatus(o: Obj): string {
  const ready = (get(o, 'status.conditions') as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Ready');
  const status = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  return get(o, 'spec.unschedulable') ? `${status},SchedulingDisabled` : status;
}

function nodeRoles(o: Obj): string {
  const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.join(',') : '<none>';
}

function podReady(o: Obj): string {
  const statuses = (get(o, 'status.containerStatuses') as { ready?: boolean }[] | undefined) ?? [];
  const containers = (get(o, 'spec.containers') as unknown[] | undefined) ?? [];
  return `${statuses.filter((s) => s.ready).length}/${containers.length}`;
}

function podStatus(o: Obj): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const statuses = (get(o, 'status.containerStatuses') as { state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[] | undefined) ?? [];
  const waiting = statuses.find((s) => s.state?.waiting?.reason)?.state?.waiting?.reason;
  const terminated = statuses.find((s) => s.state?.terminated?.reason)?.state?.terminated?.reason;
  return (get(o, 'status.reason') as string | undefined) ?? waiting ?? terminated ?? String(get(o, 'status.phase') ?? 'Unknown');
}

const COLUMNS: Record<string, Column[]> = {
  nodes: [
    name,
    { name: 'Status', type: 'string', description: 'The status of the node', priority: 0, cell: nodeStatus },
    { name: 'Roles', type: 'string', description: 'The roles of the node', priority: 0, cell: nodeRoles },
    age,
    { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', priority: 0, cell: (o) => get(o, 'status.nodeInfo.kubeletVersion') ?? '' },
    { name: 'Internal-IP', type: 'string', description: 'List of addresses reachable to the node.', priority: 1, cell: (o) => (get(o, 'status.addresses') as { type: string; address: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address ?? '<none>' },
    { name: 'OS-Image', type: 'string', description: 'OS Image reported by the node.', priority: 1, cell: (o) => get(o, 'status.nodeInfo.osImage') ?? '<unknown>' },
    { name: 'Container-Runtime', type: 'string', description: 'Container runtime version reported by the node.', priority: 1, cell: (o) => get(o, 'status.nodeInfo.containerRuntimeVersion') ?? '<unknown>' },
  ],
  pods: [
    name,
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.', priority: 0, cell: podReady },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', priority: 0, cell: podStatus },
    { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted.', priority: 0, cell: (o) => String(((get(o, 'status.containerStatuses') as { restartCount?: number }[] | undefined) ?? []).reduce((a, s) => a + (s.restartCount ?? 0), 0)) },
    age,
    { name: 'IP', type: 'string', description: 'IP address allocated to the pod.', priority: 1, cell: (o) => get(o, 'status.podIP') ?? '<none>' },
    { name: 'Node', type: 'string', description: 'Name of the node this pod runs on.', priority: 1, cell: (o) => get(o, 'spec.nodeName') ?? '<none>' },
  ],
  deployments: [
    name,
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0, cell: (o) => `${num(get(o, 'status.readyReplicas'))}/${num(get(o, 'spec.replicas'))}` },
    { name: 'Up-to-date', type: 'integer', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', priority: 0, cell: (o) => num(get(o, 'status.updatedReplicas')) },
    { name: 'Available', type: 'integer', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', priority: 0, cell: (o) => num(get(o, 'status.availableReplicas')) },
    age,
  ],
  daemonsets: [
    name,
    { name: 'Desired', type: 'integer', description: 'The total number of nodes that should be running the daemon pod.', priority: 0, cell: (o) => num(get(o, 'status.desiredNumberScheduled')) },
    { name: 'Current', type: 'integer', description: 'The number of nodes that are running at least 1 daemon pod.', priority: 0, cell: (o) => num(get(o, 'status.currentNumberScheduled')) },
    { name: 'Ready', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.', priority: 0, cell: (o) => num(get(o, 'status.numberReady')) },
    { name: 'Up-to-date', type: 'integer', description: 'The total number of nodes that are running updated daemon pod', priority: 0, cell: (o) => num(get(o, 'status.updatedNumberScheduled')) },
    { name: 'Available', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', priority: 0, cell: (o) => num(get(o, 'status.numberAvailable')) },
    age,
  ],
};

/** True when the client asked for server-side printing (kubectl get's Accept header). */
export function wantsTable(accept: string | string[] | undefined): boolean {
  return /as=Table/.test(String(accept ?? '')) && /g=meta\.k8s\.io/.test(String(accept ?? ''));
}

export function toTable(info: ResourceInfo, items: K8sObject[], resourceVersion: string, now: number) {
  const columns = COLUMNS[info.group === '' || info.group === 'apps' ? info.plural : ''] ?? [name, age];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority })),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o as Obj, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
