import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import { waitFor } from '../../test/wait-for';
import type { Twin } from '../../test/twin-harness';

let twin: Twin;

beforeAll(async () => {
  ({ twin } = await startHarness({ profile: 'manual', clockSpeed: 600 }));
  // Each poll reaches ARM (a short cache), so the count says what the poller costs.
  process.env.READ_CACHE_TTL_MS = '100';
});

afterAll(async () => {
  await (await import('../k8s/informer')).informers().stop();
  await twin.close();
});

const armReads = () => twin.requests.filter((r) => r.path.startsWith('/subscriptions/')).length;

describe('cluster events from ARM: one poller per process', () => {
  it('fifty open overviews cost the ARM calls of one, and a stop reaches all of them', async () => {
    const { EventHub, registerProductSources } = await import('./index');
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const measure = async (viewers: number) => {
      const hub = new EventHub();
      registerProductSources(hub, { intervalMs: 300 });
      const seen = Array.from({ length: viewers }, () => 0);
      const offs = seen.map((_, i) => hub.subscribe(['clusters'], () => (seen[i] += 1)));
      await sleep(500);
      twin.requests.length = 0;
      const pollsBefore = hub.reads.get('clusters') ?? 0;
      await sleep(2_000);
      const calls = armReads();
      const polls = (hub.reads.get('clusters') ?? 0) - pollsBefore;
      return { hub, seen, offs, calls, polls };
    };
    const one = await measure(1);
    one.offs.forEach((o) => o());
    one.hub.stop();
    const fifty = await measure(50);
    expect(one.calls).toBeGreaterThan(0);
    expect(one.polls).toBeGreaterThan(0);
    // Counted per poll, not per wall-clock window (a slow machine polls less often): one poller reads for all
    // viewers, so a poll with fifty of them costs the ARM calls of a poll with one. A poll may straddle either end of
    // the window, so up to two polls' calls more are allowed; one poll per viewer would cost fifty times as many.
    const perPoll = one.calls / one.polls;
    expect(fifty.calls).toBeLessThanOrEqual(perPoll * (fifty.polls + 2));
    // And fifty viewers do not make the poller read more often.
    expect(fifty.hub.reads.get('clusters')).toBeLessThanOrEqual(12);

    const { powerCluster } = await import('../power');
    await powerCluster({ id: 'test', name: 'Test Operator', role: 'Operator' } as never, 'stop', 'app2');
    await waitFor(async () => fifty.seen, (s) => s.every((n) => n > 0), 15_000);
    fifty.offs.forEach((o) => o());
  }, 90_000);
});
