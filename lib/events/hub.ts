/**
 * Server events for open pages: one hub per process. A page subscribes to the
 * topics it shows and re-renders when one changes, instead of on a timer.
 *
 * What changes without anyone in this process causing it (ARM's power state,
 * a long-running operation, a job written by another instance, a backup job)
 * is found by ONE poller per topic and process, shared by every open page: it
 * runs only while some page listens to its topic, and announces a change only
 * when what it read differs from the last read. So fifty open overviews cost
 * the same upstream calls as one.
 *
 * Other parts of the product publish directly (`publish('alerts', …)` when an
 * alert fires; a command after it changed something): any topic can be pushed
 * without a poller.
 */

import 'server-only';
import { sseStream } from '../sse';

export const TOPICS = ['clusters', 'kubernetes', 'operations', 'power-runs', 'jobs', 'schedules', 'backup', 'cost', 'alerts', 'presenter'] as const;
export type Topic = (typeof TOPICS)[number];

export function isTopic(value: string): value is Topic {
  return (TOPICS as readonly string[]).includes(value);
}

export interface HubEvent {
  topic: Topic;
  at: number;
}

/** A source of one topic's changes: a fingerprint of what it reads now, compared with the last. */
export interface PollSource {
  topic: Topic;
  /** How often to read while someone listens; `busyMs` while the last read said something is in progress. */
  intervalMs: number;
  busyMs?: number;
  read: () => Promise<{ fingerprint: string; busy?: boolean }>;
}

/** Starts a push-fed source while someone listens (a watch-fed cache, for instance); returns its stop. */
export type PushSource = { topic: Topic; start: (publish: () => void) => () => void };

type Listener = (event: HubEvent) => void;

interface Running {
  stop: () => void;
}

export class EventHub {
  private listeners = new Map<Listener, Set<Topic>>();
  private polls = new Map<Topic, PollSource[]>();
  private pushes = new Map<Topic, PushSource[]>();
  private running = new Map<Topic, Running>();
  /** Upstream reads made by the pollers, per topic (tests and the bench). */
  readonly reads = new Map<Topic, number>();

  constructor(private readonly now: () => number = Date.now) {}

  register(source: PollSource | PushSource): void {
    if ('read' in source) this.polls.set(source.topic, [...(this.polls.get(source.topic) ?? []), source]);
    else this.pushes.set(source.topic, [...(this.pushes.get(source.topic) ?? []), source]);
  }

  publish(topic: Topic): void {
    const event = { topic, at: this.now() };
    for (const [listener, topics] of this.listeners) if (topics.has(topic)) listener(event);
  }

  subscribe(topics: readonly Topic[], listener: Listener): () => void {
    this.listeners.set(listener, new Set(topics));
    for (const t of topics) this.ensure(t);
    return () => {
      this.listeners.delete(listener);
      for (const t of topics) if (!this.listened(t)) this.halt(t);
    };
  }

  listenersOf(topic: Topic): number {
    let n = 0;
    for (const topics of this.listeners.values()) if (topics.has(topic)) n += 1;
    return n;
  }

  private listened(topic: Topic): boolean {
    return this.listenersOf(topic) > 0;
  }

  private ensure(topic: Topic): void {
    if (this.running.has(topic)) return;
    const stops: (() => void)[] = [];
    for (const p of this.pushes.get(topic) ?? []) stops.push(p.start(() => this.publish(topic)));
    for (const p of this.polls.get(topic) ?? []) stops.push(this.poll(p));
    this.running.set(topic, { stop: () => stops.forEach((s) => s()) });
  }

  private halt(topic: Topic): void {
    this.running.get(topic)?.stop();
    this.running.delete(topic);
  }

  private poll(source: PollSource): () => void {
    let last: string | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let busy = false;
      try {
        this.reads.set(source.topic, (this.reads.get(source.topic) ?? 0) + 1);
        const r = await source.read();
        busy = Boolean(r.busy);
        if (last !== undefined && r.fingerprint !== last && !stopped) this.publish(source.topic);
        last = r.fingerprint;
      } catch {
        // A failed read is shown by the page itself (with its age); the poller tries again next time.
      }
      if (stopped) return;
      timer = setTimeout(() => void tick(), busy && source.busyMs ? source.busyMs : source.intervalMs);
      timer.unref?.();
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  stop(): void {
    for (const t of [...this.running.keys()]) this.halt(t);
    this.listeners.clear();
  }
}

/** Server-sent events for one browser: `event: <topic>` per change, a comment as heartbeat. */
export function openEventStream(hub: EventHub, topics: readonly Topic[], signal?: AbortSignal): ReadableStream<Uint8Array> {
  return sseStream((emit) => hub.subscribe(topics, (e) => emit(e.topic, e)), signal);
}

const KEY = Symbol.for('aks-demo.event-hub');
type Holder = { [KEY]?: EventHub };

/** The process-wide hub (one per server process, shared by all route bundles). */
export function eventHub(): EventHub {
  const g = globalThis as Holder;
  g[KEY] ??= new EventHub();
  return g[KEY];
}
