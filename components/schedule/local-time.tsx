'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => undefined;

/** A time in the viewer's own zone (the browser's), next to the schedule's zone. */
export function LocalTime({ iso }: { iso: string }) {
  const text = useSyncExternalStore(
    subscribe,
    () => new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso)),
    () => '',
  );
  return <span className="text-slate-500">{text ? `your time: ${text}` : ''}</span>;
}
