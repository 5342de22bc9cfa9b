import { currentActor, roleAtLeast } from '@/lib/auth';
import { openZoneStream } from '@/lib/zones';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * Server-sent events of the zone matrix. Every browser shares the server's
 * one watch per cluster (lib/zones/stream); the caller is checked here, as
 * actions do (a route handler is a public endpoint).
 */
export async function GET(req: Request): Promise<Response> {
  const actor = await currentActor();
  if (!actor) return Response.json({ error: 'Sign in first.' }, { status: 401, headers: { 'Cache-Control': 'no-store' } });
  if (!roleAtLeast(actor.role, 'Reader')) return Response.json({ error: 'This needs the Reader role.' }, { status: 403, headers: { 'Cache-Control': 'no-store' } });
  return new Response(openZoneStream(req.signal), {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
}
