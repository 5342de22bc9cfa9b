import { describe, expect, it } from 'vitest';
import { SharedReads } from './shared-read';

describe('SharedReads', () => {
  it('coalesces concurrent reads into one load', async () => {
    const reads = new SharedReads();
    let calls = 0;
    const load = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 10));
      return calls;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => reads.read('k', 1000, load)));
    expect(calls).toBe(1);
    expect(results.every((r) => r.value === 1 && !r.stale)).toBe(true);
  });

  it('reloads after the TTL and keeps the last good value as stale on failure', async () => {
    let t = 0;
    const reads = new SharedReads(() => t);
    await reads.read('k', 100, async () => 'good');
    t = 50;
    expect((await reads.read('k', 100, async () => 'unused')).value).toBe('good');
    t = 200;
    const failed = await reads.read('k', 100, async () => {
      throw new Error('boom');
    });
    expect(failed).toMatchObject({ value: 'good', fetchedAt: 0, stale: true });
    expect(String(failed.error)).toContain('boom');
    // The failure is remembered for the TTL: no new call.
    let called = false;
    await reads.read('k', 100, async () => {
      called = true;
      return 'x';
    });
    expect(called).toBe(false);
  });

  it('invalidate forces the next read to load', async () => {
    const reads = new SharedReads();
    await reads.read('cluster:app1', 60_000, async () => 1);
    reads.invalidate('cluster:app1');
    expect((await reads.read('cluster:app1', 60_000, async () => 2)).value).toBe(2);
  });

  it('after an invalidation, a failed refresh shows the last answer with its real age', async () => {
    let t = 1_000;
    const reads = new SharedReads(() => t);
    await reads.read('k', 100, async () => 'good');
    reads.invalidate('k');
    t = 1_050;
    const r = await reads.read('k', 100, async () => {
      throw new Error('boom');
    });
    expect(r).toMatchObject({ value: 'good', fetchedAt: 1_000, stale: true });
    expect(Number.isFinite(t - r.fetchedAt!)).toBe(true);
    expect(new Date(r.fetchedAt!).toISOString()).toBe('1970-01-01T00:00:01.000Z');
  });

  it('a slow refresh does not hold the reader: the last answer comes back at the wait, the refresh fills the cache', async () => {
    const reads = new SharedReads(Date.now, { staleWaitMs: 30, deadlineMs: 5_000 });
    await reads.read('k', 1, async () => 'old');
    await new Promise((r) => setTimeout(r, 5));
    let finish!: (v: string) => void;
    const slow = new Promise<string>((r) => (finish = r));
    const started = Date.now();
    const r = await reads.read('k', 1, () => slow);
    expect(Date.now() - started).toBeLessThan(500);
    expect(r).toMatchObject({ value: 'old', stale: true, refreshing: true });
    finish('new');
    await slow;
    await new Promise((r) => setTimeout(r, 0));
    expect((await reads.read('k', 60_000, async () => 'unused')).value).toBe('new');
  });

  it('a first read with no answer at the deadline fails as a deadline, not a hang', async () => {
    const reads = new SharedReads(Date.now, { staleWaitMs: 10, deadlineMs: 40 });
    const r = await reads.read('k', 1000, () => new Promise(() => undefined));
    expect(r).toMatchObject({ value: undefined, stale: true, refreshing: true });
    expect(r.error).toMatchObject({ kind: 'upstream', code: 'ReadDeadline' });
  });
});

describe('SharedReads after an invalidation', () => {
  it('waits for the fresh answer (a command reads to decide), up to the deadline', async () => {
    const reads = new SharedReads(Date.now, { staleWaitMs: 10, deadlineMs: 5_000 });
    await reads.read('k', 60_000, async () => 'before');
    reads.invalidate('k');
    const r = await reads.read('k', 60_000, () => new Promise<string>((resolve) => setTimeout(() => resolve('after'), 60)));
    expect(r).toMatchObject({ value: 'after', stale: false });
  });
});

describe('SharedReads and a read already on its way', () => {
  it('an invalidation starts a new read: the one that began before it is not served after it', async () => {
    const reads = new SharedReads(Date.now, { staleWaitMs: 10, deadlineMs: 5_000 });
    await reads.read('k', 1, async () => 'v0');
    await new Promise((r) => setTimeout(r, 5));
    let finishOld!: (v: string) => void;
    const before = reads.read('k', 1, () => new Promise<string>((r) => (finishOld = r)));
    expect((await before).refreshing).toBe(true);
    reads.invalidate('k');
    const after = reads.read('k', 60_000, async () => 'v2');
    finishOld('v1');
    expect((await after).value).toBe('v2');
    await new Promise((r) => setTimeout(r, 0));
    expect((await reads.read('k', 60_000, async () => 'unused')).value).toBe('v2');
  });
});
