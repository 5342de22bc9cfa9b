import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTwinCertificates } from './cert';
import { defaultExtensions } from './extensions';
import type { K8sTwin } from './k8s';
import { ZONE } from './k8s/model/shared';
import { parseTwinScale } from './seed';
import { Twin } from './server';

/** TWIN_SCALE: the seed's nodes and workloads times the scale, pods per node and zone spread unchanged. */
let twin: Twin;
let url: string;

async function reset(body: unknown): Promise<{ status: number; json: { scale?: number; error?: { message: string } } }> {
  const res = await fetch(`${url}/_twin/reset`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as { scale?: number; error?: { message: string } } };
}

/** Per cluster: nodes per zone and the pods the workloads keep (the one cert-manager Job pod is not a workload's). */
function census() {
  const k8s = twin.extensions.find((e) => e.name === 'k8s') as K8sTwin;
  return (['mgmt', 'app1', 'app2'] as const).map((key) => {
    const m = k8s.model(twin.context, key);
    const zones: Record<string, number> = {};
    for (const n of m.nodes()) zones[n.metadata.labels![ZONE]] = (zones[n.metadata.labels![ZONE]] ?? 0) + 1;
    const pods = m.pods().filter((p) => p.metadata.ownerReferences?.[0]?.kind !== 'Job');
    return { key, nodes: m.nodes().length, zones, pods: pods.length, pending: pods.filter((p) => !p.spec.nodeName).length };
  });
}

beforeAll(async () => {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  // Manual profile: every node is an agent pool's, so node counts follow the pools exactly (Karpenter would pack small pods).
  twin = new Twin({ key: certs.key, cert: certs.cert, ca: certs.ca, port: 0, profile: 'manual', clockSpeed: 600, subscriptionId: '00000000-0000-4000-8000-00000000d3e0', extensions: defaultExtensions() });
  url = await twin.listen();
});

afterAll(async () => {
  await twin.close();
});

describe('twin scale', () => {
  it('seeds ten times the nodes and pods at scale 10, with the same spread over the zones', async () => {
    expect((await reset({ profile: 'manual' })).json.scale).toBe(1);
    const one = census();
    expect((await reset({ profile: 'manual', scale: 10 })).json.scale).toBe(10);
    const ten = census();
    for (const [i, c] of ten.entries()) {
      expect(c.nodes).toBe(one[i].nodes * 10);
      expect(c.pods).toBe(one[i].pods * 10);
      expect(c.pending).toBe(0);
      expect(c.zones).toEqual(Object.fromEntries(Object.entries(one[i].zones).map(([z, n]) => [z, n * 10])));
    }
    // Pools and their autoscaler bounds in ARM scale alike.
    const worker = twin.state.clusters[0].pools.find((p) => p.name === 'worker');
    expect(worker).toMatchObject({ count: 30, minCount: 0, maxCount: 50 });
    // A reset without a scale keeps the one the environment has.
    expect((await reset({ profile: 'manual' })).json.scale).toBe(10);
    await reset({ profile: 'manual', scale: 1 });
  });

  it('refuses a scale out of bounds or not whole with a clear error, and changes nothing', async () => {
    const before = census();
    for (const scale of [0, 21, 2.5, 'ten']) {
      const { status, json } = await reset({ scale });
      expect(status).toBe(400);
      expect(json.error?.message).toMatch(/scale must be (a whole number from 1 to 20|at least 1|at most 20)/);
    }
    expect(twin.state.scale).toBe(1);
    expect(census()).toEqual(before);
    expect(() => parseTwinScale('25')).toThrow('TWIN_SCALE: the scale must be at most 20');
    expect(() => parseTwinScale('abc')).toThrow('TWIN_SCALE: the scale must be a whole number from 1 to 20 (got "abc")');
    expect(parseTwinScale(undefined)).toBe(1);
    expect(parseTwinScale('10')).toBe(10);
  });
});
