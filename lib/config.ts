import { join, resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { clusterName, findCluster, type ClusterKey, type ClusterRef } from './domain/cluster';
import { priceOverridesSchema, type DashboardHosting, type PriceSheet } from './domain/cost';

/**
 * All settings, parsed and validated once. A wrong value stops the start with
 * the variable's name and what is expected. `.env.example` lists every one.
 */
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a subscription id (UUID)');
const azName = z.string().regex(/^[A-Za-z0-9][-_A-Za-z0-9.()]{0,88}$/, 'an Azure resource name');
const httpsUrl = z.string().url().refine((u) => u.startsWith('https://'), 'an https:// URL');
const positiveInt = (def: number) => z.coerce.number().int().positive().default(def);

const schema = z
  .object({
    TARGET: z.enum(['twin', 'azure']).optional(),
    AZURE_SUBSCRIPTION_ID: uuid.optional(),
    ARM_ENDPOINT: httpsUrl.optional(),
    TWIN_URL: httpsUrl.optional(),
    TWIN_PORT: z.coerce.number().int().min(0).max(65535).default(4443),
    TWIN_PROFILE: z.enum(['nap', 'manual']).default('nap'),
    TWIN_CLOCK_SPEED: z.coerce.number().positive().max(100000).default(60),
    // The twin's size: nodes per pool and workload replicas times this (the twin checks the same bounds).
    TWIN_SCALE: z.coerce.number().int().min(1).max(20).default(1),
    AZURE_LOCATION: z.string().regex(/^[a-z0-9]+$/, 'an Azure region name such as koreacentral').default('koreacentral'),
    RG_COMMON: azName.default('rg-k8s-demo-common'),
    RG_MGMT: azName.default('rg-k8s-demo-mgmt'),
    RG_APP1: azName.default('rg-k8s-demo-app1'),
    RG_APP2: azName.default('rg-k8s-demo-app2'),
    CLUSTER_MGMT: azName.default('aks-mgmt'),
    CLUSTER_APP1: azName.default('aks-app1'),
    CLUSTER_APP2: azName.default('aks-app2'),
    /** Everything the app writes (SQLite file, plan files, the twin's CA, the jobs' working copy): the one writable place on a host. */
    DATA_DIR: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .refine((u) => u.startsWith('file:') || /^postgres(ql)?:\/\//.test(u), 'file:<path> (SQLite) or postgresql://… (PostgreSQL)')
      .optional(),
    /** The OpenTofu configuration jobs run in; the packaged launcher points it at a copy under DATA_DIR (the app folder is read-only). */
    INFRA_DIR: z.string().min(1).optional(),
    /** Remote state (infra/bootstrap): the launcher writes the azurerm backend for the jobs from these. */
    TF_STATE_RESOURCE_GROUP: azName.optional(),
    TF_STATE_STORAGE_ACCOUNT: z.string().regex(/^[a-z0-9]{3,24}$/, 'a storage account name (3-24 lower-case letters and digits)').optional(),
    TF_STATE_CONTAINER: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?$/, 'a blob container name').default('tfstate'),
    TF_STATE_KEY: z.string().regex(/^[A-Za-z0-9][-_.A-Za-z0-9/]{0,200}$/, 'a blob name such as k8s-demo.tfstate').default('k8s-demo.tfstate'),
    /** Client id of the user-assigned managed identity the app uses for Azure; read by @azure/identity (DefaultAzureCredential). */
    AZURE_CLIENT_ID: uuid.optional(),
    /** With AZURE_CLIENT_ID and AZURE_CLIENT_SECRET: a service principal (@azure/identity's EnvironmentCredential reads them). */
    AZURE_TENANT_ID: uuid.optional(),
    AZURE_CLIENT_SECRET: z.string().min(1).optional(),
    /** Entra ID's authority host for the app's Azure credential (sovereign clouds; the twin to rehearse). */
    AZURE_AUTHORITY_HOST: httpsUrl.optional(),
    /** The audience of ARM tokens. Default https://management.azure.com, or ARM_ENDPOINT when that is set. */
    ARM_AUDIENCE: httpsUrl.optional(),
    /** The twin checks bearer tokens as ARM and AKS do (true), or accepts any (false). */
    TWIN_CHECK_TOKENS: z.enum(['true', 'false']).default('true'),
    READ_CACHE_TTL_MS: positiveInt(3000),
    UPSTREAM_WAIT_MS: positiveInt(1500),
    SIGN_INS_PER_MINUTE: positiveInt(30),
    REFUSALS_PER_MINUTE: positiveInt(30),
    UPSTREAM_DEADLINE_MS: positiveInt(10_000),
    ARM_POLL_INTERVAL_MS: z.coerce.number().int().min(50).optional(),
    PORT: positiveInt(3000),
    BUDGET_AMOUNT_USD: z.coerce.number().positive().default(250),
    BUDGET_NAME: azName.default('budget-k8s-demo-monthly'),
    COST_REFRESH_MINUTES: z.coerce.number().int().positive().optional(),
    COST_ON_DEMAND_MIN_MINUTES: z.coerce.number().int().min(0).default(10),
    COST_PRICES: z
      .string()
      .transform((s, ctx) => {
        try {
          return priceOverridesSchema.parse(JSON.parse(s));
        } catch {
          ctx.addIssue({ code: 'custom', message: `a JSON object of price overrides, e.g. {"vmSpotPerHour":{"Standard_D2s_v5":0.025}}, with keys among ${Object.keys(priceOverridesSchema.shape).join(', ')}` });
          return z.NEVER;
        }
      })
      .optional(),
    COST_AWAKE_HOURS_PER_MONTH: z.coerce.number().positive().max(744).default(160),
    COST_SESSIONS_PER_MONTH: z.coerce.number().int().min(0).default(20),
    DASHBOARD_HOSTING: z.enum(['none', 'app_service', 'jump_vm']).default('none'),
    DASHBOARD_APP_SERVICE_SKU: z.enum(['B1', 'B2', 'P0v3', 'P1v3']).default('B1'),
    RETAIL_PRICES_URL: httpsUrl.optional(),
    APP_BASE_URL: z.string().url().optional(),
    AUTH_AUTHORITY: httpsUrl.optional(),
    AUTH_TENANT_ID: z
      .string()
      .refine((t) => !['common', 'organizations', 'consumers'].includes(t.toLowerCase()), 'a tenant id (UUID): the common/organizations/consumers endpoints admit accounts of any tenant')
      .pipe(uuid)
      .optional(),
    AUTH_CLIENT_ID: uuid.optional(),
    AUTH_CLIENT_SECRET: z.string().min(1).optional(),
    AUTH_CLIENT_CERTIFICATE_PATH: z.string().min(1).optional(),
    AUTH_FEDERATED_MI_CLIENT_ID: uuid.optional(),
    AUTH_GROUP_ROLES: z
      .string()
      .transform((s, ctx) => {
        try {
          return z.record(uuid, z.enum(['Reader', 'Operator', 'Admin'])).parse(JSON.parse(s));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'JSON object of group object id → Reader|Operator|Admin' });
          return z.NEVER;
        }
      })
      .optional(),
    AUTH_TRUST_APP_SERVICE_HEADERS: z.enum(['true', 'false']).default('false'),
    SCHEDULER: z.enum(['on', 'off']).default('on'),
    /** The zone every page shows times in (named beside them); the default schedules' zone. */
    TIME_ZONE: z.string().refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as Asia/Seoul').default('Asia/Seoul'),
    AUTOMATION_ACCOUNT: azName.default('aa-k8s-demo-power'),
    /** infra/modules/keyvault's vault (in RG_COMMON), where the gateway certificate is pushed. */
    KEY_VAULT_NAME: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/, 'a Key Vault name (3-24 letters, digits and hyphens, starting with a letter)').default('kv-k8s-demo'),
    // Azure Monitor: the regional metrics batch endpoint (default https://<AZURE_LOCATION>.metrics.monitor.azure.com)
    // and the Log Analytics query endpoint; the workspace is the one infra/ creates (its customer id, a UUID).
    MONITOR_METRICS_ENDPOINT: httpsUrl.optional(),
    MONITOR_LOGS_ENDPOINT: httpsUrl.default('https://api.loganalytics.io'),
    LOG_ANALYTICS_WORKSPACE_ID: uuid.optional(),
    /** The demo application's public entry, probed by the presenter's scenarios (twin: its own entry). */
    DEMO_APP_URL: httpsUrl.optional(),
    LOG_ANALYTICS_WORKSPACE_NAME: azName.default('law-k8s-demo'),
    GRAFANA_URL: httpsUrl.optional(),
    /** Metrics arrive at one-minute grain: reading more often than this only spends the query budget. */
    MONITOR_REFRESH_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    SCHEDULER_TICK_MS: z.coerce.number().int().min(200).default(15_000),
    SCHEDULER_GRACE_MINUTES: z.coerce.number().min(0).max(24 * 60).default(15),
    SCHEDULE_DEFAULTS_ENABLED: z.enum(['true', 'false']).default('true'),
    SESSION_IDLE_MINUTES: positiveInt(60),
    SESSION_ABSOLUTE_HOURS: positiveInt(12),
  })
  .superRefine((v, ctx) => {
    const azure = v.TARGET === 'azure' || (!v.TARGET && v.AZURE_SUBSCRIPTION_ID);
    if (Boolean(v.TF_STATE_STORAGE_ACCOUNT) !== Boolean(v.TF_STATE_RESOURCE_GROUP)) {
      ctx.addIssue({ code: 'custom', path: [v.TF_STATE_STORAGE_ACCOUNT ? 'TF_STATE_RESOURCE_GROUP' : 'TF_STATE_STORAGE_ACCOUNT'], message: 'TF_STATE_STORAGE_ACCOUNT and TF_STATE_RESOURCE_GROUP go together' });
    }
    if (v.TARGET === 'azure' && !v.AZURE_SUBSCRIPTION_ID) {
      ctx.addIssue({ code: 'custom', path: ['AZURE_SUBSCRIPTION_ID'], message: 'required when TARGET=azure' });
    }
    if (azure) {
      for (const name of ['AUTH_TENANT_ID', 'AUTH_CLIENT_ID'] as const) {
        if (!v[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required for Entra ID sign-in on the azure target' });
      }
      if (!v.AUTH_CLIENT_SECRET && !v.AUTH_CLIENT_CERTIFICATE_PATH && !v.AUTH_FEDERATED_MI_CLIENT_ID) {
        ctx.addIssue({ code: 'custom', path: ['AUTH_CLIENT_SECRET'], message: 'one client credential is required: AUTH_CLIENT_SECRET, AUTH_CLIENT_CERTIFICATE_PATH or AUTH_FEDERATED_MI_CLIENT_ID' });
      }
    }
  });

/** Every setting's name, as `.env.example` must list it. */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

/** Where the dashboard runs, for its own lines in the cost model (the database from DATABASE_URL). */
function dashboardHosting(host: 'none' | 'app_service' | 'jump_vm', sku: string, databaseUrl: string | undefined, resourceGroup: string): DashboardHosting {
  if (host !== 'app_service') return { host };
  return { host, sku, database: databaseUrl && /^postgres(ql)?:/.test(databaseUrl) ? 'postgresql' : 'sqlite', resourceGroup };
}

// The cluster identity lives in the domain; configuration produces the references.
export { CLUSTER_KEYS, type ClusterKey, type ClusterRef } from './domain/cluster';

/** The subscription the twin pretends to be; never a real one. */
export const TWIN_SUBSCRIPTION_ID = '00000000-0000-4000-8000-00000000d3e0';
/** The customer id of the twin's Log Analytics workspace. */
export const TWIN_WORKSPACE_ID = '00000000-0000-4000-8000-00000000a1a0';

/**
 * The twin's demo tenant and client (lib/twin/oidc). Repeated here because the
 * app never imports the twin; a test keeps them equal.
 */
export const TWIN_AUTH = {
  tenantId: '7a1e0d3c-0000-4000-8000-00000000d3e0',
  clientId: 'a6d2c0de-0000-4000-8000-00000000da5b',
  clientSecret: 'twin-demo-client-secret',
};

export interface AuthConfig {
  /** https://login.microsoftonline.com, or the twin's URL. */
  authority: string;
  tenantId: string;
  clientId: string;
  /** Pinned: https://login.microsoftonline.com/<tenant-id>/v2.0 exactly. */
  issuer: string;
  credential:
    | { kind: 'secret'; secret: string }
    | { kind: 'certificate'; path: string }
    | { kind: 'federated-managed-identity'; managedIdentityClientId: string };
  groupRoles: Record<string, 'Reader' | 'Operator' | 'Admin'>;
  trustAppServiceHeaders: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  baseUrl?: string;
}

/** Hosts that are this machine: an ARM endpoint here is the twin. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Entra ID's authority hosts that MSAL knows (public, US Government, China); any other host is used as configured, without instance discovery. */
const KNOWN_AUTHORITY_HOSTS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn'];

/** How the app gets Azure tokens (lib/azure builds the credential from this). */
export interface IdentityConfig {
  /** Entra ID (or the twin) that issues the app's tokens. */
  authorityHost: string;
  /** MSAL asks login.microsoftonline.com to validate an authority it does not know; off for any other host, as for Azure Stack. */
  disableInstanceDiscovery: boolean;
  /** Scope of ARM tokens: `<ARM audience>/.default`. */
  armScope: string;
  /** User-assigned managed identity (AZURE_CLIENT_ID), for DefaultAzureCredential's managed identity. */
  managedIdentityClientId?: string;
}

export interface AppConfig {
  target: 'twin' | 'azure';
  subscriptionId: string;
  armEndpoint: string;
  /**
   * The twin's URL when the environment is the twin: on the twin target, and on the azure target
   * when ARM_ENDPOINT is on loopback (rehearsing the azure settings: Azure never answers there).
   * Jobs are then simulated by the twin instead of running tofu, and its fault scenarios are offered.
   */
  twinUrl?: string;
  location: string;
  commonResourceGroup: string;
  /** The Key Vault of infra/modules/keyvault, in the common resource group. */
  keyVaultName: string;
  clusters: ClusterRef[];
  databaseUrl: string;
  /** Absolute; the only directory the app writes to (unless DATABASE_URL names another SQLite file). */
  dataDir: string;
  jobs: {
    /** Where tofu and install.sh run. */
    infraDir: string;
    /** Saved plan files (readable by the server's user only). */
    planDir: string;
    /** azurerm backend of the jobs' OpenTofu, when remote state is configured. */
    remoteState?: { resourceGroup: string; storageAccount: string; container: string; key: string };
  };
  readCacheTtlMs: number;
  /** How long a page waits for a refresh when it has a last answer to show, and for a first answer (also each upstream request's timeout). */
  upstream: { waitMs: number; deadlineMs: number };
  /** Per client address (or signed-in user): sign-in starts, and refused calls before they are answered "too many". */
  limits: { signInsPerMinute: number; refusalsPerMinute: number };
  armPollIntervalMs: number;
  port: number;
  twin: { port: number; profile: 'nap' | 'manual'; clockSpeed: number; scale: number };
  cost: {
    budgetAmount: number;
    budgetName: string;
    /** Cost Management answers are refreshed at most this often per scope. */
    refreshMs: number;
    /** An on-demand refresh is refused sooner than this after the last one. */
    onDemandMinMs: number;
    prices?: Partial<PriceSheet>;
    schedule: { awakeHoursPerMonth: number; sessionsPerMonth: number };
    /** Where the dashboard itself runs: its own lines in the cost model. */
    dashboard: DashboardHosting;
    /** The Azure Retail Prices API, which prices that hosting for the region. */
    retailPricesUrl: string;
  };
  auth: AuthConfig;
  identity: IdentityConfig;
  /** The environment's stated time zone (IANA): pages show times in it, naming it. */
  timeZone: string;
  scheduler: { enabled: boolean; tickMs: number; graceMs: number; defaultsEnabled: boolean; automationAccount: string };
  monitor: MonitorConfig;
  /** The demo application's public entry, probed during scenarios; absent: no probe configured. */
  demoAppUrl?: string;
}

export interface MonitorConfig {
  /** Regional metrics batch endpoint (metrics:getBatch). */
  metricsEndpoint: string;
  /** Log Analytics query endpoint, without the /v1. */
  logsEndpoint: string;
  /** Log Analytics workspace (customer id) that Container Insights writes to; absent = logs not configured. */
  workspaceId?: string;
  workspaceName: string;
  grafanaUrl?: string;
  refreshMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n') +
        '\nSee .env.example for every setting.',
    );
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  // Empty strings mean "not set", as in most .env loaders.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const v = parsed.data;
  const target = v.TARGET ?? (v.AZURE_SUBSCRIPTION_ID ? 'azure' : 'twin');
  const twin = target === 'twin';
  if (twin && !v.TWIN_URL) {
    // The launcher (scripts/run.ts) starts the twin and sets TWIN_URL for the app.
    v.TWIN_URL = `https://127.0.0.1:${v.TWIN_PORT}`;
  }
  // Every Azure endpoint is the twin's own on the twin. The twin's URL: on the twin target, or the azure settings with ARM on this machine (only the twin answers there).
  const twinUrl = twin ? v.TWIN_URL : v.ARM_ENDPOINT && LOOPBACK.has(new URL(v.ARM_ENDPOINT).hostname) ? new URL(v.ARM_ENDPOINT).origin : undefined;
  return {
    target,
    subscriptionId: twin ? TWIN_SUBSCRIPTION_ID : v.AZURE_SUBSCRIPTION_ID!,
    armEndpoint: twin ? v.TWIN_URL! : (v.ARM_ENDPOINT ?? 'https://management.azure.com'),
    twinUrl,
    location: v.AZURE_LOCATION,
    commonResourceGroup: v.RG_COMMON,
    keyVaultName: v.KEY_VAULT_NAME,
    clusters: [
      { key: 'mgmt', resourceGroup: v.RG_MGMT, name: v.CLUSTER_MGMT },
      { key: 'app1', resourceGroup: v.RG_APP1, name: v.CLUSTER_APP1 },
      { key: 'app2', resourceGroup: v.RG_APP2, name: v.CLUSTER_APP2 },
    ],
    // Unset: SQLite in the data directory (the historical default when DATA_DIR is unset too).
    databaseUrl: v.DATABASE_URL ?? (v.DATA_DIR ? `file:${join(v.DATA_DIR, 'app.db')}` : 'file:./data/app.db'),
    dataDir: resolve(v.DATA_DIR ?? 'data'),
    jobs: {
      infraDir: resolve(v.INFRA_DIR ?? 'infra'),
      planDir: join(resolve(v.DATA_DIR ?? 'data'), 'jobs/plans'),
      remoteState:
        v.TF_STATE_STORAGE_ACCOUNT && v.TF_STATE_RESOURCE_GROUP
          ? { resourceGroup: v.TF_STATE_RESOURCE_GROUP, storageAccount: v.TF_STATE_STORAGE_ACCOUNT, container: v.TF_STATE_CONTAINER, key: v.TF_STATE_KEY }
          : undefined,
    },
    readCacheTtlMs: v.READ_CACHE_TTL_MS,
    upstream: { waitMs: v.UPSTREAM_WAIT_MS, deadlineMs: v.UPSTREAM_DEADLINE_MS },
    limits: { signInsPerMinute: v.SIGN_INS_PER_MINUTE, refusalsPerMinute: v.REFUSALS_PER_MINUTE },
    // ARM's own Retry-After governs when present; this is the fallback interval.
    armPollIntervalMs: v.ARM_POLL_INTERVAL_MS ?? (target === 'twin' ? 500 : 10_000),
    port: v.PORT,
    twin: { port: v.TWIN_PORT, profile: v.TWIN_PROFILE, clockSpeed: v.TWIN_CLOCK_SPEED, scale: v.TWIN_SCALE },
    cost: {
      budgetAmount: v.BUDGET_AMOUNT_USD,
      budgetName: v.BUDGET_NAME,
      // Cost Management's data refreshes every few hours and its quota is per tenant: 4 h on Azure;
      // the twin refreshes every few minutes so that a rehearsal sees its bill move.
      refreshMs: (v.COST_REFRESH_MINUTES ?? (target === 'twin' ? 2 : 240)) * 60_000,
      onDemandMinMs: v.COST_ON_DEMAND_MIN_MINUTES * 60_000,
      prices: v.COST_PRICES as Partial<PriceSheet> | undefined,
      schedule: { awakeHoursPerMonth: v.COST_AWAKE_HOURS_PER_MONTH, sessionsPerMonth: v.COST_SESSIONS_PER_MONTH },
      dashboard: dashboardHosting(v.DASHBOARD_HOSTING, v.DASHBOARD_APP_SERVICE_SKU, v.DATABASE_URL, v.RG_MGMT),
      // Public and unauthenticated; the twin answers the same API with its own price list.
      retailPricesUrl: v.RETAIL_PRICES_URL ?? (twinUrl ? `${twinUrl}/api/retail/prices` : 'https://prices.azure.com/api/retail/prices'),
    },
    auth: authConfig(v, target),
    identity: identityConfig(v, twin),
    timeZone: v.TIME_ZONE,
    scheduler: {
      enabled: v.SCHEDULER === 'on',
      tickMs: v.SCHEDULER_TICK_MS,
      graceMs: v.SCHEDULER_GRACE_MINUTES * 60_000,
      defaultsEnabled: v.SCHEDULE_DEFAULTS_ENABLED === 'true',
      automationAccount: v.AUTOMATION_ACCOUNT,
    },
    monitor: {
      metricsEndpoint: twinUrl ?? v.MONITOR_METRICS_ENDPOINT ?? `https://${v.AZURE_LOCATION}.metrics.monitor.azure.com`,
      logsEndpoint: twinUrl ?? v.MONITOR_LOGS_ENDPOINT,
      workspaceId: v.LOG_ANALYTICS_WORKSPACE_ID ?? (twinUrl ? TWIN_WORKSPACE_ID : undefined),
      workspaceName: v.LOG_ANALYTICS_WORKSPACE_NAME,
      grafanaUrl: v.GRAFANA_URL,
      refreshMs: v.MONITOR_REFRESH_SECONDS * 1000,
    },
    demoAppUrl: v.DEMO_APP_URL ?? (twinUrl ? `${twinUrl}/demo-app/` : undefined),
  };
}

function authConfig(v: z.infer<typeof schema>, target: 'twin' | 'azure'): AuthConfig {
  const twin = target === 'twin';
  const authority = (v.AUTH_AUTHORITY ?? (twin ? v.TWIN_URL! : 'https://login.microsoftonline.com')).replace(/\/$/, '');
  const tenantId = v.AUTH_TENANT_ID ?? TWIN_AUTH.tenantId;
  const credential: AuthConfig['credential'] = v.AUTH_CLIENT_CERTIFICATE_PATH
    ? { kind: 'certificate', path: v.AUTH_CLIENT_CERTIFICATE_PATH }
    : v.AUTH_FEDERATED_MI_CLIENT_ID
      ? { kind: 'federated-managed-identity', managedIdentityClientId: v.AUTH_FEDERATED_MI_CLIENT_ID }
      : { kind: 'secret', secret: v.AUTH_CLIENT_SECRET ?? TWIN_AUTH.clientSecret };
  return {
    authority,
    tenantId,
    clientId: v.AUTH_CLIENT_ID ?? TWIN_AUTH.clientId,
    issuer: `${authority}/${tenantId}/v2.0`,
    credential,
    groupRoles: v.AUTH_GROUP_ROLES ?? {},
    trustAppServiceHeaders: v.AUTH_TRUST_APP_SERVICE_HEADERS === 'true',
    sessionIdleMs: v.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: v.SESSION_ABSOLUTE_HOURS * 3_600_000,
    baseUrl: v.APP_BASE_URL?.replace(/\/$/, ''),
  };
}

function identityConfig(v: z.infer<typeof schema>, twin: boolean): IdentityConfig {
  // On the twin target the twin is the authority; on azure, AZURE_AUTHORITY_HOST (read by @azure/identity too) or Entra ID.
  const authorityHost = (twin ? v.TWIN_URL! : (v.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com')).replace(/\/$/, '');
  const audience = (v.ARM_AUDIENCE ?? (twin ? undefined : v.ARM_ENDPOINT) ?? 'https://management.azure.com').replace(/\/$/, '');
  return {
    authorityHost,
    disableInstanceDiscovery: !KNOWN_AUTHORITY_HOSTS.includes(new URL(authorityHost).hostname),
    armScope: `${audience}/.default`,
    managedIdentityClientId: v.AZURE_CLIENT_ID,
  };
}

let cached: AppConfig | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * The origin users reach the app on. A server's own view of a request is its bind address
 * (Next's standalone server: http://0.0.0.0:<port>; behind App Service's front end: the
 * container's port), so redirects and cookies use APP_BASE_URL when it is set.
 */
export function publicOrigin(requestOrigin: string): string {
  const base = getConfig().auth.baseUrl;
  return base ? new URL(base).origin : requestOrigin;
}

/** The configured reference of a cluster: the one lookup every capability uses. */
export function clusterRef(key: ClusterKey): ClusterRef {
  return findCluster(getConfig().clusters, key);
}

/** How every page names a cluster: its resource name (aks-app1), from a key or any other audit target left as it is. */
export function displayCluster(keyOrTarget: string): string {
  return clusterName(getConfig().clusters, keyOrTarget);
}

/** Key → resource name for a client component that names clusters (it cannot read the settings itself). */
export function clusterNames(): Record<ClusterKey, string> {
  return Object.fromEntries(getConfig().clusters.map((c) => [c.key, c.name])) as Record<ClusterKey, string>;
}
