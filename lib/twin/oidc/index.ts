import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SignJWT, exportJWK, type JWK } from 'jose';
import { send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { acceptedAudiences, checkAccessToken, issueAccessToken, knownResource, resourceOfScope, ACCESS_TOKEN_SECONDS, type IssuerKeys } from './tokens';

/**
 * A small OpenID Connect provider for the demo tenant, shaped like Entra ID
 * v2.0 (discovery, authorize, token, JWKS; ID tokens with Entra's claims), so
 * the dashboard's real sign-in code runs offline and in tests — no bypass.
 * A `login_hint` naming a demo user signs that user in without the picker.
 *
 * The token endpoint also answers the client credentials grant, as Entra does
 * for an application: `scope=<resource>/.default` gives a signed access token
 * for that resource (ARM, the AKS server application), so @azure/identity's
 * ClientSecretCredential, pointed at the twin as its authority host, gets real
 * tokens; `authenticate` is the check ARM and the API servers make on them.
 */
export const TWIN_TENANT_ID = '7a1e0d3c-0000-4000-8000-00000000d3e0';
export const TWIN_CLIENT_ID = 'a6d2c0de-0000-4000-8000-00000000da5b';
export const TWIN_CLIENT_SECRET = 'twin-demo-client-secret';

export interface DemoUser {
  username: string;
  name: string;
  oid: string;
  roles: string[];
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'reader', name: 'Riley Reader', oid: '11111111-0000-4000-8000-000000000001', roles: ['Reader'] },
  { username: 'operator', name: 'Olivia Operator', oid: '11111111-0000-4000-8000-000000000002', roles: ['Operator'] },
  { username: 'admin', name: 'Adam Admin', oid: '11111111-0000-4000-8000-000000000003', roles: ['Admin'] },
];

interface PendingCode {
  user: DemoUser;
  clientId: string;
  redirectUri: string;
  nonce?: string;
  codeChallenge: string;
  expiresAt: number;
}

const CODE_TTL_MS = 5 * 60_000;

function redirectAllowed(uri: string): boolean {
  // The demo client is registered for local callbacks only.
  try {
    const u = new URL(uri);
    return (u.hostname === 'localhost' || u.hostname === '127.0.0.1') && u.pathname === '/auth/callback' && (u.protocol === 'http:' || u.protocol === 'https:');
  } catch {
    return false;
  }
}

