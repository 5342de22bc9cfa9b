import { createServer, type Server } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { TwinClock } from './clock';
import { TwinError, TwinState } from './state';
import { DEFAULT_NAMES, twinScale, type TwinNames, type TwinProfile } from './seed';

/**
 * The twin's HTTPS server: it authenticates requests, applies injected faults
 * and hands each request to its extensions (ARM itself is one, `arm/`); its own
 * admin surface on `/_twin/…` (reset, clock, injected faults and latency,
 * request counts) is one no Azure client ever calls.
 */

/** What an extension (Kubernetes API, Cost Management, Data Protection …) can use. */
export interface TwinContext {
  state: TwinState;
  clock: TwinClock;
  subscriptionId: string;
  /** The twin's base URL (https://127.0.0.1:port). */
  url: string;
  /**
   * Plain-HTTP base URL for the pages a browser visits (the sign-in page), so
   * a presenter's browser never meets the twin's self-signed certificate.
   */
  browserUrl: string;
  /** PEM of the CA that signed the twin's certificate, handed out in kubeconfigs. */
  caPem: string;
  /** The API server of a cluster on the twin (its own port; `k8s/` serves it). */
  kubernetesServer(key: string): string;
}

export interface TwinRequest {
  method: string;
  url: URL;
  body: string;
  /** The body's bytes (a protobuf body is not text). */
  raw?: Buffer;
  headers: IncomingMessage['headers'];
  /** True on the browser-facing HTTP listener, where only handlePublic is consulted. */
  browser?: boolean;
}

/**
 * A part of the twin that speaks another API. `handle` sees every
 * authenticated non-admin request first and returns true when it answered;
 * `admin` sees `/_twin/<name>/…`; `reset` runs on every twin reset.
 */
export interface TwinExtension {
  name: string;
  handle(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean | Promise<boolean>;
  /** Sees requests before the bearer-token check (an identity provider's own endpoints). */
  handlePublic?(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean | Promise<boolean>;
  admin?(ctx: TwinContext, req: TwinRequest, res: ServerResponse): boolean | Promise<boolean>;
  reset?(ctx: TwinContext): void;
  /**
   * The identity provider's check of a bearer token for ARM or a Kubernetes API server
   * (consulted when the twin checks tokens): a refusal, or undefined when the token is good.
   */
  authenticate?(ctx: TwinContext, req: TwinRequest, api: 'arm' | 'kubernetes' | 'metrics' | 'logs'): Promise<{ status: number; code: string; message: string; wwwAuthenticate: string } | undefined>;
}

export interface TwinOptions {
  key: string;
  cert: string;
  /** PEM of the CA that signed `cert`, handed out in kubeconfigs (default: `cert` itself). */
  ca?: string;
  port?: number;
  /** Port of the browser-facing HTTP listener (0 = any free port). */
  browserPort?: number;
  /**
   * Ports of the clusters' Kubernetes API servers, in the order of the clusters
   * (0 or absent = any free port). Each is its own HTTPS endpoint with no path,
   * as an AKS API server is, so that clients which address the server's root
   * (`kubectl get --raw /version`) work.
   */
  kubernetesPorts?: number[];
  host?: string;
  profile?: TwinProfile;
  /** Multiplier of the seed's nodes and workloads (`twinScale`, 1..20; default 1). */
  scale?: number;
  clockSpeed?: number;
  /** The wall clock the twin reads (tests pass a fake one they can move; the twin never moves it). */
  now?: () => number;
  subscriptionId: string;
  names?: TwinNames;
  extensions?: TwinExtension[];
  /**
   * Check every bearer token as ARM and an AKS API server do (signed by the twin's tenant,
   * for their audience, not expired), refusing others with their 401. Off: any bearer token
   * is accepted (tests that call the twin directly).
   */
  checkTokens?: boolean;
}

const faultSchema = z.object({
  method: z.string().toUpperCase().optional(),
  /** Case-insensitive substring of the request path. */
  path: z.string().min(1),
  status: z.number().int().min(100).max(599).optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** How many requests it applies to; absent = until cleared. */
  times: z.number().int().positive().optional(),
});
type Fault = z.infer<typeof faultSchema>;

export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
  /** A Kubernetes watch (`?watch=true`): the same path as a list, told apart for tests that count lists. */
  watch?: true;
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** ARM's check on every request: the api-version query parameter, as ARM words its refusal. */
export function requireApiVersion(url: URL): string {
  const apiVersion = url.searchParams.get('api-version');
  if (!apiVersion || !API_VERSION.test(apiVersion)) {
    throw new TwinError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  return apiVersion;
}

/**
 * Per-environment state kept by an extension (a cost ledger, a backup book):
 * one instance per TwinState, created on first use.
 */
export function perState<T>(create: (ctx: TwinContext) => T): (ctx: TwinContext) => T {
  const byState = new WeakMap<TwinState, T>();
  return (ctx) => {
    let v = byState.get(ctx.state);
    if (v === undefined) {
      v = create(ctx);
      byState.set(ctx.state, v);
    }
    return v;
  };
}

export class Twin {
  readonly clock: TwinClock;
  readonly state: TwinState;
  private faults: Fault[] = [];
  readonly requests: RecordedRequest[] = [];
  private server: Server;
  private browserServer: HttpServer;
  private apiServers = new Map<string, Server>();

  readonly extensions: TwinExtension[];

  constructor(private readonly options: TwinOptions) {
    this.extensions = options.extensions ?? [];
    this.clock = new TwinClock(options.clockSpeed ?? 60, options.now ?? Date.now);
    this.state = new TwinState(this.clock, options.profile ?? 'nap', options.names ?? DEFAULT_NAMES, options.scale ?? 1);
    this.server = createServer({ key: options.key, cert: options.cert }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        send(res, 500, { error: { code: 'InternalServerError', message: String(err) } });
      });
    });
    for (const key of this.state.names.clusters.map((c) => c.key)) {
      this.apiServers.set(key, createServer({ key: options.key, cert: options.cert }, (req, res) => {
        // The API server of one cluster: the same routes as `/k8s/<cluster>/…` on the twin's own port.
        req.url = `/k8s/${key}${req.url ?? '/'}`;
        this.handle(req, res).catch((err: unknown) => {
          send(res, 500, { error: { code: 'InternalServerError', message: String(err) } });
        });
      }));
    }
    this.browserServer = createHttpServer((req, res) => {
      this.handleBrowser(req, res).catch((err: unknown) => {
        send(res, 500, { error: { code: 'InternalServerError', message: String(err) } });
      });
    });
  }

