'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ServerAction } from './types';

/** Cancel (interrupt, then terminate after the grace period). */
export function CancelJobButton({ jobId, action, whyNot }: { jobId: string; action: ServerAction<{ jobId: string }>; whyNot?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="flex items-center gap-2">
      <button type="button" disabled={pending || Boolean(whyNot)} title={whyNot}
        className="rounded bg-amber-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-700 disabled:cursor-not-allowed disabled:bg-slate-300"
        onClick={() => startTransition(async () => {
          const r = await action({ jobId });
          setError(r.ok ? null : r.error.message);
          router.refresh();
        })}>
        Cancel
      </button>
      {error && <span role="alert" className="text-sm text-rose-700">{error}</span>}
    </span>
  );
}

/** Apply a reviewed plan: the summary is on screen above it; one more confirmation, then the job page. */
export function ApplyPlanButton({ planJobId, summary, action, whyNot }: { planJobId: string; summary: string; action: ServerAction<{ planJobId: string }>; whyNot?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="flex items-center gap-2">
      <button type="button" disabled={pending || Boolean(whyNot)} title={whyNot}
        className="rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:cursor-not-allowed disabled:bg-slate-300"
        onClick={() => {
          if (!window.confirm(`Apply this plan? ${summary}`)) return;
          startTransition(async () => {
            const r = await action({ planJobId });
            if (r.ok) router.push(`/jobs/${(r.data as { jobId: string }).jobId}`);
            else setError(r.error.code ? `${r.error.code}: ${r.error.message}` : r.error.message);
          });
        }}>
        Apply this plan
      </button>
      {error && <span role="alert" className="text-sm text-rose-700">{error}</span>}
    </span>
  );
}

/**
 * Force unlock a lock whose job was cut off (as `tofu force-unlock`): the lock's job is named by
 * the page, the environment's name is typed to confirm.
 */
export function ForceUnlockForm({ jobId, environmentName, action, whyNot }: { jobId: string; environmentName: string; action: ServerAction<{ jobId: string; confirm: string }>; whyNot?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      aria-label="force unlock"
      className="mt-3 flex flex-wrap items-end gap-3 border-t border-slate-100 pt-3"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const r = await action({ jobId, confirm });
          setError(r.ok ? null : r.error.message);
          router.refresh();
        });
      }}
    >
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-xs text-slate-500">Type <code className="font-mono">{environmentName}</code> to force unlock</span>
        <input aria-label="Environment name to force unlock" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" className="rounded border border-slate-300 px-2 py-1 font-mono" />
      </label>
      <button type="submit" disabled={pending || Boolean(whyNot) || confirm !== environmentName} title={whyNot}
        className="rounded bg-rose-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-700 disabled:cursor-not-allowed disabled:bg-slate-300">
        Force unlock
      </button>
      {whyNot && <span className="text-xs text-slate-500">{whyNot}</span>}
      {error && <span role="alert" className="text-sm text-rose-700">{error}</span>}
    </form>
  );
}
