import { describe, expect, it } from 'vitest';
import { parseAzureProviderId } from './provider-id';

const SUB = '00000000-0000-4000-8000-00000000d3e0';

describe('parseAzureProviderId', () => {
  it('reads an agent pool node: a scale set instance', () => {
    expect(parseAzureProviderId(`azure:///subscriptions/${SUB}/resourceGroups/mc_rg-k8s-demo-app1_aks-app1_koreacentral/providers/Microsoft.Compute/virtualMachineScaleSets/aks-system-12345678-vmss/virtualMachines/3`)).toEqual({
      kind: 'vmss-instance', subscriptionId: SUB, resourceGroup: 'mc_rg-k8s-demo-app1_aks-app1_koreacentral', vmScaleSetName: 'aks-system-12345678-vmss', instanceId: '3',
    });
  });

  it('reads a node auto-provisioning node: a standalone VM', () => {
    expect(parseAzureProviderId(`azure:///subscriptions/${SUB}/resourceGroups/MC_rg_aks_koreacentral/providers/Microsoft.Compute/virtualMachines/aks-spot-workers-x7k2p`)).toEqual({
      kind: 'vm', subscriptionId: SUB, resourceGroup: 'MC_rg_aks_koreacentral', vmName: 'aks-spot-workers-x7k2p',
    });
  });

  it('matches the segments without regard to case, as ARM does, and keeps the names as written', () => {
    expect(parseAzureProviderId(`azure:///subscriptions/${SUB}/resourcegroups/mc_a_b_c/providers/microsoft.compute/virtualmachinescalesets/AKS-Spot-vmss/virtualmachines/0`)).toMatchObject({
      kind: 'vmss-instance', vmScaleSetName: 'AKS-Spot-vmss', instanceId: '0',
    });
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['another cloud', 'aws:///ap-northeast-2a/i-0123456789abcdef0'],
    ['kind', 'kind://docker/kind/kind-control-plane'],
    ['a scale set itself, not an instance', `azure:///subscriptions/${SUB}/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/aks-system-vmss`],
    ['a non-numeric instance id', `azure:///subscriptions/${SUB}/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/v/virtualMachines/x`],
    ['another provider', `azure:///subscriptions/${SUB}/resourceGroups/mc/providers/Microsoft.ContainerInstance/containerGroups/virtual-node`],
    ['extra segments', `azure:///subscriptions/${SUB}/resourceGroups/mc/providers/Microsoft.Compute/virtualMachines/vm/extensions/e`],
  ])('is undefined for %s', (_name, id) => {
    expect(parseAzureProviderId(id)).toBeUndefined();
  });
});
