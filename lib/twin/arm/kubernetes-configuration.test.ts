import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTwinCertificates } from '../cert';
import { defaultExtensions } from '../extensions';
import { Twin } from '../server';

/** The twin's Microsoft.KubernetesConfiguration answers as ARM sends them (raw REST, before any SDK reads them). */
const SUB = '00000000-0000-4000-8000-00000000d3e0';
const API = 'api-version=2023-05-01';
const cluster = (rg: string, name: string) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}/providers/Microsoft.KubernetesConfiguration`;
const APP1 = cluster('rg-k8s-demo-app1', 'aks-app1');
const STATUS = '/k8s/app1/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/gitops-config-infra/status';

let twin: Twin;

beforeAll(async () => {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  twin = new Twin({ key: certs.key, cert: certs.cert, ca: certs.ca, port: 0, profile: 'nap', clockSpeed: 600, subscriptionId: SUB, extensions: defaultExtensions() });
  await twin.listen();
});

afterAll(async () => {
  await twin.close();
});

beforeEach(async () => {
  await call('POST', '/_twin/reset', {});
});

/** The parts of ARM's and the API server's answers these tests read. */
interface Answer {
  value: Answer[];
  name: string;
  error: { code: string };
  properties: { extensionType: string; provisioningState: string; complianceState: string; statuses: unknown[] };
  spec: { path: string };
}

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const res = await fetch(`${twin.url}${path}`, { method, headers: { Authorization: 'Bearer twin-demo-token', 'Content-Type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Answer };
}

describe('cluster extensions and Flux configurations on the twin', () => {
  it('lists infra/’s two extensions and answers each by name; an unknown one is ARM’s 404; only GET is served', async () => {
    const list = await call('GET', `${APP1}/extensions?${API}`);
    expect(list.status).toBe(200);
    expect(list.body.value.map((e) => [e.name, e.properties.extensionType, e.properties.provisioningState])).toEqual([
      ['azure-aks-backup', 'microsoft.dataprotection.kubernetes', 'Succeeded'],
      ['flux', 'microsoft.flux', 'Succeeded'],
    ]);
    const one = await call('GET', `${APP1}/extensions/flux?${API}`);
    expect(one.body).toMatchObject({ id: `${APP1}/extensions/flux`, type: 'Microsoft.KubernetesConfiguration/extensions', properties: { autoUpgradeMinorVersion: true, releaseTrain: 'Stable', statuses: [] } });
    expect((await call('GET', `${APP1}/extensions/dapr?${API}`)).body.error.code).toBe('ResourceNotFound');
    expect((await call('PUT', `${APP1}/extensions/flux?${API}`, {})).status).toBe(405);
  });

  it('the failure knob puts its message in errorInfo and statuses, as the agent reports it', async () => {
    expect((await call('POST', '/_twin/arm/app1/extension-failure', { name: 'flux', message: 'helm install timed out' })).status).toBe(200);
    const flux = (await call('GET', `${APP1}/extensions/flux?${API}`)).body.properties;
    expect(flux).toMatchObject({ provisioningState: 'Failed', errorInfo: { code: 'ExtensionOperationFailed', message: 'helm install timed out' }, statuses: [{ level: 'Error', message: 'helm install timed out' }] });
    expect((await call('DELETE', '/_twin/arm/app1/extension-failure')).status).toBe(200);
    expect((await call('GET', `${APP1}/extensions/flux?${API}`)).body.properties.provisioningState).toBe('Succeeded');
  });

  it('the Flux configuration says Non-Compliant, with the Ready condition, once the Kustomization reports Ready False', async () => {
    const before = (await call('GET', `${APP1}/fluxConfigurations/gitops-config?${API}`)).body.properties;
    expect(before).toMatchObject({ complianceState: 'Compliant', sourceKind: 'GitRepository', gitRepository: { repositoryRef: { branch: 'main' } }, sourceSyncedCommitId: 'main/6f1c2b7' });
    const condition = { type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed', lastTransitionTime: '2026-01-01T00:00:00Z' };
    expect((await call('PATCH', STATUS, { status: { conditions: [condition] } }, 'application/merge-patch+json')).status).toBe(200);
    const after = (await call('GET', `${APP1}/fluxConfigurations?${API}`)).body.value[0].properties;
    expect(after.complianceState).toBe('Non-Compliant');
    expect(after.statuses[1]).toMatchObject({ name: 'gitops-config-infra', kind: 'Kustomization', complianceState: 'Non-Compliant', statusConditions: [condition] });
    // The status subresource changes the status only, and refuses one that is not an object.
    expect((await call('PATCH', STATUS, { spec: { path: './elsewhere' } }, 'application/merge-patch+json')).body.spec.path).toBe('./clusters/app1');
    expect((await call('PATCH', STATUS, { status: 'broken' }, 'application/merge-patch+json')).status).toBe(422);
  });

  it('a cluster whose 06-flux step has not run has the backup extension and no Flux', async () => {
    twin.state.clusters[1].installedSteps = [];
    expect((await call('GET', `${APP1}/extensions?${API}`)).body.value.map((e) => e.name)).toEqual(['azure-aks-backup']);
    expect((await call('GET', `${APP1}/fluxConfigurations?${API}`)).body.value).toEqual([]);
    expect((await call('POST', '/_twin/arm/app1/extension-failure', { name: 'flux' })).status).toBe(404);
  });
});
