import 'server-only';
import type { AccessToken } from '@azure/core-auth';
import {
  AdmissionregistrationV1Api, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PolicyV1Api, RbacAuthorizationV1Api, Watch, type User,
} from '@kubernetes/client-node';
import { getAzureClients } from '../azure';
import { clusterRef, type ClusterKey } from '../config';
import { AppError } from '../errors';

/**
 * One `@kubernetes/client-node` client set per cluster, built the same way on
 * either target: from the kubeconfig ARM's `listClusterUserCredentials` hands
 * out (API server and CA; for a private AKS cluster the server is its
 * `privateFQDN`, reachable from the Jump VM). Only lib/azure knows the target,
 * by the endpoint and credential it chose.
 *
 * The user in that kubeconfig is, for an Entra ID cluster, the kubelogin exec
 * plugin (or the older azure auth-provider), which a server cannot run. It is
 * replaced by what kubelogin would fetch: a token from the app's own Azure
 * credential for the AKS server application named in the kubeconfig
 * (`6dae42f8-4368-4678-94ff-3960e28e3630/.default`). Local accounts stay
 * disabled; Kubernetes RBAC applies to the identity the app runs as. A
 * kubeconfig whose user carries its own secret (token or client certificate)
 * is used as it is.
 */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
export const AKS_SERVER_APP_SCOPE = `${AKS_SERVER_APP_ID}/.default`;
/** Rebuild the client set this long before the Entra token expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface KubeClients {
  cluster: ClusterKey;
  kubeConfig: KubeConfig;
  server: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  policy: PolicyV1Api;
  custom: CustomObjectsApi;
  admission: AdmissionregistrationV1Api;
  rbac: RbacAuthorizationV1Api;
  watch: Watch;
  expiresAt: number;
}

function clientsOf(cluster: ClusterKey, kc: KubeConfig, server: string, expiresAt: number): KubeClients {
  return {
    cluster,
    kubeConfig: kc,
    server,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    watch: new Watch(kc),
    expiresAt,
  };
}

/** The Entra application whose token the kubeconfig's user would fetch, or undefined if it carries its own secret. */
export function entraServerApp(user: User): string | undefined {
  if (user.exec) {
    const args = (user.exec as { args?: string[] }).args ?? [];
    const i = args.indexOf('--server-id');
    return i >= 0 && args[i + 1] ? args[i + 1] : AKS_SERVER_APP_ID;
  }
  if (user.authProvider?.name === 'azure') return user.authProvider.config?.['apiserver-id'] ?? AKS_SERVER_APP_ID;
  return undefined;
}

/**
 * Client-node settings from an AKS kubeconfig (the text ARM returns base64-encoded),
 * with an Entra user replaced by a bearer token from `getToken(scope)`.
 */
export async function kubeConfigFromAks(
  name: string,
  text: string,
  getToken: (scope: string) => Promise<AccessToken | null>,
): Promise<{ kubeConfig: KubeConfig; server: string; expiresAt: number }> {
  const fromArm = new KubeConfig();
  try {
    fromArm.loadFromString(text);
  } catch (err) {
    throw new AppError('upstream', `the kubeconfig of ${name} could not be read: ${err instanceof Error ? err.message : String(err)}`, 'NoKubeconfig');
  }
  const cluster = fromArm.getCurrentCluster();
  const user = fromArm.getCurrentUser();
  if (!cluster || !user) throw new AppError('upstream', `the kubeconfig of ${name} names no cluster or user`, 'NoKubeconfig');
  const app = entraServerApp(user);
  if (!app) return { kubeConfig: fromArm, server: cluster.server, expiresAt: Number.POSITIVE_INFINITY };
  const token = await getToken(`${app}/.default`);
  if (!token) throw new AppError('upstream', `no Entra ID token for the AKS server application of ${name}`, 'NoToken');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...cluster, skipTLSVerify: false }],
    users: [{ name: user.name, token: token.token }],
    contexts: [{ name, cluster: cluster.name, user: user.name }],
    currentContext: name,
  });
  return { kubeConfig: kc, server: cluster.server, expiresAt: token.expiresOnTimestamp };
}

async function loadClients(cluster: ClusterKey): Promise<KubeClients> {
  const ref = clusterRef(cluster);
  const { containerService, credential } = getAzureClients();
  const creds = await containerService.managedClusters.listClusterUserCredentials(ref.resourceGroup, ref.name);
  const value = creds.kubeconfigs?.[0]?.value;
  if (!value) throw new AppError('upstream', `AKS returned no kubeconfig for ${ref.name}`, 'NoKubeconfig');
  // The SDK decodes ARM's base64 field into bytes.
  const { kubeConfig, server, expiresAt } = await kubeConfigFromAks(ref.name, Buffer.from(value).toString('utf8'), (scope) => credential.getToken(scope));
  return clientsOf(cluster, kubeConfig, server, expiresAt);
}

const KEY = Symbol.for('aks-demo.kube-clients');
type Holder = { [KEY]?: Map<ClusterKey, Promise<KubeClients>> };

/** The clients of one cluster (shared by the process; rebuilt before the token expires). */
export async function getKubeClients(cluster: ClusterKey): Promise<KubeClients> {
  const g = globalThis as Holder;
  const cache = (g[KEY] ??= new Map());
  const cached = cache.get(cluster);
  if (cached) {
    const clients = await cached.catch(() => undefined);
    if (clients && clients.expiresAt - REFRESH_MARGIN_MS > Date.now()) return clients;
    if (cache.get(cluster) === cached) cache.delete(cluster);
  }
  const pending = loadClients(cluster);
  cache.set(cluster, pending);
  pending.catch(() => cache.delete(cluster));
  return pending;
}

/** Forgets the cached clients (tests; after a credential change). */
export function resetKubeClients(): void {
  (globalThis as Holder)[KEY]?.clear();
}

export type { V1Node, V1Pod, V1Deployment, V1PodDisruptionBudget, CoreV1Event } from '@kubernetes/client-node';
