import 'server-only';
import type { EventHub } from '../events/hub';
import { sseStream } from '../sse';
import { getAlerts, getZoneMetrics, type AlertsView, type Read, type ZoneSeries } from './index';

/** What the live panels of the overview and the zone page show. */
export interface MonitorSnapshot {
  alerts: Read<AlertsView>;
  zones: Read<ZoneSeries[]>;
  at: number;
}

export async function getMonitorSnapshot(): Promise<MonitorSnapshot> {
  const [alerts, zones] = await Promise.all([getAlerts(), getZoneMetrics()]);
  return { alerts, zones, at: Date.now() };
}

/** How often the hub's poller looks at the shared reads (they refresh upstream at most every MONITOR_REFRESH_SECONDS). */
export const STREAM_TICK_MS = 5000;

/** What changes in a snapshot (not the time it was assembled). */
export const snapshotFingerprint = (snap: MonitorSnapshot) => JSON.stringify({ ...snap, at: undefined });

/**
 * Server-sent events with the monitor snapshot. The process's one poller of
 * the event hub's `alerts` topic reads the shared, cached reads (lib/events)
 * and announces a change; each open browser is then sent the snapshot, once
 * per change, so a fired alert appears without a reload. Browsers add no
 * poller and no upstream call of their own.
 */
export function openMonitorStream(hub: EventHub, signal?: AbortSignal, read: () => Promise<MonitorSnapshot> = getMonitorSnapshot): ReadableStream<Uint8Array> {
  return sseStream((emit) => {
    let last = '';
    let closed = false;
    const send = async () => {
      try {
        const snap = await read();
        const body = snapshotFingerprint(snap);
        if (closed || body === last) return;
        last = body;
        emit('monitor', snap);
      } catch {
        // A failed read shows on the page with its age; the next change tries again.
      }
    };
    void send();
    const unsubscribe = hub.subscribe(['alerts'], () => void send());
    return () => {
      closed = true;
      unsubscribe();
    };
  }, signal);
}
