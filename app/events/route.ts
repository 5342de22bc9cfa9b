import { defineRoute } from '@/lib/actions/safe-route';
import { isTopic, openEventStream, productEvents, type Topic } from '@/lib/events';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * Server-sent events telling open pages what changed (`?topics=clusters,operations`).
 * Every browser shares the server's one poller per topic (lib/events);
 * defineRoute checks the caller here, as actions do.
 */
export const GET = defineRoute({
  name: 'events.stream',
  access: 'Reader',
  handler: async (req) => {
    const asked = (req.nextUrl.searchParams.get('topics') ?? '').split(',').filter(Boolean);
    const unknown = asked.filter((t) => !isTopic(t));
    if (!asked.length || unknown.length || asked.length > 16) {
      return new Response(`Name one or more topics to follow${unknown.length ? `; unknown: ${unknown.slice(0, 5).join(', ').slice(0, 200)}` : ''}.`, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    return new Response(openEventStream(productEvents(), [...new Set(asked)] as Topic[], req.signal), {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    });
  },
});
