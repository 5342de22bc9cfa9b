import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { countRequests, startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/**
 * The kubeconfig round trip as on AKS: the real ARM SDK asks the twin for the
 * cluster user credential, and lib/k8s builds its clients from that answer
 * alone (server, CA, and the Entra token kubelogin would fetch).
 */
let twin: Twin;
let url: string;
let k8s: typeof import('./index');
let azure: typeof import('../azure');

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap' }));
  k8s = await import('./index');
  azure = await import('../azure');
});

afterAll(async () => {
  await twin.close();
});

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { exec?: { command: string; args: string[]; apiVersion: string }; 'auth-provider'?: { name: string; config: Record<string, string> } } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}
const decode = (value: Uint8Array | undefined) => parse(Buffer.from(value!).toString('utf8')) as Kubeconfig;

describe('listClusterUserCredentials on the twin, through @azure/arm-containerservice', () => {
  it('answers AKS’s shape: one base64 kubeconfig whose user is the kubelogin exec plugin', async () => {
    const { containerService } = azure.getAzureClients();
    const creds = await containerService.managedClusters.listClusterUserCredentials('rg-k8s-demo-app1', 'aks-app1');
    expect(creds.kubeconfigs).toHaveLength(1);
    expect(creds.kubeconfigs![0].name).toBe('clusterUser');
    const kc = decode(creds.kubeconfigs![0].value);
    expect(kc['current-context']).toBe('aks-app1');
    // Its own endpoint with no path, as an AKS API server is.
    expect(kc.clusters[0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(kc.clusters[0].cluster.server).not.toBe(url);
    // The CA that signed the twin's certificate, as AKS hands out its cluster CA.
    const ca = readFileSync(resolve('data/test-twin/twin-ca.pem'), 'utf8');
    expect(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8')).toBe(ca);
    const exec = kc.users[0].user.exec!;
    expect(exec.command).toBe('kubelogin');
    expect(exec.apiVersion).toBe('client.authentication.k8s.io/v1beta1');
    expect(exec.args.slice(0, 1)).toEqual(['get-token']);
    expect(exec.args[exec.args.indexOf('--server-id') + 1]).toBe(k8s.AKS_SERVER_APP_ID);
    expect(kc.contexts[0].context).toEqual({ cluster: 'aks-app1', user: kc.users[0].name });
  });

  it('format=azure gives the legacy azure auth-provider; an unknown format is refused', async () => {
    const { containerService } = azure.getAzureClients();
    const creds = await containerService.managedClusters.listClusterUserCredentials('rg-k8s-demo-mgmt', 'aks-mgmt', { format: 'azure' });
    const provider = decode(creds.kubeconfigs![0].value).users[0].user['auth-provider']!;
    expect(provider.name).toBe('azure');
    expect(provider.config['apiserver-id']).toBe(k8s.AKS_SERVER_APP_ID);
    await expect(containerService.managedClusters.listClusterUserCredentials('rg-k8s-demo-mgmt', 'aks-mgmt', { format: 'token' })).rejects.toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
  });

  it('refuses the admin credential as AKS does when local accounts are disabled', async () => {
    const { containerService } = azure.getAzureClients();
    await expect(containerService.managedClusters.listClusterAdminCredentials('rg-k8s-demo-app1', 'aks-app1')).rejects.toMatchObject({
      statusCode: 400,
      code: 'BadRequest',
      message: expect.stringMatching(/disable local accounts/),
    });
  });

  it('an unknown cluster is ARM’s ResourceNotFound', async () => {
    const { containerService } = azure.getAzureClients();
    await expect(containerService.managedClusters.listClusterUserCredentials('rg-k8s-demo-app1', 'aks-nope')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
  });
});

describe('lib/k8s builds its clients from that kubeconfig', () => {
  it('asks ARM for the credential, swaps kubelogin for a token for the AKS server app, and reads the cluster', async () => {
    k8s.resetKubeClients();
    const { credential } = azure.getAzureClients();
    const getToken = vi.spyOn(credential, 'getToken');
    const before = countRequests(twin, 'POST', /\/managedClusters\/aks-app2\/listClusterUserCredential$/i);
    const clients = await k8s.getKubeClients('app2');
    expect(countRequests(twin, 'POST', /\/managedClusters\/aks-app2\/listClusterUserCredential$/i)).toBe(before + 1);
    expect(getToken).toHaveBeenCalledWith(k8s.AKS_SERVER_APP_SCOPE);
    expect(clients.server).toBe(twin.kubernetesServer('app2'));
    const user = clients.kubeConfig.getCurrentUser()!;
    expect(user.exec).toBeUndefined();
    expect(user.token).toBeTruthy();
    const nodes = (await clients.core.listNode()).items;
    expect(nodes.length).toBeGreaterThan(0);
    getToken.mockRestore();
  });

  it('uses a kubeconfig whose user carries its own secret as it is, and rejects one it cannot read', async () => {
    const text = [
      'apiVersion: v1', 'kind: Config', 'current-context: c',
      'clusters: [{name: c, cluster: {server: "https://10.0.0.1:443"}}]',
      'users: [{name: u, user: {token: static-token}}]',
      'contexts: [{name: c, context: {cluster: c, user: u}}]',
    ].join('\n');
    const getToken = vi.fn();
    const own = await k8s.kubeConfigFromAks('c', text, getToken);
    expect(getToken).not.toHaveBeenCalled();
    expect(own.kubeConfig.getCurrentUser()?.token).toBe('static-token');
    await expect(k8s.kubeConfigFromAks('c', 'kind: Config\nclusters: []\n', getToken)).rejects.toMatchObject({ code: 'NoKubeconfig' });
    // An Entra user with no token to be had is an error, not an anonymous client.
    const entra = text.replace('{token: static-token}', '{exec: {command: kubelogin, apiVersion: client.authentication.k8s.io/v1beta1, args: [get-token, --server-id, abc]}}');
    await expect(k8s.kubeConfigFromAks('c', entra, async () => null)).rejects.toMatchObject({ code: 'NoToken' });
    const scopes: string[] = [];
    await k8s.kubeConfigFromAks('c', entra, async (scope) => (scopes.push(scope), { token: 't', expiresOnTimestamp: Date.now() + 60_000 }));
    expect(scopes).toEqual(['abc/.default']);
  });
});
