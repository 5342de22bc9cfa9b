import { Suspense, type ReactNode } from 'react';
import { toUserError } from '@/lib/errors';
import { RetryButton, SectionBoundary } from './section-boundary';

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

/**
 * `Streamed` in its own `<Suspense>` and error boundary: the usual way a page declares a section.
 * `fallback` replaces the loading placeholder (a heading that shows what it can before its data, say).
 */
export function Section<T>({ data, label, fallback, children }: { data: Promise<T>; label: string; fallback?: ReactNode; children: (value: T) => ReactNode }) {
  return (
    <SectionBoundary label={label}>
      <Suspense fallback={fallback ?? <SectionLoading label={label} />}>
        <Streamed data={data} label={label}>{children}</Streamed>
      </Suspense>
    </SectionBoundary>
  );
}

/**
 * Starts a read for a section. A read that fails is shown by its own section; this keeps it from counting as
 * unhandled while the section has not yet awaited it.
 */
export function started<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
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
      <RetryButton label={label} />
    </div>
  );
}
