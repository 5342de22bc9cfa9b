import type { ServerResponse } from 'node:http';
import { requireApiVersion, send, type TwinContext, type TwinExtension } from '../server';
import { TwinError } from '../state';
import { agentPoolJson, managedClusterJson, operationStatusJson, resourceGroupJson } from '../arm-shapes';
import { credentialResults, parseFormat, refuseAdminCredential, userKubeconfig } from '../kubeconfig';
import type { K8sTwin } from '../k8s';
import { extensionFailureAdmin, kubernetesConfigurationJson } from './kubernetes-configuration';

/**
 * ARM itself: resource groups and Microsoft.ContainerService (managed clusters,
 * agent pools, their long-running operations and user credentials) under
 * `/subscriptions/…`, with the cluster extensions and Flux configurations of
 * Microsoft.KubernetesConfiguration on each cluster (their compliance read from
 * the twin's Kubernetes). It answers every request no other extension took, as
 * ARM answers an unknown path (404) or a missing api-version (400), so it
 * comes last in the list.
 */
export function armExtension(k8s: K8sTwin): TwinExtension {
  return {
    name: 'arm',
    handle(ctx, req, res) {
      route(ctx, k8s, req.method, req.url, requireApiVersion(req.url), res, req.body);
      return true;
    },
    admin(ctx, req, res) {
      return extensionFailureAdmin(ctx, req, res);
    },
  };
}

