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
  /** Parsed and serialised once for every watcher (watchers only read them). */
  parsed?: { object: K8sObject; previous?: K8sObject; lines: Partial<Record<WatchEvent['type'], string>> };
}

export interface WatchFilter {
  resource: ResourceName;
  namespace?: string;
  match: (o: K8sObject) => boolean;
}

/** A watch's sink: the event, and for a stored object the event already serialised as JSON (shared, so do not change `event`). */
export type WatchSink = (event: WatchEvent, json?: string) => void;

export interface Watcher extends WatchFilter {
  send: WatchSink;
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

/** What a secondary index files an object under (undefined: not filed). */
export type IndexKey = (o: K8sObject) => string | undefined;

interface SecondaryIndex {
  keyOf: IndexKey;
  /** index value → objects (by store key) */
  buckets: Map<string, Map<string, K8sObject>>;
  /** store key → the value it is filed under now */
  filed: Map<string, string>;
}

export class ObjectStore {
  private rv = nextResourceVersion();
  private objects = new Map<ResourceName, Map<string, K8sObject>>();
  private indexes = new Map<ResourceName, Map<string, SecondaryIndex>>();
  private history: HistoryEntry[] = [];
  private watchers = new Set<Watcher>();
  /** Each stored object as its last write serialised it: what watchers last saw, and mutate's "before". */
  private written = new WeakMap<K8sObject, string>();
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

  /**
   * Keeps the objects of a resource filed by `keyOf` (a pod's node, its owner …), so that a controller
   * reads one bucket instead of scanning every object. Each write re-files the object it stores.
   */
  addIndex(resource: ResourceName, name: string, keyOf: IndexKey): void {
    const byName = this.indexes.get(resource) ?? new Map<string, SecondaryIndex>();
    this.indexes.set(resource, byName);
    const index: SecondaryIndex = { keyOf, buckets: new Map(), filed: new Map() };
    byName.set(name, index);
    for (const o of this.objects.get(resource)?.values() ?? []) this.file(index, key(o), o);
  }

  /** The objects a secondary index files under `value` (see addIndex). */
  listBy<T extends K8sObject = K8sObject>(resource: ResourceName, name: string, value: string): T[] {
    const index = this.indexes.get(resource)?.get(name);
    if (!index) throw new Error(`no index ${name} on ${resource}`);
    return [...(index.buckets.get(value)?.values() ?? [])] as T[];
  }

  private file(index: SecondaryIndex, k: string, o: K8sObject | undefined): void {
    const was = index.filed.get(k);
    const now = o ? index.keyOf(o) : undefined;
    if (was === now && (now === undefined || index.buckets.get(now)?.get(k) === o)) return;
    if (was !== undefined) {
      const bucket = index.buckets.get(was)!;
      bucket.delete(k);
      if (!bucket.size) index.buckets.delete(was);
      index.filed.delete(k);
    }
    if (now !== undefined && o) {
      const bucket = index.buckets.get(now) ?? new Map<string, K8sObject>();
      index.buckets.set(now, bucket);
      bucket.set(k, o);
      index.filed.set(k, now);
    }
  }

  private reindex(resource: ResourceName, o: K8sObject, removed: boolean): void {
    for (const index of this.indexes.get(resource)?.values() ?? []) this.file(index, key(o), removed ? undefined : o);
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
    this.reindex(resource, obj, false);
    this.record(resource, 'ADDED', obj);
    return obj;
  }

  /** Records a change made to a stored object (callers mutate, then call this). */
  update<T extends K8sObject>(resource: ResourceName, obj: T, previous?: string): T {
    this.rv = nextResourceVersion();
    obj.metadata.resourceVersion = String(this.rv);
    this.reindex(resource, obj, false);
    this.record(resource, 'MODIFIED', obj, previous);
    return obj;
  }

  /**
   * Mutates a stored object and records the change only when something changed since its last
   * write (the serialisation kept from that write spares one per call: controllers call this often).
   */
  mutate<T extends K8sObject>(resource: ResourceName, obj: T, change: (o: T) => void): boolean {
    const before = this.written.get(obj) ?? JSON.stringify(obj);
    change(obj);
    if (JSON.stringify(obj) === before) return false;
    this.update(resource, obj, before);
    return true;
  }

  remove(resource: ResourceName, obj: K8sObject): void {
    const map = this.objects.get(resource);
    if (!map?.delete(key(obj))) return;
    this.reindex(resource, obj, true);
    this.rv = nextResourceVersion();
    obj.metadata.resourceVersion = String(this.rv);
    this.record(resource, 'DELETED', obj);
  }

  private record(resource: ResourceName, type: HistoryEntry['type'], obj: K8sObject, previous?: string): void {
    const entry: HistoryEntry = { rv: this.rv, resource, type, object: JSON.stringify(obj), previous };
    if (type === 'DELETED') this.written.delete(obj);
    else this.written.set(obj, entry.object);
    this.history.push(entry);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const w of this.watchers) this.deliver(w, entry);
  }

  private deliver(w: Watcher, entry: HistoryEntry): void {
    if (entry.resource !== w.resource) return;
    entry.parsed ??= { object: JSON.parse(entry.object) as K8sObject, previous: entry.previous ? (JSON.parse(entry.previous) as K8sObject) : undefined, lines: {} };
    const { object: obj, previous, lines } = entry.parsed;
    if (w.namespace && obj.metadata.namespace !== w.namespace) return;
    const now = w.match(obj);
    const before = previous ? w.match(previous) : entry.type !== 'ADDED';
    const send = (type: HistoryEntry['type']) => w.send({ type, object: obj }, (lines[type] ??= `{"type":"${type}","object":${entry.object}}`));
    // An object leaving a selected set is a DELETED for that watch; entering it is an ADDED.
    if (entry.type === 'MODIFIED') {
      if (now && before) send('MODIFIED');
      else if (now) send('ADDED');
      else if (before) send('DELETED');
      return;
    }
    if (now) send(entry.type);
  }

  /**
   * Starts a watch. Without a resourceVersion (or "0") it begins with ADDED for
   * every current object; with one, it replays what changed after it. Returns
   * null when that resourceVersion is gone (the ERROR event was sent; the caller ends the stream).
   */
  watch(filter: WatchFilter, send: WatchSink, resourceVersion: string | null): (() => void) | null {
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
