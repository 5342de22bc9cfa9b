import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTwinCertificates } from '../cert';
import { defaultExtensions } from '../extensions';
import { Twin } from '../server';

/** The twin's side of simulated jobs: phase-1 resources (`tofu apply`) come and go in ARM, install.sh steps land in Kubernetes. */
let offset = 0;
let twin: Twin;
let url: string;
const SUB = '00000000-0000-4000-8000-00000000d3e0';
const auth = { authorization: 'Bearer twin' };

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/_twin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function arm(path: string): Promise<{ status: number; body: { value?: { name: string }[] } }> {
  const res = await fetch(`${url}/subscriptions/${SUB}${path}?api-version=2026-06-01`, { headers: auth });
  return { status: res.status, body: (await res.json()) as { value?: { name: string }[] } };
}

async function k8sList(cluster: string, path: string): Promise<string[]> {
  const res = await fetch(`${url}/k8s/${cluster}${path}`, { headers: auth });
  const body = (await res.json()) as { items: { metadata: { namespace?: string; name: string } }[] };
  return body.items.map((i) => `${i.metadata.namespace ?? ''}/${i.metadata.name}`);
}

beforeAll(async () => {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  // A fake wall clock the test moves instead of waiting.
  twin = new Twin({ key: certs.key, cert: certs.cert, ca: certs.ca, port: 0, profile: 'nap', clockSpeed: 600, now: () => Date.now() + offset, subscriptionId: SUB, extensions: defaultExtensions() });
  url = await twin.listen();
});

afterAll(async () => {
  await twin.close();
});

describe('twin jobs: the environment deployed or not (phase 1, `tofu apply`)', () => {
  it('starts deployed; teardown empties ARM; resources come back in the install order with the clusters last-but-one', async () => {
    await admin('POST', 'reset', { profile: 'nap' });
    const env = await admin<{ deployed: boolean; resources: { id: string; present: boolean }[] }>('GET', 'jobs/environment');
    expect(env.deployed).toBe(true);
    expect(env.resources.map((r) => r.id)).toEqual([
      'rg:common', 'rg:mgmt', 'rg:app1', 'rg:app2', 'vnet:mgmt', 'vnet:app1', 'vnet:app2',
      'peering:mgmt-app1', 'peering:mgmt-app2', 'peering:app1-app2', 'keyvault', 'monitor-workspace', 'log-analytics',
      'backup-vault', 'acr', 'aks:mgmt', 'aks:app1', 'aks:app2', 'identity',
    ]);

    const torn = await admin<{ deployed: boolean; resources: { present: boolean }[] }>('POST', 'jobs/teardown');
    expect(torn.deployed).toBe(false);
    expect(torn.resources.every((r) => !r.present)).toBe(true);
    expect((await arm('/providers/Microsoft.ContainerService/managedClusters')).body.value).toEqual([]);
    expect((await arm('/resourcegroups')).body.value).toEqual([]);
    expect((await arm('/resourceGroups/rg-k8s-demo-app1/providers/Microsoft.ContainerService/managedClusters/aks-app1')).status).toBe(404);
    // The API server is gone with the cluster.
    expect((await fetch(`${url}/k8s/app1/api/v1/nodes`, { headers: auth })).status).toBe(404);

    // A cluster cannot come before its resource group.
    await expect(admin('POST', 'jobs/create', { resource: 'aks:app1' })).rejects.toThrow(/ResourceGroupNotFound/);
    for (const id of ['rg:common', 'rg:mgmt', 'rg:app1', 'rg:app2', 'aks:mgmt', 'aks:app1', 'aks:app2']) {
      const r = await admin<{ changed: boolean; twinMs: number }>('POST', 'jobs/create', { resource: id });
      expect(r.changed).toBe(true);
      expect(r.twinMs).toBeGreaterThan(0);
    }
    expect((await arm('/providers/Microsoft.ContainerService/managedClusters')).body.value!.map((c) => c.name)).toEqual(['aks-mgmt', 'aks-app1', 'aks-app2']);
    expect((await admin<{ changed: boolean }>('POST', 'jobs/create', { resource: 'aks:app1' })).changed).toBe(false);
  });

  it('a cluster created by apply has the AKS-managed add-ons only; install steps add theirs', async () => {
    const deployments = await k8sList('app1', '/apis/apps/v1/deployments');
    expect(deployments).toContain('kube-system/coredns');
    expect(deployments.some((d) => d.startsWith('kyverno/'))).toBe(false);
    expect(deployments.some((d) => d.startsWith('reloader/'))).toBe(false);
    expect(await k8sList('app1', '/apis/karpenter.sh/v1/nodepools')).toEqual([]);

    const r = await admin<{ changed: boolean; installedSteps: string[] }>('POST', 'jobs/addons', { cluster: 'app1', step: '05-kyverno' });
    expect(r).toMatchObject({ changed: true, installedSteps: ['05-kyverno'] });
    expect(await k8sList('app1', '/apis/apps/v1/deployments')).toContain('kyverno/kyverno-admission-controller');
    await admin('POST', 'jobs/addons', { cluster: 'app1', step: '08-karpenter-nodepool' });
    expect(await k8sList('app1', '/apis/karpenter.sh/v1/nodepools')).toEqual(['/spot-workers']);
    // Another cluster is untouched.
    expect((await k8sList('app2', '/apis/apps/v1/deployments')).some((d) => d.startsWith('kyverno/'))).toBe(false);
    // Pods of the step are created and scheduled by the model's controllers.
    offset += 60_000 / 600; // a minute of AKS time
    const pods = await k8sList('app1', '/api/v1/namespaces/kyverno/pods');
    expect(pods.filter((p) => p.startsWith('kyverno/kyverno-admission-controller-'))).toHaveLength(3);
  });

  it('refuses a step on a cluster that is not deployed, and a malformed step', async () => {
    await admin('POST', 'jobs/destroy', { resource: 'aks:app2' });
    await expect(admin('POST', 'jobs/addons', { cluster: 'app2', step: '02-external-secrets' })).rejects.toThrow(/not deployed/);
    await expect(admin('POST', 'jobs/addons', { cluster: 'app1', step: '../etc' })).rejects.toThrow(/400/);
  });

  it('a reset brings the seeded, fully installed environment back', async () => {
    await admin('POST', 'reset', { profile: 'nap' });
    expect((await admin<{ deployed: boolean }>('GET', 'jobs/environment')).deployed).toBe(true);
    expect(await k8sList('app2', '/apis/apps/v1/deployments')).toContain('kyverno/kyverno-admission-controller');
    const r = await admin<{ changed: boolean; installedSteps: string }>('POST', 'jobs/addons', { cluster: 'app2', step: '05-kyverno' });
    expect(r).toMatchObject({ changed: false, installedSteps: 'all' });
  });
});
