#!/usr/bin/env bash
# 09-backup-extension — AKS backup: extension, trusted access, instance come from tofu (modules/backup); this step verifies them
# scope: all
# Usage: 09-backup-extension.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1"
  run az k8s-extension show --cluster-type managedClusters \
    --resource-group "$(resource_group "${cluster}")" --cluster-name "$(cluster_name "${cluster}")" \
    --name azure-aks-backup --query provisioningState --output tsv
  run az aks trustedaccess rolebinding list \
    --resource-group "$(resource_group "${cluster}")" --cluster-name "$(cluster_name "${cluster}")" --output table
  kc "${cluster}" -n dataprotection-microsoft wait --for=condition=Available deployment --all --timeout 5m
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
