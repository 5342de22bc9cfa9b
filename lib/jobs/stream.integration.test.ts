import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/** Resumable log streaming: from `after=N` (or Last-Event-ID) exactly the missing lines, then `end`. */
let twin: Twin;
let stream: typeof import('./stream');
let db: ReturnType<typeof import('../db').getDb>;
let events: typeof import('./log');

interface Event {
  id?: string;
  event: string;
  data: string;
}

async function readEvents(body: ReadableStream<Uint8Array>, stopAt = 'end'): Promise<Event[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const out: Event[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    buffer += decoder.decode(value, { stream: true });
    let i: number;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const e: Event = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) e.id = line.slice(4);
        else if (line.startsWith('event: ')) e.event = line.slice(7);
        else if (line.startsWith('data: ')) e.data += line.slice(6);
      }
      if (e.data || e.id) out.push(e);
      if (e.event === stopAt) {
        await reader.cancel();
        return out;
      }
    }
  }
}

const seqs = (evs: Event[]) => evs.filter((e) => e.event === 'lines').flatMap((e) => (JSON.parse(e.data) as { seq: number }[]).map((l) => l.seq));

async function makeJob(id: string, status: string, n: number) {
  await db.job.create({ data: { id, kind: 'addons-dry-run', args: '{"kind":"addons-dry-run","cluster":"app1"}', environment: 'k8s-demo', mutating: false, simulated: false, status, actorName: 't', instance: 'x', lineCount: n, createdAt: new Date() } });
  const at = new Date();
  await db.jobLine.createMany({ data: Array.from({ length: n }, (_, i) => ({ jobId: id, seq: i + 1, at, stream: 'out', text: `line ${i + 1}` })) });
}

beforeAll(async () => {
  ({ twin } = await startHarness());
  stream = await import('./stream');
  events = await import('./log');
  db = (await import('../db')).getDb();
});

afterAll(async () => {
  await twin.close();
});

describe('job log stream (SSE)', () => {
  it('resumes from after=N with exactly the missing lines, in batches, each event id = its last seq', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    await makeJob(id, 'succeeded', 1234);
    const evs = await readEvents(stream.jobLogStream(id, 1000));
    expect(seqs(evs)).toEqual(Array.from({ length: 234 }, (_, i) => 1001 + i));
    const full = await readEvents(stream.jobLogStream(id, 0));
    expect(seqs(full)).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
    const batches = full.filter((e) => e.event === 'lines');
    expect(batches.map((b) => b.id)).toEqual(['500', '1000', '1234']);
    expect(JSON.parse(full[full.length - 1].data)).toMatchObject({ status: 'succeeded', lineCount: 1234 });
  });

  it('a live job: lines arrive as they are flushed; a reconnect from the last id loses nothing and repeats nothing', async () => {
    const id = '00000000-0000-4000-8000-000000000002';
    await makeJob(id, 'running', 3);
    const first = stream.jobLogStream(id, 0, { pollMs: 50 });
    const reader = first.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    while (!seen.includes('id: 3\n')) seen += decoder.decode((await reader.read()).value, { stream: true });
    // The connection drops; meanwhile the job writes more and ends.
    await reader.cancel();
    await db.jobLine.createMany({ data: [4, 5, 6].map((seq) => ({ jobId: id, seq, at: new Date(), stream: 'err', text: `late ${seq}` })) });
    await db.job.update({ where: { id }, data: { lineCount: 6, status: 'failed', exitCode: 2 } });
    events.jobEvents().emit(`lines:${id}`);
    const resumed = await readEvents(stream.jobLogStream(id, stream.resumeAfter('3', '1'), { pollMs: 50 }));
    expect(seqs(resumed)).toEqual([4, 5, 6]);
    expect(resumed.at(-1)).toMatchObject({ event: 'end' });
    expect(JSON.parse(resumed.at(-1)!.data)).toMatchObject({ status: 'failed', exitCode: 2 });
  });

  it('wakes on a flush in this process without waiting for the poll', async () => {
    const id = '00000000-0000-4000-8000-000000000003';
    await makeJob(id, 'running', 0);
    const got = readEvents(stream.jobLogStream(id, 0, { pollMs: 60_000 }), 'lines');
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await db.jobLine.create({ data: { jobId: id, seq: 1, at: new Date(), stream: 'out', text: 'hello' } });
    events.jobEvents().emit(`lines:${id}`);
    expect(seqs(await got)).toEqual([1]);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('Last-Event-ID wins over ?after=, and garbage means from the start', () => {
    expect(stream.resumeAfter('42', '7')).toBe(42);
    expect(stream.resumeAfter(null, '7')).toBe(7);
    expect(stream.resumeAfter('x', null)).toBe(0);
    expect(stream.resumeAfter(null, '-3')).toBe(0);
  });
});
