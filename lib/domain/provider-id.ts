/**
 * A Kubernetes node's `spec.providerID` on AKS names the Azure VM behind it:
 *
 *   azure:///subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{vmss}/virtualMachines/{instanceId}
 *     an instance of an agent pool's scale set (system and user pools);
 *   azure:///subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}
 *     a standalone VM (node auto-provisioning, Karpenter).
 *
 * The resource group is the cluster's node resource group. ARM ids are case-insensitive, and
 * AKS writes the group in lower case, so the segments are matched without regard to case and
 * the names kept as written. Pure: lib/zones reads the node and calls Azure.
 */
export type AzureVmRef =
  | { kind: 'vmss-instance'; subscriptionId: string; resourceGroup: string; vmScaleSetName: string; instanceId: string }
  | { kind: 'vm'; subscriptionId: string; resourceGroup: string; vmName: string };

const PREFIX = String.raw`^azure:///subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/microsoft\.compute/`;
const VMSS_INSTANCE = new RegExp(`${PREFIX}virtualmachinescalesets/([^/]+)/virtualmachines/(\\d+)$`, 'i');
const VM = new RegExp(`${PREFIX}virtualmachines/([^/]+)$`, 'i');

/** The VM a providerID names, or undefined when it is not an Azure VM (another cloud, kind, a virtual node). */
export function parseAzureProviderId(providerId: string | undefined): AzureVmRef | undefined {
  if (!providerId) return undefined;
  const instance = VMSS_INSTANCE.exec(providerId);
  if (instance) return { kind: 'vmss-instance', subscriptionId: instance[1], resourceGroup: instance[2], vmScaleSetName: instance[3], instanceId: instance[4] };
  const vm = VM.exec(providerId);
  if (vm) return { kind: 'vm', subscriptionId: vm[1], resourceGroup: vm[2], vmName: vm[3] };
  return undefined;
}
