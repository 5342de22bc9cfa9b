import { defineRoute } from '@/lib/actions/safe-route';
import { openEventStream, productEvents } from '@/lib/events';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** The presenter's changes for a share link's audience screen (the `presenter` topic only, whatever is asked). */
export const GET = defineRoute<{ token: string }>({
  name: 'watch.events',
  access: 'share-link',
  handler: async (req) =>
    new Response(openEventStream(productEvents(), ['presenter'], req.signal), {
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' },
    }),
});
