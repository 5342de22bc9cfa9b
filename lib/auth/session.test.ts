import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';
import { TWIN_AUTH } from '../config';
import { TWIN_CLIENT_ID, TWIN_CLIENT_SECRET, TWIN_TENANT_ID } from '../../test/twin-harness';

const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers() }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined) }),
  headers: async () => request.headers,
}));

let twin: Twin;
let session: typeof import('./session');
let auth: typeof import('./index');

beforeAll(async () => {
  ({ twin } = await startHarness());
  Object.assign(process.env, { SESSION_IDLE_MINUTES: '30', SESSION_ABSOLUTE_HOURS: '8' });
  session = await import('./session');
  auth = await import('./index');
});

afterAll(async () => {
  await twin.close();
});

const identity = { userId: 'oid-1', userName: 'Olivia Operator', loginName: 'operator@demo', tenantId: TWIN_AUTH.tenantId, role: 'Operator' as const };

describe('server-side sessions', () => {
  it('resolves a fresh session and slides its idle expiry', async () => {
    const t0 = new Date('2026-11-26T09:00:00Z');
    const { token, expiresAt } = await session.createSession(identity, t0);
    expect(expiresAt.toISOString()).toBe('2026-11-26T17:00:00.000Z');
    expect(await session.readSession(token, new Date('2026-11-26T09:29:00Z'))).toMatchObject({ userName: 'Olivia Operator', role: 'Operator' });
    // Active at 09:29, so idle now ends 09:59: still valid at 09:50.
    expect(await session.readSession(token, new Date('2026-11-26T09:50:00Z'))).not.toBeNull();
  });

  it('expires after the idle timeout', async () => {
    const t0 = new Date('2026-11-26T09:00:00Z');
    const { token } = await session.createSession(identity, t0);
    expect(await session.readSession(token, new Date('2026-11-26T09:31:00Z'))).toBeNull();
    // and the row is gone
    expect(await session.readSession(token, t0)).toBeNull();
  });

  it('expires at the absolute limit even when active', async () => {
    const t0 = new Date('2026-11-26T09:00:00Z');
    const { token } = await session.createSession(identity, t0);
    for (let m = 20; m < 8 * 60; m += 20) {
      expect(await session.readSession(token, new Date(t0.getTime() + m * 60_000))).not.toBeNull();
    }
    expect(await session.readSession(token, new Date(t0.getTime() + 8 * 3600_000 + 1))).toBeNull();
  });

  it('sign-out ends the session on the server', async () => {
    const { token } = await session.createSession(identity);
    expect(await session.endSession(token)).toBe(true);
    expect(await session.readSession(token)).toBeNull();
  });

  it('stores only a hash of the token', async () => {
    const { token } = await session.createSession(identity);
    const { getDb } = await import('../db');
    const rows = await getDb().session.findMany();
    expect(rows.some((r) => r.id === token)).toBe(false);
  });
});

describe('currentActor', () => {
  const principal = (claims: { typ: string; val: string }[]) =>
    Buffer.from(JSON.stringify({ auth_typ: 'aad', claims, name_typ: 'name', role_typ: 'roles' })).toString('base64');
  const good = principal([
    { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: TWIN_AUTH.tenantId },
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-as' },
    { typ: 'name', val: 'Ada AppService' },
    { typ: 'roles', val: 'Admin' },
  ]);

  it('reads the session cookie', async () => {
    const { token } = await session.createSession(identity);
    request.cookies.set(session.SESSION_COOKIE, token);
    request.headers = new Headers();
    expect(await auth.currentActor()).toMatchObject({ id: 'oid-1', role: 'Operator', via: 'session' });
    request.cookies.clear();
    expect(await auth.currentActor()).toBeNull();
  });

  it('ignores X-MS-CLIENT-PRINCIPAL when not configured to trust it, and logs it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    request.cookies.clear();
    request.headers = new Headers({ 'x-ms-client-principal': good });
    expect(await auth.currentActor()).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ignored an X-MS-CLIENT-PRINCIPAL'));
    warn.mockRestore();
  });

  it('decodes the App Service principal, with the tenant pinned', () => {
    expect(auth.actorFromAppServicePrincipal(good, TWIN_AUTH.tenantId, {})).toMatchObject({ id: 'oid-as', name: 'Ada AppService', role: 'Admin', via: 'app-service' });
    expect(auth.actorFromAppServicePrincipal(good, '00000000-0000-4000-8000-000000000000', {})).toBeNull();
    expect(auth.actorFromAppServicePrincipal('not base64 json', TWIN_AUTH.tenantId, {})).toBeNull();
  });

  it('trusts the principal only on App Service (its own environment says so)', () => {
    expect(auth.runningOnAppService({ WEBSITE_SITE_NAME: 'dash', WEBSITE_AUTH_ENABLED: 'True' })).toBe(true);
    expect(auth.runningOnAppService({ WEBSITE_AUTH_ENABLED: 'True' })).toBe(false);
    expect(auth.runningOnAppService({ WEBSITE_SITE_NAME: 'dash' })).toBe(false);
  });
});

describe('the twin tenant the config assumes is the twin provider\'s', () => {
  it('has the same ids and secret', () => {
    expect(TWIN_AUTH).toEqual({ tenantId: TWIN_TENANT_ID, clientId: TWIN_CLIENT_ID, clientSecret: TWIN_CLIENT_SECRET });
  });
});
