import type { ServerResponse } from 'node:http';
import { send, type TwinRequest } from '../server';
import { matchesRequirements, parseLabelSelector, quantity } from './meta';
import type { ClusterModel } from './model';
import { apiVersionOf, type ResourceInfo } from './resources';
import { selfSubjectAccessReviewSpec } from './protobuf';
import { K8sError, type K8sObject } from './types';

/**
 * Resources the API server answers from the model rather than from stored
 * objects: the Metrics API (metrics-server, which AKS runs), node leases
 * (the kubelet's heartbeat in kube-node-lease) and SelfSubjectAccessReview.
 */

interface PodLike extends K8sObject {
  spec: { nodeName?: string; containers: { name: string; resources?: { requests?: { cpu?: string; memory?: string } } }[] };
  status: { phase?: string };
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** metrics-server's scrape window. */
const WINDOW = '20.064s';
/**
 * Usage the twin reports: each container uses a steady share of what it
 * requests (a demo workload idles), never less than a minimum, so `kubectl
 * top` shows plausible numbers that follow the pods on a node.
 */
const USE_SHARE = 0.6;
const cpu = (cores: number) => `${Math.max(1, Math.round(cores * 1000))}m`;
const memory = (bytes: number) => `${Math.max(1024, Math.round(bytes / 1024))}Ki`;
/** The kubelet, containerd and system daemons on every node. */
const NODE_BASE = { cpu: 0.08, memory: 900 * 1024 * 1024 };

function running(model: ClusterModel): PodLike[] {
  return (model.pods() as unknown as PodLike[]).filter((p) => p.status.phase === 'Running' && p.spec.nodeName);
}

function containerUsage(c: PodLike['spec']['containers'][number]) {
  return {
    cpu: quantity(c.resources?.requests?.cpu) * USE_SHARE,
    memory: quantity(c.resources?.requests?.memory) * USE_SHARE,
  };
}

function podMetrics(p: PodLike, now: number) {
  return {
    metadata: { name: p.metadata.name, namespace: p.metadata.namespace, creationTimestamp: iso(now), labels: p.metadata.labels },
    timestamp: iso(now),
    window: WINDOW,
    containers: p.spec.containers.map((c) => {
      const u = containerUsage(c);
      return { name: c.name, usage: { cpu: cpu(u.cpu), memory: memory(u.memory) } };
    }),
  };
}

function nodeMetrics(model: ClusterModel, node: K8sObject, pods: PodLike[], now: number) {
  const on = pods.filter((p) => p.spec.nodeName === node.metadata.name).flatMap((p) => p.spec.containers.map(containerUsage));
  return {
    metadata: { name: node.metadata.name, creationTimestamp: iso(now), labels: node.metadata.labels },
    timestamp: iso(now),
    window: WINDOW,
    usage: {
      cpu: cpu(NODE_BASE.cpu + on.reduce((a, u) => a + u.cpu, 0)),
      memory: memory(NODE_BASE.memory + on.reduce((a, u) => a + u.memory, 0)),
    },
  };
}

const ready = (n: K8sObject) => ((n as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

function lease(node: K8sObject, now: number) {
  return {
    metadata: { name: node.metadata.name, namespace: 'kube-node-lease', uid: `lease-${node.metadata.uid}`, resourceVersion: node.metadata.resourceVersion, creationTimestamp: node.metadata.creationTimestamp, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid }] },
    // A NotReady node's kubelet stopped renewing: its lease keeps the time it last did.
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: 40, renewTime: new Date(ready(node) ? now : Date.parse(node.metadata.creationTimestamp ?? iso(now))).toISOString().replace('Z', '000Z') },
  };
}

function listOf(info: ResourceInfo, items: unknown[], model: ClusterModel) {
  return { kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata: { resourceVersion: model.store.resourceVersion }, items };
}

function notFound(info: ResourceInfo, name: string): K8sError {
  return new K8sError(404, 'NotFound', `${info.plural}.${info.group} "${name}" not found`, { name, group: info.group, kind: info.plural });
}

export function serveComputed(model: ClusterModel, req: TwinRequest, info: ResourceInfo, namespace: string | undefined, name: string | undefined, res: ServerResponse): void {
  const now = model.currentTime;
  if (info.plural === 'selfsubjectaccessreviews') {
    if (req.method !== 'POST' || name) throw new K8sError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const type = String(req.headers['content-type'] ?? 'application/json');
    let review: { spec?: Record<string, unknown> };
    if (/protobuf/i.test(type)) {
      // kubectl sends built-in kinds as protobuf.
      review = { spec: selfSubjectAccessReviewSpec(new Uint8Array(req.raw ?? Buffer.from(req.body))) };
    } else if (/json/i.test(type)) {
      try {
        review = JSON.parse(req.body) as { spec?: Record<string, unknown> };
      } catch {
        throw new K8sError(400, 'BadRequest', 'the request body is not valid JSON');
      }
    } else {
      throw new K8sError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf');
    }
    if (!review.spec || (!review.spec.resourceAttributes && !review.spec.nonResourceAttributes)) {
      throw new K8sError(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
    }
    // With Azure RBAC for Kubernetes, the twin's identity holds Azure Kubernetes Service RBAC Cluster Admin.
    return send(res, 201, {
      kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null },
      spec: review.spec,
      status: { allowed: true, reason: 'Azure RBAC: the signed-in identity holds Azure Kubernetes Service RBAC Cluster Admin on this cluster' },
    });
  }
  if (req.method !== 'GET') throw new K8sError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const nodes = model.nodes() as unknown as K8sObject[];
  if (info.plural === 'leases') {
    const items = namespace === undefined || namespace === 'kube-node-lease' ? nodes.map((n) => lease(n, now)) : [];
    if (!name) return send(res, 200, listOf(info, items, model));
    const one = items.find((l) => l.metadata.name === name);
    if (!one) throw notFound(info, name);
    return send(res, 200, { kind: info.kind, apiVersion: apiVersionOf(info), ...one });
  }
  const pods = running(model);
  const items =
    info.plural === 'nodes'
      ? nodes.filter(ready).map((n) => nodeMetrics(model, n, pods, now))
      : pods.filter((p) => namespace === undefined || p.metadata.namespace === namespace).map((p) => podMetrics(p, now));
  const selector = parseLabelSelector(req.url.searchParams.get('labelSelector'));
  const selected = items.filter((m) => matchesRequirements(m.metadata.labels, selector));
  if (!name) return send(res, 200, listOf(info, selected.map((m) => ({ kind: info.kind, apiVersion: apiVersionOf(info), ...m })), model));
  const one = items.find((m) => m.metadata.name === name);
  if (!one) throw notFound(info, name);
  send(res, 200, { kind: info.kind, apiVersion: apiVersionOf(info), ...one });
}
