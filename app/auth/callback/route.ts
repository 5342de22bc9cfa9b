import { NextResponse } from 'next/server';
import { defineRoute } from '@/lib/actions/safe-route';
import { finishSignIn, SignInError, STATE_COOKIE } from '@/lib/auth/sign-in';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { publicOrigin } from '@/lib/config';

/** GET /auth/callback: the identity provider returns here with the code (public by nature). */
export const GET = defineRoute({
  name: 'auth.sign-in.callback',
  access: 'public',
  handler: async (req) => {
    const origin = publicOrigin(req.nextUrl.origin);
    try {
      const session = await finishSignIn(origin, req.nextUrl, req.cookies.get(STATE_COOKIE)?.value);
      const res = NextResponse.redirect(new URL(session.returnTo, origin), 303);
      res.cookies.set(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: origin.startsWith('https://'),
        path: '/',
        expires: session.expiresAt,
      });
      res.cookies.delete({ name: STATE_COOKIE, path: '/auth' });
      return res;
    } catch (err) {
      const reason = err instanceof SignInError ? err.reason : 'internal';
      if (!(err instanceof SignInError)) console.error('sign-in failed', err);
      return NextResponse.redirect(new URL(`/auth/error?reason=${encodeURIComponent(reason)}`, origin), 303);
    }
  },
});
