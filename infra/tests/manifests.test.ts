import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, readYamlDocs as readDocs } from '../contract/model-from-hcl';

const walk = (d: string): string[] =>
  fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const yamlFiles = [...walk(path.join(INFRA_DIR, 'manifests')), ...walk(path.join(INFRA_DIR, 'addons', 'values'))].filter((f) => f.endsWith('.yaml'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML of arbitrary shape; the assertions are the check
type Doc = Record<string, any>;
const readYamlDocs = (f: string) => readDocs(f) as Doc[];
const docs: Doc[] = walk(path.join(INFRA_DIR, 'manifests')).filter((f) => f.endsWith('.yaml')).flatMap(readYamlDocs);
const find = (kind: string, name?: string) => docs.filter((d) => d.kind === kind && (!name || d.metadata?.name === name));
const one = (kind: string, name: string) => {
  const d = find(kind, name);
  expect(d, `${kind}/${name}`).toHaveLength(1);
  return d[0];
};

describe('manifests and Helm values', () => {
  it.each(yamlFiles.map((f) => [path.relative(INFRA_DIR, f), f]))('%s parses', (_rel, f) => {
    const d = readYamlDocs(f);
    expect(d.length).toBeGreaterThan(0);
    if (f.includes(`${path.sep}manifests${path.sep}`)) for (const x of d) expect(x.apiVersion && x.kind && x.metadata?.name, f).toBeTruthy();
  });

  it('Karpenter NodePool: nodeClassRef, Spot only, zones 1-3, pinned size, limits, consolidation', () => {
    const np = one('NodePool', 'spot-workers');
    expect(np.apiVersion).toBe('karpenter.sh/v1');
    expect(np.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.azure.com', kind: 'AKSNodeClass', name: 'default' });
    const req = Object.fromEntries(np.spec.template.spec.requirements.map((r: Doc) => [r.key, r.values]));
    expect(req['karpenter.sh/capacity-type']).toEqual(['spot']);
    expect(req['topology.kubernetes.io/zone']).toEqual(['koreacentral-1', 'koreacentral-2', 'koreacentral-3']);
    expect(req['karpenter.azure.com/sku-name']).toEqual(['Standard_D2s_v5']);
    // limits stated in nodes: 10 vCPU and 40Gi are both exactly 5 × D2s_v5 (2 vCPU / 8 GiB)
    expect(Number(np.spec.limits.cpu) / 2).toBe(5);
    expect(parseInt(np.spec.limits.memory, 10) / 8).toBe(5);
    expect(np.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s' });
  });

  it('zone-redundant StorageClasses', () => {
    expect(one('StorageClass', 'managed-csi-zrs')).toMatchObject({
      provisioner: 'disk.csi.azure.com', parameters: { skuName: 'Premium_ZRS' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(one('StorageClass', 'managed-csi-retain')).toMatchObject({ reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' });
  });

  it('the six Kyverno policies with their modes, the allow-list and exclusions', () => {
    const modes: Record<string, string> = {
      'restrict-image-registries': 'Enforce', 'require-resource-limits': 'Enforce', 'disallow-privileged-containers': 'Enforce',
      'require-labels': 'Audit', 'generate-pdb': 'Generate', 'require-topology-spread': 'Audit',
    };
    const policies = find('ClusterPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(Object.keys(modes).sort());
    for (const p of policies) {
      const rule = p.spec.rules[0];
      const mode = rule.generate ? 'Generate' : rule.validate.failureAction;
      expect(mode, p.metadata.name).toBe(modes[p.metadata.name]);
    }
    const r = one('ClusterPolicy', 'restrict-image-registries').spec.rules[0];
    for (const c of [...r.validate.pattern.spec['=(initContainers)'], ...r.validate.pattern.spec.containers]) {
      expect(c.image).toContain('mcr.microsoft.com/*');
      expect(c.image).toContain('ghcr.io/*');
    }
    expect(r.exclude.any[0].resources.namespaces).toEqual(['aks-istio-*', 'flux-system', 'dataprotection-microsoft', 'kube-system']);
    const pdb = one('ClusterPolicy', 'generate-pdb').spec.rules[0];
    expect(pdb.generate.data.spec.minAvailable).toBe(1);
  });

  it('ClusterIssuer: Let\'s Encrypt production, DNS-01 on Azure DNS with workload identity', () => {
    const ci = one('ClusterIssuer', 'letsencrypt-prod');
    expect(ci.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    const dns = ci.spec.acme.solvers[0].dns01.azureDNS;
    expect(dns).toMatchObject({ resourceGroupName: 'rg-k8s-demo-common', environment: 'AzurePublicCloud' });
    expect(dns.managedIdentity.clientID).toBe('${CERT_MANAGER_CLIENT_ID}');
  });

  it('certificate ≤ 90 days, pushed to Key Vault, Secret readable by name only', () => {
    const cert = one('Certificate', 'gateway-tls');
    expect(cert.spec.duration).toBe('2160h');
    expect(cert.spec.renewBefore).toBe('720h');
    const push = one('PushSecret', 'gateway-tls');
    expect(push.spec.selector.secret.name).toBe(cert.spec.secretName);
    expect(push.spec.secretStoreRefs[0]).toEqual({ name: 'azure-key-vault', kind: 'ClusterSecretStore' });
    expect(one('ClusterSecretStore', 'azure-key-vault').spec.provider.azurekv.authType).toBe('WorkloadIdentity');
    const role = one('Role', 'gateway-tls-reader');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['gateway-tls'], verbs: ['get', 'watch'] }]);
  });

  it('key rotation reaches pods: SecretProviderClass and Reloader annotation on the workload that mounts it', () => {
    const spc = one('SecretProviderClass', 'demo-app-kv');
    expect(spc.spec.provider).toBe('azure');
    const dep = one('Deployment', 'demo-app');
    expect(dep.metadata.annotations['reloader.stakater.com/auto']).toBe('true');
    expect(dep.spec.template.spec.volumes[0].csi.volumeAttributes.secretProviderClass).toBe('demo-app-kv');
  });

  it('Istio Gateway + VirtualService (classic API) with the TLS Secret as credentialName', () => {
    const gw = one('Gateway', 'public');
    expect(gw.apiVersion).toMatch(/^networking\.istio\.io\//);
    expect(gw.spec.servers[0].tls.credentialName).toBe('gateway-tls');
    expect(one('VirtualService', 'demo-app').spec.gateways).toEqual(['public']);
    expect(one('PeerAuthentication', 'default').spec.mtls.mode).toBe('STRICT');
  });

  it('PDB and zone topology spread examples', () => {
    expect(one('PodDisruptionBudget', 'demo-app-pdb').spec.minAvailable).toBe(2);
    const tsc = one('Deployment', 'demo-app').spec.template.spec.topologySpreadConstraints[0];
    expect(tsc).toMatchObject({ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' });
  });

  it('every priorityClassName used by values or manifests exists (HA settings)', () => {
    const defined = new Set([...find('PriorityClass').map((p) => p.metadata.name), 'system-node-critical', 'system-cluster-critical']);
    const used = new Set<string>();
    const collect = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(collect);
      else if (x && typeof x === 'object')
        for (const [k, v] of Object.entries(x)) {
          if ((k === 'priorityClassName' || k === 'priority_class_name') && typeof v === 'string') used.add(v);
          else collect(v);
        }
    };
    yamlFiles.flatMap(readYamlDocs).forEach(collect);
    expect(used.size).toBeGreaterThan(3);
    for (const u of used) expect(defined, u).toContain(u);
  });

  it('HA settings in the Helm values and HPAs', () => {
    const values = (n: string) => readYamlDocs(path.join(INFRA_DIR, 'addons', 'values', `${n}.yaml`))[0];
    expect(values('cert-manager')).toMatchObject({ replicaCount: 2, podDisruptionBudget: { minAvailable: 1 }, priorityClassName: 'platform-critical' });
    expect(values('kyverno').admissionController).toMatchObject({ replicas: 3, podDisruptionBudget: { minAvailable: 2 } });
    expect(values('reloader').reloader.deployment.replicas).toBe(2);
    expect(values('otel-collector')).toMatchObject({ replicaCount: 2, autoscaling: { minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 70 } });
    expect(values('kiali').deployment).toMatchObject({ replicas: 1, priority_class_name: 'workload-high' });
    const hpa = (n: string) => one('HorizontalPodAutoscaler', n).spec;
    expect(hpa('cert-manager')).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(hpa('kyverno-admission-controller')).toMatchObject({ minReplicas: 3, maxReplicas: 5 });
    expect(hpa('reloader-reloader')).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
  });
});
