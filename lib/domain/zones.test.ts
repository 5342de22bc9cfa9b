import { describe, expect, it } from 'vitest';
import { cordonTargets, drainTargets, summarizeCluster, zoneFromLabel, zoneRequirementValues, zoneState, type NodeFacts, type PodFacts } from './zones';
import { verifyCluster, type VerifyFacts } from './zones-verify';

const node = (name: string, zone: NodeFacts['zone'], pool: string, over: Partial<NodeFacts> = {}): NodeFacts => ({
  name, zone, pool, capacity: pool === 'spot-workers' ? 'spot' : 'regular', ready: 'True', cordoned: false, ingress: pool === 'ingress', nap: pool === 'spot-workers', ...over,
});
const pod = (name: string, nodeName: string | undefined, over: Partial<PodFacts> = {}): PodFacts => ({
  namespace: 'demo', name, nodeName, phase: nodeName ? 'Running' : 'Pending', ready: Boolean(nodeName), gateway: false, daemon: false, ...over,
});

/** The seeded cluster: system + ingress in every zone, one gateway per ingress node. */
function cluster(over: Record<string, Partial<NodeFacts>> = {}) {
  const nodes = ['1', '2', '3'].flatMap((z) => [node(`sys-${z}`, z as '1', 'system', over[`sys-${z}`]), node(`ing-${z}`, z as '1', 'ingress', over[`ing-${z}`])]);
  const pods = ['1', '2', '3'].map((z) => pod(`gw-${z}`, `ing-${z}`, { namespace: 'aks-istio-ingress', gateway: true }));
  return { nodes, pods };
}

describe('zoneState', () => {
  it.each<[string, NodeFacts[], ReturnType<typeof zoneState>]>([
    ['no nodes', [], 'empty'],
    ['all Ready', [node('a', '1', 'system'), node('b', '1', 'ingress')], 'healthy'],
    ['one NotReady', [node('a', '1', 'system', { ready: 'Unknown' }), node('b', '1', 'ingress')], 'degraded'],
    ['one cordoned', [node('a', '1', 'system', { cordoned: true }), node('b', '1', 'ingress')], 'degraded'],
    ['all cordoned', [node('a', '1', 'system', { cordoned: true }), node('b', '1', 'ingress', { cordoned: true })], 'cordoned'],
    ['none Ready (outage), even if cordoned', [node('a', '1', 'system', { ready: 'Unknown', cordoned: true }), node('b', '1', 'ingress', { ready: 'False' })], 'down'],
  ])('%s → %s', (_name, nodes, expected) => {
    expect(zoneState(nodes)).toBe(expected);
  });
});

describe('summarizeCluster verdict (the architecture: two zones keep the cluster serving)', () => {
  it.each<[string, Record<string, Partial<NodeFacts>>, PodFacts[] | null, string, string[]]>([
    ['all healthy', {}, null, 'ok', []],
    ['zone 1 cordoned', { 'sys-1': { cordoned: true }, 'ing-1': { cordoned: true } }, null, 'degraded', ['zone 1 cordoned']],
    ['zone 2 down', { 'sys-2': { ready: 'Unknown' }, 'ing-2': { ready: 'Unknown' } }, null, 'degraded', ['zone 2 down']],
    ['two zones of system nodes lost', { 'sys-1': { ready: 'Unknown' }, 'sys-2': { cordoned: true } }, null, 'at-risk', ['system nodes usable in 1 zone(s); one zone lost needs 2']],
    ['gateways left in one zone', {}, [pod('gw-3', 'ing-3', { namespace: 'aks-istio-ingress', gateway: true }), pod('gw-x', 'ing-3', { namespace: 'aks-istio-ingress', gateway: true, ready: false })], 'at-risk', ['ingress gateways Ready in 1 zone(s); one zone lost needs 2']],
    ['a pod waits for capacity', {}, [...cluster().pods, pod('demo-app-x', undefined, { reason: 'no Spot capacity' })], 'degraded', ['1 pod(s) Pending']],
  ])('%s → %s', (_name, over, pods, verdict, why) => {
    const c = cluster(over);
    const s = summarizeCluster(c.nodes, pods ?? c.pods);
    expect(s.verdict).toBe(verdict);
    expect(s.why).toEqual(why);
  });

  it('counts per zone: nodes by state and capacity, workload pods without DaemonSets, gateways, Pending with reason', () => {
    const nodes = [node('sys-1', '1', 'system'), node('spot-1', '1', 'spot-workers', { cordoned: true }), node('sys-2', '2', 'system', { ready: 'Unknown' })];
    const pods = [
      pod('a', 'spot-1'), pod('cilium-x', 'spot-1', { daemon: true }), pod('b', 'sys-2', { ready: false }),
      pod('gw', 'sys-1', { gateway: true }), pod('done', 'sys-1', { phase: 'Succeeded', ready: false }),
      pod('p', undefined, { reason: '0/3 nodes are available' }),
    ];
    const s = summarizeCluster(nodes, pods);
    expect(s.cells[0]).toMatchObject({ state: 'degraded', counts: { ready: 2, notReady: 0, cordoned: 1, spot: 1, regular: 1 }, pods: { running: 2, notReady: 0 }, gateways: { ready: 1, total: 1 } });
    expect(s.cells[1]).toMatchObject({ state: 'down', pods: { running: 0, notReady: 1 } });
    expect(s.cells[2].state).toBe('empty');
    expect(s.pending).toEqual([{ namespace: 'demo', name: 'p', reason: '0/3 nodes are available' }]);
    expect(s.systemZones).toEqual(['1']);
  });
});

