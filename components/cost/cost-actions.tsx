'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ActionButton, type ActionResult, type ServerAction } from '../ui/action';

export type { ActionResult } from '../ui/action';
export type GuardSettingsInput = { enabled: boolean; action: 'notify' | 'power-down' };

/** The budget guard's settings form (Admin only; the action checks the role itself). */
export function GuardForm({ initial, save }: { initial: GuardSettingsInput; save: (i: GuardSettingsInput) => Promise<ActionResult> }) {
  const router = useRouter();
  const [enabled, setEnabled] = useState(initial.enabled);
  const [action, setAction] = useState(initial.action);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <form
      aria-label="budget guard"
      className="flex flex-wrap items-center gap-4 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const r = await save({ enabled, action });
          setMessage(r.ok ? { ok: true, text: 'Saved.' } : { ok: false, text: r.error.message });
          router.refresh();
        });
      }}
    >
      <label className="flex items-center gap-2">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Guard on
      </label>
      <label className="flex items-center gap-2">
        When the forecast crosses the budget
        <select value={action} onChange={(e) => setAction(e.target.value === 'power-down' ? 'power-down' : 'notify')} className="rounded border border-slate-300 px-2 py-1">
          <option value="notify">notify only</option>
          <option value="power-down">power the environment down</option>
        </select>
      </label>
      <button type="submit" disabled={pending} className="rounded bg-slate-800 px-3 py-1.5 font-medium text-white disabled:bg-slate-300">
        {pending ? 'Saving…' : 'Save guard'}
      </button>
      {message && (
        <span role={message.ok ? 'status' : 'alert'} className={message.ok ? 'text-slate-600' : 'text-rose-700'}>
          {message.text}
        </span>
      )}
    </form>
  );
}

/** Asks for fresh Cost Management answers now (refused within the minimum interval or while throttled). */
export function RefreshButton({ refresh }: { refresh: ServerAction<Record<string, never>> }) {
  return (
    <ActionButton
      label="Refresh cost data"
      busyLabel="Refreshing…"
      action={refresh}
      input={{}}
      tone="small"
      layout="inline"
      describe={(data) => (data as { answer: string; refreshed: boolean; reason?: string }[]).map((x) => `${x.answer}: ${x.refreshed ? 'refreshed' : `not refreshed (${x.reason})`}`).join(' · ')}
    />
  );
}
