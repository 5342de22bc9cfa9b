/** How long a sleep or wake waits, and how a run shows it is alive (real time; tests shorten it). */
interface Timing {
  /** Longest wait for consolidation, nodes Ready, add-ons Running (real ms). */
  waitTimeoutMs: number;
  /** A running run's heartbeat (updatedAt) is renewed this often … */
  heartbeatMs: number;
  /** … and a run whose heartbeat is older than this belongs to no live instance: it may be resumed. */
  staleMs: number;
}
const TIMING = Symbol.for('aks-demo.power.timing');
type Holder = { [TIMING]?: Partial<Timing> };
/** Tests may shorten the waits. */
import 'server-only';
export function configureSleep(t: Partial<Timing>): void {
  (globalThis as Holder)[TIMING] = { ...(globalThis as Holder)[TIMING], ...t };
}
export function timing(): Timing {
  return { waitTimeoutMs: 20 * 60_000, heartbeatMs: 15_000, staleMs: 60_000, ...(globalThis as Holder)[TIMING] };
}

/** The process is going away (a test aborts the run): the run stays InProgress, as a crash leaves it. */
export class Interrupted extends Error {}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new Interrupted('interrupted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Interrupted('interrupted'));
    }, { once: true });
  });
