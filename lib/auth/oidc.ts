import 'server-only';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as client from 'openid-client';
import { ManagedIdentityCredential } from '@azure/identity';
import type { AuthConfig } from '../config';

/**
 * OpenID Connect against Entra ID v2.0 with openid-client (a certified
 * relying-party library): authorization code flow with PKCE (S256), `state`
 * and `nonce`. The issuer is pinned to `<authority>/<tenant-id>/v2.0` and the
 * discovery document must name exactly that issuer; ID tokens are checked
 * for issuer, audience (our client id), expiry, nonce and — with
 * non-repudiation checks on — their signature against the tenant's JWKS.
 */
export type OidcOptions = { fetch?: typeof fetch };

async function clientAuthentication(auth: AuthConfig): Promise<client.ClientAuth> {
  const cred = auth.credential;
  if (cred.kind === 'secret') return client.ClientSecretPost(cred.secret);
  if (cred.kind === 'certificate') {
    // A PEM with the private key and the certificate; Entra identifies the certificate by its SHA-1 thumbprint (x5t).
    const pem = readFileSync(cred.path, 'utf8');
    const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    if (!certPem) throw new Error(`AUTH_CLIENT_CERTIFICATE_PATH: no certificate in ${cred.path}`);
    const x5t = createHash('sha1').update(new X509Certificate(certPem).raw).digest('base64url');
    const key = createPrivateKey(pem);
    const cryptoKey = await crypto.subtle.importKey('pkcs8', key.export({ format: 'der', type: 'pkcs8' }), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    return client.PrivateKeyJwt(cryptoKey, {
      [client.modifyAssertion]: (header: Record<string, unknown>) => {
        header.x5t = x5t;
      },
    });
  }
  // Hosted on Azure: the app registration trusts the managed identity (a federated credential), so no secret exists at all.
  const mi = new ManagedIdentityCredential({ clientId: cred.managedIdentityClientId });
  const federated = (async (_as: unknown, _client: unknown, body: URLSearchParams) => {
    const token = await mi.getToken('api://AzureADTokenExchange/.default');
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', token.token);
  }) as unknown as client.ClientAuth;
  return federated;
}

export async function discoverOidc(auth: AuthConfig, options: OidcOptions = {}): Promise<client.Configuration> {
  const custom = options.fetch;
  const fetchImpl: client.CustomFetch | undefined = custom ? (url, init) => custom(url, init as RequestInit) : undefined;
  const config = await client.discovery(new URL(auth.issuer), auth.clientId, undefined, await clientAuthentication(auth), {
    ...(fetchImpl ? { [client.customFetch]: fetchImpl } : {}),
    execute: [client.enableNonRepudiationChecks],
  });
  if (fetchImpl) config[client.customFetch] = fetchImpl;
  const authorize = new URL(config.serverMetadata().authorization_endpoint ?? auth.issuer);
  if (authorize.protocol === 'http:' && (authorize.hostname === '127.0.0.1' || authorize.hostname === 'localhost')) {
    // The twin's sign-in page is plain HTTP on loopback, so a presenter's browser never meets its
    // self-signed certificate. Discovery, token and keys are still fetched over HTTPS.
    client.allowInsecureRequests(config);
  }
  const issuer = config.serverMetadata().issuer;
  if (issuer !== auth.issuer) throw new Error(`OIDC issuer mismatch: expected ${auth.issuer}, discovery says ${issuer}`);
  return config;
}

const KEY = Symbol.for('aks-demo.oidc');
type Holder = { [KEY]?: Promise<client.Configuration> };

/** The discovered configuration, once per process (retried after a failure). */
export function oidcConfiguration(auth: AuthConfig): Promise<client.Configuration> {
  const g = globalThis as Holder;
  g[KEY] ??= discoverOidc(auth).catch((err: unknown) => {
    g[KEY] = undefined;
    throw err;
  });
  return g[KEY];
}

export interface AuthorizationStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function buildSignInUrl(config: client.Configuration, redirectUri: string, loginHint?: string): Promise<AuthorizationStart> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    response_type: 'code',
    response_mode: 'query',
    scope: 'openid profile',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...(loginHint ? { login_hint: loginHint } : {}),
  });
  return { url, state, nonce, codeVerifier };
}

export interface VerifiedIdentity {
  oid: string;
  tid: string;
  name: string;
  preferredUsername: string;
  roles: unknown;
  groups: unknown;
}

/** Exchanges the code and returns the ID token's validated claims, or throws. */
export async function exchangeCode(
  config: client.Configuration,
  auth: AuthConfig,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<VerifiedIdentity> {
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: checks.codeVerifier,
    expectedState: checks.state,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  // The library checked iss against the pinned issuer; the tenant id must match it too.
  if (claims.iss !== auth.issuer || claims.tid !== auth.tenantId) throw new Error(`token from another tenant (${String(claims.tid)})`);
  if (typeof claims.oid !== 'string') throw new Error('ID token without oid');
  return {
    oid: claims.oid,
    tid: String(claims.tid),
    name: typeof claims.name === 'string' ? claims.name : claims.oid,
    preferredUsername: typeof claims.preferred_username === 'string' ? claims.preferred_username : '',
    roles: claims.roles,
    groups: claims.groups,
  };
}
