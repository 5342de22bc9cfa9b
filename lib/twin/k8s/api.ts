import type { ServerResponse } from 'node:http';
import { send, type TwinRequest } from '../server';
import { applyPatch, matchesRequirements, parseFieldSelector, parseLabelSelector } from './meta';
import type { ClusterModel } from './model';
import { RESOURCES, apiVersionOf, categoriesOf, findResource, verbsOf, type ResourceInfo } from './resources';
import { serveComputed } from './computed';
import { toTable, wantsTable } from './table';
import { K8sError, type K8sObject, type Workload } from './types';

/**
 * The Kubernetes API server of one cluster, over the model's store: discovery,
 * list (label and field selectors), get, watch (`?watch=true&resourceVersion=`,
 * one JSON event per line), merge / strategic-merge / JSON patch, replace,
 * delete for pods and nodes, the Eviction API, the `scale` subresource and the `status`
 * subresource of the custom resources whose definitions enable it (Flux's).
 */
const SUBRESOURCE_KIND: Record<string, string> = { scale: 'Scale', eviction: 'Eviction' };

export interface ApiContext {
  model: ClusterModel;
  kubernetesVersion: string;
  /** Registers an open watch so that it can be cut when the cluster stops or the twin resets. */
  trackWatch(close: () => void): () => void;
}

/** A list's item without kind and apiVersion; a shallow copy is enough, as `send` serialises it at once. */
const strip = (o: K8sObject) => {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
  void _kind;
  void _apiVersion;
  return rest;
};

export function sendStatus(res: ServerResponse, err: K8sError): void {
  send(res, err.code, err.toStatus());
}

export function serveApi(ctx: ApiContext, req: TwinRequest, path: string[], res: ServerResponse): void {
  const [head, ...rest] = path;
  if (path.length === 1 && head === 'version') {
    const [major, minor, patch] = ctx.kubernetesVersion.split('.');
    return send(res, 200, { major, minor, gitVersion: `v${major}.${minor}.${patch}`, gitCommit: '', gitTreeState: 'clean', buildDate: '2026-10-28T00:00:00Z', goVersion: 'go1.25.3', compiler: 'gc', platform: 'linux/amd64' });
  }
  if (path.length === 1 && ['healthz', 'readyz', 'livez'].includes(head)) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    return void res.end('ok');
  }
  if (path.length === 1 && head === 'api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:443' }] });
  if (path.length === 1 && head === 'apis') {
    const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => r.group))].map((name) => {
      const versions = [...new Set(RESOURCES.filter((r) => r.group === name).map((r) => r.version))].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions, preferredVersion: versions[0] };
    });
    return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
  }
  let group: string;
  let version: string;
  let tail: string[];
  if (head === 'api' && rest[0] === 'v1') [group, version, tail] = ['', 'v1', rest.slice(1)];
  else if (head === 'apis' && rest.length >= 2) [group, version, tail] = [rest[0], rest[1], rest.slice(2)];
  else throw new K8sError(404, 'NotFound', 'the server could not find the requested resource');

  if (tail.length === 0) {
    const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
    if (!resources.length) throw new K8sError(404, 'NotFound', 'the server could not find the requested resource');
    return send(res, 200, {
      kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version,
      resources: resources.flatMap((r) => [
        {
          name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: verbsOf(r),
          ...(r.shortNames ? { shortNames: r.shortNames } : {}),
          ...(categoriesOf(r) ? { categories: categoriesOf(r) } : {}),
        },
        ...(r.subresources ?? []).map((s) => ({ name: `${r.plural}/${s}`, namespaced: r.namespaced, kind: SUBRESOURCE_KIND[s] ?? r.kind, verbs: s === 'eviction' ? ['create'] : ['get', 'patch', 'update'] })),
      ]),
    });
  }

  let namespace: string | undefined;
  if (tail[0] === 'namespaces' && tail.length >= 3) {
    namespace = tail[1];
    tail = tail.slice(2);
  }
  const [plural, name, sub] = tail;
  const info = findResource(group, version, plural);
  if (!info || tail.length > 3) throw new K8sError(404, 'NotFound', 'the server could not find the requested resource');
  if (namespace && !info.namespaced) throw new K8sError(404, 'NotFound', 'the server could not find the requested resource');
  if (info.computed) return serveComputed(ctx.model, req, info, namespace, name, res);
  if (!name) return collection(ctx, req, info, namespace, res);
  if (info.namespaced && !namespace) throw new K8sError(404, 'NotFound', 'the server could not find the requested resource');
  if (sub) return subresource(ctx, req, info, namespace, name, sub, res);
  return item(ctx, req, info, namespace, name, res);
}

