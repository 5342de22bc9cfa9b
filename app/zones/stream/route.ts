import { defineRoute } from '@/lib/actions/safe-route';
import { openZoneStream } from '@/lib/zones';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * Server-sent events of the zone matrix. Every browser shares the server's
 * one watch per cluster (lib/zones/stream); defineRoute checks the caller
 * here, as actions do (a route handler is a public endpoint).
 */
export const GET = defineRoute({
  name: 'zones.stream',
  access: 'Reader',
  handler: async (req) =>
    new Response(openZoneStream(req.signal), {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    }),
});
