/**
 * Streamed at once, before any page's data: the frame and navigation appear
 * while the page reads its upstream APIs (each read has its own deadline).
 */
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-3 py-2">
      <span className="sr-only">Loading…</span>
      <div className="h-6 w-48 rounded bg-slate-200" />
      <div className="h-32 rounded-lg bg-slate-100" />
      <div className="h-32 rounded-lg bg-slate-100" />
    </div>
  );
}
