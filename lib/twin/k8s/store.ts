import { K8sError, type K8sObject, type WatchEvent } from './types';

/**
 * One cluster's object store, as etcd behind the API server: every write gets
 * the next resourceVersion and lands in a bounded history, from which a watch
 * started at an older resourceVersion is replayed (410 Gone when it is older
 * than the history, as the API server answers).
 */
export type ResourceName = string; // plural: "nodes", "pods", "deployments" …

interface HistoryEntry {
  rv: number;
  resource: ResourceName;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: string;
  previous?: string;
}

export interface WatchFilter {
  resource: ResourceName;
  namespace?: string;
  match: (o: K8sObject) => boolean;
}

export interface Watcher extends WatchFilter {
  send(event: WatchEvent): void;
}

const HISTORY_LIMIT = 20_000;

/**
 * resourceVersions come from one counter for the whole twin process, so they
 * never go backwards, even across a twin reset: a client that watched before a
 * reset gets 410 Expired and lists again, as after an etcd compaction.
 */
let lastResourceVersion = 0;
const nextResourceVersion = () => ++lastResourceVersion;

const key = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export class ObjectStore {
  private rv = nextResourceVersion();
  private objects = new Map<ResourceName, Map<string, K8sObject>>();
  private history: HistoryEntry[] = [];
  private watchers = new Set<Watcher>();
  private uidCounter = 0;

  constructor(private readonly uidPrefix: string) {}

  get resourceVersion(): string {
    return String(this.rv);
  }

  newUid(): string {
    this.uidCounter += 1;
    const n = this.uidCounter.toString(16).padStart(12, '0');
    return `${this.uidPrefix}-0000-4000-8000-${n}`;
  }

  list<T extends K8sObject = K8sObject>(resource: ResourceName, namespace?: string): T[] {
    const all = [...(this.objects.get(resource)?.values() ?? [])] as T[];
    return namespace ? all.filter((o) => o.metadata.namespace === namespace) : all;
  }

  get<T extends K8sObject = K8sObject>(resource: ResourceName, namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(resource)?.get(`${namespace ?? ''}/${name}`) as T | undefined;
  }

  /** Creates an object; fills uid, resourceVersion and creationTimestamp. */
  create<T extends K8sObject>(resource: ResourceName, obj: T, now: number): T {
    const map = this.objects.get(resource) ?? new Map<string, K8sObject>();
    this.objects.set(resource, map);
    if (map.has(key(obj))) {
      throw new K8sError(409, 'AlreadyExists', `${resource} "${obj.metadata.name}" already exists`, { name: obj.metadata.name, kind: resource });
    }
    obj.metadata.uid ||= this.newUid();
    obj.metadata.creationTimestamp ||= new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    obj.metadata.generation ??= 1;
    this.rv = nextResourceVersion();
    obj.metadata.resourceVersion = String(this.rv);
    map.set(key(obj), obj);
    this.record(resource, 'ADDED', obj);
    return obj;
  }

  /** Records a change made to a stored object (callers mutate, then call this). */
  update<T extends K8sObject>(resource: ResourceName, obj: T, previous?: string): T {
    this.rv = nextResourceVersion();
    obj.metadata.resourceVersion = String(this.rv);
    this.record(resource, 'MODIFIED', obj, previous);
    return obj;
  }

  /** Mutates a stored object and records the change only when something changed. */
  mutate<T extends K8sObject>(resource: ResourceName, obj: T, change: (o: T) => void): boolean {
    const before = JSON.stringify(obj);
    change(obj);
    if (JSON.stringify(obj) === before) return false;
    this.update(resource, obj, before);
    return true;
  }

  remove(resource: ResourceName, obj: K8sObject): void {
    const map = this.objects.get(resource);
    if (!map?.delete(key(obj))) return;
    this.rv = nextResourceVersion();
    obj.metadata.resourceVersion = String(this.rv);
    this.record(resource, 'DELETED', obj);
  }

  private record(resource: ResourceName, type: HistoryEntry['type'], obj: K8sObject, previous?: string): void {
    const entry: HistoryEntry = { rv: this.rv, resource, type, object: JSON.stringify(obj), previous };
    this.history.push(entry);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const w of this.watchers) this.deliver(w, entry);
  }

  private deliver(w: Watcher, entry: HistoryEntry): void {
    if (entry.resource !== w.resource) return;
    const obj = JSON.parse(entry.object) as K8sObject;
    if (w.namespace && obj.metadata.namespace !== w.namespace) return;
    const now = w.match(obj);
    const before = entry.previous ? w.match(JSON.parse(entry.previous) as K8sObject) : entry.type !== 'ADDED';
    // An object leaving a selected set is a DELETED for that watch; entering it is an ADDED.
    if (entry.type === 'MODIFIED') {
      if (now && before) w.send({ type: 'MODIFIED', object: obj });
      else if (now) w.send({ type: 'ADDED', object: obj });
      else if (before) w.send({ type: 'DELETED', object: obj });
      return;
    }
    if (now) w.send({ type: entry.type, object: obj });
  }

  /**
   * Starts a watch. Without a resourceVersion (or "0") it begins with ADDED for
   * every current object; with one, it replays what changed after it. Returns
   * null when that resourceVersion is gone (the ERROR event was sent; the caller ends the stream).
   */
  watch(filter: WatchFilter, send: (e: WatchEvent) => void, resourceVersion: string | null): (() => void) | null {
    const w: Watcher = { ...filter, send };
    if (!resourceVersion || resourceVersion === '0') {
      for (const o of this.list(filter.resource, filter.namespace)) if (filter.match(o)) send({ type: 'ADDED', object: structuredClone(o) });
    } else {
      const from = Number(resourceVersion);
      if (!Number.isFinite(from)) throw new K8sError(400, 'BadRequest', `invalid resourceVersion ${resourceVersion}`);
      const oldest = this.history[0]?.rv ?? this.rv + 1;
      if (from < oldest - 1) {
        send({
          type: 'ERROR',
          object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${oldest - 1})`, reason: 'Expired', code: 410 },
        });
        return null;
      }
      for (const entry of this.history) if (entry.rv > from) this.deliver(w, entry);
    }
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  watcherCount(): number {
    return this.watchers.size;
  }
}
