#!/usr/bin/env bash
# 12-aks-automation — Nightly power-down 22:00 / power-up 09:00 Asia/Seoul: created by tofu (modules/automation); shown here
# scope: subscription
# Usage: 12-aks-automation.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  if [[ "${WORKER_PROVISIONING}" == "nap" ]]; then
    # AKS refuses `az aks stop` on NAP clusters (OperationNotAllowed).
    warn "worker_provisioning=nap: clusters cannot be stopped; the schedule puts them to sleep"
  fi
  run az automation schedule list --resource-group "$(resource_group common)" \
    --automation-account-name "aa-${NAME_PREFIX}-power" --output table
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
