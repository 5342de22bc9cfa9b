import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, countRequests, resetTwin } from '../../test/twin-harness';
import type { K8sTwin, Twin } from '../../test/twin-harness';

/**
 * Spot eviction through Azure's simulate-eviction API, with the real @azure/arm-compute client
 * against the twin: the call reaches the twin's Compute endpoint for the VM the node's providerID
 * names, and the twin's Kubernetes evicts and replaces the node on its clock.
 */
let twin: Twin;
let url: string;
let advanceTwin: (azureMs: number) => void;
let zones: typeof import('./index');
let azure: typeof import('../azure');

beforeAll(async () => {
  ({ twin, url, advance: advanceTwin } = await startHarness({ profile: 'nap', clockSpeed: 60 }));
  zones = await import('./index');
  azure = await import('../azure');
});

afterAll(async () => {
  await zones.zoneRelay().stop();
  await twin.close();
});

const reset = (profile: 'nap' | 'manual' = 'nap') => resetTwin(url, profile);

async function advance(ms: number) {
  advanceTwin(ms);
  await zones.invalidateZones();
}

/** A cluster's model on the twin, brought up to the twin's clock (it moves on requests otherwise). */
function model(key: 'mgmt' | 'app1' | 'app2') {
  const m = (twin.extensions.find((e) => e.name === 'k8s') as K8sTwin).model(twin.context, key);
  m.advance();
  return m;
}
const spotNodes = (key: 'app1' | 'app2') => model(key).nodes().filter((n) => n.metadata.labels?.['kubernetes.azure.com/scalesetpriority'] === 'spot');
const ready = (n: ReturnType<typeof spotNodes>[number]) => n.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
const SIMULATE_VM = /\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+\/simulateEviction$/i;
const SIMULATE_VMSS = /\/providers\/Microsoft\.Compute\/virtualMachineScaleSets\/[^/]+\/virtualMachines\/\d+\/simulateEviction$/i;
const computeCalls = () => countRequests(twin, 'POST', SIMULATE_VM) + countRequests(twin, 'POST', SIMULATE_VMSS);

