/** "12 s ago" for a timestamp, relative to `now`. */
export function formatAge(ms: number): string {
  // A missing or impossible time never reads "Infinity h ago".
  if (!Number.isFinite(ms)) return 'at an unknown time';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}
