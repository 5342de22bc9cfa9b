import type { ReactNode } from 'react';
import { toUserError } from '@/lib/errors';

/**
 * One section of a page that streams on its own: the page's frame is sent at
 * once, each section inside its own `<Suspense>` shows `SectionLoading` until
 * its reads arrive, and a read that fails shows here, in its section only.
 */
export async function Streamed<T>({ data, label, children }: { data: Promise<T>; label: string; children: (value: T) => ReactNode }) {
  let value: T;
  try {
    value = await data;
  } catch (error) {
    return <SectionError label={label} message={toUserError(error).message} />;
  }
  return children(value);
}

export function SectionLoading({ label }: { label: string }) {
  return (
    <div role="status" aria-label={`loading ${label}`} className="animate-pulse rounded-lg border border-slate-200 bg-white p-4">
      <span className="sr-only">Loading {label}…</span>
      <div className="mb-2 h-4 w-40 rounded bg-slate-200" />
      <div className="h-16 rounded bg-slate-100" />
    </div>
  );
}

export function SectionError({ label, message }: { label: string; message: string }) {
  return (
    <div role="alert" aria-label={`${label} failed`} className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900">
      Could not read the {label}: {message}
    </div>
  );
}
