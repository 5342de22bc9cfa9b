import 'server-only';
import { randomUUID } from 'node:crypto';
import { getAzureClients } from '../azure';
import { getConfig, clusterRef } from '../config';
import { getDb } from '../db';
import { AppError, toUserError } from '../errors';
import type { Actor } from '../auth';

/**
 * "Remove Bastion when idle" (Bastion Basic ≈ $0.19/h, ≈ $139/month if kept):
 * the Bastion host is deleted at power-down and created again at power-up (about 2 minutes).
 * Its ARM definition is read before the delete and kept in the PowerRun table (cluster
 * `bastion`), so that the same host (SKU, IP configuration, public IP) comes back; the public
 * IP itself is kept. `tofu apply` would also recreate it from infra/modules/access.
 */
const API_VERSION = '2024-05-01';
export const BASTION_RUN = 'bastion';

function bastionPath(): string {
  const c = getConfig();
  const rg = clusterRef('mgmt').resourceGroup;
  return `/subscriptions/${c.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/bastionHosts/bastion-k8s-demo`;
}

interface Resp {
  status: string;
  body: unknown;
  headers: Record<string, string | undefined>;
}

async function call(method: 'get' | 'put' | 'delete', path: string, body?: unknown): Promise<Resp> {
  const arm = getAzureClients().arm;
  const req = arm.pathUnchecked(path);
  const options = { queryParameters: path.includes('api-version=') ? undefined : { 'api-version': API_VERSION }, ...(body === undefined ? {} : { body }) };
  const r = method === 'get' ? await req.get(options) : method === 'put' ? await req.put(options) : await req.delete(options);
  return { status: r.status, body: r.body, headers: r.headers as Record<string, string | undefined> };
}

function fail(r: Resp, what: string): never {
  const e = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  throw new AppError(r.status === '429' ? 'throttled' : Number(r.status) >= 500 ? 'upstream' : 'refused', `${what}: ${e?.message ?? `HTTP ${r.status}`}`, e?.code);
}

export async function bastionPresent(): Promise<boolean> {
  const r = await call('get', bastionPath());
  if (r.status === '404') return false;
  if (r.status !== '200') fail(r, 'Reading Bastion');
  return true;
}

async function followAsync(url: string | undefined): Promise<void> {
  if (!url) return;
  const { pollIntervalMs } = getAzureClients();
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const r = await call('get', url);
    const status = (r.body as { status?: string } | undefined)?.status;
    if (status === 'Succeeded') return;
    if (status === 'Failed' || status === 'Canceled') fail(r, 'Bastion operation');
    if (Date.now() > deadline) throw new AppError('upstream', 'Bastion operation still running after 30 minutes.');
    await new Promise((res) => setTimeout(res, Math.max(100, pollIntervalMs)));
  }
}

async function record(actor: Actor, direction: 'remove' | 'recreate', definition: unknown, run: () => Promise<void>): Promise<string> {
  const db = getDb();
  const id = randomUUID();
  const now = new Date();
  const step = { id: direction, label: direction === 'remove' ? 'Delete the Bastion host' : 'Create the Bastion host again (≈ 2 min)', status: 'running' };
  await db.powerRun.create({ data: { id, cluster: BASTION_RUN, direction, strategy: 'bastion', status: 'InProgress', steps: JSON.stringify([step]), memory: JSON.stringify(definition ?? null), actorName: actor.name, startedAt: now, updatedAt: now } });
  void run()
    .then(() => db.powerRun.update({ where: { id }, data: { status: 'Succeeded', steps: JSON.stringify([{ ...step, status: 'done' }]), finishedAt: new Date(), updatedAt: new Date() } }))
    .catch((err: unknown) => db.powerRun.update({ where: { id }, data: { status: 'Failed', error: toUserError(err).message, steps: JSON.stringify([{ ...step, status: 'failed' }]), finishedAt: new Date(), updatedAt: new Date() } }))
    .catch((err: unknown) => console.error('bastion run', err));
  return id;
}

/** Deletes Bastion, keeping its definition to recreate it; a no-op if it is already gone. */
export async function removeBastion(actor: Actor): Promise<{ outcome: 'accepted' | 'no-op'; operationId?: string }> {
  const got = await call('get', bastionPath());
  if (got.status === '404') return { outcome: 'no-op' };
  if (got.status !== '200') fail(got, 'Reading Bastion');
  const definition = got.body as { location: string; sku?: unknown; tags?: unknown; properties?: Record<string, unknown> };
  const operationId = await record(actor, 'remove', definition, async () => {
    const r = await call('delete', bastionPath());
    if (!['200', '202', '204'].includes(r.status)) fail(r, 'Deleting Bastion');
    await followAsync(r.headers['azure-asyncoperation']);
  });
  return { outcome: 'accepted', operationId };
}

/** Recreates Bastion from the definition kept at its removal; a no-op if it exists. */
export async function recreateBastion(actor: Actor): Promise<{ outcome: 'accepted' | 'no-op' | 'skipped'; operationId?: string; reason?: string }> {
  if (await bastionPresent()) return { outcome: 'no-op' };
  const removal = await getDb().powerRun.findFirst({ where: { cluster: BASTION_RUN, direction: 'remove' }, orderBy: { startedAt: 'desc' } });
  const def = removal ? (JSON.parse(removal.memory) as { location: string; sku?: unknown; tags?: unknown; properties?: Record<string, unknown> } | null) : null;
  if (!def) return { outcome: 'skipped', reason: 'Bastion is absent and the dashboard has no record of it: run tofu apply (Jobs) to create it.' };
  // provisioningState is read-only: not sent back.
  const properties = Object.fromEntries(Object.entries(def.properties ?? {}).filter(([k]) => k !== 'provisioningState'));
  const body = { location: def.location, sku: def.sku, tags: def.tags, properties };
  const operationId = await record(actor, 'recreate', def, async () => {
    const r = await call('put', bastionPath(), body);
    if (!['200', '201'].includes(r.status)) fail(r, 'Creating Bastion');
    await followAsync(r.headers['azure-asyncoperation']);
  });
  return { outcome: 'accepted', operationId };
}
