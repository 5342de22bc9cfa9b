import 'server-only';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { currentActor, readShareLink, roleAtLeast, type Actor, type Role, type ShareLinkView } from './index';

/**
 * Pages are public HTTP endpoints too. Next renders a page segment without its
 * layout on a client navigation (an RSC request), and keeps streaming a page
 * after the layout has decided to redirect, so the layout is never the
 * boundary: every page asks here, before it reads anything.
 */
export async function requirePageActor(role: Role = 'Reader'): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) {
    const path = (await headers()).get('x-pathname') ?? '/';
    redirect(`/signin?returnTo=${encodeURIComponent(path)}`);
  }
  if (!roleAtLeast(actor.role, role)) redirect(`/auth/error?reason=role&needs=${role}`);
  return actor;
}

export interface PageContext<P> {
  actor: Actor;
  props: P;
}

/**
 * The one way to declare a page that shows data: the session and role are
 * checked first, then `render` runs with the actor. `lib/actions/guards.test.ts`
 * fails for a page that is not declared this way (or listed as public there).
 */
export function definePage<P = Record<string, never>>(role: Role, render: (ctx: PageContext<P>) => Promise<React.ReactNode>) {
  const Page = async (props: P) => {
    const actor = await requirePageActor(role);
    return render({ actor, props });
  };
  return Object.assign(Page, { requiredRole: role });
}

/**
 * A page reached through a share link (`/watch/<token>`): the token is checked
 * first, and an unknown, expired or revoked one is "not found" before anything
 * is read. Such a page shows the audience screen only.
 */
export function defineSharedPage(render: (ctx: { link: ShareLinkView; token: string }) => Promise<React.ReactNode>) {
  const Page = async (props: { params: Promise<{ token?: string }> }) => {
    const { token } = await props.params;
    const link = await readShareLink(token);
    if (!link || !token) notFound();
    return render({ link, token });
  };
  return Object.assign(Page, { requiredRole: 'share-link' as const });
}
