import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import type { TwinState } from '../state';
import { serveApi, sendStatus } from './api';
import type { ClusterKey } from './catalog';
import { installedManifest, pinnedRelease, renderRelease } from './helm-render';
import { appVersionOf } from './helm';
import { ClusterModel, type ScenarioResult } from './model';
import { CHAIN_FAULTS, prepareChainFault } from './model/chain-faults';
import { tlsSecretWideRead } from './model/tls-read';
import { K8sError } from './types';

/**
 * The Kubernetes API of each cluster, as a twin extension:
 * `https://<twin>/k8s/<mgmt|app1|app2>/api/v1/…` and `/apis/…` with a bearer
 * token (the twin server checks it). A cluster that is not Running does not
 * answer at all: the connection is dropped, as with a stopped AKS API server.
 *
 * Admin surface (`/_twin/k8s/…`, never called by an Azure or Kubernetes client):
 *   GET  /_twin/k8s/<cluster>                      summary: nodes, pending pods, claims, outage zones
 *   POST /_twin/k8s/<cluster|all>/spot-eviction    {node?, zone?}
 *   POST /_twin/k8s/<cluster|all>/zone-outage      {zone}
 *   POST /_twin/k8s/<cluster|all>/zone-restore     {zone}
 *   POST /_twin/k8s/<cluster|all>/spot-capacity    {zone, available}
 *   POST /_twin/k8s/<cluster>/helm-release         {namespace, release, version, appVersion?}
 *   GET  /_twin/k8s/<cluster>/helm-manifest?namespace=&release=[&version=]
 *        without version: the installed release (newest revision) and its manifest, as `helm get manifest`
 *        (installed null, manifest '' when not installed); with version: the manifest that chart version
 *        renders, as `helm upgrade --dry-run=server` (infra/'s releases only)
 *   POST /_twin/k8s/<cluster|all>/chain-fault      {link, message?}  (model/chain-faults.ts)
 *   POST /_twin/k8s/<cluster>/tls-secret-wide-read  a Role reading every Secret of aks-istio-ingress, bound to a workload (model/tls-read.ts)
 */
const HELM_NAME = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
const HELM_VERSION = z.string().min(1).max(64).regex(/^v?[0-9][0-9A-Za-z.+-]*$/);

export interface HelmManifestAnswer {
  installed: { revision: number; version: string; appVersion?: string; status: string } | null;
  manifest: string;
}

const KEYS: ClusterKey[] = ['mgmt', 'app1', 'app2'];
const WATCH_TICK_MS = 200;

export class K8sTwin implements TwinExtension {
  readonly name = 'k8s';
  private models = new Map<ClusterKey, ClusterModel>();
  private watches = new Map<ClusterKey, Set<() => void>>();
  private bound?: TwinState;
  private ctx?: TwinContext;
  private ticker?: ReturnType<typeof setInterval>;

  /** The model of one cluster (for tests and for other twin extensions). */
  model(ctx: TwinContext, key: ClusterKey): ClusterModel {
    this.ensure(ctx);
    const m = this.models.get(key);
    if (!m) throw new K8sError(404, 'NotFound', `no cluster ${key}`);
    return m;
  }

  private ensure(ctx: TwinContext): void {
    this.ctx = ctx;
    if (this.bound === ctx.state) return;
    this.bound = ctx.state;
    ctx.state.events.on('reset', () => this.rebuild());
    ctx.state.events.on('power', ({ clusterKey, power }) => {
      const m = this.models.get(clusterKey as ClusterKey);
      m?.advance();
      // A stopped API server drops its connections.
      if (power === 'Stopped') this.closeWatches(clusterKey as ClusterKey);
    });
    // Simulated tofu apply/destroy and add-on install (lib/twin/jobs): the cluster's API
    // server comes and goes with it; install.sh steps land in its store.
    ctx.state.events.on('deployment', ({ clusterKey }) => this.rebuildOne(clusterKey as ClusterKey));
    ctx.state.events.on('addons', ({ clusterKey, step }) => this.models.get(clusterKey as ClusterKey)?.installStep(step));
    this.rebuild();
  }

  private rebuildOne(key: ClusterKey): void {
    const ctx = this.ctx;
    if (!ctx) return;
    this.closeWatches(key);
    this.models.delete(key);
    if (!ctx.state.clusters.some((c) => c.key === key)) return;
    this.models.set(key, this.newModel(ctx, key));
  }

  private newModel(ctx: TwinContext, key: ClusterKey): ClusterModel {
    return new ClusterModel({
      key,
      subscriptionId: ctx.subscriptionId,
      now: () => ctx.clock.now(),
      duration: (ms) => ctx.clock.duration(ms),
      scale: ctx.state.scale,
      cluster: () => ctx.state.clusters.find((c) => c.key === key)!,
    });
  }

  private rebuild(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    for (const key of KEYS) this.closeWatches(key);
    this.models.clear();
    for (const key of KEYS) {
      if (!ctx.state.clusters.some((c) => c.key === key)) continue;
      this.models.set(key, this.newModel(ctx, key));
    }
  }

  private closeWatches(key: ClusterKey): void {
    for (const close of [...(this.watches.get(key) ?? [])]) close();
  }

  private trackWatch(key: ClusterKey, close: () => void): () => void {
    const set = this.watches.get(key) ?? new Set();
    this.watches.set(key, set);
    set.add(close);
    // While a watch is open, time moves the model even when no request comes in.
    this.ticker ??= setInterval(() => {
      this.ctx?.state.advance();
      for (const m of this.models.values()) m.advance();
    }, WATCH_TICK_MS);
    this.ticker.unref?.();
    return () => {
      set.delete(close);
      if ([...this.watches.values()].every((s) => s.size === 0) && this.ticker) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
    };
  }

