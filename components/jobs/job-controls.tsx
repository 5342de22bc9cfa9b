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
