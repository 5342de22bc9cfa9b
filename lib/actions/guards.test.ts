import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NextRequest } from 'next/server';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/**
 * Every server action and route handler in the code base — found by reading
 * app/, not from a list — is called without a session and as a Reader. Each
 * must refuse what the role may not do, and nothing may change: no audit
 * entry of an effect, no mutating request to the twin. A new action that is
 * not declared with defineAction (or a route without defineRoute, or a page
 * without definePage) fails here. Pages are endpoints too: an anonymous
 * render must stop at the session check, before any read.
 */
const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers() }));
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined),
    getAll: () => [...request.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => request.cookies.has(name),
  }),
  headers: async () => request.headers,
}));

const root = resolve('.');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const ROLE_ORDER = ['Reader', 'Operator', 'Admin'];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const appFiles = walk(join(root, 'app')).filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.test.ts'));
const actionFiles = appFiles.filter((f) => /^\s*['"]use server['"]/m.test(readFileSync(f, 'utf8')));
const routeFiles = appFiles.filter((f) => /\/route\.ts$/.test(f));
const pageFiles = appFiles.filter((f) => /\/page\.tsx$/.test(f));
/** The end of the sign-in flow: shown to anyone, and they read no data. */
const PUBLIC_PAGES = ['app/auth/error/page.tsx', 'app/auth/signed-out/page.tsx'];

let twin: Twin;
let readerToken = '';
let db: typeof import('../db');

beforeAll(async () => {
  // One Reader is refused by every action and route here; the refusal rate limit (per signed-in user) is
  // tested on its own (safe-action.test.ts), so it must not answer "too many" first.
  process.env.REFUSALS_PER_MINUTE = '100000';
  ({ twin } = await startHarness({ profile: 'manual' }));
  db = await import('../db');
  const { createSession } = await import('../auth/session');
  readerToken = (await createSession({ userId: 'reader-oid', userName: 'Riley Reader', loginName: 'reader@demo', tenantId: 't', role: 'Reader' })).token;
});

afterAll(async () => {
  await twin.close();
});

async function effects() {
  const audits = await db.getDb().auditEntry.count({ where: { result: { in: ['ok', 'accepted'] } } });
  const mutations = twin.requests.filter((r) => r.method !== 'GET').length;
  return { audits, mutations };
}

let caller = 0;
function as(who: 'anonymous' | 'reader') {
  request.cookies.clear();
  // A new client each time: the refusal rate limit is tested on its own (safe-action.test.ts).
  request.headers.set('x-forwarded-for', `guard-test-${++caller}`);
  if (who === 'reader') request.cookies.set('aksdemo_session', readerToken);
}

describe('the code base has actions and routes to check', () => {
  it('finds the server action files, route handlers and pages', () => {
    expect(pageFiles.map((f) => relative(root, f))).toEqual(expect.arrayContaining(['app/page.tsx', 'app/audit/page.tsx', 'app/backup/page.tsx', ...PUBLIC_PAGES]));
    expect(actionFiles.map((f) => relative(root, f))).toContain('app/actions/power.ts');
    expect(routeFiles.map((f) => relative(root, f))).toContain('app/audit/export/route.ts');
  });
});

describe.each(actionFiles.map((f) => [relative(root, f), f]))('server actions in %s', (_name, file) => {
  it('are all declared with defineAction and refuse without a session and as Reader', async () => {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const exported = Object.entries(mod);
    expect(exported.length).toBeGreaterThan(0);
    for (const [exportName, fn] of exported) {
      const action = fn as ((input: unknown) => Promise<{ ok: boolean; error?: { kind: string } }>) & { actionName?: string; requiredRole?: string };
      expect(typeof action, `${exportName} is a function`).toBe('function');
      expect(action.actionName, `${exportName} must be declared with defineAction`).toBeTruthy();
      expect(ROLE_ORDER, `${exportName} names a role`).toContain(action.requiredRole);

      const before = await effects();
      as('anonymous');
      const anon = await action({});
      expect(anon.ok, `${exportName} without a session`).toBe(false);
      expect(anon.error?.kind).toBe('unauthenticated');

      if (action.requiredRole !== 'Reader') {
        as('reader');
        const asReader = await action({});
        expect(asReader.ok, `${exportName} as Reader`).toBe(false);
        expect(asReader.error?.kind).toBe('forbidden');
      }
      expect(await effects(), `${exportName} changed nothing`).toEqual(before);
    }
  });
});

describe.each(routeFiles.map((f) => [relative(root, f), f]))('route handlers in %s', (name, file) => {
  it('are declared with defineRoute; non-public ones refuse without a session (and as Reader above Reader)', async () => {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const handlers = Object.entries(mod).filter(([k]) => HTTP_METHODS.includes(k));
    expect(handlers.length, `${name} exports a handler`).toBeGreaterThan(0);
    for (const [method, fn] of handlers) {
      const route = fn as ((req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>) & { routeName?: string; access?: string };
      expect(route.routeName, `${method} ${name} must be declared with defineRoute`).toBeTruthy();
      if (route.access === 'public') {
        // Only the sign-in flow may be public.
        expect(route.routeName, `${method} ${name} is public`).toMatch(/^auth\./);
        continue;
      }
      if (route.access === 'share-link') {
        // The audience screen's streams: only with a valid share link, never with a made-up or missing one.
        as('reader');
        for (const token of [undefined, 'x'.repeat(43), 'not a token']) {
          const res = await route(new NextRequest(`http://localhost/${name}`, { method }), { params: Promise.resolve((token === undefined ? {} : { token }) as Record<string, string>) });
          expect(res.status, `${method} ${name} with token ${token}`).toBe(404);
        }
        continue;
      }
      expect(ROLE_ORDER).toContain(route.access);
      const before = await effects();
      const call = () => route(new NextRequest(`http://localhost/${name}`, { method }), { params: Promise.resolve({}) });
      as('anonymous');
      expect((await call()).status, `${method} ${name} without a session`).toBe(401);
      if (route.access !== 'Reader') {
        as('reader');
        expect((await call()).status, `${method} ${name} as Reader`).toBe(403);
      }
      expect(await effects()).toEqual(before);
    }
  });
});

describe.each(pageFiles.map((f) => [relative(root, f), f]))('page %s', (name, file) => {
  it('is declared with definePage and, without a session, redirects to sign-in before reading anything', async () => {
    const mod = (await import(/* @vite-ignore */ file)) as { default: ((props: unknown) => Promise<unknown>) & { requiredRole?: string } };
    if (PUBLIC_PAGES.includes(name)) {
      expect(mod.default.requiredRole, `${name} is public`).toBeUndefined();
      return;
    }
    if (mod.default.requiredRole === 'share-link') {
      // Reached through a share link: without a valid one it is "not found", before anything is read.
      as('anonymous');
      const twinBefore = twin.requests.length;
      for (const token of ['x'.repeat(43), 'short']) {
        const refused = await mod.default({ params: Promise.resolve({ token }) }).then(() => undefined, (e: unknown) => e as { digest?: string });
        expect(refused?.digest, `${name} with a made-up link`).toMatch(/^NEXT_HTTP_ERROR_FALLBACK;404/);
      }
      expect(twin.requests.length).toBe(twinBefore);
      return;
    }
    expect(ROLE_ORDER, `${name} must be declared with definePage`).toContain(mod.default.requiredRole);
    as('anonymous');
    const twinBefore = twin.requests.length;
    const props = { params: Promise.resolve({ id: 'x' }), searchParams: Promise.resolve({}) };
    const refused = await mod.default(props).then(
      () => undefined,
      (e: unknown) => e as { digest?: string },
    );
    expect(refused?.digest, `${name} without a session`).toMatch(/^NEXT_REDIRECT;[a-z]+;\/signin\?returnTo=/);
    expect(twin.requests.length, `${name} read nothing upstream without a session`).toBe(twinBefore);
  });
});