  reset(ctx: TwinContext): void {
    this.ensure(ctx);
  }

  handle(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean {
    const parts = req.url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'k8s') return false;
    this.ensure(ctx);
    const key = parts[1] as ClusterKey;
    const model = this.models.get(key);
    if (!model) {
      sendStatus(res, new K8sError(404, 'NotFound', `no Kubernetes API for cluster "${parts[1]}"`));
      return true;
    }
    const cluster = ctx.state.clusters.find((c) => c.key === key)!;
    if (cluster.power !== 'Running') {
      res.destroy();
      return true;
    }
    try {
      model.advance();
      serveApi({ model, kubernetesVersion: cluster.kubernetesVersion, trackWatch: (close) => this.trackWatch(key, close) }, req, parts.slice(2), res);
    } catch (err) {
      if (err instanceof K8sError) sendStatus(res, err);
      else if (err instanceof z.ZodError) sendStatus(res, new K8sError(400, 'BadRequest', err.message));
      else throw err;
    }
    return true;
  }

  /** `helm get manifest` (no version) or `helm upgrade --dry-run=server` (a version) of one of infra/'s releases. */
  private helmManifest(key: ClusterKey, model: ClusterModel, params: URLSearchParams): HelmManifestAnswer {
    const q = z.object({ namespace: HELM_NAME, release: HELM_NAME, version: HELM_VERSION.optional() }).parse(Object.fromEntries(params));
    const release = model.helmRelease(q.namespace, q.release);
    const installed = release ? { revision: release.version, version: release.chart.metadata.version, appVersion: release.chart.metadata.appVersion, status: release.info.status } : null;
    if (!q.version) return { installed, manifest: release ? installedManifest(key, release) : '' };
    const pinned = pinnedRelease(key, q.namespace, q.release);
    if (!pinned) throw new K8sError(404, 'NotFound', `infra/ installs no Helm release ${q.namespace}/${q.release} on ${key}`);
    return { installed, manifest: renderRelease({ cluster: key, namespace: q.namespace, release: q.release, version: q.version, appVersion: appVersionOf(pinned.chart, q.version) }) };
  }

  admin(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean {
    this.ensure(ctx);
    const [, , target, verb] = req.url.pathname.split('/').filter(Boolean);
    const keys = target === 'all' ? [...this.models.keys()] : this.models.has(target as ClusterKey) ? [target as ClusterKey] : [];
    try {
      if (!keys.length) throw new K8sError(404, 'NotFound', `no cluster "${target}"`);
      ctx.state.advance();
      const models = keys.map((k) => this.models.get(k)!);
      if (req.method === 'GET' && !verb) {
        send(res, 200, target === 'all' ? models.map((m) => m.summary()) : models[0].summary());
        return true;
      }
      if (req.method === 'GET' && verb === 'helm-manifest' && target !== 'all') {
        send(res, 200, this.helmManifest(target as ClusterKey, models[0], req.url.searchParams));
        return true;
      }
      if (req.method !== 'POST') throw new K8sError(405, 'MethodNotAllowed', `${req.method} not allowed`);
      const body = req.body ? (JSON.parse(req.body) as unknown) : {};
      const zone = z.enum(['1', '2', '3']);
      let results: ScenarioResult[];
      switch (verb) {
        case 'spot-eviction': {
          const v = z.object({ node: z.string().optional(), zone: zone.optional() }).parse(body);
          results = models.map((m) => m.spotEviction(v));
          break;
        }
        case 'zone-outage': {
          const v = z.object({ zone }).parse(body);
          results = models.map((m) => m.zoneOutage(v.zone));
          break;
        }
        case 'zone-restore': {
          const v = z.object({ zone }).parse(body);
          results = models.map((m) => m.restoreZone(v.zone));
          break;
        }
        case 'spot-capacity': {
          const v = z.object({ zone, available: z.boolean() }).parse(body);
          results = models.map((m) => {
            m.setSpotCapacity(v.zone, v.available);
            return { cluster: m.key, detail: `Spot capacity in zone ${v.zone}: ${v.available ? 'available' : 'none'}`, nodes: [] };
          });
          break;
        }
        case 'helm-release': {
          if (target === 'all') throw new K8sError(400, 'BadRequest', 'a Helm release is upgraded on one cluster at a time');
          const v = z.object({ namespace: HELM_NAME, release: HELM_NAME, version: HELM_VERSION, appVersion: z.string().min(1).max(64).optional() }).strict().parse(body);
          results = models.map((m) => m.helmUpgrade(v));
          break;
        }
        case 'chain-fault': {
          const v = z.object({ link: z.enum(CHAIN_FAULTS), message: z.string().min(1).max(500).optional() }).strict().parse(body);
          results = models.map((m) => prepareChainFault(m, v.link, v.message)).map((apply) => apply());
          break;
        }
        case 'tls-secret-wide-read': {
          if (target === 'all') throw new K8sError(400, 'BadRequest', 'the TLS Secret\'s reads are widened on one cluster at a time');
          z.object({}).strict().parse(body);
          results = models.map((m) => tlsSecretWideRead(m));
          break;
        }
        default:
          throw new K8sError(404, 'NotFound', `no twin Kubernetes scenario "${verb}"`);
      }
      send(res, 200, { ok: true, results });
    } catch (err) {
      if (err instanceof K8sError) send(res, err.code, { error: { code: err.reason, message: err.message } });
      else if (err instanceof z.ZodError || err instanceof SyntaxError) send(res, 400, { error: { code: 'BadRequest', message: err.message } });
      else throw err;
    }
    return true;
  }
}

export function k8sExtension(): K8sTwin {
  return new K8sTwin();
}
