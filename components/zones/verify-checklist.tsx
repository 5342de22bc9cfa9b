import type { VerifyTile } from '@/lib/zones';
import { formatAge } from '@/components/ui/age';

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;
const TONE = { pass: 'text-emerald-700', fail: 'text-rose-700', skip: 'text-slate-400' } as const;

/** Presenter: the checks of infra/addons' 14-verify-clusters.sh, each from a Kubernetes API read. */
export function VerifyChecklist({ tiles, now }: { tiles: VerifyTile[]; now: number }) {
  return (
    <section aria-label="verify clusters" className="rounded border border-slate-200 bg-white p-3">
      <h2 className="text-sm font-semibold">Verify clusters <span className="font-normal text-slate-500">(the checks of 14-verify-clusters.sh)</span></h2>
      <div className="mt-2 grid gap-3 md:grid-cols-3">
        {tiles.map((t) => (
          <div key={t.key} aria-label={`verify ${t.key}`} role="group">
            <h3 className="text-sm font-medium">
              {t.name}{' '}
              <span className="text-[11px] font-normal text-slate-400">
                {t.status === 'ok' ? 'read' : t.status}{t.fetchedAt ? ` ${formatAge(now - t.fetchedAt)}` : ''}
              </span>
            </h3>
            {t.error && <p role="alert" className="text-[11px] text-rose-700">{t.error.message}</p>}
            <ul className="mt-1 space-y-0.5 text-xs">
              {(t.checks ?? []).map((c) => (
                <li key={c.id} aria-label={`${t.key} ${c.label}`} className="flex gap-1.5">
                  <span className={`w-3 ${TONE[c.status]}`} aria-label={c.status}>{MARK[c.status]}</span>
                  <span>
                    {c.label}
                    <span className="text-slate-500"> — {c.detail}</span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}
