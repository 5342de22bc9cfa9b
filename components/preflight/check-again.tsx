'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string } };

/** Reads the region's quotas and versions again now (Operators; the action checks the role itself). */
export function CheckAgain({ run }: { run: (i: Record<string, never>) => Promise<Result> }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="flex items-center gap-2 text-sm">
      <button
        type="button"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const r = await run({});
            setError(r.ok ? null : r.error.message);
            router.refresh();
          })
        }
        className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50 disabled:opacity-50"
      >
        {pending ? 'Checking…' : 'Check again'}
      </button>
      {error && <span role="alert" className="text-rose-700">{error}</span>}
    </span>
  );
}
