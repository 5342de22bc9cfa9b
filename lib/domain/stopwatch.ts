import type { ScenarioRun } from './scenario';

/*
 * The stopwatch's reading, apart from the scenario engine: the presenter's
 * screen draws it in the browser every second, and the engine's schema
 * library has no business in that bundle.
 */

export interface StopwatchView {
  state: 'idle' | 'running' | 'stopped';
  elapsedMs: number;
  rtoMs: number | null;
  /** Within the RTO so far (running) or in the end (stopped). */
  withinRto: boolean;
}

export function stopwatchOf(run: ScenarioRun, now: number): StopwatchView {
  const { startedAt, stoppedAt } = run.stopwatch;
  if (startedAt === undefined) return { state: 'idle', elapsedMs: 0, rtoMs: run.rtoMs, withinRto: true };
  const elapsedMs = (stoppedAt ?? now) - startedAt;
  return { state: stoppedAt === undefined ? 'running' : 'stopped', elapsedMs, rtoMs: run.rtoMs, withinRto: run.rtoMs === null || elapsedMs <= run.rtoMs };
}

/** "4:05" / "1:02:09": a stopwatch reading for a big screen. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1_000));
  const h = Math.floor(total / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
