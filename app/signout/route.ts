import { NextResponse } from 'next/server';
import { defineRoute } from '@/lib/actions/safe-route';
import { signOut } from '@/lib/auth/sign-in';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { publicOrigin } from '@/lib/config';

/** POST /signout: ends the session on the server, then clears the cookie. */
export const POST = defineRoute({
  name: 'auth.sign-out',
  access: 'public',
  handler: async (req, { actor }) => {
    await signOut(req.cookies.get(SESSION_COOKIE)?.value, actor);
    const res = NextResponse.redirect(new URL('/auth/signed-out', publicOrigin(req.nextUrl.origin)), 303);
    res.cookies.delete(SESSION_COOKIE);
    return res;
  },
});
