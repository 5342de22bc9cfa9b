'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type ReactNode } from 'react';
import type { ActionResult } from '../ui/action';



/**
 * Share the audience screen with people who have no account here: a link
 * that shows that screen only, until it expires; shown once, revocable.
 */
export function ShareLinks({ links, canOperate, whyNot, actions }: {
  links: { id: string; createdBy: string; expires: ReactNode }[];
  canOperate: boolean;
  whyNot?: string;
  actions: { share: (i: { hours: number }) => Promise<ActionResult>; revoke: (i: { id: string }) => Promise<ActionResult> };
}) {
  const [hours, setHours] = useState(4);
  const [made, setMade] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const share = () =>
    startTransition(async () => {
      setError(null);
      const r = await actions.share({ hours });
      if (r.ok) {
        setMade(`${window.location.origin}${(r.data as { path: string }).path}`);
        router.refresh();
      } else setError(r.error.message);
    });
  const revoke = (id: string) =>
    startTransition(async () => {
      const r = await actions.revoke({ id });
      if (r.ok) router.refresh();
      else setError(r.error.message);
    });
  return (
    <section aria-label="share links" className="space-y-2 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span>A link for the audience (no sign-in, the audience screen only), valid for</span>
        <select aria-label="hours" value={hours} onChange={(e) => setHours(Number(e.target.value))} className="rounded border px-1">
          {[1, 2, 4, 8, 24].map((h) => <option key={h} value={h}>{h} h</option>)}
        </select>
        <button type="button" disabled={!canOperate || pending} title={whyNot} onClick={share} className="rounded bg-sky-700 px-2 py-1 text-white disabled:bg-slate-300">Create a link</button>
        {whyNot && <span className="text-slate-600">{whyNot}</span>}
      </div>
      {made && (
        <p role="status" aria-label="new link" className="rounded bg-emerald-50 p-2">
          Shown once; copy it now: <code className="break-all">{made}</code>
        </p>
      )}
      {error && <p role="alert" className="text-rose-800">{error}</p>}
      {links.length > 0 && (
        <ul aria-label="valid links" className="space-y-1">
          {links.map((l) => (
            <li key={l.id} className="flex items-center gap-2">
              <span>by {l.createdBy}, expires {l.expires}</span>
              <button type="button" disabled={!canOperate || pending} onClick={() => revoke(l.id)} className="rounded border border-rose-300 px-2 text-rose-800 disabled:opacity-50">Revoke</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