describe('evictSpotNode', () => {
  beforeEach(() => reset());

  it("evicts app1's first Ready Spot node through Compute; Karpenter's replacement becomes Ready and the pods run again", async () => {
    const before = spotNodes('app1').filter(ready).map((n) => n.metadata.name).sort();
    expect(before).toHaveLength(3);
    twin.requests.length = 0;

    const r = await zones.evictSpotNode({ cluster: 'app1' });
    expect(r).toMatchObject({ cluster: 'app1', node: before[0], kind: 'vm' });
    expect(r.providerId).toMatch(new RegExp(`/providers/Microsoft\\.Compute/virtualMachines/${before[0]}$`));
    expect(r.message).toContain(before[0]);
    // One call to Azure's API, none to the twin's admin surface.
    expect(countRequests(twin, 'POST', SIMULATE_VM)).toBe(1);
    expect(twin.requests.filter((q) => q.path.includes('/_twin/'))).toEqual([]);
    // The notice: Karpenter taints the node at once.
    expect(model('app1').nodes().find((n) => n.metadata.name === before[0])?.spec.taints?.map((t) => t.key)).toContain('karpenter.sh/disrupted');

    await advance(40_000);
    expect(model('app1').nodes().map((n) => n.metadata.name)).not.toContain(before[0]);

    await advance(150_000);
    const after = spotNodes('app1');
    expect(after.filter(ready)).toHaveLength(3);
    expect(after.map((n) => n.metadata.name).filter((n) => !before.includes(n))).toHaveLength(1);
    const app1 = (await zones.getClusterZones('app1')).view!;
    expect(app1.pending).toEqual([]);
    expect(model('app1').pods().filter((p) => p.status.phase !== 'Running' && p.status.phase !== 'Succeeded')).toEqual([]);
    expect(app1.verdict).toBe('ok');
  }, 90_000);

  it('a named Spot node is evicted; the same node again is refused by Azure while its notice runs', async () => {
    const target = spotNodes('app2').map((n) => n.metadata.name).sort()[1];
    twin.requests.length = 0;
    expect(await zones.evictSpotNode({ cluster: 'app2', node: target })).toMatchObject({ node: target, kind: 'vm' });
    await expect(zones.evictSpotNode({ cluster: 'app2', node: target })).rejects.toMatchObject({ kind: 'refused', code: 'OperationNotAllowed' });
    expect(countRequests(twin, 'POST', SIMULATE_VM)).toBe(2);
  });

  it('a node that is not Spot is refused before Azure is called, and nothing changes', async () => {
    const system = model('app1').nodes().find((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === 'system')!;
    const nodes = () => model('app1').nodes().map((n) => `${n.metadata.name} ${JSON.stringify(n.spec.taints ?? [])}`).sort();
    const before = nodes();
    twin.requests.length = 0;
    await expect(zones.evictSpotNode({ cluster: 'app1', node: system.metadata.name })).rejects.toMatchObject({ kind: 'refused', code: 'NotSpot' });
    await expect(zones.evictSpotNode({ cluster: 'app1', node: 'aks-nowhere-0' })).rejects.toMatchObject({ kind: 'not_found', code: 'NodeNotFound' });
    expect(computeCalls()).toBe(0);
    expect(nodes()).toEqual(before);
  });

  it('bad input is refused by the schema', () => {
    expect(zones.evictSpotNodeInput.safeParse({ cluster: 'all' }).success).toBe(false);
    expect(zones.evictSpotNodeInput.safeParse({ cluster: 'app1', node: 'Not A Node/..' }).success).toBe(false);
    expect(zones.evictSpotNodeInput.safeParse({ cluster: 'app1', node: 'x'.repeat(254) }).success).toBe(false);
    expect(zones.evictSpotNodeInput.safeParse({ cluster: 'app1' }).success).toBe(true);
  });

  it('the twin answers Compute as Azure does: 404 for a VM no node names, 409 for a Regular VM', async () => {
    const { compute } = azure.getAzureClients();
    const system = model('app1').nodes().find((n) => n.metadata.labels?.['kubernetes.azure.com/agentpool'] === 'system')!;
    const [, rg, vmss, instance] = /resourceGroups\/([^/]+)\/.*virtualMachineScaleSets\/([^/]+)\/virtualMachines\/(\d+)$/.exec(system.spec.providerID)!;
    await expect(compute.virtualMachines.simulateEviction(rg, 'aks-spot-workers-gone')).rejects.toMatchObject({ statusCode: 404 });
    await expect(compute.virtualMachineScaleSetVMs.simulateEviction(rg, vmss, '999')).rejects.toMatchObject({ statusCode: 404 });
    await expect(compute.virtualMachineScaleSetVMs.simulateEviction(rg, vmss, instance)).rejects.toMatchObject({ statusCode: 409 });
    expect(ready(model('app1').nodes().find((n) => n.metadata.name === system.metadata.name)!)).toBe(true);
  });
});

describe('evictSpotNode on a Spot scale set pool (manual profile)', () => {
  beforeEach(() => reset('manual'));

  it('calls the scale set instance API and the instance goes after the notice', async () => {
    const before = spotNodes('app1').map((n) => n.metadata.name).sort();
    expect(before.length).toBeGreaterThan(0);
    twin.requests.length = 0;
    const r = await zones.evictSpotNode({ cluster: 'app1' });
    expect(r).toMatchObject({ node: before[0], kind: 'vmss-instance' });
    expect(countRequests(twin, 'POST', SIMULATE_VMSS)).toBe(1);
    await advance(40_000);
    expect(model('app1').nodes().map((n) => n.metadata.name)).not.toContain(before[0]);
  });
});
