/**
 * Whether a state-changing request comes from this app's own pages. Browsers
 * send Origin on every POST; `Sec-Fetch-Site` says the same where Origin is
 * absent. A request with neither is not from a browser page, so no cookie was
 * lent to another site: it is let through (it still needs a session).
 * The host the browser used is X-Forwarded-Host behind a proxy (App Service's
 * front end, as Next itself reads it), else Host; SERVER_ACTIONS_ALLOWED_ORIGINS
 * adds others, as it does for Next's own server-action check.
 */
export function sameOrigin(headers: Headers, allowed: readonly string[] = allowedOrigins()): boolean {
  const origin = headers.get('origin');
  if (!origin) {
    const site = headers.get('sec-fetch-site');
    return !site || site === 'same-origin' || site === 'none';
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const expected = (headers.get('x-forwarded-host') ?? headers.get('host') ?? '').split(',')[0].trim();
  return (expected !== '' && host === expected) || allowed.includes(host);
}

function allowedOrigins(): string[] {
  return (process.env.SERVER_ACTIONS_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
