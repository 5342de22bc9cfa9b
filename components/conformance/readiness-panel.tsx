import Link from 'next/link';
import type { ReadinessItem } from '@/lib/domain/readiness';

const TONE: Record<ReadinessItem['severity'], string> = {
  broken: 'text-rose-800',
  warning: 'text-amber-800',
  unknown: 'text-slate-600',
};

/**
 * One of the presenter view's readiness panels (releases, chain): "all as infra/ expects" or one
 * line per problem, worst first, with the page that has the evidence.
 */
export function ReadinessPanel({ title, href, items, allGood }: { title: string; href: string; items: ReadinessItem[]; allGood: string }) {
  const order: ReadinessItem['severity'][] = ['broken', 'warning', 'unknown'];
  const sorted = [...items].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  return (
    <section aria-label={`${title} panel`} className="rounded-lg border border-slate-200 bg-white p-3">
      <h2 className="text-[clamp(0.9rem,1.2vw,1.4rem)] font-semibold">
        <Link href={href} className="hover:underline">
          {title}
        </Link>
      </h2>
      {sorted.length === 0 ? (
        <p className="text-sm text-emerald-700">{allGood}</p>
      ) : (
        <ul className="mt-1 list-disc pl-5 text-sm">
          {sorted.map((i) => (
            <li key={`${i.cluster}|${i.words}`} data-severity={i.severity} className={TONE[i.severity]}>
              {i.cluster}: {i.words}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
