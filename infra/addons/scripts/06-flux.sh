#!/usr/bin/env bash
# 06-flux — AKS GitOps (Flux v2) with an SSH deploy key
# scope: all
# Usage: 06-flux.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: FLUX_GIT_URL (ssh://git@github.com/org/k8s-manifests.git), FLUX_SSH_KEY_FILE
#   (~/.ssh/flux_deploy_key, read-only deploy key), FLUX_BRANCH (main)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1" url key verb=create
  url="$(setting FLUX_GIT_URL ssh://git@github.com/org/k8s-manifests.git)"
  key="$(setting FLUX_SSH_KEY_FILE "${HOME}/.ssh/flux_deploy_key")"
  [[ "${url}" == ssh://* ]] || fatal "FLUX_GIT_URL must be an ssh:// URL (SSH deploy key)"
  [[ "${DRY_RUN}" == "1" || -r "${key}" ]] || fatal "deploy key ${key} not readable"
  if probe az k8s-configuration flux show --cluster-type managedClusters \
    --resource-group "$(resource_group "${cluster}")" --cluster-name "$(cluster_name "${cluster}")" --name gitops-config; then
    verb=update # idempotent: re-running rotates the key / follows a new URL
  fi
  # `az k8s-configuration flux create` requires --cluster-type managedClusters for AKS.
  run az k8s-configuration flux "${verb}" \
    --cluster-type managedClusters \
    --resource-group "$(resource_group "${cluster}")" \
    --cluster-name "$(cluster_name "${cluster}")" \
    --name gitops-config \
    --namespace flux-system \
    --scope cluster \
    --url "${url}" \
    --ssh-private-key-file "${key}" \
    --branch "$(setting FLUX_BRANCH main)" \
    --kustomization name=infra "path=./clusters/${cluster}" prune=true
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
