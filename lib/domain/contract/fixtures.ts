import type { ClusterModel, EnvironmentModel, NodePool } from './model';
import { SPEC } from './spec';

const zones = [...SPEC.zones];

function cluster(name: string, workers: 'nap' | 'autoscaler'): ClusterModel {
  const pools: NodePool[] = [
    { name: 'system', mode: 'System', priority: 'Regular', zones, taints: ['CriticalAddonsOnly=true:NoSchedule'], labels: {}, vmSize: 'Standard_D2s_v5' },
  ];
  if (name !== 'app2')
    pools.push({
      name: 'ingress', mode: 'User', priority: 'Regular', zones, taints: [],
      labels: { role: 'ingress', 'azureservicemesh/istio.replica.preferred': 'true' }, vmSize: 'Standard_D2s_v5',
    });
  if (workers === 'autoscaler')
    pools.push({
      name: 'worker', mode: 'User', priority: 'Spot', zones, vmSize: 'Standard_D2s_v5', autoscaling: { min: 0, max: 5 },
      taints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'], labels: {},
    });
  const mesh = (SPEC.meshClusters as readonly string[]).includes(name);
  const kyverno = (SPEC.kyvernoClusters as readonly string[]).includes(name);
  return {
    name,
    privateCluster: true,
    publicFqdn: false,
    nodeProvisioning: workers === 'nap' ? { mode: 'Auto', defaultNodePools: 'None' } : { mode: 'Manual', defaultNodePools: 'Auto' },
    pools,
    karpenterNodePools:
      workers === 'nap'
        ? [{
            name: 'spot-workers', capacityTypes: ['spot'], zones: ['koreacentral-1', 'koreacentral-2', 'koreacentral-3'],
            skuNames: ['Standard_D2s_v5'], nodeClassRef: 'default', limits: { cpu: '10', memory: '40Gi' },
          }]
        : [],
    serviceMesh: { declared: mesh, revisions: mesh ? ['asm-1-30'] : [] },
    defender: { declared: true },
    kyverno: { installed: kyverno, mode: kyverno ? 'Enforce' : null },
    flux: { installed: true, auth: 'ssh-deploy-key' },
    keyVaultCsi: { enabled: true, rotationEnabled: true },
    reloader: { installed: true },
    powerStrategy: workers === 'nap' ? 'sleep' : 'stop',
    mgmtReferences: [],
    observability: { metrics: true, logs: true, traces: true },
    spotWorkloads: (SPEC.appClusters as readonly string[]).includes(name) ? [{ name: 'demo/demo-app', pdb: true, zoneSpread: true }] : [],
  };
}

/** A model that satisfies every rule: the shape the real infra is expected to load into. */
export function referenceEnvironment(workers: 'nap' | 'autoscaler' = 'nap'): EnvironmentModel {
  const names = [...SPEC.clusters];
  return {
    region: SPEC.region,
    clusters: names.map((n) => cluster(n, workers)),
    kyverno: {
      allowedRegistries: ['acrkdemo.azurecr.io/*', 'docker.io/library/*', 'quay.io/*', 'registry.k8s.io/*', 'mcr.microsoft.com/*', 'ghcr.io/*'],
      excludedNamespaces: [...SPEC.requiredExclusions],
      policies: Object.entries(SPEC.kyvernoPolicies).map(([name, action]) => ({ name, action })),
    },
    budget: { amount: SPEC.budgetAmount, timeGrain: 'Monthly', contactEmails: ['ops@example.com'], actionGroup: true },
    powerSchedule: { ...SPEC.powerSchedule },
    backup: {
      vaultRedundancy: 'ZoneRedundant', policy: { schedule: 'R/2026-01-01T02:00:00+00:00/P1D', retentionDays: 7 },
      instances: names, storageContainers: names, trustedAccess: names, extension: names, snapshotResourceGroup: true,
    },
    tls: { pushSecretToKeyVault: true, certificateDurationHours: 2160, secretReadRestricted: true, reloaderAnnotated: ['demo-app'] },
    build: { applyCommand: 'tofu apply', hclFiles: 70, tofuOnlyFiles: [], installer: true, provisioners: [] },
  };
}
