import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub, openEventStream } from './hub';

describe('the event hub: one poller per topic, shared by every open page', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function source() {
    let value = 'a';
    const read = vi.fn(async () => ({ fingerprint: value }));
    return { read, set: (v: string) => (value = v) };
  }

  it('reads nothing while nobody listens, and the same with fifty listeners as with one', async () => {
    const one = new EventHub();
    const fifty = new EventHub();
    const a = source();
    const b = source();
    one.register({ topic: 'clusters', intervalMs: 1000, read: a.read });
    fifty.register({ topic: 'clusters', intervalMs: 1000, read: b.read });
    await vi.advanceTimersByTimeAsync(5000);
    expect(a.read).not.toHaveBeenCalled();
    one.subscribe(['clusters'], () => undefined);
    for (let i = 0; i < 50; i++) fifty.subscribe(['clusters'], () => undefined);
    await vi.advanceTimersByTimeAsync(10_500);
    expect(a.read.mock.calls.length).toBe(11);
    expect(b.read.mock.calls.length).toBe(a.read.mock.calls.length);
  });

  it('announces a change once to every listener, nothing when the read is the same, and stops with the last listener', async () => {
    const hub = new EventHub();
    const s = source();
    hub.register({ topic: 'operations', intervalMs: 1000, read: s.read });
    const seen: string[][] = [[], []];
    const offs = seen.map((list) => hub.subscribe(['operations'], (e) => list.push(e.topic)));
    const other: string[] = [];
    hub.subscribe(['jobs'], (e) => other.push(e.topic));
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toEqual([[], []]);
    s.set('b');
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([['operations'], ['operations']]);
    expect(other).toEqual([]);
    offs.forEach((off) => off());
    const calls = s.read.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.read.mock.calls.length).toBe(calls);
  });

  it('polls faster while something is in progress', async () => {
    const hub = new EventHub();
    const read = vi.fn(async () => ({ fingerprint: 'x', busy: true }));
    hub.register({ topic: 'power-runs', intervalMs: 5000, busyMs: 500, read });
    hub.subscribe(['power-runs'], () => undefined);
    await vi.advanceTimersByTimeAsync(2100);
    expect(read.mock.calls.length).toBe(5);
  });

  it('a pushed topic (alerts) reaches the pages that follow it as a server-sent event', async () => {
    vi.useRealTimers();
    const hub = new EventHub();
    const ac = new AbortController();
    const reader = openEventStream(hub, ['alerts'], ac.signal).getReader();
    hub.publish('alerts');
    hub.publish('jobs');
    const text = new TextDecoder().decode((await reader.read()).value) + new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('retry: 3000');
    expect(text).toContain('event: alerts');
    expect(text).not.toContain('event: jobs');
    ac.abort();
    expect(hub.listenersOf('alerts')).toBe(0);
  });
});
