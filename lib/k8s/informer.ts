import 'server-only';
import {
  makeInformer, type Informer, type KubernetesListObject, type KubernetesObject, type ObjectCache,
  type V1Deployment, type V1Node, type V1Pod, type V1StatefulSet, type V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { CLUSTER_KEYS, type ClusterKey } from '../config';
import { getKubeClients, type KubeClients } from './index';

/**
 * One watch-fed cache per cluster, shared by every page and stream of the
 * process: each kind the pages read is listed once and then followed by a
 * watch (client-node's informer, resuming from its resourceVersion), so a page
 * view reads memory and makes no call to the API server once the cache is warm.
 *
 * - Each kind is started on its first use (a read or a subscriber), and the
 *   cluster's watches are stopped when nobody has read
 *   it or listened to it for `idleStopMs`.
 * - A watch that fails is started again with exponential backoff (resuming
 *   from its resourceVersion; the API server answers 410 when that is too old,
 *   and the informer then lists again). Meanwhile the cache keeps the last
 *   objects and says since when it has been failing.
 * - A kind the cluster does not serve (a CRD not installed: 404) is kept empty
 *   and counts as synced; it is looked at again after the longest backoff.
 */

interface KindSpec {
  path: string;
  list: (c: KubeClients) => Promise<KubernetesListObject<KubernetesObject>>;
  /** A custom resource: a 404 means "not installed here", not a failure. */
  optional?: boolean;
}

type Listed = Promise<KubernetesListObject<KubernetesObject>>;
const custom = (c: KubeClients, group: string, version: string, plural: string): Listed =>
  c.custom.listClusterCustomObject({ group, version, plural }) as Listed;

export const KINDS = {
  nodes: { path: '/api/v1/nodes', list: (c) => c.core.listNode() as Listed },
  pods: { path: '/api/v1/pods', list: (c) => c.core.listPodForAllNamespaces() as Listed },
  deployments: { path: '/apis/apps/v1/deployments', list: (c) => c.apps.listDeploymentForAllNamespaces() as Listed },
  statefulsets: { path: '/apis/apps/v1/statefulsets', list: (c) => c.apps.listStatefulSetForAllNamespaces() as Listed },
  validatingwebhookconfigurations: {
    path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
    list: (c) => c.admission.listValidatingWebhookConfiguration() as Listed,
  },
  nodepools: { path: '/apis/karpenter.sh/v1/nodepools', list: (c) => custom(c, 'karpenter.sh', 'v1', 'nodepools'), optional: true },
  gitrepositories: { path: '/apis/source.toolkit.fluxcd.io/v1/gitrepositories', list: (c) => custom(c, 'source.toolkit.fluxcd.io', 'v1', 'gitrepositories'), optional: true },
  kustomizations: { path: '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations', list: (c) => custom(c, 'kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations'), optional: true },
  clustersecretstores: { path: '/apis/external-secrets.io/v1/clustersecretstores', list: (c) => custom(c, 'external-secrets.io', 'v1', 'clustersecretstores'), optional: true },
  pushsecrets: { path: '/apis/external-secrets.io/v1alpha1/pushsecrets', list: (c) => custom(c, 'external-secrets.io', 'v1alpha1', 'pushsecrets'), optional: true },
} satisfies Record<string, KindSpec>;

export type KindName = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as KindName[];

/** A custom object as the pages read it (conditions and spec only). */
export interface CustomObject extends KubernetesObject {
  spec?: Record<string, unknown> & { limits?: Record<string, string> };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface KindObjects {
  nodes: V1Node;
  pods: V1Pod;
  deployments: V1Deployment;
  statefulsets: V1StatefulSet;
  validatingwebhookconfigurations: V1ValidatingWebhookConfiguration;
  nodepools: CustomObject;
  gitrepositories: CustomObject;
  kustomizations: CustomObject;
  clustersecretstores: CustomObject;
  pushsecrets: CustomObject;
}

export interface InformerOptions {
  /** Stop the watches this long after the last read or subscriber. */
  idleStopMs: number;
  /** First retry after a failed watch; doubled each time up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Changes within this window reach subscribers as one notification. */
  debounceMs: number;
  now: () => number;
  clients: (key: ClusterKey) => Promise<KubeClients>;
}

export const DEFAULT_INFORMER_OPTIONS: InformerOptions = {
  idleStopMs: 120_000,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  debounceMs: 100,
  now: Date.now,
  clients: getKubeClients,
};

/** How one cluster's cache stands: what a page shows next to figures read from it. */
export interface InformerStatus {
  cluster: ClusterKey;
  /** ok: every watch open; starting: not listed yet; failed: a watch (or the connection) failed, the last objects are kept. */
  state: 'starting' | 'ok' | 'failed';
  /** When every kind had been listed (the cache became complete), if it has. */
  syncedAt?: number;
  /** When the last watch event (or list) arrived. */
  lastEventAt?: number;
  /** Since when it has been failing, and why. */
  failedAt?: number;
  error?: unknown;
  /** Retries since the last success. */
  attempts: number;
}

type AnyInformer = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

interface KindState {
  informer?: AnyInformer;
  synced: boolean;
  /** When it was first listed. */
  syncedAt?: number;
  absent: boolean;
  error?: unknown;
  failedAt?: number;
  attempts: number;
  /** Bumped by every error callback: a start that saw none succeeded. */
  errors: number;
  retry?: ReturnType<typeof setTimeout>;
}

const isNotFound = (err: unknown) => (err as { code?: unknown })?.code === 404 || (err as { statusCode?: unknown })?.statusCode === 404;

export class ClusterInformer {
  private kinds = new Map<KindName, KindState>();
  private listeners = new Set<() => void>();
  private running = false;
  private starting?: Promise<void>;
  private connectError?: { error: unknown; at: number; attempts: number };
  private connectRetry?: ReturnType<typeof setTimeout>;
  private idle?: ReturnType<typeof setTimeout>;
  private debounce?: ReturnType<typeof setTimeout>;
  private syncWaiters: { kinds: readonly KindName[]; resolve: () => void }[] = [];
  private wanted = new Set<KindName>();
  private clients?: KubeClients;
  private lastEventAt?: number;
  private lastNudge = 0;
  /** Bumped on every change: lets a reader memoise what it derives from the objects. */
  version = 0;
  /** Stops (idle) since creation: for tests and the bench. */
  stops = 0;

  constructor(
    readonly cluster: ClusterKey,
    private readonly options: InformerOptions = DEFAULT_INFORMER_OPTIONS,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Marks a use of these kinds: starts their watches if they are not running and pushes the idle stop back. */
  touch(kinds: readonly KindName[] = []): void {
    for (const k of kinds) this.wanted.add(k);
    if (!this.running) this.start();
    else if (this.clients) for (const k of kinds) if (!this.kinds.has(k)) void this.startKind(k, this.clients);
    this.scheduleIdle();
  }

  private scheduleIdle(): void {
    clearTimeout(this.idle);
    if (this.listeners.size > 0 || this.syncWaiters.length > 0) return;
    this.idle = setTimeout(() => void this.stop(), this.options.idleStopMs);
    this.idle.unref?.();
  }

  /** Waits (at most `timeoutMs`) until these kinds have been listed or have failed. */
  async ready(kinds: readonly KindName[], timeoutMs: number): Promise<void> {
    this.touch(kinds);
    if (this.settled(kinds)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waiter = { kinds, resolve: () => undefined as void };
    await new Promise<void>((resolve) => {
      waiter.resolve = resolve;
      this.syncWaiters.push(waiter);
      // A reader waiting for the list is a use: no idle stop meanwhile.
      clearTimeout(this.idle);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
    this.syncWaiters = this.syncWaiters.filter((w) => w !== waiter);
    this.scheduleIdle();
  }

  private settled(kinds: readonly KindName[]): boolean {
    if (this.connectError) return true;
    return kinds.every((k) => {
      const st = this.kinds.get(k);
      return st && (st.synced || st.error);
    });
  }

  list<K extends KindName>(kind: K): KindObjects[K][] {
    return (this.kinds.get(kind)?.informer?.list() ?? []) as unknown as KindObjects[K][];
  }

  get<K extends KindName>(kind: K, name: string, namespace?: string): KindObjects[K] | undefined {
    return this.kinds.get(kind)?.informer?.get(name, namespace) as unknown as KindObjects[K] | undefined;
  }

  /** How these kinds (by default every kind in use) stand. */
  status(kinds: readonly KindName[] = [...this.wanted]): InformerStatus {
    const states = kinds.map((k) => this.kinds.get(k));
    const synced = states.every((k) => k?.syncedAt !== undefined);
    const base = { cluster: this.cluster, syncedAt: synced ? Math.max(0, ...states.map((k) => k!.syncedAt!)) : undefined, lastEventAt: this.lastEventAt };
    if (this.connectError) return { ...base, state: 'failed', failedAt: this.connectError.at, error: this.connectError.error, attempts: this.connectError.attempts };
    let failed: KindState | undefined;
    let attempts = 0;
    for (const k of states) {
      if (!k) continue;
      attempts = Math.max(attempts, k.attempts);
      if (k.error && (!failed || (k.failedAt ?? 0) < (failed.failedAt ?? 0))) failed = k;
    }
    if (failed) return { ...base, state: 'failed', failedAt: failed.failedAt, error: failed.error, attempts };
    return { ...base, state: states.every((k) => k?.synced) ? 'ok' : 'starting', attempts };
  }

  /** Called (debounced) after every change or failure of this cluster's cache. */
  subscribe(listener: () => void, kinds: readonly KindName[]): () => void {
    this.listeners.add(listener);
    this.touch(kinds);
    return () => {
      this.listeners.delete(listener);
      this.scheduleIdle();
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  private changed(): void {
    this.version += 1;
    this.lastEventAt = this.options.now();
    this.syncWaiters = this.syncWaiters.filter((w) => {
      if (!this.settled(w.kinds)) return true;
      w.resolve();
      return false;
    });
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      for (const l of [...this.listeners]) l();
    }, this.options.debounceMs);
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    this.starting = this.connect();
  }

  private async connect(): Promise<void> {
    let c: KubeClients;
    try {
      c = await this.options.clients(this.cluster);
    } catch (error) {
      if (!this.running) return;
      const attempts = (this.connectError?.attempts ?? 0) + 1;
      this.connectError = { error, at: this.connectError?.at ?? this.options.now(), attempts };
      this.changed();
      clearTimeout(this.connectRetry);
      this.connectRetry = setTimeout(() => {
        if (this.running) this.starting = this.connect();
      }, this.backoff(attempts));
      return;
    }
    if (!this.running) return;
    this.connectError = undefined;
    this.clients = c;
    await Promise.all([...this.wanted].filter((k) => !this.kinds.has(k)).map((kind) => this.startKind(kind, c)));
  }

  private backoff(attempts: number): number {
    return Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** Math.max(0, attempts - 1));
  }

  private async startKind(kind: KindName, c: KubeClients, replacing?: KindState): Promise<boolean> {
    const spec: KindSpec = KINDS[kind];
    const state: KindState = { synced: false, absent: false, attempts: 0, errors: 0 };
    // A replacement lists beside the current one and takes its place only once it has listed.
    if (!replacing) this.kinds.set(kind, state);
    const mine = () => this.kinds.get(kind) === state;
    const informer = makeInformer(c.kubeConfig, spec.path, () => spec.list(c)) as AnyInformer;
    state.informer = informer;
    const onChange = () => {
      if (mine()) this.changed();
    };
    informer.on('add', onChange);
    informer.on('update', onChange);
    informer.on('delete', onChange);
    informer.on('error', (err: unknown) => {
      state.errors += 1;
      if (!mine() || !this.running) return;
      if (spec.optional && isNotFound(err)) {
        state.absent = true;
        state.synced = true;
        state.error = undefined;
        state.failedAt = undefined;
        state.attempts = 0;
        this.changed();
        this.retryKind(kind, state, this.options.maxBackoffMs * 10);
        return;
      }
      state.attempts += 1;
      state.error = err;
      state.failedAt ??= this.options.now();
      this.changed();
      this.retryKind(kind, state, this.backoff(state.attempts));
    });
    if (!replacing) {
      await this.run(kind, state);
      return true;
    }
    const errors = state.errors;
    await informer.start().catch(() => undefined);
    if (state.errors !== errors || !this.running || this.kinds.get(kind) !== replacing) {
      await informer.stop();
      return false;
    }
    state.synced = true;
    state.syncedAt = this.options.now();
    this.kinds.set(kind, state);
    clearTimeout(replacing.retry);
    await replacing.informer?.stop();
    this.changed();
    return true;
  }

  /**
   * Lists these kinds again and swaps the fresh lists in: after a command
   * changed the cluster, its caller reads its own writes. Costs one list per
   * kind per command, never per page view.
   */
  async refresh(kinds: readonly KindName[]): Promise<void> {
    if (!this.running) return;
    await this.starting?.catch(() => undefined);
    let c: KubeClients;
    try {
      c = await this.options.clients(this.cluster);
    } catch {
      return;
    }
    await Promise.all(
      kinds.map((kind) => {
        const current = this.kinds.get(kind);
        return current ? this.startKind(kind, c, current) : Promise.resolve(false);
      }),
    );
  }

  /**
   * Another source (ARM) says the cluster is up: failed watches try again now
   * instead of waiting out their backoff — at most once per first backoff step.
   */
  retrySoon(): void {
    const t = this.options.now();
    if (!this.running || t - this.lastNudge < this.options.backoffMs) return;
    this.lastNudge = t;
    if (this.connectError) {
      clearTimeout(this.connectRetry);
      this.starting = this.connect();
      return;
    }
    for (const [kind, state] of this.kinds) if (state.error) this.retryKind(kind, state, 0);
  }

  private retryKind(kind: KindName, state: KindState, delayMs: number): void {
    clearTimeout(state.retry);
    state.retry = setTimeout(() => {
      if (!this.running || this.kinds.get(kind) !== state) return;
      // The clients are rebuilt before their token expires: a watch refused for an old token starts over with the new one.
      void this.options.clients(this.cluster).then(
        (c) => {
          if (!this.running || this.kinds.get(kind) !== state) return;
          if (c === this.clients) return void this.run(kind, state);
          this.clients = c;
          void this.startKind(kind, c, state).then((ok) => {
            if (!ok && this.kinds.get(kind) === state) this.retryKind(kind, state, this.backoff(++state.attempts));
          });
        },
        (err: unknown) => {
          if (!this.running || this.kinds.get(kind) !== state) return;
          state.error = err;
          state.attempts += 1;
          this.changed();
          this.retryKind(kind, state, this.backoff(state.attempts));
        },
      );
    }, delayMs);
  }

  /** Lists (unless it can resume) and watches; `start()` resolves once the watch is open or has failed. */
  private async run(kind: KindName, state: KindState): Promise<void> {
    const errors = state.errors;
    await state.informer!.start().catch(() => undefined);
    if (this.kinds.get(kind) !== state || !this.running || state.errors !== errors) return;
    const wasHealthy = state.synced && !state.error && !state.absent;
    state.error = undefined;
    state.failedAt = undefined;
    state.attempts = 0;
    state.absent = false;
    state.synced = true;
    state.syncedAt ??= this.options.now();
    if (!wasHealthy) this.changed();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stops += 1;
    clearTimeout(this.idle);
    clearTimeout(this.connectRetry);
    clearTimeout(this.debounce);
    this.debounce = undefined;
    await this.starting?.catch(() => undefined);
    const kinds = [...this.kinds.values()];
    this.kinds.clear();
    this.connectError = undefined;
    this.clients = undefined;
    this.wanted.clear();
    for (const k of kinds) clearTimeout(k.retry);
    await Promise.all(kinds.map((k) => k.informer?.stop()));
    for (const w of this.syncWaiters.splice(0)) w.resolve();
  }
}

/** The process's informers, one per cluster. */
export class Informers {
  private byCluster = new Map<ClusterKey, ClusterInformer>();

  constructor(private readonly options: InformerOptions = DEFAULT_INFORMER_OPTIONS) {}

  of(cluster: ClusterKey): ClusterInformer {
    let inf = this.byCluster.get(cluster);
    if (!inf) {
      inf = new ClusterInformer(cluster, this.options);
      this.byCluster.set(cluster, inf);
    }
    return inf;
  }

  /** The cluster's cache for a page read: started if needed, waited for (at most `timeoutMs`) until listed. */
  async read(cluster: ClusterKey, kinds: readonly KindName[], timeoutMs: number): Promise<ClusterInformer> {
    const inf = this.of(cluster);
    await inf.ready(kinds, timeoutMs);
    return inf;
  }

  statuses(): InformerStatus[] {
    return CLUSTER_KEYS.filter((k) => this.byCluster.has(k)).map((k) => this.byCluster.get(k)!.status());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.byCluster.values()].map((i) => i.stop()));
  }
}

const KEY = Symbol.for('aks-demo.informers');
type Holder = { [KEY]?: Informers };

/** The process-wide informers (one per server process, shared by all route bundles). */
export function informers(): Informers {
  const g = globalThis as Holder;
  g[KEY] ??= new Informers();
  return g[KEY];
}

/** Replaces the process-wide informers (tests: shorter timings). */
export async function resetInformers(options?: Partial<InformerOptions>): Promise<Informers> {
  const g = globalThis as Holder;
  await g[KEY]?.stop();
  g[KEY] = new Informers({ ...DEFAULT_INFORMER_OPTIONS, ...options });
  return g[KEY];
}
