/** What the jobs' client components receive: server actions passed down as props from the page. */
export type ActionResult = { ok: true; data: unknown } | { ok: false; error: { kind: string; message: string; code?: string } };
export type ServerAction<I> = (input: I) => Promise<ActionResult>;

export const STATUS_TONE: Record<string, string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-sky-100 text-sky-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-rose-100 text-rose-800',
  cancelled: 'bg-amber-100 text-amber-900',
  interrupted: 'bg-orange-100 text-orange-900',
};
