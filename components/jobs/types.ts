/** The jobs' views receive server actions as props from the page, typed as every action is. */
export type { ActionResult, ServerAction } from '../ui/action';

export const STATUS_TONE: Record<string, string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-sky-100 text-sky-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-rose-100 text-rose-800',
  cancelled: 'bg-amber-100 text-amber-900',
  interrupted: 'bg-orange-100 text-orange-900',
};