function route(ctx: TwinContext, k8s: K8sTwin, method: string, url: URL, apiVersion: string, res: ServerResponse, body: string): void {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const lower = parts.map((p) => p.toLowerCase());
  if (lower[0] !== 'subscriptions' || !parts[1]) throw new TwinError(404, 'NotFound', 'No route.');
  if (parts[1].toLowerCase() !== ctx.subscriptionId.toLowerCase()) {
    throw new TwinError(404, 'SubscriptionNotFound', `The subscription '${parts[1]}' could not be found.`);
  }
  const sub = ctx.subscriptionId;
  const rest = lower.slice(2);
  const location = ctx.state.names.location;
  const notFound = () => new TwinError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${url.pathname}'.`);
  const onlyGet = () => {
    if (method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
  };

  // /subscriptions/{sub}/resourcegroups[/{rg}]
  if (rest[0] === 'resourcegroups' && rest.length === 1) {
    onlyGet();
    return send(res, 200, { value: ctx.state.resourceGroups.map((g) => resourceGroupJson(sub, g)) });
  }
  if (rest[0] === 'resourcegroups' && rest.length === 2) {
    onlyGet();
    const g = ctx.state.findResourceGroup(parts[3]);
    if (!g) throw new TwinError(404, 'ResourceGroupNotFound', `Resource group '${parts[3]}' could not be found.`);
    return send(res, 200, resourceGroupJson(sub, g));
  }
  // /subscriptions/{sub}/providers/Microsoft.ContainerService/...
  if (rest[0] === 'providers' && rest[1] === 'microsoft.containerservice') {
    if (rest[2] === 'managedclusters' && rest.length === 3) {
      onlyGet();
      return send(res, 200, { value: ctx.state.clusters.map((c) => managedClusterJson(sub, c)) });
    }
    if (rest[2] === 'locations' && rest.length === 6) {
      onlyGet();
      const op = ctx.state.getOperation(parts[7]);
      const now = ctx.clock.now();
      if (rest[4] === 'operations') return send(res, 200, operationStatusJson(sub, location, op, now));
      if (rest[4] === 'operationresults') {
        if (op.status === 'InProgress') {
          return send(res, 202, undefined, { Location: operationUrl(ctx, 'operationresults', op.id, apiVersion) });
        }
        if (op.status === 'Failed') return send(res, 500, { error: op.error });
        return send(res, 204, undefined);
      }
    }
    throw notFound();
  }
  // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters[...]
  if (rest[0] === 'resourcegroups' && rest[2] === 'providers' && rest[3] === 'microsoft.containerservice' && rest[4] === 'managedclusters') {
    const rg = parts[3];
    if (rest.length === 5) {
      onlyGet();
      if (!ctx.state.findResourceGroup(rg)) throw new TwinError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
      const value = ctx.state.clusters.filter((c) => c.resourceGroup.toLowerCase() === rg.toLowerCase());
      return send(res, 200, { value: value.map((c) => managedClusterJson(sub, c)) });
    }
    const cluster = ctx.state.findCluster(rg, parts[7]);
    if (rest.length === 6 && method === 'PUT') {
      // A managed cluster PUT as `az aks update --tier` sends it: the twin applies the SKU tier
      // (Free ↔ Standard, both ways allowed by AKS) and answers 200 with Azure-AsyncOperation.
      const tier = parseJsonBody<{ sku?: { tier?: string } }>(body).sku?.tier;
      if (tier !== 'Free' && tier !== 'Standard') {
        throw new TwinError(400, 'InvalidParameter', `The value of parameter sku.tier is invalid: '${String(tier)}'. Allowed values: Free, Standard, Premium.`);
      }
      const op = ctx.state.beginTierChange(cluster, tier);
      return send(res, 200, managedClusterJson(sub, cluster), {
        'Azure-AsyncOperation': operationUrl(ctx, 'operations', op.id, apiVersion),
      });
    }
    if (rest.length === 6) {
      onlyGet();
      return send(res, 200, managedClusterJson(sub, cluster));
    }
    if (rest.length === 7 && (rest[6] === 'stop' || rest[6] === 'start')) {
      if (method !== 'POST') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
      const op = ctx.state.beginPowerOperation(cluster, rest[6]);
      return send(res, 202, undefined, {
        Location: operationUrl(ctx, 'operationresults', op.id, apiVersion),
        'Azure-AsyncOperation': operationUrl(ctx, 'operations', op.id, apiVersion),
      });
    }
    if (rest.length === 7 && (rest[6] === 'listclusterusercredential' || rest[6] === 'listclusteradmincredential')) {
      // ManagedClusters_ListClusterUserCredentials / _ListClusterAdminCredentials: POST, base64 kubeconfigs.
      if (method !== 'POST') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
      if (rest[6] === 'listclusteradmincredential') refuseAdminCredential();
      const kubeconfig = userKubeconfig({ cluster, server: ctx.kubernetesServer(cluster.key), caPem: ctx.caPem, format: parseFormat(url.searchParams.get('format')) });
      return send(res, 200, credentialResults('clusterUser', kubeconfig));
    }
    if (rest[6] === 'providers' && rest[7] === 'microsoft.kubernetesconfiguration' && rest.length >= 9) {
      return send(res, 200, kubernetesConfigurationJson(ctx, k8s, method, cluster, rest.slice(8), parts.slice(10)));
    }
    if (rest[6] === 'agentpools' && rest.length === 7) {
      onlyGet();
      return send(res, 200, { value: cluster.pools.map((p) => agentPoolJson(sub, cluster, p)) });
    }
    if (rest[6] === 'agentpools' && rest.length === 8 && method === 'PUT') {
      // Agent pool PUT with a new count (`az aks nodepool scale`): 200 while Scaling, polled
      // through Azure-AsyncOperation; only the count is applied here.
      const count = parseJsonBody<{ properties?: { count?: unknown } }>(body).properties?.count;
      if (typeof count !== 'number') throw new TwinError(400, 'InvalidParameter', 'The value of parameter agentPoolProfile.count is invalid.');
      const op = ctx.state.beginPoolScale(cluster, parts[9], count);
      const pool = cluster.pools.find((p) => p.name === op.pool)!;
      return send(res, 200, agentPoolJson(sub, cluster, pool), {
        'Azure-AsyncOperation': operationUrl(ctx, 'operations', op.id, apiVersion),
      });
    }
    if (rest[6] === 'agentpools' && rest.length === 8) {
      onlyGet();
      const pool = cluster.pools.find((p) => p.name.toLowerCase() === rest[7]);
      if (!pool) {
        throw new TwinError(404, 'NotFound', `Could not find agent pool '${parts[9]}' in managed cluster '${cluster.name}'.`);
      }
      return send(res, 200, agentPoolJson(sub, cluster, pool));
    }
  }
  throw notFound();
}

function operationUrl(ctx: TwinContext, kind: 'operations' | 'operationresults', id: string, apiVersion: string): string {
  return `${ctx.url}/subscriptions/${ctx.subscriptionId}/providers/Microsoft.ContainerService/locations/${ctx.state.names.location}/${kind}/${id}?api-version=${apiVersion}`;
}

function parseJsonBody<T>(body: string): T {
  try {
    return (body ? JSON.parse(body) : {}) as T;
  } catch {
    throw new TwinError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
}
