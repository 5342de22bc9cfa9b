'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import type { ActionResult as SafeActionResult } from '@/lib/actions/safe-action';

/** What every server action answers (declared once, by the action definer). */
export type ActionResult<T = unknown> = SafeActionResult<T>;
export type ServerAction<I, T = unknown> = (input: I) => Promise<ActionResult<T>>;

/** A refusal or failure as the user reads it: Azure's code first when there is one. */
export const errorText = (error: { message: string; code?: string }) => (error.code ? `${error.code}: ${error.message}` : error.message);

const TONES = {
  primary: 'rounded bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:bg-slate-300',
  confirm: 'rounded bg-emerald-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-800 disabled:bg-slate-300',
  danger: 'rounded bg-rose-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-700 disabled:bg-slate-300',
  warning: 'rounded bg-amber-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-700 disabled:bg-slate-300',
  neutral: 'rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50',
  small: 'rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 disabled:text-slate-400',
} as const;

export interface ActionButtonProps<I> {
  label: string;
  action: ServerAction<I>;
  input: I;
  /** Shown while the action runs (default: the label with an ellipsis). */
  busyLabel?: string;
  /** When set, the button is unavailable and says why. */
  disabledReason?: string;
  /** Asked before running; cancelling changes nothing. */
  confirm?: string;
  tone?: keyof typeof TONES;
  /** The success message, from the action's answer (none: the page's refresh shows the outcome). */
  describe?: (data: unknown) => string | null;
  /** Where to go on success, from the action's answer (default: refresh the page where it is). */
  navigate?: (data: unknown) => string;
  /** stack: message under the button (cards); inline: beside it (toolbars). */
  layout?: 'stack' | 'inline';
}

/**
 * The product's one action button: asks for confirmation when told to, runs the
 * server action, shows a refusal in words (role alert) or the success message
 * (role status), then refreshes the page or goes where the answer says.
 */
export function ActionButton<I>({ label, action, input, busyLabel, disabledReason, confirm, tone = 'primary', describe, navigate, layout = 'stack' }: ActionButtonProps<I>) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function onClick() {
    if (confirm && !window.confirm(confirm)) return;
    setMessage(null);
    startTransition(async () => {
      const result = await action(input);
      if (!result.ok) {
        setMessage({ ok: false, text: errorText(result.error) });
        router.refresh();
        return;
      }
      const text = describe?.(result.data);
      if (text) setMessage({ ok: true, text });
      if (navigate) router.push(navigate(result.data));
      else router.refresh();
    });
  }

  const Wrapper = layout === 'stack' ? 'div' : 'span';
  const Message = layout === 'stack' ? 'p' : 'span';
  return (
    <Wrapper className={layout === 'stack' ? 'flex flex-col gap-1' : 'flex items-center gap-2'}>
      <button type="button" onClick={onClick} disabled={Boolean(disabledReason) || pending} title={disabledReason} className={`disabled:cursor-not-allowed ${TONES[tone]}`}>
        {pending ? (busyLabel ?? `${label}…`) : label}
      </button>
      {message && (
        <Message role={message.ok ? 'status' : 'alert'} className={`${layout === 'stack' ? 'max-w-md text-xs' : 'text-sm'} ${message.ok ? 'text-slate-600' : 'text-rose-700'}`}>
          {message.text}
        </Message>
      )}
    </Wrapper>
  );
}
