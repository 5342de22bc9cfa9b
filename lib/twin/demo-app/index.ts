import type { ServerResponse } from 'node:http';
import type { TwinContext, TwinExtension, TwinRequest } from '../server';
import type { K8sTwin } from '../k8s';
import type { ClusterKey } from '../k8s/catalog';
import type { Node, Pod } from '../k8s/types';

/**
 * The demo application's public entry, as the twin serves it: `GET /demo-app/`
 * (no token, as a public website) answers the way the environment's entry
 * would. A request reaches an app cluster that is running and has an ingress
 * gateway pod Ready on a Ready node, and a demo-app pod Running and Ready on a
 * Ready node behind it; the clusters take turns. None: 503, as a load
 * balancer with no healthy backend answers. The answer names who served it
 * (`x-served-by: app1/zone-2`), so the presenter page shows requests moving
 * between zones while one is lost.
 */
const APP_CLUSTERS: ClusterKey[] = ['app1', 'app2'];

const ready = (conditions: { type: string; status: string }[] | undefined) => conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function servingPod(pods: Pod[], nodes: Map<string, Node>, match: (p: Pod) => boolean): Pod | undefined {
  return pods.find((p) => match(p) && p.status.phase === 'Running' && ready(p.status.conditions) && !p.metadata.deletionTimestamp && ready(nodes.get(p.spec.nodeName ?? '')?.status.conditions));
}

export function demoAppExtension(k8s: K8sTwin): TwinExtension {
  let turn = 0;
  return {
    name: 'demo-app',
    handle: () => false,
    handlePublic(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean {
      if (req.url.pathname !== '/demo-app/' && req.url.pathname !== '/demo-app') return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return true;
      }
      ctx.state.advance();
      const backends: { cluster: ClusterKey; zone: string }[] = [];
      for (const key of APP_CLUSTERS) {
        const cluster = ctx.state.clusters.find((c) => c.key === key);
        if (!cluster || cluster.power !== 'Running') continue;
        const model = k8s.model(ctx, key);
        const nodes = new Map(model.nodes().map((n) => [n.metadata.name, n]));
        const pods = model.pods();
        const gateway = servingPod(pods, nodes, (p) => p.metadata.namespace === 'aks-istio-ingress');
        const app = servingPod(pods, nodes, (p) => p.metadata.namespace === 'demo' && p.metadata.labels?.app === 'demo-app');
        if (gateway && app) backends.push({ cluster: key, zone: nodes.get(app.spec.nodeName ?? '')?.metadata.labels?.['topology.kubernetes.io/zone'] ?? '' });
      }
      if (!backends.length) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('no healthy backend\n');
        return true;
      }
      const b = backends[turn++ % backends.length];
      const servedBy = `${b.cluster}/zone-${b.zone.split('-').pop()}`;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'x-served-by': servedBy });
      res.end(req.method === 'HEAD' ? undefined : `<!doctype html><title>AKS demo</title><h1>Welcome to Azure Kubernetes Service (AKS)</h1><p>${servedBy}</p>\n`);
      return true;
    },
  };
}
