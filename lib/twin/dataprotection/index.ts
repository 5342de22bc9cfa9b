import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { perState, requireApiVersion, send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { TwinError } from '../state';
import type { TwinCluster } from '../seed';
import { instanceJson, instanceName, jobJson, operationStatusJson, policyJson, recoveryPointJson, vaultJson, type Ids } from './shapes';
import { BackupBook, POLICY_NAME, VAULT_NAME } from './vault';

/**
 * Microsoft.DataProtection for AKS (Azure Backup for AKS, as the architecture configures it) on the twin:
 * vault, policy, backup instances, jobs, recovery points, ad-hoc backup and
 * restore as long-running operations (202 + Azure-AsyncOperation + Location).
 * The API as a whole can be failed with the twin's generic faults
 * (`POST /_twin/faults {path: 'Microsoft.DataProtection', status: 503}`);
 * backup jobs are failed through `/_twin/dataprotection/fail-backups`.
 */

const notAllowed = (method: string) => new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);

const backupBody = z.object({
  backupRuleOptions: z.object({
    ruleName: z.string(),
    triggerOption: z.object({ retentionTagOverride: z.string().optional() }).optional(),
  }),
});
const restoreBody = z.object({
  objectType: z.string(),
  recoveryPointId: z.string().min(1),
  sourceDataStoreType: z.string().optional(),
  restoreTargetInfo: z.object({
    objectType: z.string(),
    recoveryOption: z.string().optional(),
    datasourceInfo: z.object({ resourceID: z.string().min(1) }).passthrough(),
  }).passthrough(),
}).passthrough();
const failBody = z.object({
  cluster: z.enum(['mgmt', 'app1', 'app2']),
  count: z.number().int().positive().max(100).default(1),
  code: z.string().default('UserErrorBackupExtensionUnhealthy'),
  message: z.string().default('The backup extension in the cluster did not respond (failure injected by the twin).'),
});