describe('cordon and drain targets', () => {
  const nodes = [node('a', '1', 'system'), node('b', '1', 'spot-workers', { cordoned: true }), node('c', '2', 'system')];
  it.each<[string, boolean, string[]]>([
    ['cordon zone 1 skips what is already cordoned', true, ['a']],
    ['uncordon zone 1 only touches cordoned nodes', false, ['b']],
  ])('%s', (_n, cordon, expected) => {
    expect(cordonTargets(nodes, '1', cordon)).toEqual(expected);
  });

  it('drains workload pods, never DaemonSet pods or completed ones', () => {
    const pods = [pod('x', 'a'), pod('ds', 'a', { daemon: true }), pod('done', 'a', { phase: 'Succeeded' }), pod('y', 'c')];
    expect(drainTargets(pods, ['a', 'b'])).toEqual([{ namespace: 'demo', name: 'x' }]);
  });

  it.each<[string[], '1' | '2', boolean, string[]]>([
    [['koreacentral-1', 'koreacentral-2', 'koreacentral-3'], '1', false, ['koreacentral-2', 'koreacentral-3']],
    [['koreacentral-2', 'koreacentral-3'], '1', true, ['koreacentral-1', 'koreacentral-2', 'koreacentral-3']],
    [['koreacentral-2', 'koreacentral-3'], '1', false, ['koreacentral-2', 'koreacentral-3']],
  ])('NodePool zones %j, zone %s include=%s', (values, zone, include, expected) => {
    expect(zoneRequirementValues(values, 'koreacentral', zone, include)).toEqual(expected);
  });

  it.each([['koreacentral-3', '3'], ['eastus-1', '1'], [undefined, null], ['koreacentral', null]])('zone label %s → %s', (label, zone) => {
    expect(zoneFromLabel(label)).toBe(zone);
  });
});

describe('verify-clusters checks (the last add-on install step)', () => {
  const ready = [{ type: 'Ready', status: 'True', reason: 'Succeeded' }];
  const base = (cluster: VerifyFacts['cluster']): VerifyFacts => ({
    cluster,
    nodes: [{ name: 'n1', ready: true }],
    podsNotRunning: [],
    podCount: 40,
    deployments: {
      'aks-istio-system/istiod-asm-1-30': { replicas: 2, ready: 2 },
      'kyverno/kyverno-admission-controller': { replicas: 3, ready: 3 },
      'reloader/reloader-reloader': { replicas: 2, ready: 2 },
    },
    kyvernoWebhook: true,
    gitRepositories: [{ name: 'gitops-config', conditions: ready }],
    kustomizations: [{ name: 'gitops-config-infra', conditions: ready }],
    clusterSecretStore: { conditions: ready },
    tlsPushSecret: { conditions: ready },
    istioRevision: 'asm-1-30',
  });
  const statuses = (f: VerifyFacts) => Object.fromEntries(verifyCluster(f).map((c) => [c.id, c.status]));

  it.each<[string, VerifyFacts, Record<string, string>]>([
    ['mgmt healthy', base('mgmt'), { 'nodes-ready': 'pass', 'pods-running': 'pass', 'hubble-relay': 'skip', 'flux-source': 'pass', 'flux-kustomization': 'pass', istiod: 'pass', kyverno: 'skip', 'eso-store': 'pass', reloader: 'pass', 'tls-keyvault': 'pass' }],
    ['app2: no Istio, Kyverno checked, no TLS check', base('app2'), { istiod: 'skip', kyverno: 'pass' }],
    ['a NotReady node', { ...base('app1'), nodes: [{ name: 'n1', ready: false }] }, { 'nodes-ready': 'fail' }],
    ['a Pending pod', { ...base('app1'), podsNotRunning: [{ namespace: 'demo', name: 'x', phase: 'Pending' }] }, { 'pods-running': 'fail' }],
    ['Hubble relay deployed and ready (ACNS on)', { ...base('app1'), deployments: { ...base('app1').deployments, 'kube-system/hubble-relay': { replicas: 1, ready: 1 } } }, { 'hubble-relay': 'pass' }],
    ['Kyverno webhook missing', { ...base('app1'), kyvernoWebhook: false }, { kyverno: 'fail' }],
    ['Flux not reconciled', { ...base('app1'), kustomizations: [{ name: 'k', conditions: [{ type: 'Ready', status: 'False', message: 'kustomize build failed' }] }] }, { 'flux-kustomization': 'fail' }],
    ['istiod missing on app1', { ...base('app1'), deployments: { 'reloader/reloader-reloader': { replicas: 2, ready: 2 } } }, { istiod: 'fail', kyverno: 'fail' }],
    ['Reloader 1/2', { ...base('app1'), deployments: { ...base('app1').deployments, 'reloader/reloader-reloader': { replicas: 2, ready: 1 } } }, { reloader: 'fail' }],
    ['no ClusterSecretStore', { ...base('app1'), clusterSecretStore: undefined }, { 'eso-store': 'fail' }],
    ['certificate not pushed to Key Vault', { ...base('mgmt'), tlsPushSecret: { conditions: [{ type: 'Ready', status: 'False', message: 'could not write remote ref' }] } }, { 'tls-keyvault': 'fail' }],
  ])('%s', (_name, facts, expected) => {
    expect(statuses(facts)).toMatchObject(expected);
  });
});
