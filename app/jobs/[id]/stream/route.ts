import { NextResponse } from 'next/server';
import { defineRoute } from '@/lib/actions/safe-route';
import { getJob } from '@/lib/jobs';
import { jobLogStream, resumeAfter } from '@/lib/jobs/stream';

export const dynamic = 'force-dynamic';

/** A job's log as server-sent events, resumable from Last-Event-ID or ?after=N (lib/jobs/stream.ts). */
export const GET = defineRoute<{ id: string }>({
  name: 'jobs.stream',
  access: 'Reader',
  handler: async (req, { params }) => {
    const job = await getJob(params.id);
    if (!job) return NextResponse.json({ error: 'No such job.' }, { status: 404 });
    const after = resumeAfter(req.headers.get('last-event-id'), req.nextUrl.searchParams.get('after'));
    return new Response(jobLogStream(job.id, after, { signal: req.signal }), {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    });
  },
});
