import { getConfig } from '../config';
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

/** How often the stream looks at the shared reads (they refresh upstream at most every MONITOR_REFRESH_SECONDS). */
export const STREAM_TICK_MS = 5000;

/**
 * Server-sent events with the monitor snapshot: the shared reads are looked at
 * every few seconds and a `monitor` event goes out when something changed, so a
 * fired alert appears without a reload. Every browser shares the same cached
 * reads; a connection costs no upstream call of its own.
 */
export function openMonitorStream(signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      signal.addEventListener('abort', close, { once: true });
      const tick = async () => {
        if (signal.aborted) return;
        try {
          const snap = await getMonitorSnapshot();
          const body = JSON.stringify({ ...snap, at: undefined });
          if (body !== last) {
            last = body;
            controller.enqueue(encoder.encode(`event: monitor\ndata: ${JSON.stringify(snap)}\n\n`));
          } else {
            controller.enqueue(encoder.encode(': keep-alive\n\n'));
          }
        } catch {
          controller.enqueue(encoder.encode(': read failed; retrying\n\n'));
        }
        if (!signal.aborted) timer = setTimeout(() => void tick(), Math.min(STREAM_TICK_MS, getConfig().monitor.refreshMs));
      };
      void tick();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}