function parse<T>(schema: z.ZodType<T>, body: string): T {
  let raw: unknown;
  try {
    raw = body ? JSON.parse(body) : undefined;
  } catch {
    throw new TwinError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new TwinError(400, 'UserErrorInvalidRequestParameter', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

export function dataProtectionExtension(): TwinExtension {
  const books = perState((ctx) => new BackupBook(ctx.state, ctx.clock));
  const book = (ctx: TwinContext) => {
    const b = books(ctx);
    b.sync();
    return b;
  };

  return {
    name: 'dataprotection',
    handle(ctx, req, res) {
      if (!/\/providers\/microsoft\.dataprotection(\/|$)/i.test(req.url.pathname)) return false;
      route(ctx, book(ctx), req, res, requireApiVersion(req.url));
      return true;
    },
    admin(ctx, req, res) {
      const route = `${req.method} ${req.url.pathname}`;
      const b = book(ctx);
      if (route === 'POST /_twin/dataprotection/fail-backups') {
        const r = failBody.safeParse(req.body ? JSON.parse(req.body) : {});
        if (!r.success) {
          send(res, 400, { error: { code: 'BadRequest', message: r.error.message } });
          return true;
        }
        b.failNext(r.data.cluster, r.data.count, r.data.code, r.data.message);
        send(res, 200, { ok: true, pending: b.pendingFailures() });
        return true;
      }
      if (route === 'DELETE /_twin/dataprotection/fail-backups') {
        b.clearFailures();
        send(res, 200, { ok: true });
        return true;
      }
      if (route === 'GET /_twin/dataprotection/summary') {
        send(res, 200, {
          now: new Date(ctx.clock.now()).toISOString(),
          jobs: b.jobs.map((j) => ({ id: j.id, cluster: j.clusterKey, operation: j.operation, user: j.isUserTriggered, status: j.status, start: new Date(j.startTime).toISOString() })),
          recoveryPoints: b.points.map((p) => ({ id: p.id, cluster: p.clusterKey, time: new Date(p.time).toISOString(), expiry: new Date(p.expiry).toISOString() })),
          pendingFailures: b.pendingFailures(),
        });
        return true;
      }
      return false;
    },
    reset(ctx) {
      // TwinState emits `reset`, which rebuilds the book; this only makes sure one exists.
      book(ctx);
    },
  };
}

function route(ctx: TwinContext, b: BackupBook, req: TwinRequest, res: ServerResponse, apiVersion: string): void {
  const parts = req.url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const lower = parts.map((p) => p.toLowerCase());
  if (lower[0] !== 'subscriptions' || lower[1] !== ctx.subscriptionId.toLowerCase()) {
    throw new TwinError(404, 'SubscriptionNotFound', `The subscription '${parts[1]}' could not be found.`);
  }
  const ids: Ids = { sub: ctx.subscriptionId, names: ctx.state.names };
  const now = ctx.clock.now();
  // Data Protection's `Date` is the twin's clock, which runs ahead of real time: the product reads "now" from it.
  const headers = { Date: new Date(now).toUTCString() };
  const ok = (body: unknown) => send(res, 200, body, headers);
  const get = () => {
    if (req.method !== 'GET') throw notAllowed(req.method);
  };
  const notFound = () => new TwinError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${req.url.pathname}'.`);

  // /subscriptions/{sub}/providers/Microsoft.DataProtection/locations/{location}/operationStatus|operationResults/{id}
  if (lower[2] === 'providers' && lower[4] === 'locations' && parts.length === 8) {
    get();
    return operation(ctx, ids, b, lower[6], parts[7], res, headers, req, apiVersion);
  }
  if (lower[2] !== 'resourcegroups' || lower[4] !== 'providers' || lower[5] !== 'microsoft.dataprotection' || lower[6] !== 'backupvaults') throw notFound();
  const rg = parts[3];
  if (rg.toLowerCase() !== ctx.state.names.commonResourceGroup.toLowerCase()) {
    if (!ctx.state.findResourceGroup(rg)) throw new TwinError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    if (parts.length === 7) return get(), ok({ value: [] });
    throw vaultNotFound(parts[7] ?? VAULT_NAME, rg);
  }
  if (parts.length === 7) return get(), ok({ value: [vaultJson(ids)] });
  if (lower[7] !== VAULT_NAME.toLowerCase()) throw vaultNotFound(parts[7], rg);
  if (parts.length === 8) return get(), ok(vaultJson(ids));

  const section = lower[8];
  if (section === 'backuppolicies') {
    get();
    if (parts.length === 9) return ok({ value: [policyJson(ids)] });
    if (parts.length === 10 && lower[9] === POLICY_NAME.toLowerCase()) return ok(policyJson(ids));
    throw new TwinError(404, 'UserErrorBackupPolicyNotFound', `Backup policy '${parts[9]}' was not found in vault '${VAULT_NAME}'.`);
  }
  if (section === 'backupjobs') {
    get();
    const byKey = new Map(b.clusters.map((c) => [c.key, c]));
    if (parts.length === 9) {
      // Newest first, as the portal lists them.
      const value = [...b.jobs].sort((x, y) => y.startTime - x.startTime).map((j) => jobJson(ids, j, byKey.get(j.clusterKey)!, now));
      return ok({ value });
    }
    const job = b.jobs.find((j) => j.id.toLowerCase() === lower[9]);
    if (!job || parts.length !== 10) throw new TwinError(404, 'UserErrorJobNotFound', `Job '${parts[9]}' was not found.`);
    return ok(jobJson(ids, job, byKey.get(job.clusterKey)!, now));
  }
  if (section === 'operationstatus' && parts.length === 10) {
    get();
    return operation(ctx, ids, b, 'operationstatus', parts[9], res, headers, req, apiVersion);
  }
  if (section !== 'backupinstances') throw notFound();

  if (parts.length === 9) {
    get();
    return ok({ value: b.clusters.map((c) => instanceJson(ids, c, protectionOf(b, c))) });
  }
  const cluster = b.clusters.find((c) => instanceName(c.key).toLowerCase() === lower[9]);
  if (!cluster) throw new TwinError(404, 'UserErrorBackupInstanceNotFound', `Backup instance '${parts[9]}' was not found in vault '${VAULT_NAME}'.`);
  if (parts.length === 10) return get(), ok(instanceJson(ids, cluster, protectionOf(b, cluster)));

  const action = lower[10];
  if (action === 'backup' && parts.length === 11) {
    if (req.method !== 'POST') throw notAllowed(req.method);
    const body = parse(backupBody, req.body);
    if (body.backupRuleOptions.ruleName !== 'BackupDaily') {
      throw new TwinError(400, 'UserErrorInvalidRuleName', `Rule '${body.backupRuleOptions.ruleName}' is not a backup rule of policy '${POLICY_NAME}'.`);
    }
    const op = b.triggerBackup(cluster.key);
    return accepted(ctx, ids, cluster.key, op.id, res, headers, apiVersion);
  }
  if (action === 'restore' && parts.length === 11) {
    if (req.method !== 'POST') throw notAllowed(req.method);
    const body = parse(restoreBody, req.body);
    const targetId = body.restoreTargetInfo.datasourceInfo.resourceID.toLowerCase();
    const target = b.clusters.find((c) => targetId.endsWith(`/resourcegroups/${c.resourceGroup.toLowerCase()}/providers/microsoft.containerservice/managedclusters/${c.name.toLowerCase()}`));
    if (!target) throw new TwinError(400, 'UserErrorInvalidRestoreTarget', `The restore target '${body.restoreTargetInfo.datasourceInfo.resourceID}' is not an AKS cluster this vault can reach.`);
    const op = b.restore(cluster.key, body.recoveryPointId, target.key);
    return accepted(ctx, ids, cluster.key, op.id, res, headers, apiVersion);
  }
  if (action === 'recoverypoints') {
    get();
    const points = b.points.filter((p) => p.clusterKey === cluster.key).sort((x, y) => y.time - x.time);
    if (parts.length === 11) return ok({ value: points.map((p) => recoveryPointJson(ids, p)) });
    const p = points.find((x) => x.id.toLowerCase() === lower[11]);
    if (!p || parts.length !== 12) throw new TwinError(404, 'UserErrorRecoveryPointNotFound', `Recovery point '${parts[11]}' was not found.`);
    return ok(recoveryPointJson(ids, p));
  }
  if (action === 'operationresults' && parts.length === 12) {
    get();
    return operation(ctx, ids, b, 'operationresults', parts[11], res, headers, req, apiVersion);
  }
  throw notFound();
}

function vaultNotFound(name: string, rg: string): TwinError {
  return new TwinError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.DataProtection/backupVaults/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

/** ProtectionError while the newest finished backup failed, as the portal shows it. */
function protectionOf(b: BackupBook, c: TwinCluster): { status: string; error?: { code: string; message: string } } {
  const last = b.jobs.filter((j) => j.clusterKey === c.key && j.operation === 'Backup' && j.status !== 'Started').sort((x, y) => y.endTime - x.endTime)[0];
  if (last?.status === 'Failed' && last.failure) return { status: 'ProtectionError', error: last.failure };
  return { status: 'ProtectionConfigured' };
}

/** Retry-After in seconds: what is left of the (speed-compressed) operation, so a fast twin is not slowed by Azure's 60 s. */
function retryAfter(remainingMs: number): string {
  return String(Math.max(1, Math.ceil(Math.max(0, remainingMs) / 1000)));
}

function accepted(ctx: TwinContext, ids: Ids, key: string, opId: string, res: ServerResponse, headers: Record<string, string>, apiVersion: string): void {
  const vault = `${ctx.url}/subscriptions/${ids.sub}/resourceGroups/${ids.names.commonResourceGroup}/providers/Microsoft.DataProtection/backupVaults/${VAULT_NAME}`;
  const q = `?api-version=${encodeURIComponent(apiVersion)}`;
  send(res, 202, undefined, {
    ...headers,
    'Azure-AsyncOperation': `${vault}/operationStatus/${encodeURIComponent(opId)}${q}`,
    Location: `${vault}/backupInstances/${instanceName(key)}/operationResults/${encodeURIComponent(opId)}${q}`,
    'Retry-After': retryAfter(ctx.clock.duration(15_000)),
  });
}

function operation(ctx: TwinContext, ids: Ids, b: BackupBook, kind: string, id: string, res: ServerResponse, headers: Record<string, string>, req: TwinRequest, apiVersion: string): void {
  const op = b.getOperation(id);
  const now = ctx.clock.now();
  const pending: Record<string, string> = now < op.endTime ? { 'Retry-After': retryAfter(op.endTime - now) } : {};
  if (kind === 'operationstatus') return send(res, 200, operationStatusJson(ids, op, now), { ...headers, ...pending });
  if (kind !== 'operationresults') throw new TwinError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${req.url.pathname}'.`);
  if (now < op.endTime) {
    return send(res, 202, undefined, { ...headers, ...pending, Location: `${ctx.url}${req.url.pathname}?api-version=${encodeURIComponent(apiVersion)}` });
  }
  send(res, 200, { jobId: op.jobId, objectType: 'OperationJobExtendedInfo' }, headers);
}
