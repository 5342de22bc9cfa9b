import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { TwinError, type TwinState } from '../state';
import { phase1Resources, type Phase1Resource } from './phase1';

/**
 * What the dashboard's jobs drive in twin mode, where tofu and helm are absent: the
 * environment's phase-1 resources (what `tofu apply` creates) created and destroyed one by one, and install.sh's
 * steps (the add-on install) applied to a cluster's Kubernetes model. Admin surface only (`/_twin/jobs/…`):
 *
 *   GET  /_twin/jobs/environment          which phase-1 resources exist; each cluster's installed steps
 *   POST /_twin/jobs/create   {resource}  creates one phase-1 resource (ARM answers for it from now on)
 *   POST /_twin/jobs/destroy  {resource}  destroys one (clusters before their resource groups)
 *   POST /_twin/jobs/teardown             the whole environment gone at once (rehearsal, tests)
 *   POST /_twin/jobs/addons   {cluster, step}  one install.sh step applied to one cluster
 *
 * Each answer carries `twinMs`: how long Azure would have taken, so the job can pace its progress.
 */
const CLUSTER = z.enum(['mgmt', 'app1', 'app2']);
const STEP = z.string().regex(/^\d{2}[a-z]?-[a-z0-9-]+$/, 'an install.sh step such as 05-kyverno');

export class JobsTwin implements TwinExtension {
  readonly name = 'jobs';
  /** Modelled (non-ARM) resources that are absent; reset brings everything back. */
  private absent = new Set<string>();

  reset(): void {
    this.absent.clear();
  }

  private resources(ctx: TwinContext): Phase1Resource[] {
    return phase1Resources(ctx.state.names);
  }

  private present(state: TwinState, r: Phase1Resource): boolean {
    if (r.kind === 'resourceGroup') return Boolean(state.findResourceGroup(r.ref!));
    if (r.kind === 'cluster') return state.clusters.some((c) => c.key === r.ref);
    return !this.absent.has(r.id);
  }

  private environment(ctx: TwinContext) {
    const resources = this.resources(ctx).map((r) => ({ id: r.id, address: r.address, kind: r.kind, present: this.present(ctx.state, r), createMs: r.createMs, destroyMs: r.destroyMs }));
    return {
      deployed: resources.every((r) => r.present),
      resources,
      clusters: ctx.state.clusters.map((c) => ({ key: c.key, name: c.name, power: c.power, installedSteps: c.installedSteps ?? 'all' })),
    };
  }

  private find(ctx: TwinContext, id: string): Phase1Resource {
    const r = this.resources(ctx).find((x) => x.id === id);
    if (!r) throw new TwinError(404, 'NotFound', `No phase-1 resource '${id}' in the twin's environment.`);
    return r;
  }

  private create(ctx: TwinContext, r: Phase1Resource): boolean {
    if (this.present(ctx.state, r)) return false;
    if (r.kind === 'resourceGroup') ctx.state.createResourceGroup(r.ref!);
    else if (r.kind === 'cluster') ctx.state.createCluster(r.ref as 'mgmt' | 'app1' | 'app2');
    else this.absent.delete(r.id);
    return true;
  }

  private destroy(ctx: TwinContext, r: Phase1Resource): boolean {
    if (!this.present(ctx.state, r)) return false;
    if (r.kind === 'resourceGroup') {
      // ARM deletes what a group holds with it; tofu destroys the clusters first anyway.
      for (const c of ctx.state.clusters.filter((x) => x.resourceGroup.toLowerCase() === r.ref!.toLowerCase())) ctx.state.removeCluster(c.key);
      ctx.state.removeResourceGroup(r.ref!);
    } else if (r.kind === 'cluster') ctx.state.removeCluster(r.ref as 'mgmt' | 'app1' | 'app2');
    else this.absent.add(r.id);
    return true;
  }

  handle(): boolean {
    return false;
  }

  admin(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean {
    const verb = req.url.pathname.split('/').filter(Boolean)[2];
    const route = `${req.method} ${verb ?? ''}`;
    try {
      const body = () => (req.body ? (JSON.parse(req.body) as unknown) : {});
      switch (route) {
        case 'GET environment':
          send(res, 200, this.environment(ctx));
          return true;
        case 'POST create': {
          const r = this.find(ctx, z.object({ resource: z.string() }).parse(body()).resource);
          const changed = this.create(ctx, r);
          send(res, 200, { resource: r.id, address: r.address, kind: r.kind, changed, twinMs: changed ? r.createMs : 0 });
          return true;
        }
        case 'POST destroy': {
          const r = this.find(ctx, z.object({ resource: z.string() }).parse(body()).resource);
          const changed = this.destroy(ctx, r);
          send(res, 200, { resource: r.id, address: r.address, kind: r.kind, changed, twinMs: changed ? r.destroyMs : 0 });
          return true;
        }
        case 'POST teardown': {
          for (const r of [...this.resources(ctx)].reverse()) this.destroy(ctx, r);
          send(res, 200, this.environment(ctx));
          return true;
        }
        case 'POST addons': {
          const v = z.object({ cluster: CLUSTER, step: STEP }).parse(body());
          const cluster = ctx.state.clusters.find((c) => c.key === v.cluster);
          if (!cluster) throw new TwinError(404, 'NotFound', `The cluster '${v.cluster}' is not deployed: run tofu apply first.`);
          if (cluster.power !== 'Running') throw new TwinError(409, 'Conflict', `The cluster '${v.cluster}' is ${cluster.power}: its API server does not answer.`);
          const before = cluster.installedSteps ? cluster.installedSteps.length : -1;
          ctx.state.installAddOnStep(v.cluster, v.step);
          send(res, 200, {
            cluster: v.cluster,
            step: v.step,
            // An environment seeded fully installed has every step already: helm upgrade changes nothing.
            changed: before >= 0 && (cluster.installedSteps?.length ?? 0) > before,
            installedSteps: cluster.installedSteps ?? 'all',
          });
          return true;
        }
        default:
          throw new TwinError(404, 'NotFound', `No twin admin route ${req.method} ${req.url.pathname}`);
      }
    } catch (err) {
      if (err instanceof TwinError) send(res, err.status, { error: { code: err.code, message: err.message } });
      else if (err instanceof z.ZodError || err instanceof SyntaxError) send(res, 400, { error: { code: 'BadRequest', message: err.message } });
      else throw err;
    }
    return true;
  }
}

export function jobsExtension(): JobsTwin {
  return new JobsTwin();
}
