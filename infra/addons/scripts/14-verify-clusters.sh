#!/usr/bin/env bash
# 14-verify-clusters — the checks for what is actually enabled; always the last step
# scope: all
# Usage: 14-verify-clusters.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: KEY_VAULT_NAME (for the TLS certificate check on mgmt)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1"
  # Nodes Ready; every pod Running or Completed.
  kc "${cluster}" wait --for=condition=Ready nodes --all --timeout 10m
  expect_empty "pods not Running/Completed" kubectl --context "$(kube_context "${cluster}")" get pods \
    --all-namespaces --field-selector 'status.phase!=Running,status.phase!=Succeeded' --no-headers
  if [[ "${ACNS_OBSERVABILITY}" == "1" ]]; then
    kc "${cluster}" -n kube-system rollout status deployment/hubble-relay --timeout 5m
  fi
  # Flux GitRepository / Kustomization reconciled.
  kc "${cluster}" -n flux-system wait --for=condition=Ready gitrepositories.source.toolkit.fluxcd.io --all --timeout 5m
  kc "${cluster}" -n flux-system wait --for=condition=Ready kustomizations.kustomize.toolkit.fluxcd.io --all --timeout 5m
  if in_scope 04-istio "${cluster}"; then
    kc "${cluster}" -n aks-istio-system rollout status deployment "istiod-${ISTIO_REVISION}" --timeout 5m
  fi
  if in_scope 05-kyverno "${cluster}"; then
    kc "${cluster}" -n kyverno rollout status deployment/kyverno-admission-controller --timeout 5m
    kc "${cluster}" get validatingwebhookconfigurations kyverno-resource-validating-webhook-cfg
  fi
  kc "${cluster}" wait --for=condition=Ready clustersecretstores.external-secrets.io/azure-key-vault --timeout 2m
  kc "${cluster}" -n reloader rollout status deployment/reloader-reloader --timeout 5m
  if [[ "${WORKER_PROVISIONING}" == "nap" ]]; then
    kc "${cluster}" get nodepools.karpenter.sh spot-workers
  fi
  if [[ "${cluster}" == "mgmt" ]]; then
    # The gateway certificate reached Key Vault.
    run az keyvault secret show --vault-name "$(setting KEY_VAULT_NAME)" --name gateway-tls-crt --query attributes.updated --output tsv
  fi
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
