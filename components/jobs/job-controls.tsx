'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ActionButton, errorText, type ServerAction } from '../ui/action';

/** Cancel (interrupt, then terminate after the grace period). */
export function CancelJobButton({ jobId, action, whyNot }: { jobId: string; action: ServerAction<{ jobId: string }>; whyNot?: string }) {
  return <ActionButton label="Cancel" busyLabel="Cancel" action={action} input={{ jobId }} disabledReason={whyNot} tone="warning" layout="inline" />;
}

/** Apply a reviewed plan: the summary is on screen above it; one more confirmation, then the job page. */
export function ApplyPlanButton({ planJobId, summary, action, whyNot }: { planJobId: string; summary: string; action: ServerAction<{ planJobId: string }>; whyNot?: string }) {
  return (
    <ActionButton
      label="Apply this plan"
      busyLabel="Apply this plan"
      action={action}
      input={{ planJobId }}
      disabledReason={whyNot}
      confirm={`Apply this plan? ${summary}`}
      tone="confirm"
      layout="inline"
      navigate={(data) => `/jobs/${(data as { jobId: string }).jobId}`}
    />
  );
}

/**
 * Plan one add-on on one cluster (the releases page, per row): "Plan upgrade" for a release that
 * differs from its pin, "Plan install" for one Helm does not have; goes to the plan's job page.
 */
export function PlanAddOnButton({ cluster, addon, install, action, whyNot }: { cluster: string; addon: string; install: boolean; action: ServerAction<{ cluster: string; addon: string }>; whyNot?: string }) {
  return (
    <ActionButton
      label={install ? 'Plan install' : 'Plan upgrade'}
      action={action}
      input={{ cluster, addon }}
      disabledReason={whyNot}
      tone="small"
      layout="inline"
      navigate={(data) => `/jobs/${(data as { jobId: string }).jobId}`}
    />
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
          setError(r.ok ? null : errorText(r.error));
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
