import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { currentActor, readShareLink, roleAtLeast, type Actor, type Role } from '../auth';
import { recordAudit } from '../audit';
import { clientAddress, refusalGate } from './refusals';
import { sameOrigin } from './origin';

/** No route takes more than a form post's worth of body. */
export const MAX_ROUTE_BODY_BYTES = 16_384;

/**
 * The one way to declare a route handler. Like actions, the session and role
 * are checked here, in the handler itself, before anything else runs.
 * `access: 'public'` is for the sign-in flow only, and says so in the code;
 * `access: 'share-link'` is for the audience screen's streams: the route's
 * `token` must be a valid share link.
 */
export type RouteAccess = 'public' | 'share-link' | Role;

export interface RouteSpec<C> {
  name: string;
  access: RouteAccess;
  handler: (req: NextRequest, ctx: { actor: Actor | null; params: C }) => Promise<Response>;
}

export function defineRoute<C = unknown>(spec: RouteSpec<C>) {
  const route = async (req: NextRequest, routeCtx?: { params?: Promise<C> }): Promise<Response> => {
    const params = (await routeCtx?.params) as C;
    const changesState = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (changesState) {
      // Cross-site requests that change state are refused here as well as in the proxy.
      if (!sameOrigin(req.headers)) return plain(403, 'This request came from another site; it was refused.');
      const length = Number(req.headers.get('content-length') ?? 0);
      if (!Number.isFinite(length) || length > MAX_ROUTE_BODY_BYTES) return plain(413, `The request body is too large (at most ${MAX_ROUTE_BODY_BYTES} bytes).`);
    }
    if (spec.access === 'public') return spec.handler(req, { actor: await currentActor(), params });
    if (spec.access === 'share-link') {
      const token = (params as { token?: string } | undefined)?.token;
      if (changesState || !(await readShareLink(token))) return plain(404, 'This link has expired or was revoked; ask the presenter for a new one.');
      return spec.handler(req, { actor: null, params });
    }
    const started = performance.now();
    const actor = await currentActor();
    if (!actor || !roleAtLeast(actor.role, spec.access)) {
      const gate = await refusalGate().refuse({ userId: actor?.id, address: clientAddress(req.headers) }, spec.name);
      if (gate.record) {
        await recordAudit({
          actor,
          action: spec.name,
          target: req.nextUrl.pathname,
          params: { query: Object.fromEntries(req.nextUrl.searchParams), ...(gate.suppressed ? { unrecordedBefore: gate.suppressed } : {}) },
          result: 'forbidden',
          error: actor ? `requires ${spec.access}` : 'not signed in',
          durationMs: performance.now() - started,
        });
      }
      if (gate.throttled) return plain(429, `Too many refused requests; try again in ${gate.retryAfterS} s.`, { 'Retry-After': String(gate.retryAfterS) });
      return NextResponse.json(
        { error: actor ? `This needs the ${spec.access} role.` : 'Sign in first.' },
        { status: actor ? 403 : 401, headers: { 'Cache-Control': 'no-store' } },
      );
    }
    return spec.handler(req, { actor, params });
  };
  return Object.assign(route, { routeName: spec.name, access: spec.access });
}

function plain(status: number, error: string, headers: Record<string, string> = {}): Response {
  return NextResponse.json({ error }, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}
