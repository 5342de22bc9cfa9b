import { TimeSeries } from '../monitor/time-series';

export interface ChartDay {
  date: string;
  actual: number;
  forecast: number;
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Cumulative spend by day against the budget line: month-to-date actual
 * bars, the forecast's cumulative line beyond them, and the budget. Drawn with
 * the same charting library as the monitor charts, with the figures in a table.
 */
export function BurnChart({ days, budget }: { days: ChartDay[]; budget: number }) {
  let total = 0;
  const actual: (number | null)[] = [];
  const forecast: (number | null)[] = [];
  for (const d of days) {
    total += d.actual + d.forecast;
    actual.push(d.actual > 0 ? round(total - d.forecast) : null);
    forecast.push(d.forecast > 0 ? round(total) : null);
  }
  return (
    <TimeSeries
      title={`Cumulative cost by day against the $${budget} budget`}
      times={days.map((d) => Date.parse(`${d.date.slice(0, 10)}T00:00:00Z`))}
      timeFormat="day"
      unit=" USD"
      width={720}
      height={200}
      max={budget * 1.1}
      series={[
        { label: 'month so far', values: actual, color: '#0f766e', bars: true },
        { label: 'forecast', values: forecast, color: '#14b8a6', dash: [4, 3] },
        { label: 'budget', values: days.map(() => budget), color: '#e11d48', dash: [6, 3] },
      ]}
    />
  );
}
