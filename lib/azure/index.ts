import 'server-only';
import type { TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';
import { ComputeManagementClient } from '@azure/arm-compute';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ConsumptionManagementClient } from '@azure/arm-consumption';
import { getClient, type Client } from '@azure-rest/core-client';
import { MonitorClient } from '@azure/arm-monitor';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { MetricsClient } from '@azure/monitor-query-metrics';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { getConfig, TWIN_AUTH, type AppConfig } from '../config';

/**
 * Builds the Azure SDK clients for the configured target. The twin and Azure
 * differ only in endpoint and credential; no other module branches on target.
 *
 * Both credentials are @azure/identity's and fetch real tokens from an Entra ID
 * token endpoint (the twin answers as one): on the twin, the demo tenant's
 * application with its client secret; on Azure, DefaultAzureCredential
 * (AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, a workload identity,
 * the managed identity named by AZURE_CLIENT_ID, or `az login`), at the
 * authority host the settings name (AZURE_AUTHORITY_HOST).
 */
export function createCredential(config: AppConfig): TokenCredential {
  const options = { authorityHost: config.identity.authorityHost, disableInstanceDiscovery: config.identity.disableInstanceDiscovery };
  return config.target === 'twin'
    ? new ClientSecretCredential(TWIN_AUTH.tenantId, TWIN_AUTH.clientId, TWIN_AUTH.clientSecret, options)
    : new DefaultAzureCredential({ ...options, ...(config.identity.managedIdentityClientId ? { managedIdentityClientId: config.identity.managedIdentityClientId } : {}) });
}

export interface AzureClients {
  credential: TokenCredential;
  containerService: ContainerServiceClient;
  /** Microsoft.KubernetesConfiguration: a cluster's extensions and Flux configurations. */
  kubernetesConfiguration: SourceControlConfigurationClient;
  /** The VMs behind AKS's nodes (simulated Spot eviction), in the clusters' node resource groups. */
  compute: ComputeManagementClient;
  resources: ResourceManagementClient;
  /** Consumption budgets (@azure/arm-consumption). */
  consumption: ConsumptionManagementClient;
  /** Cost Management query/forecast: no stable SDK, so a REST client with the same credential. */
  costManagement: Client;
  /** Data Protection (Azure Backup for AKS): @azure/arm-dataprotection is not on npm, so a REST client with the same credential. */
  dataProtection: Client;
  /** Small ARM APIs with no usable SDK here (Azure Automation schedules): REST with the same credential. */
  arm: Client;
  /** Key Vault's management plane (@azure/arm-keyvault): secrets' attributes, never their values. */
  keyVault: KeyVaultManagementClient;
  /** Azure Monitor: metric alert rules, scheduled query rules, the activity log (@azure/arm-monitor). */
  monitor: MonitorClient;
  /** The regional metrics batch endpoint (@azure/monitor-query-metrics). */
  metrics: MetricsClient;
  /** Log Analytics queries (@azure/monitor-query-logs). */
  logs: LogsQueryClient;
  /** Fired alerts (Alerts Management): @azure/arm-alertsmanagement is not on npm, so a REST client with the same credential. */
  alertsManagement: Client;
  pollIntervalMs: number;
}

/** The token audiences Azure uses for the Monitor data planes (ARM's own for the rest). */
export const METRICS_AUDIENCE = 'https://metrics.monitor.azure.com';
export const LOGS_AUDIENCE = 'https://api.loganalytics.io';

/** Every request has a deadline: a slow Azure fails the read (shown with its age) instead of hanging the page. */
function timeoutPolicy(ms: number): PipelinePolicy {
  return {
    name: 'aksDemoRequestTimeout',
    sendRequest: (request, next) => {
      if (!request.timeout || request.timeout > ms) request.timeout = ms;
      return next(request);
    },
  };
}

export function createAzureClients(config: AppConfig): AzureClients {
  const credential = createCredential(config);
  // A page waits on these reads: retry transient failures briefly (Retry-After is honoured on 429).
  const additionalPolicies = [{ policy: timeoutPolicy(config.upstream.deadlineMs), position: 'perRetry' as const }];
  // Every client asks for ARM's audience (older SDKs read credentialScopes, newer ones credentials.scopes).
  const scopes = [config.identity.armScope];
  const common = {
    endpoint: config.armEndpoint,
    credentialScopes: scopes,
    credentials: { scopes },
    retryOptions: { maxRetries: 2, retryDelayInMs: 250, maxRetryDelayInMs: 2000 },
    additionalPolicies,
  };
  return {
    credential,
    containerService: new ContainerServiceClient(credential, config.subscriptionId, common),
    kubernetesConfiguration: new SourceControlConfigurationClient(credential, config.subscriptionId, common),
    compute: new ComputeManagementClient(credential, config.subscriptionId, common),
    resources: new ResourceManagementClient(credential, config.subscriptionId, common),
    consumption: new ConsumptionManagementClient(credential, config.subscriptionId, common),
    keyVault: new KeyVaultManagementClient(credential, config.subscriptionId, common),
    // Cost Management throttles by QPU with its own headers; lib/cost adds the policy that reads them, so no blind retries here.
    costManagement: getClient(config.armEndpoint, credential, {
      credentials: { scopes },
      retryOptions: { maxRetries: 1, retryDelayInMs: 250, maxRetryDelayInMs: 1000 },
      additionalPolicies,
    }),
    dataProtection: getClient(config.armEndpoint, credential, {
      credentials: { scopes },
      retryOptions: common.retryOptions,
      additionalPolicies,
    }),
    arm: getClient(config.armEndpoint, credential, {
      credentials: { scopes },
      retryOptions: common.retryOptions,
      additionalPolicies,
    }),
    ...monitorClients(config, credential, additionalPolicies),
    pollIntervalMs: config.armPollIntervalMs,
  };
}

/**
 * Azure Monitor's clients. They do not retry a 429 themselves: lib/monitor reads Retry-After and
 * keeps the last answer until then, so a throttled read never blocks a page.
 */
function monitorClients(config: AppConfig, credential: TokenCredential, additionalPolicies: { policy: PipelinePolicy; position: 'perRetry' }[]) {
  const retryOptions = { maxRetries: 0 };
  return {
    monitor: new MonitorClient(credential, config.subscriptionId, { endpoint: config.armEndpoint, credentials: { scopes: [config.identity.armScope] }, retryOptions, additionalPolicies }),
    metrics: new MetricsClient(config.monitor.metricsEndpoint, credential, { audience: `${METRICS_AUDIENCE}/.default`, retryOptions, additionalPolicies }),
    logs: new LogsQueryClient(credential, {
      endpoint: `${config.monitor.logsEndpoint}/v1`,
      credentials: { scopes: [`${LOGS_AUDIENCE}/.default`] },
      retryOptions,
      additionalPolicies,
    }),
    alertsManagement: getClient(config.armEndpoint, credential, {
      credentials: { scopes: [config.identity.armScope] },
      retryOptions,
      additionalPolicies,
    }),
  };
}

const KEY = Symbol.for('aks-demo.azure-clients');
type Holder = { [KEY]?: AzureClients };

/** One set of clients per process (shared across Next's route bundles). */
export function getAzureClients(): AzureClients {
  const g = globalThis as Holder;
  g[KEY] ??= createAzureClients(getConfig());
  return g[KEY];
}
