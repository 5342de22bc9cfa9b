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
});
