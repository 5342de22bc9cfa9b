import { createHash } from 'node:crypto';
import { nodeResourceGroup, type TwinCluster, type TwinPool, type TwinResourceGroup } from './seed';
import type { TwinOperation } from './state';

/**
 * Response bodies in the shapes of the official ARM examples
 * (copied into lib/twin/fixtures/azure-examples: containerservice/2026-08-01, resources/2025-04-01).
 */

function etag(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

export function clusterId(sub: string, c: TwinCluster): string {
  return `/subscriptions/${sub}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

export function resourceGroupJson(sub: string, g: TwinResourceGroup) {
  return {
    id: `/subscriptions/${sub}/resourceGroups/${g.name}`,
    name: g.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: g.location,
    ...(g.managedBy ? { managedBy: g.managedBy.replace('{sub}', sub) } : {}),
    ...(g.tags ? { tags: g.tags } : {}),
    properties: { provisioningState: 'Succeeded' },
  };
}

function poolProperties(c: TwinCluster, p: TwinPool) {
  const props: Record<string, unknown> = {
    count: p.count,
    vmSize: p.vmSize,
    osDiskSizeGB: 128,
    osDiskType: 'Managed',
    maxPods: 110,
    type: 'VirtualMachineScaleSets',
    mode: p.mode,
    osType: 'Linux',
    osSKU: 'Ubuntu',
    availabilityZones: p.zones,
    enableAutoScaling: p.enableAutoScaling,
    orchestratorVersion: c.kubernetesVersion,
    currentOrchestratorVersion: c.kubernetesVersion,
    nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202611.04.0',
    provisioningState: p.provisioningState === 'Scaling' ? 'Scaling' : c.provisioningState,
    powerState: { code: c.power },
    scaleSetPriority: p.priority,
    nodeLabels: p.labels,
    nodeTaints: p.taints,
    upgradeSettings: { maxSurge: '10%' },
    eTag: etag(p),
  };
  if (p.enableAutoScaling) {
    props.minCount = p.minCount;
    props.maxCount = p.maxCount;
  }
  if (p.priority === 'Spot') {
    props.scaleSetEvictionPolicy = 'Delete';
    props.spotMaxPrice = -1;
  }
  return props;
}

export function agentPoolJson(sub: string, c: TwinCluster, p: TwinPool) {
  return {
    id: `${clusterId(sub, c)}/agentPools/${p.name}`,
    name: p.name,
    type: 'Microsoft.ContainerService/managedClusters/agentPools',
    properties: poolProperties(c, p),
  };
}

export function managedClusterJson(sub: string, c: TwinCluster) {
  const dnsPrefix = `${c.name}-dns`;
  const hash = createHash('sha1').update(c.name).digest('hex').slice(0, 8);
  const privateDnsZone = `/subscriptions/${sub}/resourceGroups/rg-k8s-demo-common/providers/Microsoft.Network/privateDnsZones/privatelink.${c.location}.azmk8s.io`;
  return {
    id: clusterId(sub, c),
    name: c.name,
    type: 'Microsoft.ContainerService/managedClusters',
    location: c.location,
    eTag: etag({ p: c.provisioningState, w: c.power }),
    tags: { project: 'k8s-demo', cluster: c.key },
    sku: { name: 'Base', tier: c.tier },
    identity: { type: 'UserAssigned' },
    properties: {
      provisioningState: c.provisioningState,
      powerState: { code: c.power },
      kubernetesVersion: c.kubernetesVersion,
      currentKubernetesVersion: c.kubernetesVersion,
      dnsPrefix,
      // Contract rule private-api-server: private cluster, no public FQDN (unless the public-api-server knob turned it off).
      ...(c.publicApiServer
        ? { fqdn: `${dnsPrefix}-${hash}.hcp.${c.location}.azmk8s.io`, apiServerAccessProfile: { enablePrivateCluster: false } }
        : {
            privateFQDN: `${dnsPrefix}-${hash}.privatelink.${c.location}.azmk8s.io`,
            apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false, privateDNSZone: privateDnsZone },
          }),
      azurePortalFQDN: `${dnsPrefix}-${hash}.portal.hcp.${c.location}.azmk8s.io`,
      agentPoolProfiles: c.pools.map((p) => ({ name: p.name, ...poolProperties(c, p) })),
      enableRBAC: true,
      aadProfile: { managed: true, enableAzureRBAC: true },
      disableLocalAccounts: true,
      nodeResourceGroup: nodeResourceGroup(c.resourceGroup, c.name, c.location),
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataplane: 'cilium',
        networkPolicy: 'cilium',
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.0.0.0/16',
        dnsServiceIP: '10.0.0.10',
        outboundType: 'loadBalancer',
        loadBalancerSku: 'standard',
        ipFamilies: ['IPv4'],
      },
      nodeProvisioningProfile: {
        mode: c.nodeProvisioningMode,
        ...(c.defaultNodePools ? { defaultNodePools: c.defaultNodePools } : {}),
      },
      oidcIssuerProfile: { enabled: true, issuerURL: `https://${c.location}.oic.prod-aks.azure.com/${sub}/${hash}/` },
      securityProfile: {
        workloadIdentity: { enabled: true },
        defender: { securityMonitoring: { enabled: true } },
      },
      addonProfiles: {
        azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true', rotationPollInterval: '2m' } },
        omsagent: { enabled: true, config: {} },
      },
      azureMonitorProfile: { metrics: { enabled: true } },
      ...(c.meshRevision
        ? { serviceMeshProfile: { mode: 'Istio', istio: { revisions: [c.meshRevision], components: { ingressGateways: [{ mode: 'External', enabled: true }] } } } }
        : { serviceMeshProfile: { mode: 'Disabled' } }),
      supportPlan: 'KubernetesOfficial',
      maxAgentPools: 100,
    },
  };
}

export function operationStatusJson(sub: string, location: string, op: TwinOperation, now: number) {
  return {
    id: `/subscriptions/${sub}/providers/Microsoft.ContainerService/locations/${location}/operations/${op.id}`,
    name: op.id,
    status: op.status,
    startTime: new Date(op.startedAt).toISOString(),
    ...(op.status !== 'InProgress' ? { endTime: new Date(Math.min(op.endsAt, now)).toISOString() } : {}),
    percentComplete: op.status === 'InProgress' ? Math.min(99, Math.floor(((now - op.startedAt) / (op.endsAt - op.startedAt)) * 100)) : 100,
    ...(op.error ? { error: op.error } : {}),
  };
}
