import type { ServerResponse } from 'node:http';
import { requireApiVersion, send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { TwinError } from '../state';
import type { K8sTwin } from '../k8s';
import { SPOT_LABEL, DISRUPTED_TAINT } from '../k8s/model/shared';

/**
 * The part of Microsoft.Compute behind AKS's nodes that the product calls: Azure's
 * simulated Spot eviction, on the VMs that the twin's Kubernetes nodes name in their
 * `spec.providerID` (lib/twin/k8s/model/shared.ts):
 *
 *   POST …/resourceGroups/{nodeRg}/providers/Microsoft.Compute/virtualMachineScaleSets/{vmss}/virtualMachines/{id}/simulateEviction
 *   POST …/resourceGroups/{nodeRg}/providers/Microsoft.Compute/virtualMachines/{name}/simulateEviction
 *
 * 204 as Azure answers; the node then goes exactly as in the twin's own Spot eviction
 * scenario (notice, node deleted, Karpenter or the pool replaces it). A VM no node names is
 * ARM's 404; a VM that is not Spot, or already has its notice, is refused with 409 (the
 * twin's wording: Azure refuses both, its exact code is not documented).
 */
const SIMULATE = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/(virtualmachinescalesets\/[^/]+\/virtualmachines\/[^/]+|virtualmachines\/[^/]+)\/simulateeviction$/;

class ComputeTwin implements TwinExtension {
  readonly name = 'compute';

  constructor(private readonly k8s: K8sTwin) {}

  handle(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean {
    const match = SIMULATE.exec(decodeURIComponent(req.url.pathname).toLowerCase());
    if (!match) return false;
    requireApiVersion(req.url);
    if (req.method !== 'POST') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    const [, sub, rg, vm] = match;
    if (sub !== ctx.subscriptionId.toLowerCase()) throw new TwinError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
    ctx.state.advance();
    const found = this.find(ctx, `azure:///subscriptions/${sub}/resourcegroups/${rg}/providers/microsoft.compute/${vm}`);
    const resource = vm.startsWith('virtualmachinescalesets/') ? 'Microsoft.Compute/virtualMachineScaleSets' : 'Microsoft.Compute/virtualMachines';
    if (!found) throw new TwinError(404, 'ResourceNotFound', `The Resource '${resource}/${vm.split('/').slice(1).join('/')}' under resource group '${rg}' was not found.`);
    const { model, node } = found;
    if (node.metadata.labels?.[SPOT_LABEL] !== 'spot') {
      throw new TwinError(409, 'OperationNotAllowed', `Simulate eviction is only allowed for Spot virtual machines; '${node.metadata.name}' has Regular priority.`);
    }
    if (node.spec.taints?.some((t) => t.key === DISRUPTED_TAINT)) {
      throw new TwinError(409, 'OperationNotAllowed', `The Spot virtual machine '${node.metadata.name}' is already being evicted.`);
    }
    model.spotEviction({ node: node.metadata.name });
    send(res, 204, undefined);
    return true;
  }

  /** The node (of a running cluster) whose providerID names this VM; ARM ids compare without case. */
  private find(ctx: TwinContext, providerId: string) {
    for (const c of ctx.state.clusters) {
      if (c.power !== 'Running') continue;
      const model = this.k8s.model(ctx, c.key);
      model.advance();
      const node = model.nodes().find((n) => n.spec.providerID.toLowerCase() === providerId);
      if (node) return { model, node };
    }
    return undefined;
  }
}

export function computeExtension(k8s: K8sTwin): TwinExtension {
  return new ComputeTwin(k8s);
}
