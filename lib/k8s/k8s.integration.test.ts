import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { setHeaderOptions, PatchStrategy, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import { waitFor } from '../../test/wait-for';

/** The twin's Kubernetes API through the real @kubernetes/client-node 1.4 (list, patch, watch, eviction, scale, NodePool). */
let twin: Twin;
let url: string;
let k8s: typeof import('./index');
let advanceTwin: (azureMs: number) => void;

beforeAll(async () => {
  ({ twin, url, advance: advanceTwin } = await startHarness({ profile: 'nap', clockSpeed: 60 }));
  k8s = await import('./index');
});

afterAll(async () => {
  await twin.close();
});

async function admin(path: string, body?: unknown) {
  const res = await fetch(`${url}/_twin/k8s/${path}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Lets `ms` of AKS time pass on the twin without waiting for it. */
async function advance(ms: number) {
  advanceTwin(ms);
}

const zoneOf = (n: V1Node) => n.metadata?.labels?.['topology.kubernetes.io/zone'];
const ready = (n: V1Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;


describe('the twin Kubernetes API through client-node', () => {
  beforeEach(async () => {
    await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify({ profile: 'nap' }) });
  });

  it('lists nodes that agree with the ARM agent pools, with AKS labels, taints and Ready', async () => {
    const { core } = await k8s.getKubeClients('app1');
    const nodes = (await core.listNode()).items;
    const byPool = (p: string) => nodes.filter((n) => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === p);
    expect(byPool('system').map(zoneOf).sort()).toEqual(['koreacentral-1', 'koreacentral-2', 'koreacentral-3']);
    expect(byPool('ingress')).toHaveLength(3);
    expect(byPool('ingress')[0].metadata?.labels).toMatchObject({ role: 'ingress', 'azureservicemesh/istio.replica.preferred': 'true' });
    const nap = byPool('spot-workers');
    expect(nap.length).toBe(3);
    expect(nap.map(zoneOf).sort()).toEqual(['koreacentral-1', 'koreacentral-2', 'koreacentral-3']);
    expect(nap[0].metadata?.labels).toMatchObject({ 'karpenter.sh/capacity-type': 'spot', 'kubernetes.azure.com/scalesetpriority': 'spot', 'karpenter.sh/nodepool': 'spot-workers' });
    expect(nap[0].spec?.taints).toEqual([{ key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' }]);
    expect(nodes.every((n) => ready(n) === 'True')).toBe(true);
    // app2 has no ingress pool (the architecture gives one to mgmt and app1 only).
    const app2 = (await (await k8s.getKubeClients('app2')).core.listNode()).items;
    expect(app2.filter((n) => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === 'ingress')).toHaveLength(0);
  });

  it('serves the add-ons install.sh installs in all namespaces with label and field selectors', async () => {
    const { core } = await k8s.getKubeClients('app1');
    const pods = (await core.listPodForAllNamespaces()).items;
    expect(pods.every((p) => p.status?.phase === 'Running')).toBe(true);
    const ns = new Set(pods.map((p) => p.metadata?.namespace));
    for (const n of ['kube-system', 'flux-system', 'external-secrets', 'reloader', 'kyverno', 'aks-istio-system', 'aks-istio-ingress', 'demo']) expect(ns).toContain(n);
    const gateways = (await core.listNamespacedPod({ namespace: 'aks-istio-ingress', labelSelector: 'istio=aks-istio-ingressgateway-external' })).items;
    expect(gateways).toHaveLength(3);
    const nodes = new Map((await core.listNode()).items.map((n) => [n.metadata!.name!, n]));
    // gateways prefer the ingress nodes (the add-on places them by preferred affinity, see "Ingress pool without a taint" in docs/azure-differences.md); zone spread puts one in each zone.
    expect(gateways.map((g) => nodes.get(g.spec!.nodeName!)!.metadata!.labels!.role)).toEqual(['ingress', 'ingress', 'ingress']);
    expect(new Set(gateways.map((g) => zoneOf(nodes.get(g.spec!.nodeName!)!)))).toHaveProperty('size', 3);
    const notRunning = (await core.listPodForAllNamespaces({ fieldSelector: 'status.phase!=Running,status.phase!=Succeeded' })).items;
    expect(notRunning).toEqual([]);
    const mgmt = (await (await k8s.getKubeClients('mgmt')).core.listPodForAllNamespaces()).items;
    expect(mgmt.some((p) => p.metadata?.name?.startsWith('kiali-'))).toBe(true);
    expect(mgmt.some((p) => p.metadata?.namespace === 'kyverno')).toBe(false);
    expect(mgmt.find((p) => p.metadata?.name?.startsWith('cert-manager-startupapicheck'))?.status?.phase).toBe('Succeeded');
  });

  it('cordons with a strategic-merge patch (as kubectl cordon) and a JSON patch, and uncordons', async () => {
    const { core } = await k8s.getKubeClients('app1');
    const node = (await core.listNode({ labelSelector: 'topology.kubernetes.io/zone=koreacentral-1,kubernetes.azure.com/agentpool=system' })).items[0];
    const name = node.metadata!.name!;
    const patched = await core.patchNode({ name, body: { spec: { unschedulable: true } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
    expect(patched.spec?.unschedulable).toBe(true);
    const after = await core.readNode({ name });
    expect(after.spec?.taints).toContainEqual(expect.objectContaining({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }));
    await core.patchNode({ name, body: [{ op: 'replace', path: '/spec/unschedulable', value: false }] });
    const back = await core.readNode({ name });
    expect(back.spec?.unschedulable).toBe(false);
    expect(back.spec?.taints ?? []).toEqual([]);
  });

  it('watches nodes from a resourceVersion and sees a cordon as MODIFIED', async () => {
    const { core, watch } = await k8s.getKubeClients('app2');
    const list = await core.listNode();
    const seen: { type: string; name?: string; unschedulable?: boolean }[] = [];
    const req = await watch.watch('/api/v1/nodes', { resourceVersion: list.metadata!.resourceVersion }, (type, obj: V1Node) => {
      seen.push({ type, name: obj.metadata?.name, unschedulable: obj.spec?.unschedulable });
    }, () => undefined);
    try {
      const name = list.items[0].metadata!.name!;
      await core.patchNode({ name, body: { spec: { unschedulable: true } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await waitFor(async () => seen, (s) => s.some((e) => e.type === 'MODIFIED' && e.name === name && e.unschedulable === true));
      expect(seen.some((e) => e.type === 'ADDED')).toBe(false);
    } finally {
      req.abort();
    }
  });

  it('a watch from a resourceVersion older than the history gets 410 Expired', async () => {
    const { watch } = await k8s.getKubeClients('app2');
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      void watch.watch('/api/v1/pods', { resourceVersion: '-5' }, (type, obj) => {
        if (type === 'ERROR') errors.push(obj);
      }, () => resolve());
    });
    expect(errors).toEqual([expect.objectContaining({ code: 410, reason: 'Expired' })]);
  });

  it('evicts through the Eviction API and refuses what the PDB forbids (429)', async () => {
    // Real time for this test: the replacement pod must not be Ready before the second eviction.
    await fetch(`${url}/_twin/clock`, { method: 'POST', body: JSON.stringify({ speed: 1 }) });
    onTestFinished(async () => {
      await fetch(`${url}/_twin/clock`, { method: 'POST', body: JSON.stringify({ speed: 60 }) });
    });
    const { core } = await k8s.getKubeClients('app1');
    const pods = (await core.listNamespacedPod({ namespace: 'demo', labelSelector: 'app=demo-app' })).items;
    expect(pods).toHaveLength(3);
    await core.createNamespacedPodEviction({ name: pods[0].metadata!.name!, namespace: 'demo', body: { metadata: { name: pods[0].metadata!.name!, namespace: 'demo' } } });
    // minAvailable 2 with 2 healthy left: the next eviction is refused.
    const err = await core.createNamespacedPodEviction({ name: pods[1].metadata!.name!, namespace: 'demo', body: { metadata: { name: pods[1].metadata!.name!, namespace: 'demo' } } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 429 });
    expect(String((err as { body?: string }).body)).toContain('disruption budget demo-app-pdb');
  });

  it('a stopped cluster does not answer; nodes come back when it starts (manual profile)', async () => {
    await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify({ profile: 'manual' }) });
    const { core } = await k8s.getKubeClients('app2');
    const before = (await core.listNode()).items;
    expect(before.filter((n) => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === 'worker')).toHaveLength(3);
    const cluster = twin.state.clusters[2];
    twin.state.beginPowerOperation(cluster, 'stop');
    await advance(7 * 60_000);
    expect(twin.state.clusters[2].power).toBe('Stopped');
    await expect(core.listNode()).rejects.toThrow();
    twin.state.beginPowerOperation(twin.state.clusters[2], 'start');
    await advance(5 * 60_000);
    const nodes = (await core.listNode()).items;
    expect(nodes).toHaveLength(6);
    await advance(3 * 60_000);
    const pods = (await core.listPodForAllNamespaces()).items;
    expect(pods.filter((p: V1Pod) => p.status?.phase !== 'Running')).toEqual([]);
  });
});

describe('scenarios and Karpenter NodePool through the API', () => {
  beforeEach(async () => {
    await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify({ profile: 'nap' }) });
  });

  it('Spot eviction: node deleted with its event, Karpenter replaces it after a delay', async () => {
    const { core } = await k8s.getKubeClients('app1');
    const r = await admin('app1/spot-eviction', { zone: '1' });
    expect(r.status).toBe(200);
    const evicted = (r.json.results as { nodes: string[] }[])[0].nodes[0];
    const events = (await core.listNamespacedEvent({ namespace: 'default', fieldSelector: `involvedObject.name=${evicted}` })).items;
    expect(events.map((e) => e.reason)).toContain('SpotInterrupted');
    await advance(31_000);
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).not.toContain(evicted);
    const pending = (await core.listNamespacedPod({ namespace: 'demo', fieldSelector: 'status.phase=Pending' })).items;
    expect(pending).toHaveLength(1);
    const claims = (await (await k8s.getKubeClients('app1')).custom.listClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodeclaims' })) as { items: { metadata: { name: string; labels: Record<string, string> } }[] };
    // A NodeClaim per node, plus the replacement that has no node yet.
    const nodeNames = new Set((await core.listNode()).items.map((n) => n.metadata?.name));
    const launching = claims.items.filter((c) => !nodeNames.has(c.metadata.name));
    expect(launching).toHaveLength(1);
    // Zone 1 has Spot capacity: the replacement goes back to the same zone (spread).
    expect(launching[0].metadata.labels['topology.kubernetes.io/zone']).toBe('koreacentral-1');
    await advance(90_000);
    const demo = (await core.listNamespacedPod({ namespace: 'demo' })).items;
    expect(demo.map((p) => p.status?.phase)).toEqual(['Running', 'Running', 'Running']);
  });

  it('Spot eviction with no Spot capacity in the zone: replacement in another zone; none anywhere: Pending', async () => {
    const { core } = await k8s.getKubeClients('app2');
    await admin('app2/spot-capacity', { zone: '1', available: false });
    await admin('app2/spot-eviction', { zone: '1' });
    await advance(31_000 + 90_000);
    const nodes = (await core.listNode({ labelSelector: 'karpenter.sh/nodepool=spot-workers' })).items;
    expect(nodes.map(zoneOf).sort()).toEqual(['koreacentral-2', 'koreacentral-2', 'koreacentral-3']);
    for (const z of ['2', '3']) await admin('app2/spot-capacity', { zone: z, available: false });
    await admin('app2/spot-eviction', { zone: '3' });
    await advance(31_000 + 120_000);
    const pending = (await core.listNamespacedPod({ namespace: 'demo', fieldSelector: 'status.phase=Pending' })).items;
    expect(pending).toHaveLength(1);
    const events = (await core.listNamespacedEvent({ namespace: 'demo', fieldSelector: `involvedObject.name=${pending[0].metadata!.name}` })).items;
    expect(events.some((e) => e.source?.component === 'karpenter' && /no Spot capacity/.test(e.message ?? ''))).toBe(true);
  });

  it('zone outage: zone nodes NotReady, pods evicted after 300 s and rescheduled in the other zones', async () => {
    const { core } = await k8s.getKubeClients('app1');
    await admin('all/zone-outage', { zone: '2' });
    const nodes = (await core.listNode()).items;
    expect(nodes.filter((n) => zoneOf(n) === 'koreacentral-2').map(ready)).toEqual(['Unknown', 'Unknown', 'Unknown']);
    await advance(301_000);
    await advance(90_000);
    const live = new Map((await core.listNode()).items.map((n) => [n.metadata!.name!, n]));
    const demo = (await core.listNamespacedPod({ namespace: 'demo' })).items;
    expect(demo).toHaveLength(3);
    expect(demo.every((p) => p.status?.phase === 'Running')).toBe(true);
    expect(demo.map((p) => zoneOf(live.get(p.spec!.nodeName!)!)).filter((z) => z === 'koreacentral-2')).toEqual([]);
    await admin('all/zone-restore', { zone: '2' });
    expect((await core.listNode()).items.every((n) => ready(n) === 'True')).toBe(true);
  });

  it('serves the Karpenter NodePool (get, merge patch of limits) and the scale subresource', async () => {
    const { custom, apps, core } = await k8s.getKubeClients('app1');
    const np = (await custom.getClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: 'spot-workers' })) as { spec: { limits: { cpu: string } }; status: { resources: { nodes: string } } };
    expect(np.spec.limits.cpu).toBe('10');
    expect(np.status.resources.nodes).toBe('3');
    await custom.patchClusterCustomObject({ group: 'karpenter.sh', version: 'v1', plural: 'nodepools', name: 'spot-workers', body: { spec: { limits: { cpu: '0' } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    const scale = await apps.readNamespacedDeploymentScale({ name: 'demo-app', namespace: 'demo' });
    expect(scale.spec?.replicas).toBe(3);
    await apps.patchNamespacedDeploymentScale({ name: 'demo-app', namespace: 'demo', body: { spec: { replicas: 5 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await advance(60_000);
    // Limits at 0: Karpenter adds no node, the two new replicas stay Pending (one per node).
    const pending = (await core.listNamespacedPod({ namespace: 'demo', fieldSelector: 'status.phase=Pending' })).items;
    expect(pending).toHaveLength(2);
    await apps.patchNamespacedDeploymentScale({ name: 'demo-app', namespace: 'demo', body: { spec: { replicas: 0 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    // Consolidation removes the empty NAP nodes after consolidateAfter (30 s).
    await advance(31_000);
    expect((await core.listNode({ labelSelector: 'karpenter.sh/nodepool' })).items).toHaveLength(0);
  });
});
