import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { getConfig } from '../config';
import { readSession, SESSION_COOKIE } from './session';
import { roleFromClaims, type Actor, type Role } from '../domain/roles';

export { ROLES, roleAtLeast, can, whyNot, type Actor, type Role, type Permission } from '../domain/roles';

/** The scheduler and other unattended work act as this. */
export const SYSTEM_SCHEDULER: Actor = { id: 'system:scheduler', name: 'Scheduler', role: 'Admin', via: 'system' };

/** App Service Authentication sets these in the app's own environment. */
export function runningOnAppService(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.WEBSITE_SITE_NAME) && (env.WEBSITE_AUTH_ENABLED ?? '').toLowerCase() === 'true';
}

interface ClientPrincipal {
  auth_typ?: string;
  claims?: { typ: string; val: string }[];
  role_typ?: string;
}

/** Decodes App Service's X-MS-CLIENT-PRINCIPAL (base64 JSON with a claims list). */
export function actorFromAppServicePrincipal(headerValue: string, tenantId: string, groupRoles: Record<string, Role>): Actor | null {
  let principal: ClientPrincipal;
  try {
    principal = JSON.parse(Buffer.from(headerValue, 'base64').toString('utf8')) as ClientPrincipal;
  } catch {
    return null;
  }
  const claims = principal.claims ?? [];
  const all = (...types: string[]) => claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
  const one = (...types: string[]) => all(...types)[0];
  const tid = one('http://schemas.microsoft.com/identity/claims/tenantid', 'tid');
  if (tid !== tenantId) return null;
  const oid = one('http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid');
  if (!oid) return null;
  const role = roleFromClaims({ roles: all(principal.role_typ ?? 'roles', 'roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'), groups: all('groups') }, groupRoles);
  if (!role) return null;
  return { id: oid, name: one('name') ?? oid, role, loginName: one('preferred_username'), via: 'app-service' };
}

/**
 * The signed-in actor of this request, or null. Memoised per server request
 * (React's `cache`): the layout and the page ask, but the session is read once.
 */
export const currentActor = cache(readActor);

async function readActor(): Promise<Actor | null> {
  const auth = getConfig().auth;
  const h = await headers();
  const principal = h.get('x-ms-client-principal');
  if (principal) {
    if (auth.trustAppServiceHeaders && runningOnAppService()) {
      return actorFromAppServicePrincipal(principal, auth.tenantId, auth.groupRoles);
    }
    // Anyone can send this header to a server that is not behind App Service Authentication.
    console.warn(`ignored an X-MS-CLIENT-PRINCIPAL header (trust ${auth.trustAppServiceHeaders ? 'on' : 'off'}, App Service ${runningOnAppService() ? 'yes' : 'no'}) from ${h.get('x-forwarded-for') ?? 'a direct client'}`);
  }
  const jar = await cookies();
  const session = await readSession(jar.get(SESSION_COOKIE)?.value);
  if (!session) return null;
  return { id: session.userId, name: session.userName, role: session.role, loginName: session.loginName, via: 'session' };
}

export { createShareLink, readShareLink, listShareLinks, revokeShareLink, shareInput, revokeShareInput, type ShareLinkView } from './share';
