/**
 * The figure a chart's caption shows for each series: its value at the latest
 * minute any series of the chart has data for. Azure Monitor publishes each
 * minute with a short delay, so the very last minute is often empty for every
 * series; a series empty where the others have data has stopped reporting
 * (a node lost with its zone), and must not show the value it had before.
 */
export type Latest = { kind: 'value'; value: number } | { kind: 'not-reporting' } | { kind: 'no-data' };

export function latestValues(series: { values: (number | null | undefined)[] }[]): Latest[] {
  let last = -1;
  for (const s of series) {
    for (let i = s.values.length - 1; i > last; i--) {
      if (s.values[i] !== null && s.values[i] !== undefined) {
        last = i;
        break;
      }
    }
  }
  return series.map((s) => {
    const v = last < 0 ? undefined : s.values[last];
    if (v !== null && v !== undefined) return { kind: 'value', value: v };
    return s.values.some((x) => x !== null && x !== undefined) ? { kind: 'not-reporting' } : { kind: 'no-data' };
  });
}

export function latestText(l: Latest, unit: string): string {
  return l.kind === 'value' ? `${l.value}${unit}` : l.kind === 'not-reporting' ? 'not reporting' : 'no data';
}
