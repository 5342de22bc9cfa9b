import { describe, expect, it } from 'vitest';
import { pickEvidenceEvents } from './spot';

const ev = (reason: string, minute: number, kind = 'Node') => ({ reason, lastTimestamp: new Date(Date.UTC(2026, 11, 4, 10, minute)).toISOString(), involvedObject: { kind } });

describe('the Spot eviction evidence', () => {
  it('keeps the interruption when Karpenter has logged more launches and consolidations since than fit', () => {
    const events = [ev('SpotInterrupted', 0), ...Array.from({ length: 12 }, (_, i) => ev(i % 2 ? 'Launched' : 'DisruptionTerminating', i + 1, i % 2 ? 'NodeClaim' : 'Node'))];
    const picked = pickEvidenceEvents(events);
    expect(picked).toHaveLength(8);
    expect(picked[0].reason).toBe('SpotInterrupted');
    // The rest are the newest, newest first.
    expect(picked.slice(1).map((e) => e.lastTimestamp)).toEqual(events.slice(6).reverse().map((e) => e.lastTimestamp));
  });

  it('shows only events about nodes and NodeClaims, newest first', () => {
    const picked = pickEvidenceEvents([ev('Scheduled', 5, 'Pod'), ev('RegisteredNode', 1), ev('NodeReady', 3)]);
    expect(picked.map((e) => e.reason)).toEqual(['NodeReady', 'RegisteredNode']);
  });
});
