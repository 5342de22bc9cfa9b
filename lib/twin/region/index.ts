import { z } from 'zod';
import { requireApiVersion, send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { TwinError } from '../state';
import type { K8sTwin } from '../k8s';

/**
 * What Azure says about a region that a pre-flight reads, in ARM's shapes:
 *
 *   GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/usages               vCPU quotas
 *   GET /subscriptions/{sub}/providers/Microsoft.Network/locations/{loc}/usages               network quotas
 *   GET /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/kubernetesVersions
 *   GET /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/meshRevisionProfiles
 *
 * Usage is computed from the twin's own environment (running pools and Spot
 * nodes, the clusters' load balancers and ingress gateways, Bastion) plus what
 * "others" in the subscription use. The versions and revisions are the twin's
 * own list, not a copy of what AKS offers today. Admin, to rehearse a failed
 * pre-flight: `POST /_twin/region/quota {name, limit?, othersUse?}`,
 * `POST /_twin/region/versions {withdraw: "1.35"}`, `POST /_twin/region/reset` (back to the seed).
 */

interface QuotaSeed {
  name: string;
  localizedValue: string;
  limit: number;
  /** Used by other workloads in the subscription. */
  othersUse: number;
}

const COMPUTE: QuotaSeed[] = [
  { name: 'cores', localizedValue: 'Total Regional vCPUs', limit: 100, othersUse: 8 },
  { name: 'standardDSv5Family', localizedValue: 'Standard DSv5 Family vCPUs', limit: 60, othersUse: 4 },
  { name: 'lowPriorityCores', localizedValue: 'Total Regional Spot vCPUs', limit: 60, othersUse: 0 },
  { name: 'availabilitySets', localizedValue: 'Availability Sets', limit: 2500, othersUse: 0 },
  { name: 'virtualMachines', localizedValue: 'Total Regional Virtual Machines', limit: 25000, othersUse: 4 },
];
const NETWORK: QuotaSeed[] = [
  { name: 'PublicIPAddresses', localizedValue: 'Public IP Addresses', limit: 1000, othersUse: 2 },
  { name: 'StandardSkuPublicIpAddresses', localizedValue: 'Public IP Addresses - Standard', limit: 20, othersUse: 2 },
  { name: 'LoadBalancers', localizedValue: 'Load Balancers', limit: 1000, othersUse: 0 },
];

const VERSIONS = [
  { version: '1.34', patches: ['1.34.6', '1.34.7'], plans: ['KubernetesOfficial'] },
  { version: '1.35', patches: ['1.35.3', '1.35.4'], plans: ['KubernetesOfficial', 'AKSLongTermSupport'], isDefault: true },
  { version: '1.36', patches: ['1.36.1'], plans: ['KubernetesOfficial'] },
];
const MESH = [
  { revision: 'asm-1-29', kubernetes: ['1.33', '1.34', '1.35'], upgrades: ['asm-1-30'] },
  { revision: 'asm-1-30', kubernetes: ['1.34', '1.35', '1.36'], upgrades: [] },
];

const VCPUS: Record<string, number> = { Standard_D2s_v5: 2, Standard_D4s_v5: 4, Standard_D8s_v5: 8 };
const FAMILY: Record<string, string> = { Standard_D2s_v5: 'standardDSv5Family', Standard_D4s_v5: 'standardDSv5Family', Standard_D8s_v5: 'standardDSv5Family' };

const quotaBody = z.strictObject({
  name: z.string().min(1).max(100),
  limit: z.number().int().min(0).max(1_000_000).optional(),
  othersUse: z.number().int().min(0).max(1_000_000).optional(),
});
const versionsBody = z.strictObject({ withdraw: z.string().regex(/^\d+\.\d+$/) });

class RegionTwin implements TwinExtension {
  readonly name = 'region';
  private compute = COMPUTE.map((q) => ({ ...q }));
  private network = NETWORK.map((q) => ({ ...q }));
  private withdrawn = new Set<string>();

  constructor(private readonly k8s: K8sTwin) {}

  reset(): void {
    this.compute = COMPUTE.map((q) => ({ ...q }));
    this.network = NETWORK.map((q) => ({ ...q }));
    this.withdrawn.clear();
  }

  /** What the twin's environment holds now: vCPUs per quota name, VMs, public IPs. */
  private ours(ctx: TwinContext): Map<string, number> {
    const use = new Map<string, number>();
    const add = (name: string, n: number) => use.set(name, (use.get(name) ?? 0) + n);
    for (const c of ctx.state.clusters) {
      if (c.power !== 'Running') continue;
      const spotNodes = this.spotNodes(ctx, c.key);
      for (const p of c.pools) {
        const vcpus = VCPUS[p.vmSize] ?? 2;
        if (p.priority === 'Spot') continue; // counted from the cluster's nodes below
        add('cores', vcpus * p.count);
        add(FAMILY[p.vmSize] ?? 'standardDSv5Family', vcpus * p.count);
        add('virtualMachines', p.count);
      }
      add('lowPriorityCores', 2 * spotNodes);
      add('virtualMachines', spotNodes);
      // Each cluster's outbound load balancer has one public IP; an ingress gateway one more.
      add('StandardSkuPublicIpAddresses', c.meshRevision ? 2 : 1);
      add('PublicIPAddresses', c.meshRevision ? 2 : 1);
      add('LoadBalancers', 1);
    }
    // Bastion's address: the session needs it, so it is counted whether Bastion is deployed now or not.
    add('StandardSkuPublicIpAddresses', 1);
    add('PublicIPAddresses', 1);
    return use;
  }

  private spotNodes(ctx: TwinContext, key: 'mgmt' | 'app1' | 'app2'): number {
    try {
      return this.k8s.model(ctx, key).summary().nodes.filter((n) => n.spot).length;
    } catch {
      return 0;
    }
  }

  handle(ctx: TwinContext, req: TwinRequest, res: import('node:http').ServerResponse): boolean {
    const m = /^\/subscriptions\/([^/]+)\/providers\/(microsoft\.compute|microsoft\.network|microsoft\.containerservice)\/locations\/([^/]+)\/(usages|kubernetesversions|meshrevisionprofiles)$/i.exec(req.url.pathname);
    if (!m) return false;
    const [, sub, provider, location, what] = m;
    if (sub.toLowerCase() !== ctx.subscriptionId.toLowerCase()) throw new TwinError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    requireApiVersion(req.url);
    if (location.toLowerCase() !== ctx.state.names.location.toLowerCase()) {
      throw new TwinError(404, 'LocationNotFound', `The location '${location}' is not available for this subscription in the twin.`);
    }
    const kind = `${provider.toLowerCase()}/${what.toLowerCase()}`;
    if (kind === 'microsoft.compute/usages' || kind === 'microsoft.network/usages') {
      const ours = this.ours(ctx);
      const list = kind === 'microsoft.compute/usages' ? this.compute : this.network;
      send(res, 200, {
        value: list.map((q) => ({
          ...(kind === 'microsoft.network/usages'
            ? { id: `/subscriptions/${ctx.subscriptionId}/providers/Microsoft.Network/locations/${ctx.state.names.location}/usages/${q.name}` }
            : {}),
          unit: 'Count',
          currentValue: q.othersUse + (ours.get(q.name) ?? 0),
          limit: q.limit,
          name: { value: q.name, localizedValue: q.localizedValue },
        })),
      });
      return true;
    }
    if (kind === 'microsoft.containerservice/kubernetesversions') {
      send(res, 200, {
        values: VERSIONS.filter((v) => !this.withdrawn.has(v.version)).map((v) => ({
          version: v.version,
          capabilities: { supportPlan: v.plans },
          ...(v.isDefault ? { isDefault: true } : {}),
          patchVersions: Object.fromEntries(v.patches.map((p, i) => [p, { upgrades: v.patches.slice(i + 1) }])),
        })),
      });
      return true;
    }
    if (kind === 'microsoft.containerservice/meshrevisionprofiles') {
      send(res, 200, {
        value: [
          {
            id: `/subscriptions/${ctx.subscriptionId}/providers/Microsoft.ContainerService/locations/${ctx.state.names.location}/meshRevisionProfiles/istio`,
            name: 'istio',
            type: 'Microsoft.ContainerService/locations/meshRevisionProfiles',
            properties: {
              meshRevisions: MESH.map((r) => ({
                revision: r.revision,
                upgrades: r.upgrades,
                compatibleWith: [{ name: 'kubernetes', versions: r.kubernetes.filter((k) => !this.withdrawn.has(k)) }],
              })),
            },
          },
        ],
      });
      return true;
    }
    return false;
  }

  admin(_ctx: TwinContext, req: TwinRequest, res: import('node:http').ServerResponse): boolean {
    const route = `${req.method} ${req.url.pathname}`;
    const parse = <T>(schema: z.ZodType<T>): T | undefined => {
      let raw: unknown;
      try {
        raw = req.body ? JSON.parse(req.body) : {};
      } catch {
        raw = undefined;
      }
      const r = schema.safeParse(raw);
      if (r.success) return r.data;
      send(res, 400, { error: { code: 'BadRequest', message: r.error.message } });
      return undefined;
    };
    if (route === 'POST /_twin/region/quota') {
      const v = parse(quotaBody);
      if (!v) return true;
      const q = [...this.compute, ...this.network].find((x) => x.name.toLowerCase() === v.name.toLowerCase());
      if (!q) {
        send(res, 404, { error: { code: 'NotFound', message: `No quota ${v.name}` } });
        return true;
      }
      if (v.limit !== undefined) q.limit = v.limit;
      if (v.othersUse !== undefined) q.othersUse = v.othersUse;
      send(res, 200, q);
      return true;
    }
    if (route === 'POST /_twin/region/versions') {
      const v = parse(versionsBody);
      if (!v) return true;
      this.withdrawn.add(v.withdraw);
      send(res, 200, { withdrawn: [...this.withdrawn] });
      return true;
    }
    if (route === 'POST /_twin/region/reset') {
      this.reset();
      send(res, 200, { ok: true });
      return true;
    }
    return false;
  }
}

export function regionExtension(k8s: K8sTwin): TwinExtension {
  return new RegionTwin(k8s);
}
