import { defineRoute } from '@/lib/actions/safe-route';
import { openZoneStream } from '@/lib/zones';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** The zone picture's live rows for a share link's audience screen. */
export const GET = defineRoute<{ token: string }>({
  name: 'watch.zones',
  access: 'share-link',
  handler: async (req) =>
    new Response(openZoneStream(req.signal), {
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' },
    }),
});
