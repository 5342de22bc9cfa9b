import { createHash } from 'node:crypto';
import { requireApiVersion, send, type TwinExtension } from '../server';
import { TwinError } from '../state';
import { gatewayCertificateDates } from '../k8s/catalog';

/**
 * Key Vault's management plane (Microsoft.KeyVault/vaults/{vault}/secrets, as `@azure/arm-keyvault`
 * reads it): the vault of infra/modules/keyvault, `kv-k8s-demo` in the common resource group, with
 * the two secrets the gateway certificate's PushSecret writes (`gateway-tls-crt`, `gateway-tls-key`).
 * Their current version was written two minutes after cert-manager issued the certificate, and
 * expires with it (catalog.ts's dates). ARM never returns a secret's value, and neither does the twin.
 */
export const TWIN_KEY_VAULT = 'kv-k8s-demo';
const PUSHED = ['gateway-tls-crt', 'gateway-tls-key'];
const PUSH_DELAY_MS = 120_000;

export interface VaultSecret {
  name: string;
  version: string;
  created: number;
  updated: number;
  expires: number;
  contentType: string;
}

export function seed(now: number): VaultSecret[] {
  const cert = gatewayCertificateDates(now);
  const written = Date.parse(cert.notBefore) + PUSH_DELAY_MS;
  return PUSHED.map((name) => ({
    name,
    version: createHash('sha256').update(`${name}@${written}`).digest('hex').slice(0, 32),
    created: written,
    updated: written,
    expires: Date.parse(cert.notAfter),
    contentType: name.endsWith('-key') ? 'application/x-pem-file; key' : 'application/x-pem-file',
  }));
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** A secret as ARM's Secrets_Get answers it (Key Vault's management plane). */
export function secretJson(at: { subscriptionId: string; location: string; resourceGroup: string; vault: string }, s: VaultSecret) {
  const uri = `https://${at.vault}.vault.azure.net/secrets/${s.name}`;
  return {
    id: `/subscriptions/${at.subscriptionId}/resourceGroups/${at.resourceGroup}/providers/Microsoft.KeyVault/vaults/${at.vault}/secrets/${s.name}`,
    name: s.name,
    type: 'Microsoft.KeyVault/vaults/secrets',
    location: at.location,
    properties: {
      contentType: s.contentType,
      attributes: { enabled: true, exp: seconds(s.expires), created: seconds(s.created), updated: seconds(s.updated) },
      secretUri: uri,
      secretUriWithVersion: `${uri}/${s.version}`,
    },
  };
}

export function keyVaultExtension(): TwinExtension {
  let secrets: VaultSecret[] | undefined;
  return {
    name: 'keyvault',
    handle(ctx, req, res) {
      const m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.keyvault\/vaults\/([^/]+)\/secrets(?:\/([^/]+))?$/i.exec(req.url.pathname);
      if (!m) return false;
      requireApiVersion(req.url);
      if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
      const [, rg, vault, name] = m;
      if (vault.toLowerCase() !== TWIN_KEY_VAULT || rg.toLowerCase() !== ctx.state.names.commonResourceGroup.toLowerCase()) {
        throw new TwinError(404, 'ResourceNotFound', `The Resource 'Microsoft.KeyVault/vaults/${vault}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
      }
      secrets ??= seed(ctx.clock.now());
      const at = { subscriptionId: ctx.subscriptionId, location: ctx.state.names.location, resourceGroup: ctx.state.names.commonResourceGroup, vault: TWIN_KEY_VAULT };
      if (!name) {
        send(res, 200, { value: secrets.map((s) => secretJson(at, s)) });
        return true;
      }
      const s = secrets.find((x) => x.name.toLowerCase() === decodeURIComponent(name).toLowerCase());
      if (!s) throw new TwinError(404, 'SecretNotFound', `Secret not found: ${decodeURIComponent(name)}`);
      send(res, 200, secretJson(at, s));
      return true;
    },
    reset(ctx) {
      secrets = seed(ctx.clock.now());
    },
  };
}
