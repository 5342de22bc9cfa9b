import type { ServerResponse } from 'node:http';
import { send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { TwinError } from '../state';

/**
 * A tiny Microsoft.Network/bastionHosts surface (the architecture's Bastion Basic in the
 * management resource group) so that "remove Bastion when idle" can be tried
 * on the twin: GET, PUT (create, about 2 minutes of twin time), DELETE
 * (about 1 minute), both as ARM long-running operations polled through
 * Azure-AsyncOperation. Shapes follow ARM's generic resource and async
 * operation status; nothing else of Bastion is modelled.
 */
export const BASTION_RESOURCE_GROUP = 'rg-k8s-demo-mgmt';
export const BASTION_NAME = 'bastion-k8s-demo';
const CREATE_MS = 2 * 60_000;
const DELETE_MS = 60_000;

interface BastionOp {
  id: string;
  kind: 'create' | 'delete';
  startedAt: number;
  endsAt: number;
}

class BastionTwin implements TwinExtension {
  readonly name = 'bastion';
  private present = true;
  private op?: BastionOp;
  private ops = new Map<string, BastionOp>();

  reset(): void {
    this.present = true;
    this.op = undefined;
    this.ops.clear();
  }

  private advance(now: number): void {
    if (this.op && this.op.endsAt <= now) {
      this.present = this.op.kind === 'create';
      this.op = undefined;
    }
  }

  private json(ctx: TwinContext) {
    const state = this.op ? (this.op.kind === 'create' ? 'Updating' : 'Deleting') : 'Succeeded';
    return {
      id: `/subscriptions/${ctx.subscriptionId}/resourceGroups/${BASTION_RESOURCE_GROUP}/providers/Microsoft.Network/bastionHosts/${BASTION_NAME}`,
      name: BASTION_NAME,
      type: 'Microsoft.Network/bastionHosts',
      location: ctx.state.names.location,
      sku: { name: 'Basic' },
      properties: { provisioningState: state, scaleUnits: 2, dnsName: `bst-${BASTION_NAME}.bastion.azure.com` },
    };
  }

  private opUrl(ctx: TwinContext, id: string, apiVersion: string): string {
    return `${ctx.url}/subscriptions/${ctx.subscriptionId}/providers/Microsoft.Network/locations/${ctx.state.names.location}/operations/${id}?api-version=${apiVersion}`;
  }

  handle(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean {
    const path = req.url.pathname.toLowerCase();
    const apiVersion = req.url.searchParams.get('api-version') ?? '2024-05-01';
    const now = ctx.clock.now();
    this.advance(now);
    const opMatch = path.match(/^\/subscriptions\/[^/]+\/providers\/microsoft\.network\/locations\/[^/]+\/operations\/([^/]+)$/);
    if (opMatch && this.ops.has(opMatch[1])) {
      const op = this.ops.get(opMatch[1])!;
      const done = op.endsAt <= now;
      send(res, 200, { status: done ? 'Succeeded' : 'InProgress', startTime: new Date(op.startedAt).toISOString(), ...(done ? { endTime: new Date(op.endsAt).toISOString() } : {}) });
      return true;
    }
    const prefix = `/subscriptions/${ctx.subscriptionId.toLowerCase()}/resourcegroups/${BASTION_RESOURCE_GROUP}/providers/microsoft.network/bastionhosts`;
    if (!path.startsWith(prefix)) return false;
    const name = path.slice(prefix.length + 1);
    if (name !== BASTION_NAME) {
      throw new TwinError(404, 'ResourceNotFound', `The Resource 'Microsoft.Network/bastionHosts/${name}' under resource group '${BASTION_RESOURCE_GROUP}' was not found.`);
    }
    const busy = () => new TwinError(409, 'AnotherOperationInProgress', `Another operation on this or dependent resource is in progress. To retrieve status of the operation use uri: ${this.opUrl(ctx, this.op!.id, apiVersion)}.`);
    switch (req.method) {
      case 'GET':
        if (!this.present && this.op?.kind !== 'create') throw new TwinError(404, 'ResourceNotFound', `The Resource 'Microsoft.Network/bastionHosts/${BASTION_NAME}' under resource group '${BASTION_RESOURCE_GROUP}' was not found.`);
        send(res, 200, this.json(ctx));
        return true;
      case 'PUT': {
        if (this.op) throw busy();
        if (this.present) {
          send(res, 200, this.json(ctx));
          return true;
        }
        this.op = { id: crypto.randomUUID(), kind: 'create', startedAt: now, endsAt: now + ctx.clock.duration(CREATE_MS) };
        this.ops.set(this.op.id, this.op);
        send(res, 201, this.json(ctx), { 'Azure-AsyncOperation': this.opUrl(ctx, this.op.id, apiVersion) });
        return true;
      }
      case 'DELETE': {
        if (this.op) throw busy();
        if (!this.present) {
          send(res, 204, undefined);
          return true;
        }
        this.op = { id: crypto.randomUUID(), kind: 'delete', startedAt: now, endsAt: now + ctx.clock.duration(DELETE_MS) };
        this.ops.set(this.op.id, this.op);
        const url = this.opUrl(ctx, this.op.id, apiVersion);
        send(res, 202, undefined, { 'Azure-AsyncOperation': url, Location: url });
        return true;
      }
      default:
        throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    }
  }
}

export function bastionExtension(): TwinExtension {
  return new BastionTwin();
}
