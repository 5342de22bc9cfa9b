'use client';

import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { latestText, latestValues } from './latest';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Draw as bars (the budget chart) instead of a line. */
  bars?: boolean;
  dash?: number[];
}

/** The parts of a time in a named zone (the browser's Intl, so no date library reaches the bundle). */
function partsIn(t: number, zone: string): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return Object.fromEntries(f.formatToParts(t).map((p) => [p.type, p.value]));
}
const hhmmIn = (zone: string) => (t: number) => {
  const p = partsIn(t, zone);
  return `${p.hour}:${p.minute}`;
};
const dayIn = (zone: string) => (t: number) => {
  const p = partsIn(t, zone);
  return `${p.month}-${p.day}`;
};
const dateIn = (zone: string) => (t: number) => {
  const p = partsIn(t, zone);
  return `${p.year}-${p.month}-${p.day}`;
};

/**
 * A small time series drawn with uPlot (loaded only in the browser, on first
 * use, so it stays out of the first-load bundle), with the same figures in a
 * table behind it for screen readers and for anyone who wants the numbers.
 */
export function TimeSeries({
  title,
  times,
  series,
  unit = '',
  height = 90,
  width = 280,
  max,
  timeFormat = 'minute',
  zone = 'UTC',
  large = false,
}: {
  title: string;
  times: number[];
  series: ChartSeries[];
  unit?: string;
  height?: number;
  width?: number;
  max?: number;
  /** minute: HH:MM (metrics); day: MM-DD (the budget). */
  timeFormat?: 'minute' | 'day';
  /** The IANA zone the times are shown in, named beside them (the environment's stated zone; Cost Management's days are UTC). */
  zone?: string;
  /** Caption and axes readable from the back of a room (the presenter view). */
  large?: boolean;
}) {
  const axisFont = large ? '14px sans-serif' : '10px sans-serif';
  const hhmm = hhmmIn(zone);
  const xLabel = (t: number) => (timeFormat === 'day' ? `${dateIn(zone)(t)} (${zone})` : `${hhmm(t)} ${zone}`);
  const tick = timeFormat === 'day' ? dayIn(zone) : hhmm;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = [times.map((t) => t / 1000), ...series.map((s) => s.values)];
  const key = JSON.stringify(data);

  useEffect(() => {
    let cancelled = false;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled || !box.current) return;
      const opts: uPlot.Options = {
        width,
        height,
        legend: { show: false },
        cursor: { show: true, drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, min, mx) => [Math.min(0, min ?? 0), Math.max(max ?? 0, mx ?? 1)] } },
        axes: [
          { size: large ? 26 : 18, font: axisFont, stroke: '#64748b', grid: { show: false }, values: (_u, ticks) => ticks.map((t) => tick(t * 1000)) },
          { size: large ? 44 : 32, font: axisFont, stroke: '#64748b', grid: { stroke: '#e2e8f0', width: 1 } },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            fill: s.bars ? s.color : undefined,
            width: 1.5,
            dash: s.dash,
            spanGaps: false,
            paths: s.bars ? UPlot.paths.bars!({ size: [0.7, 40] }) : undefined,
            points: { show: false },
          })),
        ],
      };
      plot.current?.destroy();
      plot.current = new UPlot(opts, JSON.parse(key) as uPlot.AlignedData, box.current);
    });
    return () => {
      cancelled = true;
    };
  }, [key, width, height, max, series, tick, axisFont, large]);

  useEffect(() => () => plot.current?.destroy(), []);

  const latest = latestValues(series);
  return (
    <figure className={large ? 'text-base' : 'text-xs'}>
      <figcaption className="flex flex-wrap gap-x-3 text-slate-600">
        <span className="font-medium text-slate-800">{title}</span>
        {series.map((s, i) => (
          <span key={s.label} style={{ color: s.color }}>
            {s.label}: {latestText(latest[i], unit)}
          </span>
        ))}
      </figcaption>
      <div ref={box} role="img" aria-label={`${title}: chart; the data table below has the figures`} style={{ width, height }} />
      <details>
        <summary className="cursor-pointer text-slate-500">Data table</summary>
        <table aria-label={`${title} data`} className="mt-1 text-[11px]">
          <thead>
            <tr>
              <th scope="col" className="pr-2 text-left">Time</th>
              {series.map((s) => (
                <th key={s.label} scope="col" className="pr-2 text-right">{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {times.map((t, i) => (
              <tr key={t}>
                <th scope="row" className="pr-2 text-left font-normal">{xLabel(t)}</th>
                {series.map((s) => (
                  <td key={s.label} className="pr-2 text-right">{s.values[i] === null || s.values[i] === undefined ? '—' : `${s.values[i]}${unit}`}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
