#!/usr/bin/env bash
# 08-karpenter-nodepool — The Spot-only Karpenter NodePool when worker_provisioning = nap
# scope: all
# Usage: 08-karpenter-nodepool.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# NAP is AKS-managed (its version follows AKS). With worker_provisioning =
# autoscaler the Spot user pool comes from tofu and this step only says so.
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1"
  if [[ "${WORKER_PROVISIONING}" != "nap" ]]; then
    info "worker_provisioning=${WORKER_PROVISIONING}: Spot pool 'worker' is managed by the cluster autoscaler; no NodePool"
    return 0
  fi
  # Without default_node_pools = None NAP would also run an on-demand `default` NodePool.
  kc "${cluster}" delete nodepool default --ignore-not-found
  apply_manifest "${cluster}" manifests/karpenter
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
