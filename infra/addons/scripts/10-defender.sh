#!/usr/bin/env bash
# 10-defender — Defender for Containers: declared in HCL (azurerm turns it off when the block is absent); this step verifies the sensor
# scope: all
# Usage: 10-defender.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1"
  run az aks show --resource-group "$(resource_group "${cluster}")" --name "$(cluster_name "${cluster}")" \
    --query securityProfile.defender --output json
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
