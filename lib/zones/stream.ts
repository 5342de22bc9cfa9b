import 'server-only';
import { CLUSTER_KEYS, type ClusterKey } from '../config';
import { informers, type ClusterInformer, type Informers } from '../k8s/informer';
import { ZONE_KINDS, zonesTile, type ClusterZonesTile } from './queries';
import { sseStream } from '../sse';

/**
 * The live relay behind the zone page: every open browser listens to the
 * cluster's one watch-fed cache (lib/k8s/informer), the same one every page
 * reads; each change recomputes that cluster's row once and pushes it to all
 * subscribers. The number of upstream watches does not grow with viewers, and
 * the cache stops a while after the last reader and listener leave.
 */
type Listener = (tile: ClusterZonesTile) => void;

export class ZoneRelay {
  private listeners = new Set<Listener>();
  private unsubscribe: (() => void)[] = [];
  private tiles = new Map<ClusterKey, ClusterZonesTile>();
  private computing = new Map<ClusterKey, Promise<void>>();

  constructor(private readonly caches: () => Informers = informers) {}

  private push(inf: ClusterInformer): void {
    const key = inf.cluster;
    // One computation at a time per cluster; a change meanwhile is taken by the next one.
    const previous = this.computing.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      // Objects arriving while the first list is still going in are not a row yet.
      if (inf.status(ZONE_KINDS).state === 'starting') return;
      const tile = await zonesTile(inf);
      if (!this.listeners.size) return;
      this.tiles.set(key, tile);
      for (const l of this.listeners) l(tile);
    });
    this.computing.set(key, next.catch(() => undefined));
  }

  /** Receives every cluster's current row (when known) and each change after it. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      for (const key of CLUSTER_KEYS) {
        const inf = this.caches().of(key);
        this.unsubscribe.push(inf.subscribe(() => this.push(inf), ZONE_KINDS));
        // A cache already listed has no change to announce: send what it holds now.
        if (inf.status(ZONE_KINDS).state !== 'starting') this.push(inf);
      }
    } else {
      for (const tile of this.tiles.values()) listener(tile);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.release();
    };
  }

  private release(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.tiles.clear();
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Drops every listener and stops the caches now (tests, shutdown). */
  async stop(): Promise<void> {
    this.listeners.clear();
    this.release();
    await this.caches().stop();
  }
}

const KEY = Symbol.for('aks-demo.zone-relay');
type Holder = { [KEY]?: ZoneRelay };

/** The process-wide relay (one per server process, shared by all route bundles). */
export function zoneRelay(): ZoneRelay {
  const g = globalThis as Holder;
  g[KEY] ??= new ZoneRelay();
  return g[KEY];
}

/** Server-sent events for one browser: `event: cluster` with a ClusterZonesTile, a comment as heartbeat. */
export function openZoneStream(signal?: AbortSignal, relay: ZoneRelay = zoneRelay()): ReadableStream<Uint8Array> {
  return sseStream((emit) => relay.subscribe((tile) => emit('cluster', tile)), signal);
}
