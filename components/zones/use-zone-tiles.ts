'use client';

import { useEffect, useState } from 'react';
import type { ClusterZonesTile } from '@/lib/zones';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * The clusters' zone rows, live: starts from the server's snapshot, then
 * applies each row the server relays from its shared Kubernetes watches
 * (`/zones/stream`). Used by the zone page and the presenter's picture.
 */
export function useZoneTiles(initial: ClusterZonesTile[], url = '/zones/stream'): { tiles: ClusterZonesTile[]; live: LiveState; receivedAt: number | null } {
  const [tiles, setTiles] = useState<ClusterZonesTile[]>(initial);
  const [live, setLive] = useState<LiveState>('connecting');
  const [receivedAt, setReceivedAt] = useState<number | null>(null);
  useEffect(() => {
    const source = new EventSource(url);
    source.onopen = () => setLive('live');
    source.onerror = () => setLive('reconnecting');
    source.addEventListener('cluster', (e) => {
      const tile = JSON.parse((e as MessageEvent<string>).data) as ClusterZonesTile;
      setTiles((prev) => prev.map((t) => (t.key === tile.key ? tile : t)));
      setReceivedAt(Date.now());
    });
    return () => source.close();
  }, [url]);
  return { tiles, live, receivedAt };
}
