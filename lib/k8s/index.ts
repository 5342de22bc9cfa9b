import { readFileSync } from 'node:fs';
import {
  AdmissionregistrationV1Api, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PolicyV1Api, Watch,
} from '@kubernetes/client-node';
import { getAzureClients } from '../azure';
import { getConfig, clusterRef, type AppConfig, type ClusterKey } from '../config';
import { AppError } from '../errors';

/**
 * One `@kubernetes/client-node` client set per cluster, for either target;
 * no other module branches on the target.
 *
 * - twin: server `<TWIN_URL>/k8s/<cluster>`, a static bearer token, and the
 *   twin's CA as `caData` (client-node does not use NODE_EXTRA_CA_CERTS for
 *   its own agent, so the CA is passed explicitly).
 * - azure: the API server and its CA come from ARM's `listClusterUserCredentials`
 *   (the kubeconfig AKS hands out; for a private cluster its server is the
 *   `privateFQDN`, reachable from the Jump VM, §5.7). The user in that
 *   kubeconfig is an exec plugin (kubelogin), which a server cannot run, so it is
 *   replaced by what kubelogin would fetch: an Entra ID token from
 *   `@azure/identity` for the AKS server application
 *   (`6dae42f8-4368-4678-94ff-3960e28e3630/.default`). Local accounts stay
 *   disabled; Kubernetes RBAC applies to the identity the app runs as.
 */
export const AKS_SERVER_APP_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';
const TWIN_TOKEN = 'twin-demo-token';
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
  watch: Watch;
  expiresAt: number;
}

function build(cluster: ClusterKey, server: string, caData: string | undefined, token: string, expiresAt: number): KubeClients {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: cluster, server, caData, skipTLSVerify: false }],
    users: [{ name: `${cluster}-user`, token }],
    contexts: [{ name: cluster, cluster, user: `${cluster}-user` }],
    currentContext: cluster,
  });
  return {
    cluster,
    kubeConfig: kc,
    server,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    admission: kc.makeApiClient(AdmissionregistrationV1Api),
    watch: new Watch(kc),
    expiresAt,
  };
}

function twinClients(config: AppConfig, cluster: ClusterKey): KubeClients {
  if (!config.kubernetes.caFile) {
    throw new AppError('upstream', 'No CA for the twin: set K8S_CA_FILE (or NODE_EXTRA_CA_CERTS) to the twin CA file.', 'K8sCaMissing');
  }
  const caData = Buffer.from(readFileSync(config.kubernetes.caFile)).toString('base64');
  return build(cluster, `${config.armEndpoint}/k8s/${cluster}`, caData, TWIN_TOKEN, Number.POSITIVE_INFINITY);
}

async function azureClients(cluster: ClusterKey): Promise<KubeClients> {
  const ref = clusterRef(cluster);
  const { containerService, credential } = getAzureClients();
  const creds = await containerService.managedClusters.listClusterUserCredentials(ref.resourceGroup, ref.name);
  const value = creds.kubeconfigs?.[0]?.value;
  if (!value) throw new AppError('upstream', `AKS returned no kubeconfig for ${ref.name}`, 'NoKubeconfig');
  const fromArm = new KubeConfig();
  fromArm.loadFromString(Buffer.from(value).toString('utf8'));
  const armCluster = fromArm.getCurrentCluster();
  if (!armCluster) throw new AppError('upstream', `the kubeconfig of ${ref.name} names no cluster`, 'NoKubeconfig');
  const token = await credential.getToken(AKS_SERVER_APP_SCOPE);
  if (!token) throw new AppError('upstream', 'no Entra ID token for the AKS server application', 'NoToken');
  return build(cluster, armCluster.server, armCluster.caData, token.token, token.expiresOnTimestamp);
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
  const config = getConfig();
  const pending = config.target === 'twin' ? Promise.resolve().then(() => twinClients(config, cluster)) : azureClients(cluster);
  cache.set(cluster, pending);
  pending.catch(() => cache.delete(cluster));
  return pending;
}

/** Forgets the cached clients (tests; after a credential change). */
export function resetKubeClients(): void {
  (globalThis as Holder)[KEY]?.clear();
}

export type { V1Node, V1Pod, V1Deployment, V1PodDisruptionBudget, CoreV1Event } from '@kubernetes/client-node';
