import { money } from './format';

export interface ChartDay {
  date: string;
  actual: number;
  forecast: number;
}

/**
 * Cumulative spend by day against the budget line: actual bars solid,
 * forecast bars light. A plain SVG; each bar's title gives the day's figures.
 */
export function BurnChart({ days, budget }: { days: ChartDay[]; budget: number }) {
  const width = 720;
  const height = 200;
  const pad = { left: 48, right: 8, top: 10, bottom: 22 };
  const bars = days.reduce<(ChartDay & { before: number; after: number })[]>((acc, d) => {
    const before = acc.at(-1)?.after ?? 0;
    return [...acc, { ...d, before, after: before + d.actual + d.forecast }];
  }, []);
  const total = bars.at(-1)?.after ?? 0;
  const max = Math.max(budget * 1.1, total, 1);
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const slot = (width - pad.left - pad.right) / Math.max(days.length, 1);
  const budgetY = y(budget);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Cumulative cost by day against the ${money(budget)} budget`} className="w-full">
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={pad.left} x2={width - pad.right} y1={y(max * f)} y2={y(max * f)} stroke="#e2e8f0" />
          <text x={pad.left - 4} y={y(max * f) + 4} textAnchor="end" fontSize="10" fill="#64748b">
            {money(max * f).replace('.00', '')}
          </text>
        </g>
      ))}
      {bars.map((b, i) => {
        const x = pad.left + i * slot + 1;
        const w = Math.max(1, slot - 2);
        const actualTop = y(b.before + b.actual);
        return (
          <g key={b.date}>
            <title>{`${b.date}: actual ${money(b.actual)}${b.forecast ? `, forecast ${money(b.forecast)}` : ''}; month so far ${money(b.after)}`}</title>
            {b.actual > 0 && <rect x={x} y={actualTop} width={w} height={y(0) - actualTop} fill="#0f766e" />}
            {b.forecast > 0 && <rect x={x} y={y(b.after)} width={w} height={y(b.before + b.actual) - y(b.after)} fill="#99f6e4" stroke="#14b8a6" strokeWidth="0.5" />}
            {(i === 0 || (i + 1) % 5 === 0) && (
              <text x={x + w / 2} y={height - 6} textAnchor="middle" fontSize="10" fill="#64748b">
                {Number(b.date.slice(8))}
              </text>
            )}
          </g>
        );
      })}
      <line x1={pad.left} x2={width - pad.right} y1={budgetY} y2={budgetY} stroke="#e11d48" strokeWidth="1.5" strokeDasharray="6 3" />
      <text x={width - pad.right} y={budgetY - 4} textAnchor="end" fontSize="11" fill="#e11d48">
        budget {money(budget).replace('.00', '')}
      </text>
    </svg>
  );
}