function notFound(info: ResourceInfo, name: string): K8sError {
  const kind = info.group ? `${info.plural}.${info.group}` : info.plural;
  return new K8sError(404, 'NotFound', `${kind} "${name}" not found`, { name, group: info.group || undefined, kind: info.plural });
}

function collection(ctx: ApiContext, req: TwinRequest, info: ResourceInfo, namespace: string | undefined, res: ServerResponse): void {
  if (req.method !== 'GET') throw new K8sError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  const q = req.url.searchParams;
  const labels = parseLabelSelector(q.get('labelSelector'));
  const fields = parseFieldSelector(q.get('fieldSelector'));
  const match = (o: K8sObject) => matchesRequirements(o.metadata.labels, labels) && (!fields || fields(o));
  const store = ctx.model.store;
  if (q.get('watch') === 'true' || q.get('watch') === '1') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    let closed = false;
    const table = wantsTable(req.headers.accept);
    const write = (e: unknown, json?: string) => {
      if (closed) return;
      // kubectl get -w asks for Tables: each event's object is a one-row Table, as the API server sends it.
      const ev = e as { type: string; object: K8sObject };
      if (table && ev.object?.metadata) {
        return void res.write(JSON.stringify({ type: ev.type, object: toTable(info, [ev.object], ev.object.metadata.resourceVersion ?? store.resourceVersion, ctx.model.currentTime) }) + '\n');
      }
      // A stored object's event comes serialised once for every watcher.
      res.write((json ?? JSON.stringify(e)) + '\n');
    };
    const stopWatch = store.watch({ resource: info.plural, namespace, match }, write, q.get('resourceVersion'));
    if (!stopWatch) return void res.end();
    const finish = (destroy: boolean) => {
      if (closed) return;
      closed = true;
      stopWatch();
      untrack();
      clearTimeout(timer);
      if (destroy) res.destroy();
      else res.end();
    };
    const untrack = ctx.trackWatch(() => finish(true));
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => finish(false), timeout * 1000) : undefined;
    res.on('close', () => finish(false));
    return;
  }
  const items = store.list(info.plural, namespace).filter(match).sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  if (wantsTable(req.headers.accept)) return send(res, 200, toTable(info, items, store.resourceVersion, ctx.model.currentTime));
  send(res, 200, { kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata: { resourceVersion: store.resourceVersion }, items: items.map(strip) });
}

/** Replaces what a client may change (labels, annotations, spec, top-level fields other than status). */
function writeBack(target: K8sObject, next: K8sObject, info: ResourceInfo): void {
  if (next.metadata?.name !== undefined && next.metadata.name !== target.metadata.name) {
    throw new K8sError(422, 'Invalid', `${info.kind} "${target.metadata.name}" is invalid: metadata.name: Invalid value: "${next.metadata.name}": field is immutable`);
  }
  const specChanged = JSON.stringify(next.spec) !== JSON.stringify(target.spec);
  target.metadata.labels = next.metadata?.labels;
  target.metadata.annotations = next.metadata?.annotations;
  for (const [k, v] of Object.entries(next)) {
    if (['metadata', 'status', 'kind', 'apiVersion'].includes(k)) continue;
    (target as Record<string, unknown>)[k] = v;
  }
  for (const k of Object.keys(target)) if (!(k in next) && !['metadata', 'status', 'kind', 'apiVersion'].includes(k)) delete (target as Record<string, unknown>)[k];
  if (specChanged && info.plural !== 'nodes' && info.plural !== 'pods') target.metadata.generation = (target.metadata.generation ?? 1) + 1;
}

