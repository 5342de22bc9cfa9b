'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import type { MonitorSnapshot } from '@/lib/monitor/stream';

/**
 * One monitor stream per browser tab, however many parts of the page show
 * Azure Monitor (the alerts panel and every cluster card): the stream opens
 * with the first of them and closes with the last.
 */
interface StreamState {
  latest?: MonitorSnapshot;
  live: boolean;
}

let state: StreamState = { live: false };
let source: EventSource | undefined;
const listeners = new Set<() => void>();

function set(next: Partial<StreamState>) {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!source) {
    source = new EventSource('/monitor/stream');
    source.addEventListener('open', () => set({ live: true }));
    source.addEventListener('error', () => set({ live: false }));
    source.addEventListener('monitor', (e) => set({ latest: JSON.parse((e as MessageEvent<string>).data) as MonitorSnapshot }));
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      source?.close();
      source = undefined;
      state = { live: false, latest: state.latest };
    }
  };
}

const serverState: StreamState = { live: false };

/** The newest of the page's own snapshot and the stream's, whether the stream is live, and a clock for ages. */
export function useMonitorSnapshot(initial: MonitorSnapshot): { snap: MonitorSnapshot; live: boolean; now: number } {
  const s = useSyncExternalStore(subscribe, () => state, () => serverState);
  const snap = s.latest && s.latest.at >= initial.at ? s.latest : initial;
  const [clock, setClock] = useState(initial.at);
  useEffect(() => {
    const timer = setInterval(() => setClock(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  // A snapshot just received was assembled a moment ago: ages count from it until the clock ticks past.
  const now = Math.max(clock, snap.at);
  return { snap, live: s.live, now };
}
