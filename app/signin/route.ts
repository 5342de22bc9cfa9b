import { NextResponse } from 'next/server';
import { defineRoute } from '@/lib/actions/safe-route';
import { startSignIn, STATE_COOKIE } from '@/lib/auth/sign-in';
import { allowSignInStart, clientAddress } from '@/lib/actions/refusals';
import { publicOrigin } from '@/lib/config';

/** GET /signin[?login_hint=…&returnTo=/path]: starts the OpenID Connect sign-in (public by nature). */
export const GET = defineRoute({
  name: 'auth.sign-in.start',
  access: 'public',
  handler: async (req) => {
    const q = req.nextUrl.searchParams;
    // Each start stores a pending request: limited per address like refused calls.
    const limit = await allowSignInStart(clientAddress(req.headers));
    if (!limit.allowed) {
      return new NextResponse(`Too many sign-in attempts from this address; try again in ${limit.retryAfterS} s.`, {
        status: 429,
        headers: { 'Retry-After': String(limit.retryAfterS), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      });
    }
    const origin = publicOrigin(req.nextUrl.origin);
    try {
      const { url, state } = await startSignIn(origin, { loginHint: q.get('login_hint') ?? undefined, returnTo: q.get('returnTo') ?? undefined });
      const res = NextResponse.redirect(url, 302);
      res.cookies.set(STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', secure: origin.startsWith('https://'), path: '/auth', maxAge: 600 });
      return res;
    } catch (err) {
      console.error('sign-in could not start', err);
      return NextResponse.redirect(new URL('/auth/error?reason=provider-unreachable', origin), 303);
    }
  },
});