  private async handleBrowser(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://twin.local');
    const raw = await readBody(req);
    const twinReq: TwinRequest = { method: (req.method ?? 'GET').toUpperCase(), url, body: raw.toString('utf8'), raw, headers: req.headers, browser: true };
    for (const ext of this.extensions) {
      if (ext.handlePublic && (await ext.handlePublic(this.context, twinReq, res))) return;
    }
    send(res, 404, { error: { code: 'NotFound', message: 'The browser listener serves the sign-in pages only.' } });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve, reject) => {
      this.browserServer.once('error', reject);
      this.browserServer.listen(this.options.browserPort ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    let i = 0;
    for (const server of this.apiServers.values()) {
      const port = this.options.kubernetesPorts?.[i++] ?? 0;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, this.options.host ?? '127.0.0.1', () => resolve());
      });
    }
    return this.url;
  }

  get url(): string {
    const addr = this.server.address() as AddressInfo;
    return `https://127.0.0.1:${addr.port}`;
  }

  get browserUrl(): string {
    const addr = this.browserServer.address() as AddressInfo | null;
    return addr ? `http://127.0.0.1:${addr.port}` : this.url;
  }

  async close(): Promise<void> {
    for (const server of [this.browserServer, ...this.apiServers.values(), this.server]) await shut(server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://twin.local');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const body = raw.toString('utf8');
    const twinReq: TwinRequest = { method, url, body, raw, headers: req.headers };
    if (url.pathname.startsWith('/_twin/')) {
      for (const ext of this.extensions) {
        if (ext.admin && url.pathname.startsWith(`/_twin/${ext.name}/`) && (await ext.admin(this.context, twinReq, res))) return;
      }
      return this.admin(method, url, body, res);
    }

    // The Date header comes from the same clock as every timestamp in the bodies.
    res.setHeader('Date', new Date(this.clock.now()).toUTCString());
    const fault = this.matchFault(method, url.pathname);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault?.status) {
      this.requests.push({ method, path: url.pathname, at: this.clock.now() });
      const headers: Record<string, string> = fault.status === 429 ? { 'Retry-After': '1' } : {};
      return send(res, fault.status, { error: { code: fault.code ?? 'InjectedFault', message: fault.message ?? 'Injected by the twin' } }, headers);
    }
    // The identity provider's own endpoints (discovery, keys, tokens): not ARM or Kubernetes requests, so not recorded.
    for (const ext of this.extensions) {
      if (ext.handlePublic && (await ext.handlePublic(this.context, twinReq, res))) return;
    }
    const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    this.requests.push({ method, path: url.pathname, at: this.clock.now(), ...(watch ? { watch: true as const } : {}) });
    const kubernetes = url.pathname.startsWith('/k8s/');
    if (this.options.checkTokens) {
      const identity = this.extensions.find((e) => e.authenticate);
      const refusal = identity
        ? await identity.authenticate!(this.context, twinReq, kubernetes ? 'kubernetes' : apiOfPath(url.pathname))
        : { status: 401, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.', wwwAuthenticate: 'Bearer error="invalid_token"' };
      if (refusal) {
        const headers = { 'WWW-Authenticate': refusal.wwwAuthenticate };
        // An API server answers as Kubernetes does (a Status); ARM with its error object.
        if (kubernetes) return send(res, 401, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }, headers);
        return send(res, refusal.status, { error: { code: refusal.code, message: refusal.message } }, headers);
      }
    } else if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return send(res, 401, { error: { code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing." } });
    }
    for (const ext of this.extensions) {
      try {
        if (await ext.handle(this.context, twinReq, res)) return;
      } catch (err) {
        if (err instanceof TwinError) return send(res, err.status, { error: { code: err.code, message: err.message } });
        throw err;
      }
    }
    send(res, 404, { error: { code: 'NotFound', message: 'No route.' } });
  }

  get context(): TwinContext {
    return {
      state: this.state, clock: this.clock, subscriptionId: this.options.subscriptionId, url: this.url, browserUrl: this.browserUrl,
      caPem: this.options.ca ?? this.options.cert, kubernetesServer: (key) => this.kubernetesServer(key),
    };
  }

  private matchFault(method: string, path: string): Fault | undefined {
    const lower = path.toLowerCase();
    const index = this.faults.findIndex((f) => (!f.method || f.method === method) && lower.includes(f.path.toLowerCase()));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.splice(index, 1);
    }
    return fault;
  }

  /** The API server of a cluster on the twin (its own port; lib/twin/k8s serves it). */
  kubernetesServer(key: string): string {
    const addr = this.apiServers.get(key)?.address() as AddressInfo | null | undefined;
    return addr ? `https://127.0.0.1:${addr.port}` : `${this.url}/k8s/${key}`;
  }

  private admin(method: string, url: URL, body: string, res: ServerResponse): void {
    const route = `${method} ${url.pathname}`;
    const json = () => (body ? (JSON.parse(body) as unknown) : {});
    try {
      switch (route) {
        case 'GET /_twin/health':
          return send(res, 200, { ok: true, profile: this.state.profile, scale: this.state.scale, now: new Date(this.clock.now()).toISOString(), speed: this.clock.getSpeed() });
        case 'POST /_twin/reset': {
          // Without a scale the environment keeps the one it has (TWIN_SCALE or the last reset's).
          const parsed = z.object({ profile: z.enum(['nap', 'manual']).optional(), scale: twinScale.optional() }).safeParse(json());
          if (!parsed.success) return send(res, 400, { error: { code: 'BadRequest', message: z.prettifyError(parsed.error) } });
          const { profile, scale } = parsed.data;
          this.state.reset(profile ?? this.state.profile, scale ?? this.state.scale);
          for (const ext of this.extensions) ext.reset?.(this.context);
          this.faults = [];
          this.requests.length = 0;
          return send(res, 200, { ok: true, profile: this.state.profile, scale: this.state.scale });
        }
        case 'GET /_twin/requests':
          return send(res, 200, { count: this.requests.length, requests: this.requests });
        case 'DELETE /_twin/requests':
          this.requests.length = 0;
          return send(res, 200, { ok: true });
        case 'POST /_twin/faults':
          this.faults.push(faultSchema.parse(json()));
          return send(res, 200, { ok: true, faults: this.faults });
        case 'GET /_twin/faults':
          return send(res, 200, { faults: this.faults });
        case 'DELETE /_twin/faults':
          this.faults = [];
          return send(res, 200, { ok: true });
        case 'GET /_twin/clock':
          return send(res, 200, { now: new Date(this.clock.now()).toISOString(), speed: this.clock.getSpeed() });
        case 'POST /_twin/clock': {
          const raw = json() as { advanceMs?: unknown };
          if (raw && typeof raw === 'object' && 'advanceMs' in raw) {
            // One clock, the wall clock: nothing may be stamped in the future. Speed shortens durations instead.
            return send(res, 400, { error: { code: 'BadRequest', message: "The twin's clock follows the wall clock and cannot be moved; set speed to shorten how long operations take." } });
          }
          const v = z.object({ speed: z.number().positive().max(100000).optional() }).strict().parse(raw);
          if (v.speed) this.clock.setSpeed(v.speed);
          return send(res, 200, { now: new Date(this.clock.now()).toISOString(), speed: this.clock.getSpeed() });
        }
        default:
          return send(res, 404, { error: { code: 'NotFound', message: `No twin admin route ${route}` } });
      }
    } catch (err) {
      if (err instanceof z.ZodError || err instanceof SyntaxError) {
        return send(res, 400, { error: { code: 'BadRequest', message: err.message } });
      }
      throw err;
    }
  }
}

/** Which Azure API a path on the twin's port belongs to, for the audience its tokens must carry. */
function apiOfPath(path: string): 'arm' | 'metrics' | 'logs' {
  // The regional metrics batch endpoint and Log Analytics take tokens for their own audiences, not ARM's.
  if (/\/metrics:getbatch$/i.test(path)) return 'metrics';
  if (/^\/v1\/workspaces\//i.test(path)) return 'logs';
  return 'arm';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(payload ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    'x-ms-request-id': crypto.randomUUID(),
    ...headers,
  });
  res.end(payload);
}

/**
 * Stops a server and waits until it is closed. A connection still in its TLS
 * handshake when the server is asked to close is not yet counted, and could
 * then hold `close` for as long as its request takes (a slow-endpoint knob,
 * a watch): connections are closed again until none is left.
 */
async function shut(server: { closeAllConnections(): void; close(cb: () => void): unknown }): Promise<void> {
  server.closeAllConnections();
  const again = setInterval(() => server.closeAllConnections(), 100);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearInterval(again);
}
