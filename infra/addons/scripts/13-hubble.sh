#!/usr/bin/env bash
# 13-hubble — Hubble: flows need ACNS observability (paid); Cilium itself is AKS-managed
# scope: all
# Usage: 13-hubble.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1"
  if [[ "${ACNS_OBSERVABILITY}" != "1" ]]; then
    info "ACNS observability off: no Hubble relay/flows; Cilium agent metrics only"
    return 0
  fi
  kc "${cluster}" -n kube-system rollout status deployment/hubble-relay --timeout 5m
  info "Hubble flows: kubectl --context $(kube_context "${cluster}") -n kube-system port-forward svc/hubble-relay 4245:443 (via the Jump VM)"
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
