import { gatewayCertificateDates, GITOPS_REVISION } from '../catalog';
import { K8sError, type K8sObject } from '../types';
import type { ClusterModel } from './index';
import { iso, type ScenarioResult } from './shared';

/**
 * Breaks one link of the GitOps and secret chain, as its controller would record the failure
 * (Flux's, cert-manager's and External Secrets' own condition shapes: type Ready, status "False",
 * reason, message). A twin reset rebuilds the cluster and clears them.
 */
export const CHAIN_FAULTS = ['kustomization-failing', 'certificate-expiring', 'certificate-not-ready', 'pushsecret-failing', 'store-not-ready', 'externalsecret-failing'] as const;
export type ChainFault = (typeof CHAIN_FAULTS)[number];

/** The commit that fails to apply: the source moved on, the Kustomization stays at the one before. */
const FAILING_REVISION = 'main@sha1:9b2e4c7';
const DAY_MS = 86_400_000;

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}
type WithConditions = K8sObject & { status: { conditions?: Condition[]; [k: string]: unknown } };

function setCondition(o: WithConditions, c: Condition): void {
  o.status.conditions = [...(o.status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

/**
 * Finds what the fault changes (a 404 when this cluster has none of it, changing nothing) and
 * returns the change, so that a fault sent to every cluster is checked on each before any changes.
 */
export function prepareChainFault(m: ClusterModel, fault: ChainFault, message?: string): () => ScenarioResult {
  m.advance();
  const needs: Record<ChainFault, [string, string | undefined, string, string][]> = {
    'kustomization-failing': [['gitrepositories', 'flux-system', 'gitops-config', 'GitRepository'], ['kustomizations', 'flux-system', 'gitops-config-infra', 'Kustomization']],
    'certificate-expiring': [['certificates', 'aks-istio-ingress', 'gateway-tls', 'Certificate']],
    'certificate-not-ready': [['certificates', 'aks-istio-ingress', 'gateway-tls', 'Certificate']],
    'pushsecret-failing': [['pushsecrets', 'aks-istio-ingress', 'gateway-tls', 'PushSecret']],
    'store-not-ready': [['clustersecretstores', undefined, 'azure-key-vault', 'ClusterSecretStore']],
    'externalsecret-failing': [['externalsecrets', 'aks-istio-ingress', 'gateway-tls', 'ExternalSecret']],
  };
  for (const [resource, namespace, name, kind] of needs[fault]) {
    if (!m.store.get(resource, namespace, name)) throw new K8sError(404, 'NotFound', `no ${kind} ${namespace ? `${namespace}/` : ''}${name} on ${m.key}`);
  }
  return () => chainFault(m, fault, message);
}

function chainFault(m: ClusterModel, fault: ChainFault, message?: string): ScenarioResult {
  const now = iso(m.time);
  // prepareChainFault has checked that each is there.
  const find = (resource: string, namespace: string | undefined, name: string): WithConditions => m.store.get<WithConditions>(resource, namespace, name)!;
  const failed = (reason: string, text: string): Condition => ({ type: 'Ready', status: 'False', reason, message: message ?? text, lastTransitionTime: now, observedGeneration: 1 });
  let detail: string;
  switch (fault) {
    case 'kustomization-failing': {
      const source = find('gitrepositories', 'flux-system', 'gitops-config');
      m.store.mutate('gitrepositories', source, (o) => {
        o.status.artifact = { ...(o.status.artifact as object), revision: FAILING_REVISION, lastUpdateTime: now };
        setCondition(o, { type: 'Ready', status: 'True', reason: 'Succeeded', message: `stored artifact for revision '${FAILING_REVISION}'`, lastTransitionTime: now, observedGeneration: 1 });
      });
      const k = find('kustomizations', 'flux-system', 'gitops-config-infra');
      m.store.mutate('kustomizations', k, (o) => {
        o.status.lastAttemptedRevision = FAILING_REVISION;
        setCondition(o, failed('BuildFailed', `kustomize build failed: accumulating resources from 'ingress': evalsymlink failure on '/tmp/kustomization-2871/clusters/${m.key}/ingress': no such file or directory`));
      });
      detail = `Kustomization gitops-config-infra fails to apply ${FAILING_REVISION} (still at ${GITOPS_REVISION})`;
      break;
    }
    case 'certificate-expiring': {
      const c = find('certificates', 'aks-istio-ingress', 'gateway-tls');
      // Issued 89 days ago, renewal due a month ago and failing since: one day left.
      const dates = gatewayCertificateDates(m.time + DAY_MS - 60 * DAY_MS);
      m.store.mutate('certificates', c, (o) => {
        Object.assign(o.status, dates);
        setCondition(o, { type: 'Issuing', status: 'False', reason: 'Failed', message: message ?? 'The certificate request has failed to complete and will be retried: the ACME server refused the order (rateLimited)', lastTransitionTime: now, observedGeneration: 1 });
      });
      detail = `Certificate gateway-tls expires at ${dates.notAfter}; its renewal has been failing since ${dates.renewalTime}`;
      break;
    }
    case 'certificate-not-ready': {
      const c = find('certificates', 'aks-istio-ingress', 'gateway-tls');
      m.store.mutate('certificates', c, (o) => setCondition(o, failed('Failed', 'The certificate request has failed to complete and will be retried: the ClusterIssuer letsencrypt-prod is not Ready')));
      detail = 'Certificate gateway-tls is not Ready';
      break;
    }
    case 'pushsecret-failing': {
      const p = find('pushsecrets', 'aks-istio-ingress', 'gateway-tls');
      m.store.mutate('pushsecrets', p, (o) => setCondition(o, failed('Errored', 'set secret failed: could not write remote ref tls.crt to target secretstore azure-key-vault: Forbidden: the caller is not authorized to perform action on resource (ForbiddenByRbac)')));
      detail = 'PushSecret gateway-tls is not synced';
      break;
    }
    case 'store-not-ready': {
      const s = find('clustersecretstores', undefined, 'azure-key-vault');
      m.store.mutate('clustersecretstores', s, (o) => setCondition(o, failed('InvalidProviderConfig', 'unable to validate store: could not get a token for the workload identity: AADSTS70021: No matching federated identity record found for presented assertion')));
      detail = 'ClusterSecretStore azure-key-vault is not Ready';
      break;
    }
    case 'externalsecret-failing': {
      const e = find('externalsecrets', 'aks-istio-ingress', 'gateway-tls');
      // The last good sync stays in refreshTime: External Secrets keeps the Secret it wrote and retries.
      m.store.mutate('externalsecrets', e, (o) => setCondition(o, failed('SecretSyncedError', 'could not get secret data from provider: key: gateway-tls-crt, err: Forbidden: the caller is not authorized to perform action on resource (ForbiddenByRbac)')));
      detail = 'ExternalSecret gateway-tls is not synced';
      break;
    }
  }
  return { cluster: m.key, detail, nodes: [] };
}
