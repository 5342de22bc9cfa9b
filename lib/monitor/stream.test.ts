import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../events/hub';
import { openMonitorStream, type MonitorSnapshot } from './stream';

/** The monitor stream rides the event hub: one poller for every browser, a snapshot sent per change. */
const snap = (firing: number, at = 0) => ({ alerts: { status: 'ok', value: { alerts: Array.from({ length: firing }, (_, i) => ({ id: `a${i}` })) } }, zones: { status: 'ok', value: [] }, at }) as unknown as MonitorSnapshot;

/** Reads a stream until it closes; its `monitor` events. */
async function events(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const reader = stream.getReader();
  const chunks: string[] = [];
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    chunks.push(new TextDecoder().decode(r.value));
  }
  return chunks.join('').split('\n\n').filter((b) => b.startsWith('event: monitor'));
}

describe('the monitor stream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fifty browsers cost one poller; each gets the snapshot once per change, not per poll', async () => {
    const hub = new EventHub();
    let current = snap(0);
    const polled = vi.fn(async () => ({ fingerprint: JSON.stringify({ ...current, at: undefined }) }));
    hub.register({ topic: 'alerts', intervalMs: 1_000, read: polled });
    const reads = vi.fn(async () => current);
    const aborts = Array.from({ length: 50 }, () => new AbortController());
    const streams = aborts.map((a) => openMonitorStream(hub, a.signal, reads));
    const results = Promise.all(streams.map(events));
    await vi.advanceTimersByTimeAsync(3_000);
    current = snap(1, 5); // an alert fires
    await vi.advanceTimersByTimeAsync(3_000);
    current = snap(1, 9); // the same answer, assembled later: not news
    await vi.advanceTimersByTimeAsync(3_000);
    aborts.forEach((a) => a.abort());
    const all = await results;
    // One poller for the topic, about one read per second, whatever the number of browsers.
    expect(polled.mock.calls.length).toBeLessThanOrEqual(10);
    // A browser reads the (cached) snapshot when it connects and when the hub announces a change, not per poll.
    expect(reads.mock.calls.length).toBe(50 * 2);
    for (const e of all) {
      expect(e).toHaveLength(2); // the first snapshot, then the fired alert
      expect(e[1]).toContain('"id":"a0"');
    }
    expect(hub.listenersOf('alerts')).toBe(0);
  });
});
