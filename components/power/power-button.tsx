'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';

export type ActionResult = { ok: true; data: unknown } | { ok: false; error: { kind: string; message: string; code?: string } };
export type ServerAction<I> = (input: I) => Promise<ActionResult>;

interface Props<I> {
  label: string;
  action: ServerAction<I>;
  input: I;
  /** When set, the button is unavailable and says why. */
  disabledReason?: string;
  confirm?: string;
  variant?: 'danger' | 'primary';
  /** How to summarise a successful result: `environment` lists each cluster's outcome. */
  summary?: 'environment';
  /** Cluster key → resource name, so a summary names clusters as every page does. */
  clusterNames?: Record<string, string>;
}

type EnvResult = { cluster: string; outcome: string; reason?: string }[];

function summarise(kind: Props<unknown>['summary'], data: unknown, names: Record<string, string> = {}): string | null {
  if (kind !== 'environment') return null;
  return (data as EnvResult).map((r) => `${names[r.cluster] ?? r.cluster}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`).join(' · ');
}

export function PowerButton<I>({ label, action, input, disabledReason, confirm, variant = 'primary', summary, clusterNames }: Props<I>) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const disabled = Boolean(disabledReason) || pending;
  const tone =
    variant === 'danger'
      ? 'bg-rose-600 hover:bg-rose-700 disabled:bg-slate-300'
      : 'bg-emerald-600 hover:bg-emerald-700 disabled:bg-slate-300';

  function onClick() {
    if (confirm && !window.confirm(confirm)) return;
    setMessage(null);
    startTransition(async () => {
      const result = await action(input);
      if (result.ok) {
        const text = summarise(summary, result.data, clusterNames);
        if (text) setMessage({ ok: true, text });
      } else {
        setMessage({ ok: false, text: result.error.code ? `${result.error.code}: ${result.error.message}` : result.error.message });
      }
      router.refresh();
    });
  }

  return (
    <div className="flex flex-col gap-1">
      <button
        type="button"
        onClick={onClick}
        disabled={disabled}
        title={disabledReason}
        className={`rounded px-3 py-1.5 text-sm font-medium text-white disabled:cursor-not-allowed ${tone}`}
      >
        {pending ? `${label}…` : label}
      </button>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={`max-w-md text-xs ${message.ok ? 'text-slate-600' : 'text-rose-700'}`}>
          {message.text}
        </p>
      )}
    </div>
  );
}
