import { translateKubernetesError } from '../errors';
import { makeInformer, type Informer, type ObjectCache, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { CLUSTER_KEYS, type ClusterKey, clusterRef } from '../config';
import { summarizeCluster, type ClusterZones } from '../domain/zones';
import { getKubeClients } from '../k8s';
import { nodeFacts, podFacts } from './facts';
import { unreachableTile, type ClusterZonesTile } from './queries';

/**
 * The live relay behind the zone page: per cluster ONE list+watch of nodes and
 * ONE of pods (client-node informers, resuming from their resourceVersion),
 * shared by every open browser; each change recomputes that cluster's row and
 * pushes it to all subscribers. The number of upstream watches does not grow
 * with viewers. Watches stop a while after the last viewer leaves.
 */
type Listener = (tile: ClusterZonesTile) => void;

const RETRY_MS = 3_000;
const DEBOUNCE_MS = 150;
const IDLE_STOP_MS = 10_000;

class ClusterRelay {
  private nodes?: Informer<V1Node> & ObjectCache<V1Node>;
  private pods?: Informer<V1Pod> & ObjectCache<V1Pod>;
  private error?: unknown;
  private lastGood?: { view: ClusterZones; fetchedAt: number };
  private timer?: ReturnType<typeof setTimeout>;
  private retry?: ReturnType<typeof setTimeout>;
  private stopped = false;
  tile?: ClusterZonesTile;

  constructor(
    readonly key: ClusterKey,
    private readonly emit: (tile: ClusterZonesTile) => void,
  ) {}

  async start(): Promise<void> {
    try {
      const c = await getKubeClients(this.key);
      if (this.stopped) return;
      this.nodes = makeInformer(c.kubeConfig, '/api/v1/nodes', () => c.core.listNode());
      this.pods = makeInformer(c.kubeConfig, '/api/v1/pods', () => c.core.listPodForAllNamespaces());
      for (const inf of [this.nodes, this.pods] as Informer<V1Node | V1Pod>[]) {
        inf.on('add', () => this.changed());
        inf.on('update', () => this.changed());
        inf.on('delete', () => this.changed());
        inf.on('error', (err: unknown) => this.failed(err, inf));
      }
      await Promise.all([this.nodes.start(), this.pods.start()]);
      if (!this.error) this.changed();
    } catch (err) {
      this.failed(err);
    }
  }

  private failed(err: unknown, informer?: Informer<V1Node | V1Pod>): void {
    if (this.stopped) return;
    this.error = err;
    this.changed();
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.error = undefined;
      if (informer) void informer.start().then(() => !this.error && this.changed());
      else void this.start();
    }, RETRY_MS);
  }

  private changed(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.compute().then((tile) => {
        if (this.stopped) return;
        this.tile = tile;
        this.emit(tile);
      });
    }, DEBOUNCE_MS);
  }

  private async compute(): Promise<ClusterZonesTile> {
    if (this.error || !this.nodes || !this.pods) {
      return unreachableTile(this.key, translateKubernetesError(this.error ?? new Error('not connected yet'), this.key), this.lastGood, 'watch');
    }
    const view = summarizeCluster(this.nodes.list().map(nodeFacts), this.pods.list().map(podFacts));
    this.lastGood = { view, fetchedAt: Date.now() };
    const name = clusterRef(this.key).name;
    return { key: this.key, name, status: 'ok', view, fetchedAt: this.lastGood.fetchedAt, source: 'watch' };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.retry);
    await Promise.all([this.nodes?.stop(), this.pods?.stop()]);
  }
}

export class ZoneRelay {
  private relays = new Map<ClusterKey, ClusterRelay>();
  private listeners = new Set<Listener>();
  private idle?: ReturnType<typeof setTimeout>;

  constructor(private readonly idleStopMs = IDLE_STOP_MS) {}

  /** Receives every cluster's current row (when known) and each change after it. */
  subscribe(listener: Listener): () => void {
    clearTimeout(this.idle);
    this.listeners.add(listener);
    for (const key of CLUSTER_KEYS) {
      const existing = this.relays.get(key);
      if (existing?.tile) listener(existing.tile);
      if (!existing) {
        const relay = new ClusterRelay(key, (tile) => {
          for (const l of this.listeners) l(tile);
        });
        this.relays.set(key, relay);
        void relay.start();
      }
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.idle = setTimeout(() => void this.stop(), this.idleStopMs);
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  async stop(): Promise<void> {
    clearTimeout(this.idle);
    const relays = [...this.relays.values()];
    this.relays.clear();
    await Promise.all(relays.map((r) => r.stop()));
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
  const encoder = new TextEncoder();
  let cleanup = () => undefined as void;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      send('retry: 3000\n\n');
      const unsubscribe = relay.subscribe((tile) => send(`event: cluster\ndata: ${JSON.stringify(tile)}\n\n`));
      const ping = setInterval(() => send(': ping\n\n'), 15_000);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(ping);
        unsubscribe();
      };
      signal?.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed by the reader */
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
}
