import { defineRoute } from '@/lib/actions/safe-route';
import { productEvents } from '@/lib/events';
import { openMonitorStream } from '@/lib/monitor/stream';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Server-sent events of Azure Monitor's alerts and zone series (lib/monitor/stream), for signed-in readers; fed by the hub's one poller. */
export const GET = defineRoute({
  name: 'monitor.stream',
  access: 'Reader',
  handler: async (req) =>
    new Response(openMonitorStream(productEvents(), req.signal), {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    }),
});
