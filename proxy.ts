import { NextResponse, type NextRequest } from 'next/server';
import { sameOrigin } from './lib/actions/origin';

/** The largest request body the app reads (a server action's input, a form post). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Security headers and a per-request CSP nonce (Next applies it to its own
 * scripts). Authorisation is NOT done here: every action and route handler
 * checks the session itself (CVE-2025-29927).
 */
export function proxy(request: NextRequest) {
  if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
    // Next's own check of a server action's Origin answers 500; say what happened, before any body is read.
    if (!sameOrigin(request.headers)) return refuse(403, 'This request came from another site, so it was refused. Open the dashboard itself and try again.');
    const length = Number(request.headers.get('content-length') ?? 0);
    if (!Number.isFinite(length) || length > MAX_BODY_BYTES) return refuse(413, `The request body is too large (at most ${MAX_BODY_BYTES / 1024} KB).`);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const https = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  const dev = process.env.NODE_ENV === 'development';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('x-pathname', request.nextUrl.pathname + request.nextUrl.search);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('X-Frame-Options', 'DENY');
  if (https) response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return response;
}

function refuse(status: number, message: string): NextResponse {
  return new NextResponse(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } });
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)', missing: [{ type: 'header', key: 'next-router-prefetch' }] }],
};
