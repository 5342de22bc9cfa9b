import { resolve } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, TWIN_AUTH, TWIN_SUBSCRIPTION_ID } from '../config';
import { defaultExtensions, ensureTwinCertificates, Twin } from '../../test/twin-harness';
import { createCredential } from './index';

/**
 * The azure configuration against the twin: the real @azure/identity (MSAL)
 * fetches tokens from the twin's Entra-shaped token endpoint with the settings
 * a user sets for Azure, and the twin, checking tokens as ARM and AKS do,
 * accepts them for their audience and refuses any other with a 401.
 */
let twin: Twin;
let url: string;

beforeAll(async () => {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  twin = new Twin({ key: certs.key, cert: certs.cert, ca: certs.ca, port: 0, profile: 'nap', clockSpeed: 600, subscriptionId: TWIN_SUBSCRIPTION_ID, extensions: defaultExtensions(), checkTokens: true });
  url = await twin.listen();
});

afterAll(async () => {
  await twin?.close();
});

/** The settings a user would set for Azure, with the endpoints pointed at the twin. */
function azureSettings(extra: Record<string, string> = {}) {
  return parseConfig({
    TARGET: 'azure',
    AZURE_SUBSCRIPTION_ID: TWIN_SUBSCRIPTION_ID,
    ARM_ENDPOINT: url,
    ARM_AUDIENCE: 'https://management.azure.com',
    AZURE_AUTHORITY_HOST: url,
    AZURE_TENANT_ID: TWIN_AUTH.tenantId,
    AZURE_CLIENT_ID: TWIN_AUTH.clientId,
    AZURE_CLIENT_SECRET: TWIN_AUTH.clientSecret,
    AUTH_AUTHORITY: url,
    AUTH_TENANT_ID: TWIN_AUTH.tenantId,
    AUTH_CLIENT_ID: TWIN_AUTH.clientId,
    AUTH_CLIENT_SECRET: TWIN_AUTH.clientSecret,
    ...extra,
  });
}