function oauthError(res: ServerResponse, status: number, error: string, description: string) {
  send(res, status, { error, error_description: description });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function oidcExtension(): TwinExtension {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const keys: IssuerKeys = { privateKey, publicKey, kid };
  let jwk: JWK | undefined;
  const codes = new Map<string, PendingCode>();
  const base = (ctx: TwinContext) => `${ctx.url}/${TWIN_TENANT_ID}`;
  const issuer = (ctx: TwinContext) => `${base(ctx)}/v2.0`;

  async function idToken(ctx: TwinContext, code: PendingCode, key: KeyObject = privateKey): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      ver: '2.0',
      tid: TWIN_TENANT_ID,
      oid: code.user.oid,
      name: code.user.name,
      preferred_username: `${code.user.username}@demo.twin`,
      roles: code.user.roles,
      ...(code.nonce ? { nonce: code.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(issuer(ctx))
      .setAudience(code.clientId)
      .setSubject(createHash('sha256').update(code.user.oid + code.clientId).digest('base64url').slice(0, 43))
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + 3600)
      .sign(key);
  }

  function authorize(ctx: TwinContext, req: TwinRequest, res: ServerResponse): void {
    const q = req.method === 'POST' ? new URLSearchParams(req.body) : req.url.searchParams;
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (clientId !== TWIN_CLIENT_ID) return oauthError(res, 400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`);
    if (!redirectAllowed(redirectUri)) return oauthError(res, 400, 'invalid_request', `AADSTS50011: The redirect URI '${redirectUri}' does not match the redirect URIs configured for the application.`);
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state) back.searchParams.set('state', state);
    const fail = (error: string, description: string) => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      res.writeHead(302, { Location: back.toString() }).end();
    };
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'AADSTS700054: response_type must be code.');
    const challenge = q.get('code_challenge');
    if (!challenge || q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'AADSTS9002325: Proof Key for Code Exchange (S256) is required.');
    if (!(q.get('scope') ?? '').split(' ').includes('openid')) return fail('invalid_scope', 'The openid scope is required.');

    const chosen = q.get('user') ?? q.get('login_hint')?.split('@')[0];
    const user = DEMO_USERS.find((u) => u.username === chosen);
    if (!user) return picker(req, res, q);
    const code = randomBytes(24).toString('base64url');
    codes.set(code, { user, clientId, redirectUri, nonce: q.get('nonce') ?? undefined, codeChallenge: challenge, expiresAt: Date.now() + CODE_TTL_MS });
    back.searchParams.set('code', code);
    res.writeHead(302, { Location: back.toString() }).end();
  }

  function picker(req: TwinRequest, res: ServerResponse, q: URLSearchParams): void {
    const hidden = [...q.entries()]
      .filter(([k]) => k !== 'user' && k !== 'login_hint')
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const buttons = DEMO_USERS.map(
      (u) => `<button name="user" value="${u.username}">${escapeHtml(u.name)}<small>${u.username}@demo.twin · ${u.roles.join(', ')}</small></button>`,
    ).join('');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in — twin tenant</title>
<style>body{font-family:system-ui,sans-serif;background:#f1f5f9;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;padding:2rem;border-radius:.75rem;box-shadow:0 1px 3px #0002;width:22rem}
h1{font-size:1.2rem;margin:0 0 .25rem}p{color:#475569;font-size:.85rem;margin:0 0 1rem}
button{display:block;width:100%;text-align:left;margin:.5rem 0;padding:.7rem 1rem;border:1px solid #cbd5e1;border-radius:.5rem;background:#fff;font-size:1rem;cursor:pointer}
button:hover{background:#f8fafc}small{display:block;color:#64748b;font-size:.75rem}</style></head>
<body><main><h1>Pick a demo account</h1><p>Twin identity provider (tenant ${TWIN_TENANT_ID}). Entra ID shows its own sign-in here.</p>
<form method="post" action="${escapeHtml(req.url.pathname)}">${hidden}${buttons}</form></main></body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
  }

  async function token(ctx: TwinContext, req: TwinRequest, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(req.body);
    let clientId = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, pw] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
      clientId = id;
      secret = pw;
    }
    if (clientId !== TWIN_CLIENT_ID) {
      return oauthError(res, 400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId ?? ''}' was not found in the directory '${TWIN_TENANT_ID}'.`);
    }
    if (secret !== TWIN_CLIENT_SECRET) {
      return oauthError(res, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    }
    if (form.get('grant_type') === 'client_credentials') return clientCredentials(ctx, form, res, clientId);
    if (form.get('grant_type') !== 'authorization_code') return oauthError(res, 400, 'unsupported_grant_type', 'AADSTS70003: unsupported grant type.');
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    if (!code || code.expiresAt < Date.now() || code.clientId !== clientId) {
      return oauthError(res, 400, 'invalid_grant', 'AADSTS70008: The provided authorization code or refresh token has expired or was already used.');
    }
    if (form.get('redirect_uri') !== code.redirectUri) return oauthError(res, 400, 'invalid_grant', 'AADSTS70001: redirect_uri does not match.');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) {
      return oauthError(res, 400, 'invalid_grant', 'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.');
    }
    send(res, 200, {
      token_type: 'Bearer',
      scope: 'openid profile',
      expires_in: 3600,
      access_token: randomBytes(32).toString('base64url'),
      id_token: await idToken(ctx, code),
    }, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  }

  /** The client credentials grant: one `<resource>/.default` scope, a v1.0 access token for that resource. */
  async function clientCredentials(ctx: TwinContext, form: URLSearchParams, res: ServerResponse, clientId: string): Promise<void> {
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const resources = scopes.map(resourceOfScope);
    if (resources.length !== 1 || !resources[0]) {
      return oauthError(res, 400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const audience = resources[0];
    if (!knownResource(audience, ctx.url)) {
      return oauthError(res, 400, 'invalid_resource', `AADSTS500011: The resource principal named ${audience.replace(/\/$/, '')} was not found in the tenant named ${TWIN_TENANT_ID}. This can happen if the application has not been installed by the administrator of the tenant.`);
    }
    const accessToken = await issueAccessToken({ keys, authority: ctx.url, tenantId: TWIN_TENANT_ID, clientId, audience, now: ctx.clock.now() });
    send(res, 200, { token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS, ext_expires_in: ACCESS_TOKEN_SECONDS, access_token: accessToken }, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  }

  return {
    name: 'oidc',
    handle: () => false,
    async authenticate(ctx, req, api) {
      const refusal = await checkAccessToken({
        authorization: req.headers.authorization,
        keys,
        authority: ctx.url,
        tenantId: TWIN_TENANT_ID,
        audiences: acceptedAudiences(api, ctx.url),
        now: ctx.clock.now(),
      });
      return refusal;
    },
    async handlePublic(ctx, req, res) {
      const prefix = `/${TWIN_TENANT_ID}`;
      const path = req.url.pathname;
      if (!path.startsWith(prefix + '/')) return false;
      const rest = path.slice(prefix.length);
      const browserPage = rest === '/oauth2/v2.0/authorize' || rest === '/oauth2/v2.0/logout';
      // The HTTP listener serves only what a browser visits; tokens and keys stay on HTTPS.
      if (req.browser && !browserPage) return false;
      if (req.method === 'GET' && rest === '/v2.0/.well-known/openid-configuration') {
        send(res, 200, {
          issuer: issuer(ctx),
          authorization_endpoint: `${ctx.browserUrl}/${TWIN_TENANT_ID}/oauth2/v2.0/authorize`,
          token_endpoint: `${base(ctx)}/oauth2/v2.0/token`,
          jwks_uri: `${base(ctx)}/discovery/v2.0/keys`,
          end_session_endpoint: `${ctx.browserUrl}/${TWIN_TENANT_ID}/oauth2/v2.0/logout`,
          response_types_supported: ['code'],
          response_modes_supported: ['query'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          grant_types_supported: ['authorization_code', 'client_credentials'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
          code_challenge_methods_supported: ['S256'],
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'oid', 'tid', 'preferred_username', 'roles', 'nonce', 'ver'],
          tenant_region_scope: 'AS',
        });
        return true;
      }
      if (req.method === 'GET' && rest === '/discovery/v2.0/keys') {
        jwk ??= { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
        send(res, 200, { keys: [jwk] });
        return true;
      }
      if ((req.method === 'GET' || req.method === 'POST') && rest === '/oauth2/v2.0/authorize') {
        authorize(ctx, req, res);
        return true;
      }
      if (req.method === 'POST' && rest === '/oauth2/v2.0/token') {
        await token(ctx, req, res);
        return true;
      }
      if (req.method === 'GET' && rest === '/oauth2/v2.0/logout') {
        const back = req.url.searchParams.get('post_logout_redirect_uri');
        if (back && /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(back)) res.writeHead(302, { Location: back }).end();
        else send(res, 200, { signedOut: true });
        return true;
      }
      return false;
    },
    reset() {
      codes.clear();
    },
  };
}

