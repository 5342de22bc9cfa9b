import 'server-only';
import { getConfig } from '../config';
import { getDb } from '../db';
import { recordAudit } from '../audit';
import { buildSignInUrl, exchangeCode, oidcConfiguration } from './oidc';
import { createSession, endSession } from './session';
import { roleFromClaims } from './roles';

/** The sign-in flow: start (remember state, nonce, verifier), finish (verify, create the session), sign out. */
export const STATE_COOKIE = 'aksdemo_auth_state';
const REQUEST_TTL_MS = 10 * 60_000;

/**
 * Only paths of this app: an open redirect would hand the session to anyone.
 * The value is resolved the way the browser will resolve it (the URL parser
 * drops tabs and newlines and turns backslashes into slashes), and kept only
 * when the result stays on our origin and is not protocol-relative.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || value.length > 512 || !value.startsWith('/')) return '/';
  const base = 'https://return-to.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base) return '/';
  const path = url.pathname + url.search + url.hash;
  // `//host` or `/\host` in the result would be read as another host when sent as Location.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\') || url.pathname.startsWith('/auth/')) return '/';
  return path;
}

export function callbackUrl(origin: string): string {
  return `${getConfig().auth.baseUrl ?? origin}/auth/callback`;
}

export async function startSignIn(origin: string, options: { loginHint?: string; returnTo?: string }) {
  const auth = getConfig().auth;
  const config = await oidcConfiguration(auth);
  const loginHint = options.loginHint && /^[\w.@+-]{1,128}$/.test(options.loginHint) ? options.loginHint : undefined;
  const start = await buildSignInUrl(config, callbackUrl(origin), loginHint);
  const db = getDb();
  await db.authRequest.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - REQUEST_TTL_MS) } } });
  await db.authRequest.create({
    data: { state: start.state, nonce: start.nonce, codeVerifier: start.codeVerifier, returnTo: safeReturnTo(options.returnTo), createdAt: new Date() },
  });
  return { url: start.url, state: start.state };
}

export class SignInError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export async function finishSignIn(origin: string, url: URL, stateCookie: string | undefined) {
  const started = performance.now();
  const auth = getConfig().auth;
  const state = url.searchParams.get('state') ?? '';
  const fail = async (reason: string, message: string, who: { id: string; name: string } | null = null): Promise<never> => {
    await recordAudit({
      actor: who ? { id: who.id, name: who.name, role: 'Reader', via: 'session' } : null,
      action: 'auth.sign-in',
      target: 'dashboard',
      params: { reason },
      result: 'refused',
      error: message,
      durationMs: performance.now() - started,
    });
    throw new SignInError(reason, message);
  };
  const providerError = url.searchParams.get('error');
  if (providerError) return fail('provider', `${providerError}: ${url.searchParams.get('error_description') ?? ''}`);
  if (!state || state !== stateCookie) return fail('state', 'The sign-in did not start in this browser (state mismatch).');
  const db = getDb();
  const request = await db.authRequest.findUnique({ where: { state } });
  if (!request) return fail('state', 'Unknown or already used sign-in request.');
  await db.authRequest.delete({ where: { state } });
  if (Date.now() - request.createdAt.getTime() > REQUEST_TTL_MS) return fail('expired', 'The sign-in took too long; start again.');

  let identity;
  try {
    const callback = new URL(callbackUrl(origin));
    callback.search = url.search;
    identity = await exchangeCode(await oidcConfiguration(auth), auth, callback, { state, nonce: request.nonce, codeVerifier: request.codeVerifier });
  } catch (err) {
    return fail('token', `The identity provider's answer was refused: ${(err as Error).message}`);
  }
  const role = roleFromClaims({ roles: identity.roles, groups: identity.groups }, auth.groupRoles);
  if (!role) return fail('no-role', `${identity.name} has no role in this app (Reader, Operator or Admin).`, { id: identity.oid, name: identity.name });
  const session = await createSession({ userId: identity.oid, userName: identity.name, loginName: identity.preferredUsername, tenantId: identity.tid, role });
  await recordAudit({
    actor: { id: identity.oid, name: identity.name, role, via: 'session' },
    action: 'auth.sign-in',
    target: 'dashboard',
    params: { loginName: identity.preferredUsername },
    result: 'ok',
    durationMs: performance.now() - started,
  });
  return { ...session, returnTo: request.returnTo };
}

export async function signOut(token: string | undefined, actor: { id: string; name: string; role: 'Reader' | 'Operator' | 'Admin' } | null) {
  const ended = await endSession(token);
  await recordAudit({ actor: actor && { ...actor, via: 'session' }, action: 'auth.sign-out', target: 'dashboard', params: {}, result: ended ? 'ok' : 'refused', error: ended ? undefined : 'no session', durationMs: 0 });
}
