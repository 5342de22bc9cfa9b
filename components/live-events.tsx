'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/**
 * Re-renders the page's server components when the server says something it
 * shows has changed (server-sent events from `/events`), never on a timer.
 * Changes arriving together cause one refresh.
 */
export function LiveEvents({ topics, source: base = '/events' }: { topics: string[]; source?: string }) {
  const router = useRouter();
  const [state, setState] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  const key = topics.join(',');
  useEffect(() => {
    const source = new EventSource(`${base}?topics=${encodeURIComponent(key)}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 100);
    };
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    for (const t of key.split(',')) source.addEventListener(t, changed);
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [router, key, base]);
  return (
    <p role="status" aria-label="page updates" className="sr-only">
      {state === 'live' ? 'Live: this page updates when the server reports a change.' : state === 'connecting' ? 'Connecting to live updates…' : 'Reconnecting to live updates…'}
    </p>
  );
}
