import { stringify } from 'yaml';
import { TWIN_TENANT_ID } from './oidc';
import { TwinError } from './state';
import type { TwinCluster } from './seed';

/**
 * The kubeconfigs AKS hands out (ManagedClusters_ListClusterUserCredentials /
 * _ListClusterAdminCredentials, 2026-08-01): `{ kubeconfigs: [{ name, value }] }`
 * with `value` a base64 kubeconfig. The server is this cluster's API server on
 * the twin and the CA is the twin's own, so any Kubernetes client can use it.
 *
 * For an Entra ID cluster (aadProfile.managed) the user credential names no
 * secret: its user is the kubelogin exec plugin (format `exec`, the default
 * since Kubernetes 1.24) or the legacy `azure` auth-provider (format `azure`),
 * both of which fetch an Entra token for the AKS server application.
 */

/** The AKS server application: the audience of Entra tokens the API server accepts. */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** The Azure CLI's client id, which AKS writes into the kubeconfig for kubelogin. */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
/** What `az aks get-credentials` writes for the legacy azure auth-provider. */
const AKS_CLIENT_APP_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

export interface KubeconfigOptions {
  cluster: TwinCluster;
  /** The API server URL of this cluster on the twin. */
  server: string;
  /** PEM of the CA that signed the twin's certificate. */
  caPem: string;
  format: 'exec' | 'azure';
}

function document(cluster: TwinCluster, server: string, caPem: string, userName: string, user: Record<string, unknown>): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster.name, cluster: { 'certificate-authority-data': Buffer.from(caPem).toString('base64'), server } }],
    contexts: [{ name: cluster.name, context: { cluster: cluster.name, user: userName } }],
    'current-context': cluster.name,
    preferences: {},
    users: [{ name: userName, user }],
  });
}

export function userKubeconfig({ cluster, server, caPem, format }: KubeconfigOptions): string {
  const userName = `clusterUser_${cluster.resourceGroup}_${cluster.name}`;
  const user =
    format === 'azure'
      ? {
          'auth-provider': {
            name: 'azure',
            config: { 'apiserver-id': AKS_SERVER_APP_ID, 'client-id': AKS_CLIENT_APP_ID, 'config-mode': '1', environment: 'AzurePublicCloud', 'tenant-id': TWIN_TENANT_ID },
          },
        }
      : {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'kubelogin',
            args: ['get-token', '--environment', 'AzurePublicCloud', '--server-id', AKS_SERVER_APP_ID, '--client-id', AZURE_CLI_CLIENT_ID, '--tenant-id', TWIN_TENANT_ID, '--login', 'devicecode'],
            env: null,
            installHint: '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n',
            interactiveMode: 'IfAvailable',
            provideClusterInfo: false,
          },
        };
  return document(cluster, server, caPem, userName, user);
}

/** ARM's body for a credential list: one kubeconfig, named as AKS names it. */
export function credentialResults(name: string, kubeconfig: string) {
  return { kubeconfigs: [{ name, value: Buffer.from(kubeconfig).toString('base64') }] };
}

export function parseFormat(value: string | null): 'exec' | 'azure' {
  if (value === null || value.toLowerCase() === 'exec') return 'exec';
  if (value.toLowerCase() === 'azure') return 'azure';
  throw new TwinError(400, 'InvalidParameter', `The value of parameter format is invalid: '${value}'. Allowed values: azure, exec.`);
}

/**
 * The admin credential is a static client certificate; AKS refuses it on a
 * cluster with local accounts disabled (as every cluster here is, with
 * Entra ID and Azure RBAC), with this error.
 */
export function refuseAdminCredential(): never {
  throw new TwinError(400, 'BadRequest', 'Getting static credential is not allowed because this cluster is set to disable local accounts.');
}
