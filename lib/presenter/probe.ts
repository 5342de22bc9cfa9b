import 'server-only';
import type { ProbeSample } from '../domain/scenario';

/** How long one probe waits for an answer: longer than this is a failed request for an audience. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * One request to the demo application's public entry, as a visitor makes it:
 * a GET with no credentials, its status and how long the answer took. A
 * refused connection or a timeout is a sample with no status and the reason.
 */
export async function probeOnce(url: string, now: () => number = Date.now): Promise<ProbeSample & { servedBy?: string }> {
  const started = performance.now();
  const at = now();
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.arrayBuffer().catch(() => undefined);
    return { at, status: res.status, latencyMs: Math.round(performance.now() - started), servedBy: res.headers.get('x-served-by') ?? undefined };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string }; message?: string };
    const error = e.name === 'TimeoutError' ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s` : (e.cause?.code ?? e.message ?? 'request failed');
    return { at, status: null, latencyMs: null, error: error.slice(0, 200) };
  }
}
