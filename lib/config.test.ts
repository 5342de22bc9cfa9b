import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES, ConfigError, parseConfig, TWIN_SUBSCRIPTION_ID } from './config';

describe('parseConfig', () => {
  it('defaults to the twin with the spec names when nothing is configured', () => {
    const c = parseConfig({});
    expect(c.target).toBe('twin');
    expect(c.subscriptionId).toBe(TWIN_SUBSCRIPTION_ID);
    expect(c.clusters).toEqual([
      { key: 'mgmt', resourceGroup: 'rg-k8s-demo-mgmt', name: 'aks-mgmt' },
      { key: 'app1', resourceGroup: 'rg-k8s-demo-app1', name: 'aks-app1' },
      { key: 'app2', resourceGroup: 'rg-k8s-demo-app2', name: 'aks-app2' },
    ]);
    expect(c.commonResourceGroup).toBe('rg-k8s-demo-common');
    expect(c.databaseUrl).toBe('file:./data/app.db');
    expect(c.port).toBe(3000);
    expect(c.armEndpoint).toBe('https://127.0.0.1:4443');
  });

  it('targets Azure when a subscription is configured, with ARM as the endpoint', () => {
    const c = parseConfig({
      AZURE_SUBSCRIPTION_ID: '11111111-2222-3333-4444-555555555555',
      AUTH_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      AUTH_CLIENT_ID: '3c2b1a00-1111-4222-8333-444455556666',
      AUTH_CLIENT_SECRET: 'x',
    });
    expect(c.target).toBe('azure');
    expect(c.auth.issuer).toBe('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0');
    expect(c.armEndpoint).toBe('https://management.azure.com');
    expect(c.armPollIntervalMs).toBe(10_000);
  });

  it('lets names be overridden', () => {
    const c = parseConfig({ CLUSTER_APP2: 'aks-app2-blue', RG_APP2: 'rg-blue' });
    expect(c.clusters[2]).toEqual({ key: 'app2', resourceGroup: 'rg-blue', name: 'aks-app2-blue' });
  });

  it.each([
    [{ AZURE_SUBSCRIPTION_ID: 'not-a-uuid' }, 'AZURE_SUBSCRIPTION_ID'],
    [{ TARGET: 'azure' }, 'AZURE_SUBSCRIPTION_ID'],
    [{ TARGET: 'cloud' }, 'TARGET'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ARM_ENDPOINT: 'http://management.azure.com' }, 'ARM_ENDPOINT'],
    [{ CLUSTER_MGMT: 'bad name!' }, 'CLUSTER_MGMT'],
    [{ TWIN_PROFILE: 'auto' }, 'TWIN_PROFILE'],
    [{ AZURE_SUBSCRIPTION_ID: '11111111-2222-3333-4444-555555555555' }, 'AUTH_TENANT_ID'],
    [{ AZURE_SUBSCRIPTION_ID: '11111111-2222-3333-4444-555555555555', AUTH_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47', AUTH_CLIENT_ID: '3c2b1a00-1111-4222-8333-444455556666' }, 'AUTH_CLIENT_SECRET'],
    [{ AUTH_GROUP_ROLES: '{"not-a-uuid":"Admin"}' }, 'AUTH_GROUP_ROLES'],
  ])('refuses %j naming %s', (env, variable) => {
    let err: unknown;
    try {
      parseConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.map((p) => p.variable)).toContain(variable);
    expect((err as Error).message).toContain(variable);
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ AZURE_SUBSCRIPTION_ID: '' }).target).toBe('twin');
  });
});

describe('.env.example', () => {
  it('lists every setting the configuration reads', () => {
    const listed = new Set(readFileSync('.env.example', 'utf8').split('\n').map((l) => /^([A-Z][A-Z0-9_]*)=/.exec(l)?.[1]).filter(Boolean));
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(30);
    expect(CONFIG_VARIABLES.filter((v) => !listed.has(v))).toEqual([]);
  });
});

describe('the data directory', () => {
  it('holds the SQLite file and the saved plans when set, and jobs run in INFRA_DIR', () => {
    const c = parseConfig({ DATA_DIR: '/home/data', INFRA_DIR: '/home/data/work/infra' });
    expect(c.dataDir).toBe('/home/data');
    expect(c.databaseUrl).toBe('file:/home/data/app.db');
    expect(c.jobs.planDir).toBe('/home/data/jobs/plans');
    expect(c.jobs.infraDir).toBe('/home/data/work/infra');
  });

  it('keeps ./data and ./infra when unset, and an explicit DATABASE_URL wins', () => {
    const c = parseConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/x' });
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.jobs.infraDir).toMatch(/\/infra$/);
    expect(c.databaseUrl).toBe('postgresql://u:p@db:5432/x');
  });

  it('takes remote state as a pair and refuses half of it', () => {
    expect(parseConfig({ TF_STATE_RESOURCE_GROUP: 'rg-tfstate', TF_STATE_STORAGE_ACCOUNT: 'sttfstate1' }).jobs.remoteState).toEqual({
      resourceGroup: 'rg-tfstate', storageAccount: 'sttfstate1', container: 'tfstate', key: 'k8s-demo.tfstate',
    });
    expect(() => parseConfig({ TF_STATE_STORAGE_ACCOUNT: 'sttfstate1' })).toThrow(/TF_STATE_RESOURCE_GROUP/);
    expect(() => parseConfig({ TF_STATE_STORAGE_ACCOUNT: 'Not_Valid', TF_STATE_RESOURCE_GROUP: 'rg' })).toThrow(/TF_STATE_STORAGE_ACCOUNT/);
  });
});
