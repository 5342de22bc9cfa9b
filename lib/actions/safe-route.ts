import { NextResponse, type NextRequest } from 'next/server';
import { currentActor, roleAtLeast, type Actor, type Role } from '../auth';
import { recordAudit } from '../audit';

/**
 * The one way to declare a route handler. Like actions, the session and role
 * are checked here, in the handler itself, before anything else runs.
 * `access: 'public'` is for the sign-in flow only, and says so in the code.
 */
export type RouteAccess = 'public' | Role;

export interface RouteSpec<C> {
  name: string;
  access: RouteAccess;
  handler: (req: NextRequest, ctx: { actor: Actor | null; params: C }) => Promise<Response>;
}

export function defineRoute<C = unknown>(spec: RouteSpec<C>) {
  const route = async (req: NextRequest, routeCtx?: { params?: Promise<C> }): Promise<Response> => {
    const params = (await routeCtx?.params) as C;
    if (spec.access === 'public') return spec.handler(req, { actor: await currentActor(), params });
    const started = performance.now();
    const actor = await currentActor();
    if (!actor || !roleAtLeast(actor.role, spec.access)) {
      await recordAudit({
        actor,
        action: spec.name,
        target: req.nextUrl.pathname,
        params: Object.fromEntries(req.nextUrl.searchParams),
        result: 'forbidden',
        error: actor ? `requires ${spec.access}` : 'not signed in',
        durationMs: performance.now() - started,
      });
      return NextResponse.json(
        { error: actor ? `This needs the ${spec.access} role.` : 'Sign in first.' },
        { status: actor ? 403 : 401, headers: { 'Cache-Control': 'no-store' } },
      );
    }
    return spec.handler(req, { actor, params });
  };
  return Object.assign(route, { routeName: spec.name, access: spec.access });
}
