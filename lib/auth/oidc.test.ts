import { generateKeyPairSync, createHash } from 'node:crypto';
import { SignJWT, exportJWK, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { buildSignInUrl, discoverOidc, exchangeCode } from './oidc';

/**
 * ID token validation, table-driven: a fake Entra tenant answers discovery,
 * JWKS and the token endpoint through openid-client's customFetch, and each
 * case hands back a token that is wrong in one way.
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '0b5f1c1e-0000-4000-8000-000000000bad';
const CLIENT = '3c2b1a00-1111-4222-8333-444455556666';
const auth = parseConfig({
  AZURE_SUBSCRIPTION_ID: '11111111-2222-3333-4444-555555555555',
  AUTH_TENANT_ID: TENANT,
  AUTH_CLIENT_ID: CLIENT,
  AUTH_CLIENT_SECRET: 's3cret',
}).auth;
const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

const good = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface Case {
  name: string;
  claims?: Record<string, unknown>;
  omitNonce?: boolean;
  key?: 'attacker';
  alg?: 'none';
  expired?: boolean;
}

async function makeToken(c: Case, nonce: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    ver: '2.0', tid: TENANT, oid: 'user-oid-1', name: 'Test User', preferred_username: 'test@contoso.com', roles: ['Operator'],
    ...(c.omitNonce ? {} : { nonce }),
    ...c.claims,
  };
  const iss = (c.claims?.iss as string) ?? ISSUER;
  const aud = (c.claims?.aud as string) ?? CLIENT;
  const iat = c.expired ? now - 7200 : now;
  const exp = c.expired ? now - 3600 : now + 3600;
  if (c.alg === 'none') {
    return new UnsecuredJWT(claims).setIssuer(iss).setAudience(aud).setSubject('sub-1').setIssuedAt(iat).setExpirationTime(exp).encode();
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject('sub-1')
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(c.key === 'attacker' ? attacker.privateKey : good.privateKey);
}

function fakeTenant(tokenFor: () => Promise<string>, discoveryIssuer = ISSUER): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url.endsWith('/.well-known/openid-configuration')) {
      return json({
        issuer: discoveryIssuer,
        authorization_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
        token_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
        jwks_uri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code'],
      });
    }
    if (url.endsWith('/discovery/v2.0/keys')) return json({ keys: [{ ...(await exportJWK(good.publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' }] });
    if (url.endsWith('/oauth2/v2.0/token')) {
      const form = new URLSearchParams(String(init?.body));
      expect(form.get('client_secret')).toBe('s3cret');
      expect(form.get('code_verifier')).toBeTruthy();
      return json({ token_type: 'Bearer', access_token: 'at', expires_in: 3600, id_token: await tokenFor() });
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
}

async function signIn(c: Case) {
  let nonce = '';
  const config = await discoverOidc(auth, { fetch: fakeTenant(() => makeToken(c, nonce)) });
  const start = await buildSignInUrl(config, 'https://dash.example.com/auth/callback', 'operator@contoso.com');
  nonce = start.nonce;
  const callback = new URL(`https://dash.example.com/auth/callback?code=abc&state=${start.state}`);
  return { start, result: await exchangeCode(config, auth, callback, start) };
}

describe('ID token validation', () => {
  it('accepts a well-formed token and returns its claims; the request carries PKCE S256, state, nonce and login_hint', async () => {
    const { start, result } = await signIn({ name: 'valid' });
    expect(result).toMatchObject({ oid: 'user-oid-1', tid: TENANT, name: 'Test User', roles: ['Operator'] });
    const q = start.url.searchParams;
    expect(start.url.origin + start.url.pathname).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toBe(createHash('sha256').update(start.codeVerifier).digest('base64url'));
    expect(q.get('state')).toBe(start.state);
    expect(q.get('nonce')).toBe(start.nonce);
    expect(q.get('login_hint')).toBe('operator@contoso.com');
    expect(q.get('client_id')).toBe(CLIENT);
  });

  it.each<Case>([
    { name: 'wrong issuer', claims: { iss: 'https://evil.example.com/v2.0' } },
    { name: 'other tenant', claims: { iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`, tid: OTHER_TENANT } },
    { name: 'right issuer, other tenant id claim', claims: { tid: OTHER_TENANT } },
    { name: 'wrong audience', claims: { aud: '99999999-9999-4999-8999-999999999999' } },
    { name: 'expired', expired: true },
    { name: 'bad signature', key: 'attacker' },
    { name: 'alg none', alg: 'none' },
    { name: 'missing nonce', omitNonce: true },
    { name: 'wrong nonce', claims: { nonce: 'replayed' } },
  ])('refuses a token with $name', async (c) => {
    await expect(signIn(c)).rejects.toThrow();
  });

  it('refuses a discovery document that names another issuer', async () => {
    await expect(discoverOidc(auth, { fetch: fakeTenant(async () => '', 'https://login.microsoftonline.com/common/v2.0') })).rejects.toThrow();
  });
});

describe('tenant pinning in configuration', () => {
  it.each(['common', 'organizations', 'consumers'])('refuses AUTH_TENANT_ID=%s', (tenant) => {
    expect(() => parseConfig({ AZURE_SUBSCRIPTION_ID: '11111111-2222-3333-4444-555555555555', AUTH_TENANT_ID: tenant, AUTH_CLIENT_ID: CLIENT, AUTH_CLIENT_SECRET: 'x' })).toThrow(/AUTH_TENANT_ID/);
  });

  it('pins the issuer to the tenant', () => {
    expect(auth.issuer).toBe(ISSUER);
  });
});
