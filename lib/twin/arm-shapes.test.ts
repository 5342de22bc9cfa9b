import { describe, expect, it } from 'vitest';
import { TwinClock } from './clock';
import { TwinState } from './state';
import { azureExample } from './fixtures';
import { agentPoolJson, managedClusterJson, resourceGroupJson } from './arm-shapes';
import { secretJson, seed as keyVaultSeed } from './keyvault';

/**
 * The twin's bodies carry every top-level and properties key of the official
 * examples copied into ./fixtures/azure-examples (where the concept applies
 * to AKS as this environment uses it), with the same JSON types.
 */
const example = azureExample;

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function expectShape(actual: Record<string, unknown>, reference: Record<string, unknown>, ignore: string[] = []) {
  for (const [k, v] of Object.entries(reference)) {
    if (ignore.includes(k)) continue;
    expect(actual, `key ${k}`).toHaveProperty([k]);
    expect(typeOf(actual[k]), `type of ${k}`).toBe(typeOf(v));
  }
}

const state = new TwinState(new TwinClock(1), 'manual');
const sub = '00000000-0000-0000-0000-000000000000';

describe('ARM shapes against the official examples', () => {
  it('managedCluster GET', () => {
    const ref = example('containerservice/2026-08-01/ManagedClustersGet.json');
    const body = managedClusterJson(sub, state.clusters[0]) as unknown as Record<string, unknown>;
    // `tags` and identity vary per cluster; servicePrincipalProfile/linuxProfile/diskEncryptionSetID are not used by managed-identity clusters.
    expectShape(body, ref, []);
    expectShape(body.properties as Record<string, unknown>, ref.properties as Record<string, unknown>, [
      'servicePrincipalProfile', 'linuxProfile', 'diskEncryptionSetID', 'upgradeSettings', 'fqdn',
    ]);
    const pool = (body.properties as { agentPoolProfiles: Record<string, unknown>[] }).agentPoolProfiles[0];
    const refPool = (ref.properties as { agentPoolProfiles: Record<string, unknown>[] }).agentPoolProfiles[0];
    expectShape(pool, refPool);
  });

  it('agentPool GET', () => {
    const ref = example('containerservice/2026-08-01/AgentPoolsGet.json');
    const c = state.clusters[2];
    const body = agentPoolJson(sub, c, c.pools[0]) as unknown as Record<string, unknown>;
    expectShape(body, ref);
    expectShape(body.properties as Record<string, unknown>, ref.properties as Record<string, unknown>);
    expect(body.id).toBe(`/subscriptions/${sub}/resourceGroups/rg-k8s-demo-app2/providers/Microsoft.ContainerService/managedClusters/aks-app2/agentPools/system`);
  });

  it('resource group GET', () => {
    const ref = example('resources/2025-04-01/ResourceGroups_Get.json');
    const body = resourceGroupJson(sub, state.resourceGroups[0]) as unknown as Record<string, unknown>;
    expectShape(body, ref);
  });

  it('Key Vault secret GET (management plane: attributes, no value)', () => {
    const ref = example('keyvault/2026-02-01/getSecret.json');
    const body = secretJson({ subscriptionId: sub, location: 'koreacentral', resourceGroup: 'rg-k8s-demo-common', vault: 'kv-k8s-demo' }, keyVaultSeed(Date.UTC(2026, 11, 4))[0]) as unknown as Record<string, unknown>;
    expectShape(body, ref);
    const props = body.properties as Record<string, unknown>;
    expectShape(props, ref.properties as Record<string, unknown>);
    expectShape(props.attributes as Record<string, unknown>, (ref.properties as { attributes: Record<string, unknown> }).attributes);
    expect(props).not.toHaveProperty('value');
    expect(props.secretUriWithVersion).toMatch(/^https:\/\/kv-k8s-demo\.vault\.azure\.net\/secrets\/gateway-tls-crt\/[0-9a-f]{32}$/);
  });
});
