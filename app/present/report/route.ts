import { z } from 'zod';
import { defineRoute } from '@/lib/actions/safe-route';
import { toUserError } from '@/lib/errors';
import { getRunReport } from '@/lib/presenter';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** A run's rehearsal report as JSON (`?id=<run>`): steps, who ran them, timings, the stopwatch, the checks' timeline, the probe's answers. */
export const GET = defineRoute({
  name: 'presenter.report',
  access: 'Reader',
  handler: async (req) => {
    const id = z.string().uuid().safeParse(req.nextUrl.searchParams.get('id'));
    if (!id.success) return Response.json({ error: 'Name the run: ?id=<its id>.' }, { status: 400 });
    try {
      const report = await getRunReport(id.data);
      return new Response(JSON.stringify(report, null, 2), {
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Disposition': `attachment; filename="scenario-${report.run.scenarioId}-${id.data.slice(0, 8)}.json"`,
          'Cache-Control': 'no-store',
        },
      });
    } catch (err) {
      const e = toUserError(err);
      return Response.json({ error: e.message }, { status: e.kind === 'not_found' ? 404 : 500 });
    }
  },
});