function item(ctx: ApiContext, req: TwinRequest, info: ResourceInfo, namespace: string | undefined, name: string, res: ServerResponse): void {
  const { model } = ctx;
  const store = model.store;
  const obj = store.get(info.plural, namespace, name);
  if (!obj) throw notFound(info, name);
  switch (req.method) {
    case 'GET':
      if (wantsTable(req.headers.accept)) return send(res, 200, toTable(info, [obj], store.resourceVersion, model.currentTime));
      return send(res, 200, obj);
    case 'PATCH':
    case 'PUT': {
      let next: K8sObject;
      if (req.method === 'PATCH') next = applyPatch(structuredClone(obj), req.headers['content-type'], req.body) as K8sObject;
      else {
        next = parseBody(req.body) as K8sObject;
        if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== obj.metadata.resourceVersion) {
          throw new K8sError(409, 'Conflict', `Operation cannot be fulfilled on ${info.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind: info.plural });
        }
      }
      const before = JSON.stringify(obj);
      writeBack(obj, next, info);
      if (JSON.stringify(obj) !== before) store.update(info.plural, obj, before);
      const answer = structuredClone(obj);
      model.changed();
      return send(res, 200, answer);
    }
    case 'DELETE': {
      if (info.plural === 'pods') {
        const p = model.deletePodByName(namespace!, name);
        return send(res, 200, p);
      }
      if (info.plural === 'nodes' || info.plural === 'nodeclaims') {
        store.remove(info.plural, obj);
        model.changed();
        return send(res, 200, obj);
      }
      throw new K8sError(405, 'MethodNotAllowed', `the twin does not delete ${info.plural}`);
    }
    default:
      throw new K8sError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new K8sError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}

function scaleOf(w: Workload) {
  const labels = Object.entries(w.spec.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: w.metadata.name, namespace: w.metadata.namespace, uid: w.metadata.uid, resourceVersion: w.metadata.resourceVersion, creationTimestamp: w.metadata.creationTimestamp },
    spec: { replicas: w.spec.replicas ?? 1 },
    status: { replicas: Number((w.status as { replicas?: number }).replicas ?? 0), selector: labels },
  };
}

function subresource(ctx: ApiContext, req: TwinRequest, info: ResourceInfo, namespace: string | undefined, name: string, sub: string, res: ServerResponse): void {
  const { model } = ctx;
  if (info.plural === 'pods' && sub === 'eviction') {
    if (req.method !== 'POST') throw new K8sError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    model.evict(namespace!, name);
    return send(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }
  if ((info.plural === 'deployments' || info.plural === 'statefulsets') && sub === 'scale') {
    const w = model.store.get<Workload>(info.plural, namespace, name);
    if (!w) throw notFound(info, name);
    if (req.method === 'GET') return send(res, 200, scaleOf(w));
    if (req.method !== 'PATCH' && req.method !== 'PUT') throw new K8sError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const current = scaleOf(w);
    const next = (req.method === 'PATCH' ? applyPatch(current, req.headers['content-type'], req.body) : parseBody(req.body)) as ReturnType<typeof scaleOf>;
    if (req.method === 'PUT' && next.metadata?.resourceVersion && next.metadata.resourceVersion !== w.metadata.resourceVersion) {
      throw new K8sError(409, 'Conflict', `Operation cannot be fulfilled on ${info.plural}.apps "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const replicas = next.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new K8sError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
    }
    model.store.mutate(info.plural, w, (x) => {
      if (x.spec.replicas !== replicas) x.metadata.generation = (x.metadata.generation ?? 1) + 1;
      x.spec.replicas = replicas;
    });
    const answer = scaleOf(w);
    model.changed();
    return send(res, 200, answer);
  }
  if (sub === 'status' && info.subresources?.includes('status')) return statusOf(ctx, req, info, namespace, name, res);
  throw new K8sError(404, 'NotFound', 'the server could not find the requested resource');
}

/** `…/status` of a custom resource: a write changes the status only, as a controller reports it (the spec and metadata stay). */
function statusOf(ctx: ApiContext, req: TwinRequest, info: ResourceInfo, namespace: string | undefined, name: string, res: ServerResponse): void {
  const store = ctx.model.store;
  const obj = store.get(info.plural, namespace, name);
  if (!obj) throw notFound(info, name);
  if (req.method === 'GET') return send(res, 200, obj);
  if (req.method !== 'PATCH' && req.method !== 'PUT') throw new K8sError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const next = (req.method === 'PATCH' ? applyPatch(structuredClone(obj), req.headers['content-type'], req.body) : parseBody(req.body)) as K8sObject;
  if (req.method === 'PUT' && next.metadata?.resourceVersion && next.metadata.resourceVersion !== obj.metadata.resourceVersion) {
    throw new K8sError(409, 'Conflict', `Operation cannot be fulfilled on ${info.plural}.${info.group} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind: info.plural });
  }
  if (next.status !== undefined && (typeof next.status !== 'object' || next.status === null || Array.isArray(next.status))) {
    throw new K8sError(422, 'Invalid', `${info.kind}.${info.group} "${name}" is invalid: status: Invalid value: must be an object`);
  }
  const before = JSON.stringify(obj);
  obj.status = next.status;
  if (JSON.stringify(obj) !== before) store.update(info.plural, obj, before);
  const answer = structuredClone(obj);
  ctx.model.changed();
  return send(res, 200, answer);
}