async function get(path: string, token: string) {
  const res = await fetch(path.startsWith('http') ? path : `${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, wwwAuthenticate: res.headers.get('www-authenticate') };
}

const clustersPath = `/subscriptions/${TWIN_SUBSCRIPTION_ID}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-08-01`;

describe('the app’s Azure credential against the twin’s Entra ID', () => {
  it('the azure settings give @azure/identity’s credential, which gets signed tokens for ARM and for the AKS server application', async () => {
    const config = azureSettings();
    expect(config.identity).toMatchObject({ authorityHost: url, disableInstanceDiscovery: true, armScope: 'https://management.azure.com/.default' });
    // DefaultAzureCredential reads AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET from the environment, as in production.
    const saved = { ...process.env };
    Object.assign(process.env, { AZURE_TENANT_ID: TWIN_AUTH.tenantId, AZURE_CLIENT_ID: TWIN_AUTH.clientId, AZURE_CLIENT_SECRET: TWIN_AUTH.clientSecret });
    try {
      const credential = createCredential(config);
      const arm = await credential.getToken('https://management.azure.com/.default');
      expect(arm?.expiresOnTimestamp).toBeGreaterThan(Date.now() + 30 * 60_000);
      const claims = decodeJwt(arm!.token);
      expect(claims).toMatchObject({ aud: 'https://management.azure.com/', iss: `${url}/${TWIN_AUTH.tenantId}/`, tid: TWIN_AUTH.tenantId, appid: TWIN_AUTH.clientId, ver: '1.0' });
      const aks = await credential.getToken('6dae42f8-4368-4678-94ff-3960e28e3630/.default');
      expect(decodeJwt(aks!.token).aud).toBe('6dae42f8-4368-4678-94ff-3960e28e3630');

      // The real SDK reads ARM with it.
      const client = new ContainerServiceClient(credential, TWIN_SUBSCRIPTION_ID, { endpoint: url, credentials: { scopes: [config.identity.armScope] } });
      const names: string[] = [];
      for await (const c of client.managedClusters.list()) names.push(c.name!);
      expect(names.sort()).toEqual(['aks-app1', 'aks-app2', 'aks-mgmt']);

      // And the AKS token opens a cluster's API server.
      const k8s = await get(`${twin.kubernetesServer('app1')}/api/v1/namespaces`, aks!.token);
      expect(k8s.status).toBe(200);
    } finally {
      for (const k of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it('a wrong client secret is refused by the token endpoint as Entra refuses it', async () => {
    const credential = new ClientSecretCredential(TWIN_AUTH.tenantId, TWIN_AUTH.clientId, 'not-the-secret', { authorityHost: url, disableInstanceDiscovery: true });
    await expect(credential.getToken('https://management.azure.com/.default')).rejects.toThrow(/AADSTS7000215/);
  });

  it('a resource the tenant does not know gets no token', async () => {
    const credential = new ClientSecretCredential(TWIN_AUTH.tenantId, TWIN_AUTH.clientId, TWIN_AUTH.clientSecret, { authorityHost: url, disableInstanceDiscovery: true });
    await expect(credential.getToken('https://vault.example.invalid/.default')).rejects.toThrow(/AADSTS500011/);
  });
});

describe('the twin checks tokens as ARM and AKS do', () => {
  const credential = () => new ClientSecretCredential(TWIN_AUTH.tenantId, TWIN_AUTH.clientId, TWIN_AUTH.clientSecret, { authorityHost: url, disableInstanceDiscovery: true });

  it('ARM refuses a token for the AKS server application (wrong audience) with its 401', async () => {
    const aks = await credential().getToken('6dae42f8-4368-4678-94ff-3960e28e3630/.default');
    const res = await get(clustersPath, aks!.token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'InvalidAuthenticationTokenAudience' } });
    expect(String((res.body.error as { message: string }).message)).toContain("wrong audience or resource '6dae42f8-4368-4678-94ff-3960e28e3630'");
    expect(res.wwwAuthenticate).toMatch(/^Bearer .*error="invalid_token"/);
    // The same request with ARM's token is served.
    const arm = await credential().getToken('https://management.azure.com/.default');
    expect((await get(clustersPath, arm!.token)).status).toBe(200);
  });

  it('a Kubernetes API server refuses an ARM token (wrong audience) with Kubernetes’ 401', async () => {
    const arm = await credential().getToken('https://management.azure.com/.default');
    for (const server of [twin.kubernetesServer('app1'), `${url}/k8s/app1`]) {
      const res = await get(`${server}/api/v1/nodes`, arm!.token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    }
  });

  it('a token not signed by the tenant, or no token, is refused', async () => {
    const arm = await credential().getToken('https://management.azure.com/.default');
    const [h, p] = arm!.token.split('.');
    const forged = `${h}.${p}.${Buffer.from('not a signature').toString('base64url')}`;
    expect((await get(clustersPath, forged)).body).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    expect((await get(clustersPath, 'twin-demo-token')).body).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    const none = await fetch(`${url}${clustersPath}`);
    expect(none.status).toBe(401);
  });

  it('an expired token is refused with ARM’s ExpiredAuthenticationToken', async () => {
    // A twin whose wall clock a test can move: the token is issued now and checked two hours later.
    let offset = 0;
    const certs = await ensureTwinCertificates(resolve('data/test-twin'));
    const later = new Twin({ key: certs.key, cert: certs.cert, ca: certs.ca, port: 0, subscriptionId: TWIN_SUBSCRIPTION_ID, extensions: defaultExtensions(), checkTokens: true, now: () => Date.now() + offset });
    const laterUrl = await later.listen();
    try {
      const token = await new ClientSecretCredential(TWIN_AUTH.tenantId, TWIN_AUTH.clientId, TWIN_AUTH.clientSecret, { authorityHost: laterUrl, disableInstanceDiscovery: true }).getToken('https://management.azure.com/.default');
      expect((await get(`${laterUrl}${clustersPath}`, token!.token)).status).toBe(200);
      offset = 2 * 3600_000;
      const res = await get(`${laterUrl}${clustersPath}`, token!.token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'ExpiredAuthenticationToken' } });
    } finally {
      await later.close();
    }
  });
});
