import 'server-only';
import { FINISHED } from './lock';
import { getDb } from '../db';
import { jobEvents } from './log';

/**
 * A job's log as server-sent events, resumable: each event carries the seq of its last line
 * as its id, so a browser that reconnects (EventSource sends Last-Event-ID) or a client that
 * asks `?after=N` gets exactly the lines after N, from the database — a reconnect loses
 * nothing, whichever instance served the first connection.
 *
 *   event: lines   data: [{seq, at, stream, text}, …]   (up to BATCH lines)
 *   event: status  data: {status}                        (when the job's status changes)
 *   event: end     data: {status, exitCode, lineCount}   (the job is over and every line was sent)
 */
const BATCH = 500;
const KEEPALIVE_MS = 15_000;

/** Where to resume: Last-Event-ID (a reconnect) wins over `?after=`. */
export function resumeAfter(lastEventId: string | null, after: string | null): number {
  for (const v of [lastEventId, after]) {
    if (v !== null && /^\d+$/.test(v.trim())) return Number(v.trim());
  }
  return 0;
}

export function jobLogStream(jobId: string, after: number, options: { pollMs?: number; signal?: AbortSignal } = {}): ReadableStream<Uint8Array> {
  const db = getDb();
  const encoder = new TextEncoder();
  const pollMs = options.pollMs ?? 1000;
  let closed = false;
  let wake: (() => void) | undefined;
  const onEvent = () => wake?.();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: string) => {
        if (!closed) controller.enqueue(encoder.encode(chunk));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        jobEvents().off(`lines:${jobId}`, onEvent);
        jobEvents().off(`status:${jobId}`, onEvent);
        controller.close();
      };
      options.signal?.addEventListener('abort', close, { once: true });
      jobEvents().on(`lines:${jobId}`, onEvent);
      jobEvents().on(`status:${jobId}`, onEvent);
      send('retry: 1000\n\n');
      let last = after;
      let lastStatus = '';
      let quietSince = Date.now();
      try {
        while (!closed) {
          const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true, exitCode: true, lineCount: true } });
          if (!job) {
            send(`event: end\ndata: ${JSON.stringify({ status: 'unknown' })}\n\n`);
            break;
          }
          const lines = await db.jobLine.findMany({ where: { jobId, seq: { gt: last } }, orderBy: { seq: 'asc' }, take: BATCH });
          if (lines.length) {
            last = lines[lines.length - 1].seq;
            send(`id: ${last}\nevent: lines\ndata: ${JSON.stringify(lines.map((l) => ({ seq: l.seq, at: l.at.getTime(), stream: l.stream, text: l.text })))}\n\n`);
            quietSince = Date.now();
          }
          if (job.status !== lastStatus) {
            lastStatus = job.status;
            send(`event: status\ndata: ${JSON.stringify({ status: job.status })}\n\n`);
          }
          if (lines.length === BATCH) continue;
          if (FINISHED.includes(job.status) && last >= job.lineCount) {
            send(`id: ${last}\nevent: end\ndata: ${JSON.stringify({ status: job.status, exitCode: job.exitCode, lineCount: job.lineCount })}\n\n`);
            break;
          }
          if (Date.now() - quietSince > KEEPALIVE_MS) {
            send(': keepalive\n\n');
            quietSince = Date.now();
          }
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, pollMs);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          wake = undefined;
        }
      } catch (err) {
        console.error(`job ${jobId}: log stream failed`, err);
      }
      close();
    },
    cancel() {
      closed = true;
      jobEvents().off(`lines:${jobId}`, onEvent);
      jobEvents().off(`status:${jobId}`, onEvent);
      wake?.();
    },
  });
}
